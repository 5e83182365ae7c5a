import DescryLinalg

/// Ordinary least squares and ridge regression (eq. 2 of Swinburne, PRL 131, 236101, 2023),
/// multi-output, with optional intercept and feature standardisation.
public enum Regress {
    /// OLS as scikit-learn `LinearRegression`: minimum-norm least squares (LAPACK `dgelsd`) on
    /// the centred data, intercept ȳ − x̄Θ. Fewer samples than parameters is rejected (the
    /// solution would not be identifiable) — use ridge or Bayesian ridge instead.
    public static func ols(_ x: Matrix, _ y: Matrix, fitIntercept: Bool = true, standardize: Bool = false) throws -> LinearModel {
        try withStandardization(x, standardize) { xs in
            let nParams = xs.cols + (fitIntercept ? 1 : 0)
            guard xs.rows >= nParams else {
                throw EngineError("OLS: \(xs.rows) samples for \(nParams) parameters; need at least as many samples as parameters (use ridge or Bayesian ridge)")
            }
            let d = try CentredData(xs, y, fitIntercept: fitIntercept)
            let sol = try Linalg.lstsq(d.x, d.y)
            return d.model(sol.x)
        }
    }

    /// Ridge regression as scikit-learn `Ridge(alpha)`: (XcᵀXc + αI)Θ = XcᵀYc by Cholesky, the
    /// intercept unpenalised. Requires α > 0 (α = 0 is OLS).
    public static func ridge(_ x: Matrix, _ y: Matrix, alpha: Double, fitIntercept: Bool = true, standardize: Bool = false) throws -> LinearModel {
        guard alpha > 0 && alpha.isFinite else { throw EngineError("ridge: alpha must be positive and finite, got \(alpha)") }
        return try withStandardization(x, standardize) { xs in
            let d = try CentredData(xs, y, fitIntercept: fitIntercept)
            var a = d.x.data.withUnsafeBufferPointer { Blas.syrkT($0.baseAddress!, rows: d.x.rows, cols: d.x.cols, lda: d.x.cols) }
            for i in 0..<a.rows { a[i, i] += alpha }
            let b = Blas.mul(d.x, d.y, transA: true)
            return d.model(try Linalg.solveSPD(a, b))
        }
    }

    /// Runs `fit` on standardised X when asked and maps the coefficients back to original units.
    static func withStandardization(_ x: Matrix, _ standardize: Bool, _ fit: (Matrix) throws -> LinearModel) throws -> LinearModel {
        guard standardize else { return try fit(x) }
        let st = try Standardizer(fitting: x)
        return try fit(try st.transform(x)).unstandardized(st)
    }
}
