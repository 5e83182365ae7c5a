import CBLAS
import Glibc

// LAPACK factorisations and solvers. Every routine copies its inputs (value semantics), checks
// shapes (errors name both shapes) and finiteness, and turns LAPACK's `info` into an EngineError.
// Row-major data is passed to the column-major LAPACKE entry points as the transpose; each
// function notes how the problem is rewritten (see LapackSupport.swift).

extension Linalg {
    /// Cholesky factor: lower-triangular L with A = L Lᵀ (LAPACK `dpotrf`; numpy
    /// `linalg.cholesky`). Only the lower triangle of A is read (as numpy).
    /// Row-major A viewed column-major is Aᵀ; its upper triangle is A's lower one, so we factor
    /// with uplo = 'U' (Aᵀ = UᵀU) and the buffer read row-major is then L = Uᵀ.
    public static func cholesky(_ a: Matrix) throws -> Matrix {
        try requireSquare(a)
        try requireFinite(a)
        let n = a.rows
        var l = a
        if n == 0 { return l }
        let info = l.data.withUnsafeMutableBufferPointer { p in
            LAPACKE_dpotrf(colMajor, lapackChar("U"), lapack_int(n), p.baseAddress, lapack_int(n))
        }
        if info > 0 { throw EngineError("matrix is not positive definite (leading minor \(info))") }
        if info < 0 { throw lapackArgumentError("dpotrf", info) }
        for i in 0..<n { for j in (i + 1)..<n { l.data[i * n + j] = 0 } }
        return l
    }

    /// Solves A X = B for square A by LU with partial pivoting (LAPACK `dgetrf` + `dgetrs`, the
    /// steps of `dgesv`; numpy `linalg.solve`). Row-major A is column-major Aᵀ, so we factor Aᵀ
    /// and solve with trans = 'T'. Exactly singular A throws.
    public static func solve(_ a: Matrix, _ b: Matrix) throws -> Matrix {
        try requireSolvable(a, b)
        let n = a.rows, k = b.cols
        if n == 0 || k == 0 { return Matrix(rows: n, cols: k) }
        var lu = a.data
        var ipiv = [lapack_int](repeating: 0, count: n)
        try luFactor(&lu, n, &ipiv)
        var x = k == 1 ? b.data : b.transposed().data   // column-major B (n × k)
        let info = x.withUnsafeMutableBufferPointer { px in
            LAPACKE_dgetrs(colMajor, lapackChar("T"), lapack_int(n), lapack_int(k), lu, lapack_int(n),
                           ipiv, px.baseAddress, lapack_int(n))
        }
        if info < 0 { throw lapackArgumentError("dgetrs", info) }
        let colMajorX = Matrix(rows: k, cols: n, data: x)
        return k == 1 ? Matrix(rows: n, cols: 1, data: x) : colMajorX.transposed()
    }

    /// The checks shared by the solvers of A X = B: A square, B with as many rows, both finite.
    static func requireSolvable(_ a: Matrix, _ b: Matrix) throws {
        try requireSquare(a, "coefficient matrix")
        guard b.rows == a.rows else {
            throw EngineError("shapes \(a.shapeDescription) and \(b.shapeDescription) are not aligned (A rows \(a.rows) ≠ B rows \(b.rows))")
        }
        try requireFinite(a)
        try requireFinite(b, "right-hand side")
    }

    /// In-place LU factorisation of an n×n column-major buffer (`dgetrf`); throws when singular.
    static func luFactor(_ lu: inout [Double], _ n: Int, _ ipiv: inout [lapack_int]) throws {
        let info = lu.withUnsafeMutableBufferPointer { p in
            LAPACKE_dgetrf(colMajor, lapack_int(n), lapack_int(n), p.baseAddress, lapack_int(n), &ipiv)
        }
        if info > 0 { throw EngineError("matrix is singular (U[\(info),\(info)] is exactly zero)") }
        if info < 0 { throw lapackArgumentError("dgetrf", info) }
    }

    /// Solves A X = B for symmetric positive-definite A by Cholesky (LAPACK `dposv`; scipy
    /// `linalg.solve(assume_a='pos')`). Reads A's lower triangle (uplo 'U' on the column-major
    /// view Aᵀ). Throws when A is not positive definite.
    public static func solveSPD(_ a: Matrix, _ b: Matrix) throws -> Matrix {
        try requireSolvable(a, b)
        let n = a.rows, k = b.cols
        if n == 0 || k == 0 { return Matrix(rows: n, cols: k) }
        var f = a.data
        var x = k == 1 ? b.data : b.transposed().data
        let info = f.withUnsafeMutableBufferPointer { pf in
            x.withUnsafeMutableBufferPointer { px in
                LAPACKE_dposv(colMajor, lapackChar("U"), lapack_int(n), lapack_int(k), pf.baseAddress,
                              lapack_int(n), px.baseAddress, lapack_int(n))
            }
        }
        if info > 0 { throw EngineError("matrix is not positive definite (leading minor \(info))") }
        if info < 0 { throw lapackArgumentError("dposv", info) }
        return k == 1 ? Matrix(rows: n, cols: 1, data: x) : Matrix(rows: k, cols: n, data: x).transposed()
    }

    /// A⁻¹ by LU (LAPACK `dgetrf` + `dgetri`; numpy `linalg.inv`). The column-major view is Aᵀ,
    /// whose inverse (Aᵀ)⁻¹ read back row-major is A⁻¹: no transposition needed.
    public static func inverse(_ a: Matrix) throws -> Matrix {
        try requireSquare(a)
        try requireFinite(a)
        let n = a.rows
        if n == 0 { return a }
        var lu = a.data
        var ipiv = [lapack_int](repeating: 0, count: n)
        try luFactor(&lu, n, &ipiv)
        let info = lu.withUnsafeMutableBufferPointer { p in
            LAPACKE_dgetri(colMajor, lapack_int(n), p.baseAddress, lapack_int(n), ipiv)
        }
        if info > 0 { throw EngineError("matrix is singular (U[\(info),\(info)] is exactly zero)") }
        if info < 0 { throw lapackArgumentError("dgetri", info) }
        return Matrix(rows: n, cols: n, data: lu)
    }

    /// Eigen-decomposition of a symmetric matrix (LAPACK `dsyevd`, divide and conquer; numpy
    /// `linalg.eigh` with UPLO='L': only the lower triangle is read). Eigenvalues ascending;
    /// eigenvector k is COLUMN k of `vectors` (each normalised; sign as LAPACK returns it).
    public static func eigh(_ a: Matrix) throws -> (values: [Double], vectors: Matrix) {
        try requireSquare(a)
        try requireFinite(a)
        let n = a.rows
        if n == 0 { return ([], a) }
        var z = a.data
        var w = [Double](repeating: 0, count: n)
        let info = z.withUnsafeMutableBufferPointer { pz in
            LAPACKE_dsyevd(colMajor, lapackChar("V"), lapackChar("U"), lapack_int(n), pz.baseAddress,
                           lapack_int(n), &w)
        }
        if info > 0 { throw EngineError("eigenvalue algorithm (dsyevd) failed to converge (info \(info))") }
        if info < 0 { throw lapackArgumentError("dsyevd", info) }
        // z is column-major with eigenvectors in columns; read row-major it is Zᵀ.
        return (w, Matrix(rows: n, cols: n, data: z).transposed())
    }

    /// Singular value decomposition A = U diag(s) Vᵀ (LAPACK `dgesdd`; numpy `linalg.svd`).
    /// Thin (`full == false`): U is m×k, Vᵀ is k×n, k = min(m, n); full: U m×m, Vᵀ n×n.
    /// s descending. Computed as the SVD of the column-major view Aᵀ = U'SV'ᵀ, so that
    /// U = V' and Vᵀ = U'ᵀ, which are exactly LAPACK's output buffers read row-major (no copies).
    public static func svd(_ a: Matrix, full: Bool = false) throws -> (u: Matrix, s: [Double], vt: Matrix) {
        try requireFinite(a)
        let m = a.rows, n = a.cols, k = min(m, n)
        if k == 0 {
            return (full ? Matrix.identity(m) : Matrix(rows: m, cols: 0), [],
                    full ? Matrix.identity(n) : Matrix(rows: 0, cols: n))
        }
        // LAPACK problem: A' = Aᵀ is n × m (column-major, lda = n).
        let mp = try lapackInt(n), np = try lapackInt(m)
        let ucols = full ? n : k          // U' is n × ucols
        let vtrows = full ? m : k         // V'ᵀ is vtrows × m
        var work = a.data
        var s = [Double](repeating: 0, count: k)
        var up = [Double](repeating: 0, count: n * ucols)
        var vtp = [Double](repeating: 0, count: vtrows * m)
        let info = work.withUnsafeMutableBufferPointer { pa in
            up.withUnsafeMutableBufferPointer { pu in
                vtp.withUnsafeMutableBufferPointer { pv in
                    LAPACKE_dgesdd(colMajor, lapackChar(full ? "A" : "S"), mp, np, pa.baseAddress, mp,
                                   &s, pu.baseAddress, mp, pv.baseAddress, lapack_int(vtrows))
                }
            }
        }
        if info > 0 { throw EngineError("SVD (dgesdd) did not converge (info \(info))") }
        if info < 0 { throw lapackArgumentError("dgesdd", info) }
        // V'ᵀ column-major (vtrows × m) read row-major is V' (m × vtrows) = U.
        // U' column-major (n × ucols) read row-major is U'ᵀ (ucols × n) = Vᵀ.
        return (Matrix(rows: m, cols: vtrows, data: vtp), s, Matrix(rows: ucols, cols: n, data: up))
    }

    /// Minimum-norm least-squares solution of A X ≈ B (LAPACK `dgelsd`, SVD based; numpy
    /// `linalg.lstsq`). Singular values below `rcond · s_max` are treated as zero; `rcond < 0`
    /// selects numpy's `rcond=None` default `eps · max(m, n)`. Returns X (n × k), the effective rank and the
    /// singular values of A (descending). Handles rank-deficient and under-determined systems.
    public static func lstsq(_ a: Matrix, _ b: Matrix, rcond: Double = -1) throws -> (x: Matrix, rank: Int, singularValues: [Double]) {
        guard b.rows == a.rows else {
            throw EngineError("shapes \(a.shapeDescription) and \(b.shapeDescription) are not aligned (A rows \(a.rows) ≠ B rows \(b.rows))")
        }
        try requireFinite(a); try requireFinite(b, "right-hand side")
        let m = a.rows, n = a.cols, k = b.cols
        if m == 0 || n == 0 || k == 0 {
            return (Matrix(rows: n, cols: k), 0, [Double](repeating: 0, count: min(m, n)))
        }
        let ldb = max(m, n)
        let lm = try lapackInt(m), ln = try lapackInt(n), lk = try lapackInt(k), lldb = try lapackInt(ldb)
        var ac = a.transposed().data                  // column-major A (m × n)
        var bc = [Double](repeating: 0, count: ldb * k)
        for i in 0..<m { for j in 0..<k { bc[j * ldb + i] = b.data[i * k + j] } }
        var s = [Double](repeating: 0, count: min(m, n))
        var rank: lapack_int = 0
        let rc = rcond < 0 ? Double.ulpOfOne * Double(max(m, n)) : rcond
        let info = ac.withUnsafeMutableBufferPointer { pa in
            bc.withUnsafeMutableBufferPointer { pb in
                LAPACKE_dgelsd(colMajor, lm, ln, lk, pa.baseAddress, lm, pb.baseAddress, lldb, &s, rc, &rank)
            }
        }
        if info > 0 { throw EngineError("least squares (dgelsd): SVD did not converge (info \(info))") }
        if info < 0 { throw lapackArgumentError("dgelsd", info) }
        var x = Matrix(rows: n, cols: k)
        for i in 0..<n { for j in 0..<k { x.data[i * k + j] = bc[j * ldb + i] } }
        return (x, Int(rank), s)
    }

    /// Sign and natural log of |det A| from an LU factorisation (`dgetrf`; numpy
    /// `linalg.slogdet`). Singular A gives sign 0 and logabs −∞ (as numpy), not an error.
    public static func logdet(_ a: Matrix) throws -> (sign: Double, logabs: Double) {
        guard let (diag, pivotSign) = try luDiagonal(a) else { return (0, -Double.infinity) }
        var sign = pivotSign, logabs = 0.0
        for d in diag {
            if d < 0 { sign = -sign }
            logabs += log(Swift.abs(d))
        }
        return (sign, logabs)
    }

    /// The diagonal of U and the permutation sign (−1)^(row swaps) of A = PLU, or nil when A
    /// is exactly singular. det(Aᵀ) = det(A), so the column-major view is factored directly.
    static func luDiagonal(_ a: Matrix) throws -> ([Double], Double)? {
        try requireSquare(a)
        try requireFinite(a)
        let n = a.rows
        if n == 0 { return ([], 1) }
        var lu = a.data
        var ipiv = [lapack_int](repeating: 0, count: n)
        let info = lu.withUnsafeMutableBufferPointer { p in
            LAPACKE_dgetrf(colMajor, lapack_int(n), lapack_int(n), p.baseAddress, lapack_int(n), &ipiv)
        }
        if info > 0 { return nil }
        if info < 0 { throw lapackArgumentError("dgetrf", info) }
        var sign = 1.0
        for i in 0..<n where ipiv[i] != lapack_int(i + 1) { sign = -sign }
        return ((0..<n).map { lu[$0 * n + $0] }, sign)
    }
}
