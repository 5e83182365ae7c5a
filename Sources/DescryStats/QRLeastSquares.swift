import CBLAS
import DescryLinalg

/// Least squares A X ≈ B for tall, well-conditioned A by Householder QR (LAPACK `dgels`, blocked
/// `dgeqrf`; A copied to column-major). When the triangular factor reveals (near-)rank
/// deficiency (min|R_ii| ≤ 1e-10·max|R_ii|) it falls back to the minimum-norm SVD solution
/// `Linalg.lstsq`, so results always equal numpy.linalg.lstsq's to rounding.
enum QRLeastSquares {
    static func solve(_ a: Matrix, _ b: Matrix) throws -> Matrix {
        let n = a.rows, k = a.cols
        guard n >= k && k > 0 && b.cols > 0 else { return try Linalg.lstsq(a, b).x }
        return try solve(columnMajor: a.transposed().data, rows: n, cols: k, b) { a }
    }

    /// As `solve`, with A given as a column-major n × k buffer; `rowMajor` rebuilds A for the
    /// SVD fallback (only called when needed).
    static func solve(columnMajor a: [Double], rows n: Int, cols k: Int, _ b: Matrix,
                      rowMajor: () -> Matrix) throws -> Matrix {
        try solveKeepingFactor(columnMajor: a, rows: n, cols: k, b, rowMajor: rowMajor).x
    }

    /// As `solve`, also returning the triangular factor R of A = QR (k × k, column-major upper
    /// triangle, as LAPACK leaves it) when the QR path was taken, nil after the SVD fallback.
    static func solveKeepingFactor(columnMajor a: [Double], rows n: Int, cols k: Int, _ b: Matrix,
                                   rowMajor: () -> Matrix) throws -> (x: Matrix, r: [Double]?) {
        let q = b.cols
        guard n >= k && k > 0 && q > 0 else { return (try Linalg.lstsq(rowMajor(), b).x, nil) }
        var af = a
        var bc = b.transposed().data                        // column-major n × q
        let info = af.withUnsafeMutableBufferPointer { pa in
            bc.withUnsafeMutableBufferPointer { pbc in
                LAPACKE_dgels(Int32(LAPACK_COL_MAJOR), CChar(UInt8(ascii: "N")), Int32(n), Int32(k), Int32(q),
                              pa.baseAddress, Int32(n), pbc.baseAddress, Int32(n))
            }
        }
        if info != 0 { return (try Linalg.lstsq(rowMajor(), b).x, nil) }
        var lo = Double.infinity, hi = 0.0
        for i in 0..<k { let v = abs(af[i * n + i]); lo = min(lo, v); hi = max(hi, v) }
        if !(lo > 1e-10 * hi) { return (try Linalg.lstsq(rowMajor(), b).x, nil) }
        var x = Matrix(rows: k, cols: q)
        bc.withUnsafeBufferPointer { p in
            for i in 0..<k { for j in 0..<q { x[i, j] = p[j * n + i] } }
        }
        // dgels factors a rescaled A when max|A_ij| is outside LAPACK's safe range (~1e±292);
        // its R is then not A's, so none is returned.
        let largest = a.reduce(0) { max($0, abs($1)) }
        guard largest > 1e-280 && largest < 1e280 else { return (x, nil) }
        var r = [Double](repeating: 0, count: k * k)
        for j in 0..<k {
            for i in 0...j { r[j * k + i] = af[j * n + i] }
        }
        return (x, r)
    }
}
