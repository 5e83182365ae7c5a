import CBLAS

/// The QR decomposition and the Moore–Penrose pseudo-inverse (numpy linalg, LAPACK).
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
}
