import Glibc

/// Index lists and coefficient tables of the bispectrum (SNAP) expansion for one `twojmax`,
/// following LAMMPS ML-SNAP (`SNA::build_indexlist`, `init_clebsch_gordan`, Thompson et al.,
/// J. Comput. Phys. 285, 316 (2015)). All angular momenta are doubled (j = 2J).
/// - Wigner-U layers: layer j is (j+1)² complex numbers, row-major (mb, ma), from `ublock[j]`.
/// - Components: (j1, j2, j) with j ≥ j1 ≥ j2, in LAMMPS order (`btriples`).
/// - Z^j_{j1 j2} is kept only for the triples needed (B, and with derivatives the permutations
///   (j, j2, j1), (j, j1, j2)), on the half rows 2·mb ≤ j, as LAMMPS `compute_zi`.
final class SnapTables: @unchecked Sendable {
    let twojmax: Int
    let ublock: [Int]
    let usize: Int
    /// sqrt(p/q), index p*(twojmax+2)+q.
    let rootpq: [Double]
    /// Clebsch–Gordan blocks (VMK 8.2.1(3)) for every (j1 ≥ j2, j): cg[cgOffset + m1*(j2+1)+m2].
    let cg: [Double]
    private let cgIndex: [Int]
    let btriples: [(j1: Int, j2: Int, j: Int)]
    /// Z triples computed, with their offset into the Z buffer and Clebsch–Gordan block.
    struct ZTriple { let j1, j2, j, zOffset, cgOffset: Int }
    let ztriples: [ZTriple]
    let zsize: Int
    /// For each B component: Z offsets of (j1,j2,j), (j,j2,j1), (j,j1,j2) (−1 when not built).
    let bz: [(Int, Int, Int)]

    @inline(__always) func cgOffset(_ j1: Int, _ j2: Int, _ j: Int) -> Int {
        cgIndex[(j1 * (twojmax + 1) + j2) * (twojmax + 1) + j]
    }

    init(twojmax J: Int, derivatives: Bool) {
        twojmax = J
        var ub = [Int](repeating: 0, count: J + 2)
        for j in 0...J { ub[j + 1] = ub[j] + (j + 1) * (j + 1) }
        ublock = Array(ub[0...J])
        usize = ub[J + 1]
        var rp = [Double](repeating: 0, count: (J + 2) * (J + 2))
        if J >= 1 {
            for p in 1...J { for q in 1...J { rp[p * (J + 2) + q] = (Double(p) / Double(q)).squareRoot() } }
        }
        rootpq = rp
        let (cgl, cgi) = SnapTables.clebschGordan(J)
        cg = cgl
        cgIndex = cgi
        // B components
        var bt: [(j1: Int, j2: Int, j: Int)] = []
        for j1 in 0...J { for j2 in 0...j1 {
            var j = j1 - j2
            while j <= min(J, j1 + j2) { if j >= j1 { bt.append((j1, j2, j)) }; j += 2 }
        } }
        btriples = bt
        // needed Z triples
        var need = Set<Int>()
        func key(_ a: Int, _ b: Int, _ c: Int) -> Int { (a * (J + 1) + b) * (J + 1) + c }
        for t in bt {
            need.insert(key(t.j1, t.j2, t.j))
            if derivatives { need.insert(key(t.j, t.j2, t.j1)); need.insert(key(t.j, t.j1, t.j2)) }
        }
        var zt: [ZTriple] = []
        var zoff = 0
        var zmap = [Int: Int]()
        for j1 in 0...J { for j2 in 0...j1 {
            var j = j1 - j2
            while j <= min(J, j1 + j2) {
                if need.contains(key(j1, j2, j)) {
                    zmap[key(j1, j2, j)] = zoff
                    zt.append(ZTriple(j1: j1, j2: j2, j: j, zOffset: zoff, cgOffset: cgi[key(j1, j2, j)]))
                    zoff += (j / 2 + 1) * (j + 1)
                }
                j += 2
            }
        } }
        ztriples = zt
        zsize = zoff
        bz = bt.map { t in
            (zmap[key(t.j1, t.j2, t.j)] ?? -1,
             zmap[key(t.j, t.j2, t.j1)] ?? -1,
             zmap[key(t.j, t.j1, t.j2)] ?? -1)
        }
    }

    /// Clebsch–Gordan coefficients (VMK 8.2.1(3)) of every block (j1 ≥ j2, j), concatenated,
    /// and the offset of each block (−1 when j is not allowed) (LAMMPS init_clebsch_gordan).
    static func clebschGordan(_ J: Int) -> ([Double], [Int]) {
        var fact = [Double](repeating: 1, count: 3 * J + 4)
        for k in 1..<fact.count { fact[k] = fact[k - 1] * Double(k) }
        var cgl: [Double] = []
        var cgi = [Int](repeating: -1, count: (J + 1) * (J + 1) * (J + 1))
        for j1 in 0...J { for j2 in 0...j1 {
            var j = j1 - j2
            while j <= min(J, j1 + j2) {
                cgi[(j1 * (J + 1) + j2) * (J + 1) + j] = cgl.count
                for m1 in 0...j1 {
                    let aa2 = 2 * m1 - j1
                    for m2 in 0...j2 {
                        let bb2 = 2 * m2 - j2
                        let m = (aa2 + bb2 + j) / 2
                        if m < 0 || m > j { cgl.append(0); continue }
                        var sum = 0.0
                        let zlo = max(0, max(-(j - j2 + aa2) / 2, -(j - j1 - bb2) / 2))
                        let zhi = min((j1 + j2 - j) / 2, min((j1 - aa2) / 2, (j2 + bb2) / 2))
                        if zlo <= zhi {
                            for z in zlo...zhi {
                                let s: Double = z % 2 != 0 ? -1 : 1
                                sum += s / (fact[z] * fact[(j1 + j2 - j) / 2 - z] * fact[(j1 - aa2) / 2 - z]
                                    * fact[(j2 + bb2) / 2 - z] * fact[(j - j2 + aa2) / 2 + z]
                                    * fact[(j - j1 - bb2) / 2 + z])
                            }
                        }
                        let cc2 = 2 * m - j
                        let dcg = (fact[(j1 + j2 - j) / 2] * fact[(j1 - j2 + j) / 2] * fact[(-j1 + j2 + j) / 2]
                            / fact[(j1 + j2 + j) / 2 + 1]).squareRoot()
                        let sfaccg = (fact[(j1 + aa2) / 2] * fact[(j1 - aa2) / 2] * fact[(j2 + bb2) / 2]
                            * fact[(j2 - bb2) / 2] * fact[(j + cc2) / 2] * fact[(j - cc2) / 2]
                            * Double(j + 1)).squareRoot()
                        cgl.append(sum * dcg * sfaccg)
                    }
                }
                j += 2
            }
        } }
        return (cgl, cgi)
    }
}
