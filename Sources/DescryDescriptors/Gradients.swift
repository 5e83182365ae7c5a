import DescryAtoms
import DescryLinalg

extension Bispectrum {
    /// Per-atom descriptor gradients as LAMMPS `compute snad/atom`: row i holds, for each type
    /// block t (type of the central atom whose B is differentiated), the x, y, z sub-blocks of
    /// ncols values Σ_{pairs (i→j), type(i)=t} ∂B_i/∂r_ij − Σ_{pairs (j→i), type(j)=t} ∂B_j/∂r_ji
    /// with r_ij = r_j − r_i (LAMMPS: snad[i] += dB_i/dr_j, snad[j] −= dB_i/dr_j), i.e. minus the
    /// derivative of the type-t block of D̄ with respect to r_i. N × (ntypes·3·ncols).
    /// Pairs are computed by threads in waves of chunks and scattered serially in atom order, so
    /// results do not depend on the thread count.
    public func gradients(_ frame: Frame, threads: Int = 1) throws -> Matrix {
        let p = parameters
        let n = frame.count
        let ntypes = try AtomLoop.typeCount(frame)
        let ncols = p.componentCount
        let K = p.linearCount
        try AtomLoop.checkAllocation([n, ntypes, 3, ncols], "the gradient matrix")
        let width = ntypes * 3 * ncols
        var out = Matrix(rows: n, cols: width)
        if n == 0 { return out }
        let loop = try AtomLoop(frame: frame, parameters: p, ntypes: ntypes, threads: threads)
        let chunk = 16
        let nchunks = (n + chunk - 1) / chunk
        let nt = max(1, min(threads, nchunks))
        var wave = 0
        while wave < nchunks {
            let chunks = wave..<min(nchunks, wave + nt)
            let outs = chunks.map { _ in PairGradients() }
            loop.forEachAtom(chunks: chunks, chunkSize: chunk, threads: nt, tables: dtables, derivatives: true,
                             scratch: { OutputRowScratch(ncols: ncols, width: 3) }) { kernel, s, c, i in
                kernel.computeAtom(gradients: true)
                let o = outs[c - chunks.lowerBound]
                for m in 0..<kernel.ninside {
                    o.pairs.append((i, kernel.inside[m]))
                    outputRowDerivative(kernel.blist, kernel.dblist + m * K * 3, K, quadratic: p.quadraticflag,
                                        width: 3, s.derivative)
                    o.d.append(contentsOf: UnsafeBufferPointer(start: s.derivative, count: ncols * 3))
                }
            }
            for o in outs { o.scatter(into: &out, types: frame.types, ncols: ncols) }
            wave += nt
        }
        return out
    }
}

/// One chunk's pairs (i, j) in order, with ∂(output row of i)/∂r_ij (ncols × 3) of each.
final class PairGradients {
    var pairs: [(Int, Int)] = []
    var d: [Double] = []

    /// Adds each pair's derivative to row i and subtracts it from row j, in the type block of i
    /// (LAMMPS compute snad/atom).
    func scatter(into out: inout Matrix, types: [Int], ncols: Int) {
        let width = out.cols
        out.data.withUnsafeMutableBufferPointer { ob in
            let op = ob.baseAddress!
            for (m, (i, j)) in pairs.enumerated() {
                let off = (types[i] - 1) * 3 * ncols
                let pi = op + i * width + off, pj = op + j * width + off
                for k in 0..<ncols {
                    for a in 0..<3 {
                        let v = d[(m * ncols + k) * 3 + a]
                        pi[a * ncols + k] += v
                        pj[a * ncols + k] -= v
                    }
                }
            }
        }
    }
}
