import Glibc
import DescryLinalg

/// Exact k nearest neighbours (Euclidean, excluding the point itself) by blocked BLAS distance
/// computation: for a tile of query rows and reference points, G = X_b X_cᵀ (`dgemm`) gives
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
        guard k < n else { throw EngineError("k-NN: k = \(k) neighbours need at least k+1 points, got \(n)") }
        guard dim >= 1 else { throw EngineError("k-NN: points have no coordinates") }
        try requireFiniteRows(x, "points")
        let kc = min(k + 2, n - 1)                 // candidates kept before exact re-ranking
        var norms = [Double](repeating: 0, count: n)
        x.data.withUnsafeBufferPointer { p in
            for i in 0..<n { var s = 0.0; for j in 0..<dim { let v = p[i * dim + j]; s += v * v }; norms[i] = s }
        }
        // Symmetric tiles: only blocks with c0 ≥ r0 are computed (half the dgemm work); each
        // Gram entry updates the candidate lists of both its row and its column point. A tile
        // (≤ 512 KB) stays in cache while it is turned into squared distances and scanned, so
        // memory traffic is O(n·d) rather than O(n²) (which dominates for low-dimensional data).
        let tb = 256
        var dist = Matrix(rows: n, cols: k)
        var idx = [Int](repeating: 0, count: n * k)
        var tile = [Double](repeating: 0, count: tb * tb)
        var candD = [Double](repeating: 0, count: n * kc), candI = [Int](repeating: 0, count: n * kc)
        var filled = [Int](repeating: 0, count: n), worst = [Double](repeating: .infinity, count: n)
        x.data.withUnsafeBufferPointer { px in
            norms.withUnsafeBufferPointer { pn in
                candD.withUnsafeMutableBufferPointer { cd in
                    candI.withUnsafeMutableBufferPointer { ci in
                        filled.withUnsafeMutableBufferPointer { fl in
                            worst.withUnsafeMutableBufferPointer { wo in
                                @inline(__always) func offer(_ p: Int, _ d2: Double, _ q: Int) {
                                    if d2 < wo[p] || fl[p] < kc {
                                        let base = p * kc
                                        var f = fl[p]
                                        var pos = f < kc ? f : kc - 1
                                        while pos > 0 && cd[base + pos - 1] > d2 {
                                            cd[base + pos] = cd[base + pos - 1]; ci[base + pos] = ci[base + pos - 1]; pos -= 1
                                        }
                                        cd[base + pos] = d2; ci[base + pos] = q
                                        if f < kc { f += 1; fl[p] = f }
                                        if f == kc { wo[p] = cd[base + kc - 1] }
                                    }
                                }
                                var r0 = 0
                                while r0 < n {
                                    let b = min(tb, n - r0)
                                    var c0 = r0
                                    while c0 < n {
                                        let w = min(tb, n - c0)
                                        tile.withUnsafeMutableBufferPointer { pt in
                                            Blas.gemm(false, true, b, w, dim, 1, px.baseAddress! + r0 * dim, dim,
                                                      px.baseAddress! + c0 * dim, dim, 0, pt.baseAddress!, w)
                                            let diagonal = c0 == r0
                                            for r in 0..<b {
                                                let i = r0 + r
                                                let row = pt.baseAddress! + r * w
                                                let ni = pn[i]
                                                for j in 0..<w { row[j] = ni + pn[c0 + j] - 2 * row[j] }
                                                let jStart = diagonal ? r + 1 : 0
                                                if jStart >= w { continue }
                                                for j in jStart..<w {
                                                    let d2 = row[j]
                                                    offer(i, d2, c0 + j)
                                                    offer(c0 + j, d2, i)
                                                }
                                            }
                                        }
                                        c0 += w
                                    }
                                    r0 += b
                                }
                            }
                        }
                    }
                }
                for i in 0..<n {
                    // exact distances for the candidates, re-ranked (ties by index)
                    var exact: [(Double, Int)] = []
                    exact.reserveCapacity(filled[i])
                    for c in 0..<filled[i] {
                        let j = candI[i * kc + c]
                        var s = 0.0
                        for t in 0..<dim { let v = px[i * dim + t] - px[j * dim + t]; s += v * v }
                        exact.append((s, j))
                    }
                    exact.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
                    for c in 0..<k { dist[i, c] = exact[c].0.squareRoot(); idx[i * k + c] = exact[c].1 }
                }
            }
        }
        distances = dist
        indices = idx
        self.k = k
    }
}
