import CBLAS
import DescryLinalg

/// Least squares A X ≈ B for tall, well-conditioned A by Householder QR (LAPACK `dgels`, about
/// half the cost of the SVD-based `dgelsd`). The row-major A is the column-major Aᵀ, so `dgels`
/// is called with trans = 'T' (it factors Aᵀ = LQ). When the triangular factor reveals
/// (near-)rank deficiency (min|L_ii| ≤ 1e-10·max|L_ii|) it falls back to the minimum-norm SVD
/// solution `Linalg.lstsq`, so results always equal numpy.linalg.lstsq's to rounding.
enum QRLeastSquares {
    static func solve(_ a: Matrix, _ b: Matrix) throws -> Matrix {
        let n = a.rows, k = a.cols, q = b.cols
        guard n >= k && k > 0 && q > 0 else { return try Linalg.lstsq(a, b).x }
        var af = a.data
        var bc = [Double](repeating: 0, count: n * q)      // column-major n × q
        b.data.withUnsafeBufferPointer { pb in
            for i in 0..<n { for j in 0..<q { bc[j * n + i] = pb[i * q + j] } }
        }
        let info = af.withUnsafeMutableBufferPointer { pa in
            bc.withUnsafeMutableBufferPointer { pbc in
                LAPACKE_dgels(Int32(LAPACK_COL_MAJOR), CChar(UInt8(ascii: "T")), Int32(k), Int32(n), Int32(q),
                              pa.baseAddress, Int32(k), pbc.baseAddress, Int32(n))
            }
        }
        if info != 0 { return try Linalg.lstsq(a, b).x }
        // L is k × k lower triangular in the leading block of the column-major k × n buffer.
        var lo = Double.infinity, hi = 0.0
        for i in 0..<k { let v = abs(af[i * k + i]); lo = min(lo, v); hi = max(hi, v) }
        if !(lo > 1e-10 * hi) { return try Linalg.lstsq(a, b).x }
        var x = Matrix(rows: k, cols: q)
        for i in 0..<k { for j in 0..<q { x[i, j] = bc[j * n + i] } }
        return x
    }
}
