import Glibc

/// Per-thread workspace and the per-atom computation of B_i and of the atom's virial
/// contribution −Σ_j (∂B_i/∂r_ij) ⊗ r_ij, following LAMMPS `SNA` (compute_ui, compute_zi,
/// compute_bi, compute_duidrj, compute_dbidrj), with Z built only for the triples needed.
/// Per-pair derivative terms are contracted with the pair vector inside the atom (the
/// virial-weighted dU arrays G_{αβ} = Σ_j ∂U(r_ij)/∂r_α · r_β), so V̄ costs ~6 dot products per
/// Z triple instead of K·3 per neighbour.
final class BispectrumKernel {
    let t: SnapTables
    let p: BispectrumParameters
    let derivatives: Bool
    // totals (full layers)
    @exclusivity(unchecked) var utr: [Double]
    @exclusivity(unchecked) var uti: [Double]
    // per-neighbour U (full layers), stored for all neighbours when derivatives are needed
    @exclusivity(unchecked) var nbUr: [Double] = []
    @exclusivity(unchecked) var nbUi: [Double] = []
    @exclusivity(unchecked) var dur: [Double]   // 3 × usize (component-major)
    @exclusivity(unchecked) var dui: [Double]
    @exclusivity(unchecked) var gr: [Double]    // 6 × usize virial-weighted dU
    @exclusivity(unchecked) var gi: [Double]
    @exclusivity(unchecked) var zr: [Double]
    @exclusivity(unchecked) var zi: [Double]
    @exclusivity(unchecked) var rij: [SIMD3<Double>] = []
    @exclusivity(unchecked) var rcut: [Double] = []
    @exclusivity(unchecked) var wgt: [Double] = []
    /// Element (0-based) of each neighbour, and of the central atom (chem; 0 otherwise).
    @exclusivity(unchecked) var elem: [Int] = []
    var ielem = 0
    /// Number of elements (chem), else 1.
    let nel: Int
    static let voigt: [(Int, Int)] = [(0, 0), (1, 1), (2, 2), (1, 2), (0, 2), (0, 1)]

    init(tables: SnapTables, parameters: BispectrumParameters, derivatives: Bool) {
        t = tables; p = parameters; self.derivatives = derivatives
        nel = parameters.elementCount
        utr = [Double](repeating: 0, count: nel * t.usize); uti = utr
        dur = [Double](repeating: 0, count: 3 * t.usize); dui = dur
        gr = derivatives ? [Double](repeating: 0, count: nel * 6 * t.usize) : []; gi = gr
        zr = [Double](repeating: 0, count: nel * nel * t.zsize); zi = zr
    }

    @inline(__always) func sfac(_ r: Double, _ rc: Double) -> Double {
        if !p.switchflag { return 1 }
        if r <= p.rmin0 { return 1 }
        if r > rc { return 0 }
        return 0.5 * (cos((r - p.rmin0) * Double.pi / (rc - p.rmin0)) + 1)
    }

    @inline(__always) func dsfac(_ r: Double, _ rc: Double) -> Double {
        if !p.switchflag || r <= p.rmin0 || r > rc { return 0 }
        let f = Double.pi / (rc - p.rmin0)
        return -0.5 * sin((r - p.rmin0) * f) * f
    }

    /// Wigner U layers for one pair (VMK 4.8.2 recursion, LAMMPS compute_uarray) into u.
    @inline(__always)
    func uarray(_ x: Double, _ y: Double, _ z: Double, _ z0: Double, _ r: Double,
                _ ur: UnsafeMutablePointer<Double>, _ ui: UnsafeMutablePointer<Double>) {
        let r0inv = 1 / (r * r + z0 * z0).squareRoot()
        let ar = r0inv * z0, ai = -r0inv * z, br = r0inv * y, bi = -r0inv * x
        let J = t.twojmax
        t.rootpq.withUnsafeBufferPointer { rpb in
            t.ublock.withUnsafeBufferPointer { ubb in
                let rp = rpb.baseAddress!, ub = ubb.baseAddress!
                let stride = J + 2
                ur[0] = 1; ui[0] = 0
                if J == 0 { return }
                for j in 1...J {
                    var jju = ub[j]
                    var jjup = ub[j - 1]
                    var mb = 0
                    while 2 * mb <= j {
                        ur[jju] = 0; ui[jju] = 0
                        for ma in 0..<j {
                            var rootpq = rp[(j - ma) * stride + (j - mb)]
                            let pr = ur[jjup], pi = ui[jjup]
                            ur[jju] += rootpq * (ar * pr + ai * pi)
                            ui[jju] += rootpq * (ar * pi - ai * pr)
                            rootpq = rp[(ma + 1) * stride + (j - mb)]
                            ur[jju + 1] = -rootpq * (br * pr + bi * pi)
                            ui[jju + 1] = -rootpq * (br * pi - bi * pr)
                            jju += 1; jjup += 1
                        }
                        jju += 1
                        mb += 1
                    }
                    // inversion symmetry VMK 4.4(2)
                    jju = ub[j]
                    jjup = jju + (j + 1) * (j + 1) - 1
                    var mbpar = 1.0
                    mb = 0
                    while 2 * mb <= j {
                        var mapar = mbpar
                        for _ in 0...j {
                            ur[jjup] = mapar * ur[jju]
                            ui[jjup] = -mapar * ui[jju]
                            mapar = -mapar
                            jju += 1; jjup -= 1
                        }
                        mbpar = -mbpar
                        mb += 1
                    }
                }
            }
        }
    }

    /// Computes, for an atom whose neighbours are loaded into rij/rcut/wgt/elem (and whose own
    /// element is `ielem`), the linear B (K·nel³ values, element triple (e1,e2,e3) at
    /// ((e1·nel+e2)·nel+e3)·K, LAMMPS compute_bi) into `b`; with `v` the linear virial
    /// contribution (K·nel³ × 6, row-major); with `g`, ∂B_i/∂r_ij for every neighbour n
    /// (g[(n·K·nel³ + c)·3 + α], LAMMPS compute_dbidrj, pair vector r_j − r_i).
    func atom(b: UnsafeMutablePointer<Double>, v: UnsafeMutablePointer<Double>?,
              g: UnsafeMutablePointer<Double>? = nil) {
        let J = t.twojmax
        let usize = t.usize
        let zsize = t.zsize
        let nn = rij.count
        let K = t.btriples.count
        let KT = K * nel * nel * nel
        if derivatives && nbUr.count < nn * usize {
            nbUr = [Double](repeating: 0, count: nn * usize * 2); nbUi = nbUr
        }
        utr.withUnsafeMutableBufferPointer { utrb in
        uti.withUnsafeMutableBufferPointer { utib in
        zr.withUnsafeMutableBufferPointer { zrb in
        zi.withUnsafeMutableBufferPointer { zib in
        dur.withUnsafeMutableBufferPointer { durb in
        dui.withUnsafeMutableBufferPointer { duib in
            let utrAll = utrb.baseAddress!, utiAll = utib.baseAddress!
            let zrAll = zrb.baseAddress!, ziAll = zib.baseAddress!
            // --- U totals per element: wself on the diagonal of the atom's own element (all
            // elements with wselfallflag), LAMMPS zero_uarraytot
            for k in 0..<(nel * usize) { utrAll[k] = 0; utiAll[k] = 0 }
            for e in 0..<nel where e == ielem || p.wselfallflag {
                for j in 0...J {
                    let base = e * usize + t.ublock[j]
                    for ma in 0...j { utrAll[base + ma * (j + 1) + ma] = 1 }
                }
            }
            // per-neighbour U
            let tmpR = durb.baseAddress!, tmpI = duib.baseAddress!   // scratch when no derivatives
            nbUr.withUnsafeMutableBufferPointer { nbrb in
            nbUi.withUnsafeMutableBufferPointer { nbib in
                for n in 0..<nn {
                    let d = rij[n]
                    let r = (d.x * d.x + d.y * d.y + d.z * d.z).squareRoot()
                    let theta0 = (r - p.rmin0) * p.rfac0 * Double.pi / (rcut[n] - p.rmin0)
                    let z0 = r / tan(theta0)
                    let ur = derivatives ? nbrb.baseAddress! + n * usize : tmpR
                    let ui = derivatives ? nbib.baseAddress! + n * usize : tmpI
                    uarray(d.x, d.y, d.z, z0, r, ur, ui)
                    let s = sfac(r, rcut[n]) * wgt[n]
                    let utr = utrAll + elem[n] * usize, uti = utiAll + elem[n] * usize
                    // half rows suffice: totals are mirrored below
                    for j in 0...J {
                        let base = t.ublock[j]
                        let cnt = (j / 2 + 1) * (j + 1)
                        for k in base..<(base + cnt) { utr[k] += s * ur[k]; uti[k] += s * ui[k] }
                    }
                }
            } }
            // mirror totals
            for e in 0..<nel {
                let utr = utrAll + e * usize, uti = utiAll + e * usize
                for j in 1...max(1, J) where j <= J {
                    var jju = t.ublock[j]
                    var jjup = jju + (j + 1) * (j + 1) - 1
                    var mbpar = 1.0
                    var mb = 0
                    while 2 * mb <= j {
                        var mapar = mbpar
                        for _ in 0...j {
                            utr[jjup] = mapar * utr[jju]; uti[jjup] = -mapar * uti[jju]
                            mapar = -mapar; jju += 1; jjup -= 1
                        }
                        mbpar = -mbpar; mb += 1
                    }
                }
            }
            // --- Z^{e1 e2} (as LAMMPS compute_zi, only the triples needed). Loop order: for each
            // half row mb and each (mb1, mb2) pair, accumulate cb·C(ma1,ma2)·u1[mb1][ma1]·u2[mb2][ma2]
            // into Z[mb][ma1+ma2+off]: the innermost loop writes independent outputs (no serial
            // add chain), with the same terms as LAMMPS' (ma, ma1) ordering.
            t.cg.withUnsafeBufferPointer { cgb in
                let cgAll = cgb.baseAddress!
                for e1 in 0..<nel { for e2 in 0..<nel {
                let utr1 = utrAll + e1 * usize, uti1 = utiAll + e1 * usize
                let utr2 = utrAll + e2 * usize, uti2 = utiAll + e2 * usize
                let zr = zrAll + (e1 * nel + e2) * zsize, zi = ziAll + (e1 * nel + e2) * zsize
                for zt in t.ztriples {
                    let j1 = zt.j1, j2 = zt.j2, j = zt.j
                    let cgblock = cgAll + zt.cgOffset
                    let u1base = t.ublock[j1], u2base = t.ublock[j2]
                    let off = (j - j1 - j2) / 2
                    let zr0 = zr + zt.zOffset, zi0 = zi + zt.zOffset
                    let nelem = (j / 2 + 1) * (j + 1)
                    for q in 0..<nelem { zr0[q] = 0; zi0[q] = 0 }
                    var mb = 0
                    while 2 * mb <= j {
                        let zrow = zr0 + mb * (j + 1), zirow = zi0 + mb * (j + 1)
                        let mb1min = max(0, (2 * mb - j - j2 + j1) / 2)
                        let mb2max = (2 * mb - j - (2 * mb1min - j1) + j2) / 2
                        let nb = min(j1, (2 * mb - j + j2 + j1) / 2) - mb1min + 1
                        // With j1 = j2 and the same element, the term of (mb1,ma1; mb2,ma2) equals that of
                        // (mb2,ma2; mb1,ma1) (both Clebsch–Gordan factors change by the same sign):
                        // sum mb1 < mb2 twice, and for mb1 = mb2 the pairs ma1 < ma2 twice.
                        let symmetric = j1 == j2 && e1 == e2
                        var ib = 0
                        while ib < nb {
                            let mb1 = mb1min &+ ib, mb2 = mb2max &- ib
                            if symmetric && mb1 > mb2 { break }
                            let diagRow = symmetric && mb1 == mb2
                            let cb = cgblock[mb1 &* (j2 &+ 1) &+ mb2] * (symmetric && !diagRow ? 2 : 1)
                            let o1 = u1base &+ mb1 &* (j1 &+ 1), o2 = u2base &+ mb2 &* (j2 &+ 1)
                            let u1r = utr1 + o1, u1i = uti1 + o1
                            let u2r = utr2 + o2, u2i = uti2 + o2
                            var ma1 = 0
                            while ma1 <= j1 {
                                var lo = max(0, -off &- ma1)
                                let hi = min(j2, j &- off &- ma1)
                                if diagRow {
                                    if lo <= ma1 && ma1 <= hi {
                                        let c = cgblock[ma1 &* (j2 &+ 1) &+ ma1] * cb
                                        let pr = u1r[ma1] * u2r[ma1] - u1i[ma1] * u2i[ma1]
                                        let pi = 2 * u1r[ma1] * u2i[ma1]
                                        zrow[ma1 &+ ma1 &+ off] += c * pr
                                        zirow[ma1 &+ ma1 &+ off] += c * pi
                                    }
                                    lo = max(lo, ma1 &+ 1)
                                }
                                let cbf = diagRow ? 2 * cb : cb
                                if lo <= hi {
                                    let ar = cbf * u1r[ma1], ai = cbf * u1i[ma1]
                                    let cgrow = cgblock + ma1 &* (j2 &+ 1)
                                    let base = ma1 &+ off
                                    var ma2 = lo
                                    while ma2 <= hi {
                                        let c = cgrow[ma2]
                                        let pr = ar * u2r[ma2] - ai * u2i[ma2]
                                        let pi = ar * u2i[ma2] + ai * u2r[ma2]
                                        zrow[base &+ ma2] += c * pr
                                        zirow[base &+ ma2] += c * pi
                                        ma2 &+= 1
                                    }
                                }
                                ma1 &+= 1
                            }
                            ib &+= 1
                        }
                        mb += 1
                    }
                    if p.bnormflag {
                        let f = 1 / Double(j + 1)
                        for q in 0..<nelem { zr0[q] *= f; zi0[q] *= f }
                    }
                }
                } }
            }
            // --- B (LAMMPS compute_bi): B(e1,e2,e3) = Σ conj(u^{e3}) Z^{e1 e2}
            for e1 in 0..<nel { for e2 in 0..<nel { for e3 in 0..<nel {
                let it = (e1 * nel + e2) * nel + e3
                let zr = zrAll + (e1 * nel + e2) * zsize, zi = ziAll + (e1 * nel + e2) * zsize
                let ur = utrAll + e3 * usize, ui = utiAll + e3 * usize
                let sub = p.bzeroflag && (p.wselfallflag || (e1 == ielem && e2 == ielem && e3 == ielem))
                for (k, tr) in t.btriples.enumerated() {
                    let j = tr.j
                    var bk = 2 * halfDot(ur + t.ublock[j], ui + t.ublock[j], zr + t.bz[k].0, zi + t.bz[k].0, j)
                    if sub { bk -= p.bnormflag ? 1 : Double(j + 1) }
                    b[it * K + k] = bk
                }
            } } }
            guard derivatives, v != nil || g != nil else { return }
            // --- virial-weighted dU per neighbour element: G^e_{αβ} = Σ_{n: elem e} dU_α(r_n) r_n,β
            gr.withUnsafeMutableBufferPointer { grb in
            gi.withUnsafeMutableBufferPointer { gib in
            nbUr.withUnsafeMutableBufferPointer { nbrb in
            nbUi.withUnsafeMutableBufferPointer { nbib in
                let grAll = grb.baseAddress!, giAll = gib.baseAddress!
                if v != nil { for k in 0..<(nel * 6 * usize) { grAll[k] = 0; giAll[k] = 0 } }
                let dr = durb.baseAddress!, di = duib.baseAddress!
                for n in 0..<nn {
                    duarray(n, nbrb.baseAddress! + n * usize, nbib.baseAddress! + n * usize, dr, di)
                    if let g = g {
                        let gn = g + n * KT * 3
                        for q in 0..<(KT * 3) { gn[q] = 0 }
                        let e3 = elem[n]
                        for e1 in 0..<nel { for e2 in 0..<nel {
                            let z12r = zrAll + (e1 * nel + e2) * zsize, z12i = ziAll + (e1 * nel + e2) * zsize
                            let z21r = zrAll + (e2 * nel + e1) * zsize, z21i = ziAll + (e2 * nel + e1) * zsize
                            let t1 = ((e1 * nel + e2) * nel + e3) * K
                            let t2 = ((e3 * nel + e2) * nel + e1) * K
                            let t3 = ((e1 * nel + e3) * nel + e2) * K
                            for (k, tr) in t.btriples.enumerated() {
                                let (z0, z1, z2) = t.bz[k]
                                let f1 = p.bnormflag ? 1 : Double(tr.j + 1) / Double(tr.j1 + 1)
                                let f2 = p.bnormflag ? 1 : Double(tr.j + 1) / Double(tr.j2 + 1)
                                for al in 0..<3 {
                                    let dR = dr + al * usize, dI = di + al * usize
                                    gn[(t1 + k) * 3 + al] += 2 * halfDot(dR + t.ublock[tr.j], dI + t.ublock[tr.j], z12r + z0, z12i + z0, tr.j)
                                    gn[(t2 + k) * 3 + al] += 2 * f1 * halfDot(dR + t.ublock[tr.j1], dI + t.ublock[tr.j1], z12r + z1, z12i + z1, tr.j1)
                                    gn[(t3 + k) * 3 + al] += 2 * f2 * halfDot(dR + t.ublock[tr.j2], dI + t.ublock[tr.j2], z21r + z2, z21i + z2, tr.j2)
                                }
                            }
                        } }
                    }
                    guard v != nil else { continue }
                    let d = rij[n]
                    let ge = elem[n] * 6 * usize
                    for (vi, (al, be)) in BispectrumKernel.voigt.enumerated() {
                        let rb = d[be]
                        let gR = grAll + ge + vi * usize, gI = giAll + ge + vi * usize
                        let dR = dr + al * usize, dI = di + al * usize
                        for j in 0...J {
                            let base = t.ublock[j]
                            let cnt = (j / 2 + 1) * (j + 1)
                            for q in base..<(base + cnt) { gR[q] += dR[q] * rb; gI[q] += dI[q] * rb }
                        }
                    }
                }
                // V_(e1 e2 e3),k,v = −2 [ <G^{e3} j, Z^{e1e2}(j1 j2 j)> ] and the permuted terms,
                // exactly as the pair terms of compute_dbidrj summed with r_ij
                guard let v = v else { return }
                for q in 0..<(KT * 6) { v[q] = 0 }
                for e3 in 0..<nel { for e1 in 0..<nel { for e2 in 0..<nel {
                    let z12r = zrAll + (e1 * nel + e2) * zsize, z12i = ziAll + (e1 * nel + e2) * zsize
                    let z21r = zrAll + (e2 * nel + e1) * zsize, z21i = ziAll + (e2 * nel + e1) * zsize
                    let t1 = ((e1 * nel + e2) * nel + e3) * K
                    let t2 = ((e3 * nel + e2) * nel + e1) * K
                    let t3 = ((e1 * nel + e3) * nel + e2) * K
                    for (k, tr) in t.btriples.enumerated() {
                        let (z0, z1, z2) = t.bz[k]
                        let f1 = p.bnormflag ? 1 : Double(tr.j + 1) / Double(tr.j1 + 1)
                        let f2 = p.bnormflag ? 1 : Double(tr.j + 1) / Double(tr.j2 + 1)
                        for vi in 0..<6 {
                            let gR = grAll + (e3 * 6 + vi) * usize, gI = giAll + (e3 * 6 + vi) * usize
                            v[(t1 + k) * 6 + vi] -= 2 * halfDot(gR + t.ublock[tr.j], gI + t.ublock[tr.j], z12r + z0, z12i + z0, tr.j)
                            v[(t2 + k) * 6 + vi] -= 2 * f1 * halfDot(gR + t.ublock[tr.j1], gI + t.ublock[tr.j1], z12r + z1, z12i + z1, tr.j1)
                            v[(t3 + k) * 6 + vi] -= 2 * f2 * halfDot(gR + t.ublock[tr.j2], gI + t.ublock[tr.j2], z21r + z2, z21i + z2, tr.j2)
                        }
                    }
                } } }
            } } } }
        } } } } } }
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
            for _ in 0..<mb { s += ar[q] * zr[q] + ai[q] * zi[q]; q += 1 }
            s += 0.5 * (ar[q] * zr[q] + ai[q] * zi[q])
        }
        return s
    }

    /// dU/dr for neighbour n (LAMMPS compute_duidrj/compute_duarray), scaled by the switching
    /// function and weight: d(f_c w U)/dr, into dr/di (3 × usize, component-major).
    @inline(__always)
    func duarray(_ n: Int, _ ur: UnsafeMutablePointer<Double>, _ ui: UnsafeMutablePointer<Double>,
                 _ dr: UnsafeMutablePointer<Double>, _ di: UnsafeMutablePointer<Double>) {
        let usize = t.usize
        let J = t.twojmax
        let d = rij[n]
        let x = d.x, y = d.y, z = d.z
        let rsq = x * x + y * y + z * z
        let r = rsq.squareRoot()
        let rc = rcut[n]
        let rscale0 = p.rfac0 * Double.pi / (rc - p.rmin0)
        let theta0 = (r - p.rmin0) * rscale0
        let cs = cos(theta0), sn = sin(theta0)
        let z0 = r * cs / sn
        let dz0dr = z0 / r - (r * rscale0) * (rsq + z0 * z0) / rsq
        let rinv = 1 / r
        let u = SIMD3(x * rinv, y * rinv, z * rinv)
        let r0inv = 1 / (r * r + z0 * z0).squareRoot()
        let ar = z0 * r0inv, ai = -z * r0inv, br = y * r0inv, bi = -x * r0inv
        let dr0invdr = -(r0inv * r0inv * r0inv) * (r + z0 * dz0dr)
        let dr0inv = u * dr0invdr
        let dz0 = u * dz0dr
        let dar = dz0 * r0inv + z0 * dr0inv
        var dai = -z * dr0inv
        dai.z += -r0inv
        var dbr = y * dr0inv
        var dbi = -x * dr0inv
        dbi.x += -r0inv
        dbr.y += r0inv
        for c in 0..<3 { dr[c * usize] = 0; di[c * usize] = 0 }
        t.rootpq.withUnsafeBufferPointer { rpb in
            let rp = rpb.baseAddress!
            let stride = J + 2
            if J >= 1 {
                for j in 1...J {
                    var jju = t.ublock[j]
                    var jjup = t.ublock[j - 1]
                    var mb = 0
                    while 2 * mb <= j {
                        for c in 0..<3 { dr[c * usize + jju] = 0; di[c * usize + jju] = 0 }
                        for ma in 0..<j {
                            var rootpq = rp[(j - ma) * stride + (j - mb)]
                            let pr = ur[jjup], pi = ui[jjup]
                            for c in 0..<3 {
                                let o = c * usize
                                let dpr = dr[o + jjup], dpi = di[o + jjup]
                                dr[o + jju] += rootpq * (dar[c] * pr + dai[c] * pi + ar * dpr + ai * dpi)
                                di[o + jju] += rootpq * (dar[c] * pi - dai[c] * pr + ar * dpi - ai * dpr)
                            }
                            rootpq = rp[(ma + 1) * stride + (j - mb)]
                            for c in 0..<3 {
                                let o = c * usize
                                let dpr = dr[o + jjup], dpi = di[o + jjup]
                                dr[o + jju + 1] = -rootpq * (dbr[c] * pr + dbi[c] * pi + br * dpr + bi * dpi)
                                di[o + jju + 1] = -rootpq * (dbr[c] * pi - dbi[c] * pr + br * dpi - bi * dpr)
                            }
                            jju += 1; jjup += 1
                        }
                        jju += 1
                        mb += 1
                    }
                    jju = t.ublock[j]
                    jjup = jju + (j + 1) * (j + 1) - 1
                    var mbpar = 1.0
                    mb = 0
                    while 2 * mb <= j {
                        var mapar = mbpar
                        for _ in 0...j {
                            for c in 0..<3 {
                                let o = c * usize
                                dr[o + jjup] = mapar * dr[o + jju]
                                di[o + jjup] = -mapar * di[o + jju]
                            }
                            mapar = -mapar; jju += 1; jjup -= 1
                        }
                        mbpar = -mbpar; mb += 1
                    }
                }
            }
        }
        let sf = sfac(r, rc) * wgt[n]
        let dsf = dsfac(r, rc) * wgt[n]
        for j in 0...J {
            let base = t.ublock[j]
            let cnt = (j / 2 + 1) * (j + 1)
            for q in base..<(base + cnt) {
                for c in 0..<3 {
                    let o = c * usize
                    dr[o + q] = dsf * ur[q] * u[c] + sf * dr[o + q]
                    di[o + q] = dsf * ui[q] * u[c] + sf * di[o + q]
                }
            }
        }
    }
}
