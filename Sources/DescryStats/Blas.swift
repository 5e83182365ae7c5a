import CBLAS
import DescryLinalg

// Thin CBLAS helpers for operations the Linalg API does not cover (offsets, accumulation,
// row subsets). Row-major throughout; all shapes are internal invariants checked by callers.

enum Blas {
    /// C (m×n, ldc) = alpha·op(A)·op(B) + beta·C on raw row-major buffers (`cblas_dgemm`).
    @inline(__always)
    static func gemm(_ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Double,
                     _ a: UnsafePointer<Double>, _ lda: Int, _ b: UnsafePointer<Double>, _ ldb: Int,
                     _ beta: Double, _ c: UnsafeMutablePointer<Double>, _ ldc: Int) {
        if m == 0 || n == 0 { return }
        cblas_dgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// The full symmetric n×n matrix AᵀA of a row-major k×n block with leading dimension lda
    /// (`cblas_dsyrk` on the upper triangle, then mirrored).
    static func syrkT(_ a: UnsafePointer<Double>, rows k: Int, cols n: Int, lda: Int) -> Matrix {
        var c = Matrix(rows: n, cols: n)
        if n == 0 || k == 0 { return c }
        c.data.withUnsafeMutableBufferPointer { pc in
            cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, Int32(n), Int32(k), 1.0, a, Int32(lda),
                        0.0, pc.baseAddress, Int32(n))
            for i in 0..<n { for j in 0..<i { pc[i * n + j] = pc[j * n + i] } }
        }
        return c
    }

    /// Σ_r (Y[r, j] − (A·w)_r)² for A (n × p), w (p) and column j of Y (n × q): one `dgemv`,
    /// then the residuals — the exact sum of squared errors where ‖y‖² − 2wᵀz + … cancels.
    static func residualSumOfSquares(_ a: Matrix, _ w: [Double], _ y: Matrix, column j: Int) -> Double {
        let n = a.rows, p = a.cols, q = y.cols
        var pred = [Double](repeating: 0, count: n)
        if n == 0 { return 0 }
        if p > 0 {
            a.data.withUnsafeBufferPointer { pa in
                cblas_dgemv(CblasRowMajor, CblasNoTrans, Int32(n), Int32(p), 1.0, pa.baseAddress, Int32(p), w, 1, 0.0, &pred, 1)
            }
        }
        var sse = 0.0
        y.data.withUnsafeBufferPointer { py in
            for r in 0..<n { let t = py[r * q + j] - pred[r]; sse += t * t }
        }
        return sse
    }

    /// op(A)·op(B) for Matrix values (shapes are internal invariants).
    static func mul(_ a: Matrix, _ b: Matrix, transA: Bool = false, transB: Bool = false) -> Matrix {
        let m = transA ? a.cols : a.rows, k = transA ? a.rows : a.cols
        let n = transB ? b.rows : b.cols
        precondition(k == (transB ? b.cols : b.rows), "Blas.mul: inner dimensions differ")
        var c = Matrix(rows: m, cols: n)
        if m == 0 || n == 0 { return c }
        if k == 0 { return c }
        a.data.withUnsafeBufferPointer { pa in
            b.data.withUnsafeBufferPointer { pb in
                c.data.withUnsafeMutableBufferPointer { pc in
                    gemm(transA, transB, m, n, k, 1, pa.baseAddress!, a.cols, pb.baseAddress!, b.cols, 0,
                         pc.baseAddress!, n)
                }
            }
        }
        return c
    }
}

extension Matrix {
    /// The rows `idx` of this matrix, in order (a gather copy).
    func gatherRows(_ idx: [Int]) -> Matrix {
        var out = Matrix(rows: idx.count, cols: cols)
        let c = cols
        data.withUnsafeBufferPointer { src in
            out.data.withUnsafeMutableBufferPointer { dst in
                for (r, i) in idx.enumerated() {
                    for j in 0..<c { dst[r * c + j] = src[i * c + j] }
                }
            }
        }
        return out
    }

    /// Row i as an array.
    func row(_ i: Int) -> [Double] { Array(data[(i * cols)..<((i + 1) * cols)]) }

    /// Column means (numpy `mean(axis=0)`).
    func columnMeans() -> [Double] {
        var m = [Double](repeating: 0, count: cols)
        if rows == 0 { return m }
        let c = cols
        data.withUnsafeBufferPointer { p in
            for i in 0..<rows { for j in 0..<c { m[j] += p[i * c + j] } }
        }
        let inv = 1.0 / Double(rows)
        for j in 0..<c { m[j] *= inv }
        return m
    }

    /// A copy with `v` subtracted from every row.
    func subtractingRow(_ v: [Double]) -> Matrix {
        var out = self
        let c = cols
        out.data.withUnsafeMutableBufferPointer { p in
            for i in 0..<rows { for j in 0..<c { p[i * c + j] -= v[j] } }
        }
        return out
    }
}
