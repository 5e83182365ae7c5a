import CBLAS

/// Scalar invariants of a matrix: determinant, condition number, numerical rank (numpy linalg).
extension Linalg {
    /// Determinant as the product of the LU pivots (numpy `linalg.det`, LAPACK `dgetrf`);
    /// exactly 0 when the factorisation finds A singular.
    public static func det(_ a: Matrix) throws -> Double {
        guard let (diag, sign) = try luDiagonal(a) else { return 0 }
        return diag.reduce(sign, *)
    }

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
