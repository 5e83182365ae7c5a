import DescryLinalg

/// The per-atom rows and per-chunk partial sums of D̄ and V̄ (by type of the central atom) of
/// one bispectrum evaluation. Inside a chunk atoms add in order, and chunks are reduced in order,
/// so sums are identical for any thread count.
final class BispectrumSums {
    let ncols: Int
    let ntypes: Int
    let chunks: Int
    let virial: Bool
    private let rowCount: Int
    private let rows: UnsafeMutablePointer<Double>
    private let chunkD: UnsafeMutablePointer<Double>
    private let chunkV: UnsafeMutablePointer<Double>

    /// Room for `atoms` per-atom rows (0: none kept) and `chunks` partial sums.
    init(atoms: Int, ncols: Int, ntypes: Int, chunks: Int, virial: Bool) {
        self.ncols = ncols
        self.ntypes = ntypes
        self.chunks = chunks
        self.virial = virial
        rowCount = atoms
        rows = BispectrumKernel.buffer(atoms * ncols, of: 0.0)
        chunkD = BispectrumKernel.buffer(chunks * ncols, of: 0.0)
        chunkV = BispectrumKernel.buffer(virial ? chunks * ntypes * ncols * 6 : 0, of: 0.0)
    }

    deinit {
        rows.deallocate()
        chunkD.deallocate()
        chunkV.deallocate()
    }

    /// Adds an atom's row to the D̄ partial sum of its chunk, and keeps it as row `atom`.
    @inline(__always)
    func add(row: UnsafePointer<Double>, atom: Int?, chunk c: Int) {
        let dsum = chunkD + c * ncols
        for k in 0..<ncols { dsum[k] += row[k] }
        if let i = atom { (rows + i * ncols).update(from: row, count: ncols) }
    }

    /// Adds an atom's virial contribution (ncols × 6) to its chunk's V̄ block of `type`.
    @inline(__always)
    func addVirial(_ v: UnsafePointer<Double>, type: Int, chunk c: Int) {
        let dst = chunkV + c * ntypes * ncols * 6 + (type - 1) * ncols * 6
        for k in 0..<(ncols * 6) { dst[k] += v[k] }
    }

    /// The reduced result: per-atom rows when asked, D̄, and with virial V̄ and V̄ by type.
    func result(atoms n: Int, perAtom: Bool) -> BispectrumResult {
        var sum = [Double](repeating: 0, count: ncols)
        for c in 0..<chunks {
            for k in 0..<ncols { sum[k] += chunkD[c * ncols + k] }
        }
        let perAtomRows = perAtom ? Matrix(rows: n, cols: ncols, data: Array(UnsafeBufferPointer(start: rows, count: rowCount * ncols))) : nil
        var result = BispectrumResult(perAtom: perAtomRows, sum: sum, virial: nil, virialByType: nil)
        guard virial else { return result }
        let vlen = ntypes * ncols * 6
        var byType = [Matrix](repeating: Matrix(rows: ncols, cols: 6), count: ntypes)
        var total = Matrix(rows: ncols, cols: 6)
        for c in 0..<chunks {
            for t in 0..<ntypes {
                for k in 0..<(ncols * 6) { byType[t].data[k] += chunkV[c * vlen + t * ncols * 6 + k] }
            }
        }
        for t in 0..<ntypes {
            for k in 0..<(ncols * 6) { total.data[k] += byType[t].data[k] }
        }
        result.virial = total
        result.virialByType = byType
        return result
    }
}

/// A worker's scratch for one atom's output row (ncols) and its derivative (ncols × width).
final class OutputRowScratch {
    let row: UnsafeMutablePointer<Double>
    let derivative: UnsafeMutablePointer<Double>

    init(ncols: Int, width: Int) {
        row = BispectrumKernel.buffer(ncols, of: 0.0)
        derivative = BispectrumKernel.buffer(ncols * width, of: 0.0)
    }

    deinit {
        row.deallocate()
        derivative.deallocate()
    }
}
