import CBLAS

extension Linalg {
    /// Reduced QR decomposition A = QR, Q m×k with orthonormal columns, R k×n upper
    /// triangular, k = min(m, n) (LAPACK `dgeqrf` + `dorgqr`; numpy `linalg.qr(mode='reduced')`,
    /// same sign convention: Householder reflections as LAPACK produces them).
    public static func qr(_ a: Matrix) throws -> (q: Matrix, r: Matrix) {
        try requireFinite(a)
        let m = a.rows, n = a.cols, k = min(m, n)
        if k == 0 { return (Matrix(rows: m, cols: 0), Matrix(rows: 0, cols: n)) }
        let lm = try lapackInt(m), ln = try lapackInt(n)
        var f = a.transposed().data            // column-major A (m × n, lda = m)
        var tau = [Double](repeating: 0, count: k)
        var info = f.withUnsafeMutableBufferPointer { p in
            LAPACKE_dgeqrf(colMajor, lm, ln, p.baseAddress, lm, &tau)
        }
        if info != 0 { throw lapackArgumentError("dgeqrf", info) }
        var r = Matrix(rows: k, cols: n)
        for i in 0..<k { for j in i..<n { r.data[i * n + j] = f[j * m + i] } }
        info = f.withUnsafeMutableBufferPointer { p in
            LAPACKE_dorgqr(colMajor, lm, lapack_int(k), lapack_int(k), p.baseAddress, lm, tau)
        }
        if info != 0 { throw lapackArgumentError("dorgqr", info) }
        // first k columns of the column-major m × n buffer = Q (m × k) column-major
        let qcm = Matrix(rows: k, cols: m, data: Array(f[0..<(m * k)]))
        return (qcm.transposed(), r)
    }

    /// Moore–Penrose pseudo-inverse A⁺ = V diag(1/σ) Uᵀ, singular values σ ≤ rcond·σ_max
    /// treated as zero (numpy `linalg.pinv`, default rcond 1e-15; via `dgesdd`).
    public static func pinv(_ a: Matrix, rcond: Double = 1e-15) throws -> Matrix {
        let (u, s, vt) = try svd(a)
        let cutoff = rcond * (s.first ?? 0)
        // A⁺ = Vᵀᵀ · diag(1/σ) · Uᵀ: scale the rows of Vᵀ, then (Vᵀ)ᵀ·Uᵀ by one dgemm
        var vs = vt
        for i in 0..<vs.rows {
            let inv = s[i] > cutoff ? 1 / s[i] : 0
            for j in 0..<vs.cols { vs.data[i * vs.cols + j] *= inv }
        }
        return try matmul(vs, u, transA: true, transB: true)
    }

    /// Determinant as the product of the LU pivots (numpy `linalg.det`, LAPACK `dgetrf`);
    /// exactly 0 when the factorisation finds A singular.
    public static func det(_ a: Matrix) throws -> Double {
        guard let (diag, sign) = try luDiagonal(a) else { return 0 }
        return diag.reduce(sign, *)
    }
}

extension Linalg {
    /// 2-norm condition number σ_max/σ_min (numpy `linalg.cond`); +∞ when singular.
    public static func cond(_ a: Matrix) throws -> Double {
        let s = try svd(a).s
        guard let first = s.first, let last = s.last else { throw EngineError("condition number of an empty matrix") }
        return last == 0 ? .infinity : first / last
    }

    /// Numerical rank: singular values above `tol` (default σ_max·max(m, n)·eps, numpy
    /// `linalg.matrix_rank`).
    public static func rank(_ a: Matrix, tol: Double? = nil) throws -> Int {
        let s = try svd(a).s
        let t = tol ?? (s.first ?? 0) * Double(max(a.rows, a.cols)) * Double.ulpOfOne
        return s.filter { $0 > t }.count
    }
}
