import Glibc

/// Per-thread SNAP workspace and the per-atom computation, staged as LAMMPS' `SNA` class
/// (Thompson et al., J. Comput. Phys. 285, 316 (2015); LAMMPS src/ML-SNAP/sna.cpp):
/// `computeUi` → `computeZi` → `computeBi`, and for derivatives, per neighbour,
/// `computeDuidrj` → `computeDbidrj` (gradients) and `addVirialDu` → `contractVirial` (V̄).
/// Z is built only for the triples needed. The virial is contracted inside the atom through the
/// virial-weighted dU arrays G_{αβ} = Σ_j ∂U(r_ij)/∂r_α · r_β, so V̄ costs ~6 dot products per
/// Z triple instead of K·3 per neighbour.
///
/// The kernel owns its buffers, as `SNA::create_twojmax_arrays`/`grow_rij`: allocated once,
/// grown when an atom has more neighbours than before, freed in `deinit`.
final class BispectrumKernel {
    let t: SnapTables
    let p: BispectrumParameters
    /// Per-neighbour U and dU are kept (gradients and virial need them).
    let derivatives: Bool
    /// Number of elements (chem), else 1.
    let nel: Int
    /// Linear components per atom, K·nel³ (LAMMPS ncoeff).
    let ncoeff: Int
    let usize: Int
    let zsize: Int
    /// Voigt order xx yy zz yz xz xy of the virial components.
    /// The Cartesian pair (α, β) of Voigt component `vi` (0..<6), without touching an array in
    /// the per-neighbour loop.
    @inline(__always)
    static func voigtPair(_ vi: Int) -> (Int, Int) {
        switch vi {
        case 0: return (0, 0)
        case 1: return (1, 1)
        case 2: return (2, 2)
        case 3: return (1, 2)
        case 4: return (0, 2)
        default: return (0, 1)
        }
    }

    // Tables read in the inner loops (copies of SnapTables' arrays).
    let ublock: UnsafeMutablePointer<Int>
    let rootpq: UnsafeMutablePointer<Double>
    let cg: UnsafeMutablePointer<Double>

    // Short neighbour lists of the current atom (LAMMPS rij, inside, wj, rcutij, element).
    private(set) var nmax = 0
    private(set) var ninside = 0
    /// Element (0-based) of the central atom (chem; 0 otherwise).
    var ielem = 0
    private(set) var rij: UnsafeMutablePointer<SIMD3<Double>>
    /// Atom index of each neighbour.
    private(set) var inside: UnsafeMutablePointer<Int>
    private(set) var wj: UnsafeMutablePointer<Double>
    private(set) var rcutij: UnsafeMutablePointer<Double>
    private(set) var element: UnsafeMutablePointer<Int>

    // Work arrays (LAMMPS names).
    /// U totals per element, nel × usize.
    let ulisttotR: UnsafeMutablePointer<Double>
    let ulisttotI: UnsafeMutablePointer<Double>
    /// U of each neighbour (nmax × usize with derivatives, else one scratch layer set).
    private(set) var ulistR: UnsafeMutablePointer<Double>
    private(set) var ulistI: UnsafeMutablePointer<Double>
    /// dU/dr of the current neighbour, 3 × usize (component-major).
    let dulistR: UnsafeMutablePointer<Double>
    let dulistI: UnsafeMutablePointer<Double>
    /// Virial-weighted dU per neighbour element, nel × 6 × usize.
    let virialDuR: UnsafeMutablePointer<Double>
    let virialDuI: UnsafeMutablePointer<Double>
    /// Z^{e1 e2} for the needed triples, nel² × zsize.
    let zlistR: UnsafeMutablePointer<Double>
    let zlistI: UnsafeMutablePointer<Double>
    /// B of the atom: ncoeff values, element triple (e1,e2,e3) at ((e1·nel+e2)·nel+e3)·K.
    let blist: UnsafeMutablePointer<Double>
    /// Virial contribution −Σ_j (∂B/∂r_ij) ⊗ r_ij, ncoeff × 6 (row-major).
    let vlist: UnsafeMutablePointer<Double>
    /// ∂B/∂r_ij of every neighbour n: dblist[(n·ncoeff + c)·3 + α] (grown with the neighbours).
    private(set) var dblist: UnsafeMutablePointer<Double>
    private var dblistNeighbors = 0

    init(tables: SnapTables, parameters: BispectrumParameters, derivatives: Bool) {
        t = tables
        p = parameters
        self.derivatives = derivatives
        nel = parameters.elementCount
        ncoeff = tables.btriples.count * nel * nel * nel
        usize = tables.usize
        zsize = tables.zsize
        ublock = BispectrumKernel.copy(tables.ublock)
        rootpq = BispectrumKernel.copy(tables.rootpq)
        cg = BispectrumKernel.copy(tables.cg)
        rij = BispectrumKernel.buffer(0, of: SIMD3<Double>.zero)
        inside = BispectrumKernel.buffer(0, of: 0)
        wj = BispectrumKernel.buffer(0, of: 0.0)
        rcutij = BispectrumKernel.buffer(0, of: 0.0)
        element = BispectrumKernel.buffer(0, of: 0)
        ulisttotR = BispectrumKernel.buffer(nel * usize, of: 0.0)
        ulisttotI = BispectrumKernel.buffer(nel * usize, of: 0.0)
        ulistR = BispectrumKernel.buffer(usize, of: 0.0)
        ulistI = BispectrumKernel.buffer(usize, of: 0.0)
        dulistR = BispectrumKernel.buffer(3 * usize, of: 0.0)
        dulistI = BispectrumKernel.buffer(3 * usize, of: 0.0)
        let virialCount = derivatives ? nel * 6 * usize : 0
        virialDuR = BispectrumKernel.buffer(virialCount, of: 0.0)
        virialDuI = BispectrumKernel.buffer(virialCount, of: 0.0)
        zlistR = BispectrumKernel.buffer(nel * nel * zsize, of: 0.0)
        zlistI = BispectrumKernel.buffer(nel * nel * zsize, of: 0.0)
        blist = BispectrumKernel.buffer(ncoeff, of: 0.0)
        vlist = BispectrumKernel.buffer(derivatives ? ncoeff * 6 : 0, of: 0.0)
        dblist = BispectrumKernel.buffer(0, of: 0.0)
    }

    deinit {
        for b in [rootpq, cg, wj, rcutij, ulisttotR, ulisttotI, ulistR, ulistI, dulistR, dulistI,
                  virialDuR, virialDuI, zlistR, zlistI, blist, vlist, dblist] {
            b.deallocate()
        }
        ublock.deallocate()
        inside.deallocate()
        element.deallocate()
        rij.deallocate()
    }

    /// A buffer of max(count, 1) elements initialised to `value`.
    static func buffer<T>(_ count: Int, of value: T) -> UnsafeMutablePointer<T> {
        let b = UnsafeMutablePointer<T>.allocate(capacity: max(count, 1))
        b.initialize(repeating: value, count: max(count, 1))
        return b
    }

    /// An owned copy of a table.
    static func copy<T>(_ a: [T]) -> UnsafeMutablePointer<T> {
        let b = UnsafeMutablePointer<T>.allocate(capacity: max(a.count, 1))
        a.withUnsafeBufferPointer { src in
            if let s = src.baseAddress { b.initialize(from: s, count: a.count) }
        }
        return b
    }

    /// A buffer of `capacity` elements holding the first `count` of `old` (freed), rest `value`.
    static func regrow<T>(_ old: UnsafeMutablePointer<T>, keeping count: Int, capacity: Int,
                          fill value: T) -> UnsafeMutablePointer<T> {
        let b = buffer(capacity, of: value)
        b.update(from: old, count: count)
        old.deallocate()
        return b
    }

    /// Room for `n` neighbours in the short lists and per-neighbour U (LAMMPS grow_rij).
    func growRij(_ n: Int) {
        guard n > nmax else { return }
        rij = BispectrumKernel.regrow(rij, keeping: ninside, capacity: n, fill: .zero)
        inside = BispectrumKernel.regrow(inside, keeping: ninside, capacity: n, fill: 0)
        wj = BispectrumKernel.regrow(wj, keeping: ninside, capacity: n, fill: 0)
        rcutij = BispectrumKernel.regrow(rcutij, keeping: ninside, capacity: n, fill: 0)
        element = BispectrumKernel.regrow(element, keeping: ninside, capacity: n, fill: 0)
        if derivatives {
            ulistR = BispectrumKernel.regrow(ulistR, keeping: 0, capacity: n * usize, fill: 0)
            ulistI = BispectrumKernel.regrow(ulistI, keeping: 0, capacity: n * usize, fill: 0)
        }
        nmax = n
    }

    /// Starts a new central atom of element `element` with no neighbours.
    func beginAtom(element e: Int) {
        ielem = e
        ninside = 0
    }

    /// Appends a neighbour inside the cutoff: pair vector r_j − r_i, cutoff, weight, element,
    /// atom index.
    @inline(__always)
    func addNeighbor(_ d: SIMD3<Double>, cutoff: Double, weight: Double, element e: Int, atom j: Int) {
        if ninside == nmax { growRij(max(16, 2 * nmax)) }
        rij[ninside] = d
        rcutij[ninside] = cutoff
        wj[ninside] = weight
        element[ninside] = e
        inside[ninside] = j
        ninside += 1
    }

    /// The per-atom driver (LAMMPS compute_sna_atom / compute_snav_atom / compute_snad_atom):
    /// U, Z and B into `blist`; with `virial` the contraction −Σ_j ∂B/∂r_ij ⊗ r_ij into `vlist`;
    /// with `gradients` ∂B/∂r_ij of every neighbour into `dblist`. Derivatives need a kernel
    /// built with `derivatives`.
    func computeAtom(virial: Bool = false, gradients: Bool = false) {
        computeUi()
        computeZi()
        computeBi()
        guard derivatives, virial || gradients else { return }
        if gradients { growDblist() }
        if virial { zeroVirialDu() }
        for n in 0..<ninside {
            computeDuidrj(n)
            if gradients { computeDbidrj(n) }
            if virial { addVirialDu(n) }
        }
        if virial { contractVirial() }
    }

    /// Room for ∂B/∂r_ij of every current neighbour.
    private func growDblist() {
        guard ninside > dblistNeighbors else { return }
        let n = max(ninside, nmax)
        dblist = BispectrumKernel.regrow(dblist, keeping: 0, capacity: n * ncoeff * 3, fill: 0)
        dblistNeighbors = n
    }

    /// Switching function f_c(r) (LAMMPS compute_sfac, cosine switch from rmin0 to rc).
    @inline(__always) func sfac(_ r: Double, _ rc: Double) -> Double {
        if !p.switchflag { return 1 }
        if r <= p.rmin0 { return 1 }
        if r > rc { return 0 }
        return 0.5 * (cos((r - p.rmin0) * Double.pi / (rc - p.rmin0)) + 1)
    }

    /// df_c/dr (LAMMPS compute_dsfac).
    @inline(__always) func dsfac(_ r: Double, _ rc: Double) -> Double {
        if !p.switchflag || r <= p.rmin0 || r > rc { return 0 }
        let f = Double.pi / (rc - p.rmin0)
        return -0.5 * sin((r - p.rmin0) * f) * f
    }

    /// Layer j of a U array, rows 2mb > j filled from rows 2mb ≤ j by the inversion symmetry
    /// u[j−mb][j−ma] = (−1)^(ma+mb) conj(u[mb][ma]) (VMK 4.4(2), as LAMMPS). With `components`
    /// 3, the three Cartesian components of dU (component-major, stride usize) in one sweep
    /// over the layer, as LAMMPS compute_duarray.
    @inline(__always)
    func mirrorLayer(_ j: Int, _ ur: UnsafeMutablePointer<Double>, _ ui: UnsafeMutablePointer<Double>,
                     components: Int = 1) {
        var jju = ublock[j]
        var jjup = jju + (j + 1) * (j + 1) - 1
        var mbpar = 1.0
        var mb = 0
        while 2 * mb <= j {
            var mapar = mbpar
            for _ in 0...j {
                for c in 0..<components {
                    let o = c * usize
                    ur[o + jjup] = mapar * ur[o + jju]
                    ui[o + jjup] = -mapar * ui[o + jju]
                }
                mapar = -mapar
                jju += 1
                jjup -= 1
            }
            mbpar = -mbpar
            mb += 1
        }
    }

    /// Σ over the half square of Re(conj(a)·z): rows 2mb < j fully, for even j the middle row
    /// ma < j/2 and ½ of ma = j/2 (LAMMPS compute_bi / compute_dbidrj).
    @inline(__always)
    func halfDot(_ ar: UnsafePointer<Double>, _ ai: UnsafePointer<Double>,
                 _ zr: UnsafePointer<Double>, _ zi: UnsafePointer<Double>, _ j: Int) -> Double {
        var s = 0.0
        let full = ((j + 1) / 2) * (j + 1)   // rows mb with 2mb < j
        for q in 0..<full { s += ar[q] * zr[q] + ai[q] * zi[q] }
        if j % 2 == 0 {
            let mb = j / 2
            var q = full
            for _ in 0..<mb {
                s += ar[q] * zr[q] + ai[q] * zi[q]
                q += 1
            }
            s += 0.5 * (ar[q] * zr[q] + ai[q] * zi[q])
        }
        return s
    }
}
