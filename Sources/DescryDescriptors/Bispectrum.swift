import DescryAtoms
import DescryLinalg
import Dispatch

/// Result of a bispectrum evaluation on one frame.
public struct BispectrumResult {
    /// Per-atom descriptors B_i (N × ncols), LAMMPS `compute sna/atom` columns; nil unless asked.
    public var perAtom: Matrix?
    /// D̄ = Σ_i B_i (ncols).
    public var sum: [Double]
    /// V̄ (ncols × 6, Voigt xx yy zz yz xz xy) = Σ over atoms of LAMMPS `compute snav/atom`
    /// = −Σ_i Σ_j (∂B_i/∂r_ij)_α (r_ij)_β with r_ij = r_j − r_i, i.e. V̄ = −∂D̄/∂ε for the
    /// homogeneous strain r_α → r_α + ε r_β (box included). Nil unless asked.
    public var virial: Matrix?
    /// V̄ split by the type of the central atom i (LAMMPS snav/atom type blocks), ntypes entries.
    public var virialByType: [Matrix]?
}

/// Bispectrum (SNAP) descriptors identical to LAMMPS `compute sna/atom` and `snav/atom`
/// (Thompson et al., J. Comput. Phys. 285, 316 (2015); Bartók et al., PRB 87, 184115 (2013)),
/// global sums D̄ and V̄ as used by Swinburne, PRL 131, 236101 (2023). Conventions (component
/// order, strict cutoff, self images, ½B² quadratic terms, Voigt order and sign) are LAMMPS'.
/// Threads split atoms in fixed chunks; sums are taken in atom order, so results are identical
/// run to run and for any thread count.
public final class Bispectrum: @unchecked Sendable {
    public let parameters: BispectrumParameters
    let tables: SnapTables
    let dtables: SnapTables
    /// Atoms per work chunk: a function of the atom count only (never of the thread count), so
    /// sums are identical for any number of threads; at most ~512 chunks bound the memory of
    /// the per-chunk partial sums.
    static func chunkSize(_ n: Int) -> Int { max(32, (n + 511) / 512) }

    /// Validates the parameters and builds the index and Clebsch–Gordan tables.
    public init(_ parameters: BispectrumParameters) throws {
        try parameters.validate()
        self.parameters = parameters
        tables = SnapTables(twojmax: parameters.twojmax, derivatives: false)
        dtables = SnapTables(twojmax: parameters.twojmax, derivatives: true)
    }

    /// Number of output columns (K, or K + K(K+1)/2 with quadraticflag).
    public var componentCount: Int { parameters.componentCount }
    /// Component labels "B(j1,j2,j)" (doubled indices) and "B(a)*B(b)" quadratic terms, in column order.
    public var labels: [String] {
        let nel = parameters.elementCount
        var lin: [String] = []
        for e1 in 0..<nel { for e2 in 0..<nel { for e3 in 0..<nel {
            let el = nel > 1 ? "[\(e1)\(e2)\(e3)]" : ""
            lin += tables.btriples.map { "B\(el)(\($0.j1),\($0.j2),\($0.j))" }
        } } }
        guard parameters.quadraticflag else { return lin }
        var out = lin
        for i in 0..<lin.count { for k in i..<lin.count { out.append(i == k ? "0.5*\(lin[i])^2" : "\(lin[i])*\(lin[k])") } }
        return out
    }

    /// Computes B for every atom of `frame`, D̄, and with `virial` V̄.
    /// - threads: worker threads (1 = serial).
    public func compute(_ frame: Frame, perAtom: Bool = true, virial: Bool = false,
                        threads: Int = 1) throws -> BispectrumResult {
        let p = parameters
        let n = frame.count
        let ntypes = max(1, frame.typeCount)
        for t in frame.types where t < 1 || t > 10_000 { throw EngineError("bispectrum: atom types must be in 1...10000, got \(t)") }
        let ncols = p.componentCount
        let K = p.linearCount
        if n == 0 {
            return BispectrumResult(perAtom: perAtom ? Matrix(rows: 0, cols: ncols) : nil,
                                    sum: [Double](repeating: 0, count: ncols),
                                    virial: virial ? Matrix(rows: ncols, cols: 6) : nil,
                                    virialByType: virial ? [Matrix](repeating: Matrix(rows: ncols, cols: 6), count: ntypes) : nil)
        }
        let nl = try NeighborList(frame: frame, cutoff: p.maxCutoff(types: ntypes), threads: threads)
        // per-atom rows only when asked; D̄ and V̄ from per-chunk partial sums (atom order inside a
        // chunk, chunks summed in order)
        var rows = [Double](repeating: 0, count: perAtom ? n * ncols : 0)
        let chunk = Bispectrum.chunkSize(n)
        let nchunks = (n + chunk - 1) / chunk
        var chunkD = [Double](repeating: 0, count: nchunks * ncols)
        let vlen = ntypes * ncols * 6
        var chunkV = [Double](repeating: 0, count: virial ? nchunks * vlen : 0)
        let tabs = virial ? dtables : tables
        // per-type cutoffs and weights
        var rcutT = [Double](repeating: 0, count: (ntypes + 1) * (ntypes + 1))
        for a in 1...ntypes { for b in 1...ntypes { rcutT[a * (ntypes + 1) + b] = (p.radius(a) + p.radius(b)) * p.rcutfac } }
        let types = frame.types
        rows.withUnsafeMutableBufferPointer { rowsb in
        chunkD.withUnsafeMutableBufferPointer { cdb in
        chunkV.withUnsafeMutableBufferPointer { cvb in
            let rowsP = perAtom ? rowsb.baseAddress : nil   // an empty array may still have a base address
            let cdP = cdb.baseAddress!
            let cvP = virial ? cvb.baseAddress : nil
            let queue = ChunkQueue(total: nchunks)
            func runChunks() {
                let ker = BispectrumKernel(tables: tabs, parameters: p, derivatives: virial)
                var bl = [Double](repeating: 0, count: K)
                var vl = [Double](repeating: 0, count: K * 6)
                var vq = [Double](repeating: 0, count: virial ? ncols * 6 : 0)
                var rowBuf = [Double](repeating: 0, count: ncols)
                while let c = queue.take() {
                    for i in (c * chunk)..<min(n, (c + 1) * chunk) {
                        let ti = types[i]
                        ker.rij.removeAll(keepingCapacity: true)
                        ker.rcut.removeAll(keepingCapacity: true)
                        ker.wgt.removeAll(keepingCapacity: true)
                        ker.elem.removeAll(keepingCapacity: true)
                        ker.ielem = p.element(ti)
                        for k in nl.offsets[i]..<nl.offsets[i + 1] {
                            let j = Int(nl.indices[k])
                            let tj = types[j]
                            let rc = rcutT[ti * (ntypes + 1) + tj]
                            let d = nl.vectors[k]
                            if (d * d).sum() < rc * rc {
                                ker.rij.append(d); ker.rcut.append(rc); ker.wgt.append(p.weight(tj)); ker.elem.append(p.element(tj))
                            }
                        }
                        bl.withUnsafeMutableBufferPointer { bp in
                            vl.withUnsafeMutableBufferPointer { vp in
                                ker.atom(b: bp.baseAddress!, v: virial ? vp.baseAddress! : nil)
                            }
                        }
                        rowBuf.withUnsafeMutableBufferPointer { rb in
                            let row = rb.baseAddress!
                            for k in 0..<K { row[k] = bl[k] }
                            if p.quadraticflag {
                                var q = K
                                for a in 0..<K {
                                    row[q] = 0.5 * bl[a] * bl[a]; q += 1
                                    for b in (a + 1)..<max(a + 1, K) { row[q] = bl[a] * bl[b]; q += 1 }
                                }
                            }
                            let dsum = cdP + c * ncols
                            for k in 0..<ncols { dsum[k] += row[k] }
                            if let rp = rowsP { (rp + i * ncols).update(from: row, count: ncols) }
                        }
                        if virial, let cv = cvP {
                            // quadratic virial terms: d(½B_a²) = B_a dB_a, d(B_a B_b) = B_a dB_b + B_b dB_a
                            for k in 0..<(K * 6) { vq[k] = vl[k] }
                            if p.quadraticflag {
                                var q = K
                                for a in 0..<K {
                                    for v in 0..<6 { vq[q * 6 + v] = bl[a] * vl[a * 6 + v] }
                                    q += 1
                                    for b in (a + 1)..<max(a + 1, K) {
                                        for v in 0..<6 { vq[q * 6 + v] = bl[a] * vl[b * 6 + v] + bl[b] * vl[a * 6 + v] }
                                        q += 1
                                    }
                                }
                            }
                            let dst = cv + c * vlen + (ti - 1) * ncols * 6
                            for k in 0..<(ncols * 6) { dst[k] += vq[k] }
                        }
                    }
                }
            }
            let nt = max(1, min(threads, nchunks))
            if nt == 1 { runChunks() } else {
                DispatchQueue.concurrentPerform(iterations: nt) { _ in runChunks() }
            }
        } } }
        var sum = [Double](repeating: 0, count: ncols)
        for c in 0..<nchunks { for k in 0..<ncols { sum[k] += chunkD[c * ncols + k] } }
        var result = BispectrumResult(perAtom: perAtom ? Matrix(rows: n, cols: ncols, data: rows) : nil,
                                      sum: sum, virial: nil, virialByType: nil)
        if virial {
            var byType = [Matrix](repeating: Matrix(rows: ncols, cols: 6), count: ntypes)
            var total = Matrix(rows: ncols, cols: 6)
            for c in 0..<nchunks {
                for t in 0..<ntypes {
                    for k in 0..<(ncols * 6) { byType[t].data[k] += chunkV[c * vlen + t * ncols * 6 + k] }
                }
            }
            for t in 0..<ntypes { for k in 0..<(ncols * 6) { total.data[k] += byType[t].data[k] } }
            result.virial = total
            result.virialByType = byType
        }
        return result
    }
}
