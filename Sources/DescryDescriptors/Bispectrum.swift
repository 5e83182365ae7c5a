import DescryAtoms
import DescryLinalg

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
        let ntypes = try AtomLoop.typeCount(frame)
        let ncols = p.componentCount
        let K = p.linearCount
        let chunk = Bispectrum.chunkSize(n)
        let nchunks = (n + chunk - 1) / chunk
        try AtomLoop.checkAllocation([perAtom ? n : 0, ncols], "the per-atom rows")
        try AtomLoop.checkAllocation([nchunks, virial ? ntypes : 1, ncols, virial ? 6 : 1], "the partial sums of D̄ and V̄")
        try AtomLoop.checkAllocation([p.elementCount, p.elementCount, dtables.zsize], "the Z arrays")
        let sums = BispectrumSums(atoms: perAtom ? n : 0, ncols: ncols, ntypes: ntypes, chunks: nchunks,
                                  virial: virial)
        if n == 0 { return sums.result(atoms: 0, perAtom: perAtom) }
        let loop = try AtomLoop(frame: frame, parameters: p, ntypes: ntypes, threads: threads)
        let types = frame.types
        loop.forEachAtom(chunks: 0..<nchunks, chunkSize: chunk, threads: threads,
                         tables: virial ? dtables : tables, derivatives: virial,
                         scratch: { OutputRowScratch(ncols: ncols, width: virial ? 6 : 0) }) { kernel, s, c, i in
            kernel.computeAtom(virial: virial)
            outputRow(kernel.blist, K, quadratic: p.quadraticflag, s.row)
            sums.add(row: s.row, atom: perAtom ? i : nil, chunk: c)
            if virial {
                outputRowDerivative(kernel.blist, kernel.vlist, K, quadratic: p.quadraticflag, width: 6, s.derivative)
                sums.addVirial(s.derivative, type: types[i], chunk: c)
            }
        }
        return sums.result(atoms: n, perAtom: perAtom)
    }
}
