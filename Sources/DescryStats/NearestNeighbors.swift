import Glibc
import DescryLinalg

/// Exact k nearest neighbours (Euclidean, excluding the point itself) by blocked BLAS distance
/// computation: for a block of query rows, G = X_b Xᵀ (one `dgemm`) gives
/// ‖x_i − x_j‖² = ‖x_i‖² + ‖x_j‖² − 2G_ij; the k + 2 best candidates are kept by insertion, then
/// their distances are recomputed exactly from differences (no cancellation) and re-ranked, so
/// the returned distances are accurate to rounding even for nearly coincident points.
/// Ties are broken by index. Requires 1 ≤ k < n.
public struct NearestNeighbors {
    /// n × k distances, ascending in each row.
    public let distances: Matrix
    /// n × k neighbour indices (0-based), row-major.
    public let indices: [Int]
    public let k: Int

    public init(_ x: Matrix, k: Int) throws {
        let n = x.rows, dim = x.cols
        guard k >= 1 else { throw EngineError("k-NN: k must be ≥ 1, got \(k)") }
        guard k < n else { throw EngineError("k-NN: k = \(k) neighbours need at least k+1 = \(k + 1) points, got \(n)") }
        guard dim >= 1 else { throw EngineError("k-NN: points have no coordinates") }
        try requireFiniteRows(x, "points")
        let kc = min(k + 2, n - 1)                 // candidates kept before exact re-ranking
        var norms = [Double](repeating: 0, count: n)
        x.data.withUnsafeBufferPointer { p in
            for i in 0..<n { var s = 0.0; for j in 0..<dim { let v = p[i * dim + j]; s += v * v }; norms[i] = s }
        }
        let block = max(1, min(n, 1 << 20 / max(n, 1)))   // ~8 MB of Gram entries per block
        var dist = Matrix(rows: n, cols: k)
        var idx = [Int](repeating: 0, count: n * k)
        var g = [Double](repeating: 0, count: block * n)
        var candD = [Double](repeating: 0, count: kc), candI = [Int](repeating: 0, count: kc)
        x.data.withUnsafeBufferPointer { px in
            var start = 0
            while start < n {
                let b = min(block, n - start)
                g.withUnsafeMutableBufferPointer { pg in
                    Blas.gemm(false, true, b, n, dim, 1, px.baseAddress! + start * dim, dim, px.baseAddress!, dim, 0,
                              pg.baseAddress!, n)
                }
                for r in 0..<b {
                    let i = start + r
                    var filled = 0
                    var worst = Double.infinity
                    g.withUnsafeBufferPointer { pg in
                        let row = pg.baseAddress! + r * n
                        let ni = norms[i]
                        for j in 0..<n where j != i {
                            let d2 = ni + norms[j] - 2 * row[j]
                            if filled < kc || d2 < worst {
                                // insertion into the sorted candidate list
                                var pos = filled < kc ? filled : kc - 1
                                while pos > 0 && candD[pos - 1] > d2 {
                                    candD[pos] = candD[pos - 1]; candI[pos] = candI[pos - 1]; pos -= 1
                                }
                                candD[pos] = d2; candI[pos] = j
                                if filled < kc { filled += 1 }
                                if filled == kc { worst = candD[kc - 1] }
                            }
                        }
                    }
                    // exact distances for the candidates, re-ranked (ties by index)
                    var exact: [(Double, Int)] = []
                    exact.reserveCapacity(filled)
                    for c in 0..<filled {
                        let j = candI[c]
                        var s = 0.0
                        for t in 0..<dim { let v = px[i * dim + t] - px[j * dim + t]; s += v * v }
                        exact.append((s, j))
                    }
                    exact.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
                    for c in 0..<k { dist[i, c] = exact[c].0.squareRoot(); idx[i * k + c] = exact[c].1 }
                }
                start += b
            }
        }
        distances = dist
        indices = idx
        self.k = k
    }
}
