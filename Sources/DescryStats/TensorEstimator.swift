import DescryLinalg

/// The simplest equivariant (l = 0) tensor estimator of Swinburne, PRL 131, 236101 (2023):
/// Ô = Θ·V̄ ∈ ℝ^{3×3}, V̄ = Σ_i X_i ⊗ ∇_X D_i ∈ ℝ^{D×3×3} (eq. 1), one Θ ∈ ℝ^D shared by all
/// tensor components (e.g. the stress σ_xy of Fig. 1a). Each sample's V̄ is a row of length 9·D
/// ordered [d][a][b] (descriptor-major, a/b Cartesian); each requested component (a, b) of each
/// sample becomes one regression row V̄_{·ab} → σ_ab, fitted without intercept.
public enum TensorEstimator {
    /// Design rows and targets for components `components` (pairs (a, b), 0-based) from
    /// V̄ (n × 9D) and σ (n × 9, row-major 3×3 per sample).
    public static func design(v: Matrix, sigma: Matrix, components: [(Int, Int)]) throws -> (x: Matrix, y: Matrix) {
        guard v.cols % 9 == 0 && v.cols > 0 else { throw EngineError("tensor estimator: V̄ must have 9·D columns, got \(v.cols)") }
        guard sigma.cols == 9 && sigma.rows == v.rows else {
            throw EngineError("tensor estimator: σ must be \(v.rows)×9 (one 3×3 tensor per sample), got \(sigma.shapeDescription)")
        }
        guard !components.isEmpty else { throw EngineError("tensor estimator: no components given") }
        for (a, b) in components where !(0..<3).contains(a) || !(0..<3).contains(b) {
            throw EngineError("tensor estimator: component (\(a + 1), \(b + 1)) out of range")
        }
        let d = v.cols / 9, n = v.rows, c = components.count
        var x = Matrix(rows: n * c, cols: d), y = Matrix(rows: n * c, cols: 1)
        for i in 0..<n {
            for (r, (a, b)) in components.enumerated() {
                for k in 0..<d { x[i * c + r, k] = v[i, k * 9 + a * 3 + b] }
                y[i * c + r, 0] = sigma[i, a * 3 + b]
            }
        }
        return (x, y)
    }

    /// Fits Θ by ridge (α > 0) or OLS (α = 0), no intercept.
    public static func fit(v: Matrix, sigma: Matrix, components: [(Int, Int)], alpha: Double = 0) throws -> [Double] {
        let (x, y) = try design(v: v, sigma: sigma, components: components)
        let m = alpha > 0 ? try Regress.ridge(x, y, alpha: alpha, fitIntercept: false)
                          : try Regress.ols(x, y, fitIntercept: false)
        return m.coef.data
    }

    /// Ô = Θ·V̄ for every sample: n × 9 (row-major 3×3 tensors).
    public static func predict(theta: [Double], v: Matrix) throws -> Matrix {
        guard v.cols == 9 * theta.count else {
            throw EngineError("tensor estimator: V̄ has \(v.cols) columns, Θ has \(theta.count) entries (need 9·D)")
        }
        var out = Matrix(rows: v.rows, cols: 9)
        for i in 0..<v.rows { for k in 0..<theta.count { for ab in 0..<9 { out[i, ab] += theta[k] * v[i, k * 9 + ab] } } }
        return out
    }
}
