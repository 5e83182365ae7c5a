import CBLAS

/// Dense linear algebra on `Matrix` via OpenBLAS (CBLAS) and LAPACK (LAPACKE, column-major entry
/// points on the row-major data reinterpreted as its transpose: see LapackSupport.swift).
/// Results follow numpy.linalg conventions (fixtures from numpy 1.26.4), which is what the tests compare against.
public enum Linalg {
    /// C = op(A)·op(B), op(X) = X or Xᵀ, via `cblas_dgemm` (`cblas_dgemv` when op(B) is a single
    /// column). Reference: BLAS level 3 DGEMM (Dongarra et al. 1990); numpy `a @ b`.
    public static func matmul(_ a: Matrix, _ b: Matrix, transA: Bool = false, transB: Bool = false) throws -> Matrix {
        let m = transA ? a.cols : a.rows
        let k = transA ? a.rows : a.cols
        let kb = transB ? b.cols : b.rows
        let n = transB ? b.rows : b.cols
        guard k == kb else {
            let sa = transA ? "(\(a.shapeDescription))ᵀ" : a.shapeDescription
            let sb = transB ? "(\(b.shapeDescription))ᵀ" : b.shapeDescription
            throw EngineError("shapes \(sa) and \(sb) are not aligned for matrix product (\(k) ≠ \(kb))")
        }
        try Matrix.checkAllocation(m, n)
        if m == 0 || n == 0 || k == 0 { return Matrix(rows: m, cols: n) }
        let (im, in_, ik) = (try lapackInt(m), try lapackInt(n), try lapackInt(k))
        let lda = Int32(max(1, a.cols)), ldb = Int32(max(1, b.cols))
        // beta = 0: BLAS overwrites C, so the storage is left uninitialised (no memset).
        let out = [Double](unsafeUninitializedCapacity: m * n) { pc, initialized in
            a.data.withUnsafeBufferPointer { pa in
                b.data.withUnsafeBufferPointer { pb in
                    if n == 1 {
                        // y = op(A) x, x = the single column of op(B) (contiguous either way).
                        cblas_dgemv(CblasRowMajor, transA ? CblasTrans : CblasNoTrans,
                                    Int32(a.rows), Int32(a.cols), 1.0, pa.baseAddress, lda,
                                    pb.baseAddress, 1, 0.0, pc.baseAddress, 1)
                    } else if m == 1 && !transA {
                        // row vector times matrix: yᵀ = xᵀ op(B)  ⇔  y = op(B)ᵀ x.
                        cblas_dgemv(CblasRowMajor, transB ? CblasNoTrans : CblasTrans,
                                    Int32(b.rows), Int32(b.cols), 1.0, pb.baseAddress, ldb,
                                    pa.baseAddress, 1, 0.0, pc.baseAddress, 1)
                    } else {
                        cblas_dgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans,
                                    transB ? CblasTrans : CblasNoTrans, im, in_, ik, 1.0,
                                    pa.baseAddress, lda, pb.baseAddress, ldb, 0.0, pc.baseAddress, in_)
                    }
                }
            }
            initialized = m * n
        }
        return Matrix(rows: m, cols: n, data: out)
    }

    /// The Gram matrix AᵀA (`cols × cols`, full symmetric result) via `cblas_dsyrk`
    /// (upper triangle computed, then mirrored). numpy: `a.T @ a`.
    public static func gram(_ a: Matrix) -> Matrix {
        let n = a.cols, k = a.rows
        var c = Matrix(rows: n, cols: n)
        if n == 0 || k == 0 { return c }
        a.data.withUnsafeBufferPointer { pa in
            c.data.withUnsafeMutableBufferPointer { pc in
                cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, Int32(n), Int32(k), 1.0,
                            pa.baseAddress, Int32(n), 0.0, pc.baseAddress, Int32(n))
                for i in 0..<n {
                    for j in 0..<i { pc[i * n + j] = pc[j * n + i] }
                }
            }
        }
        return c
    }
}
