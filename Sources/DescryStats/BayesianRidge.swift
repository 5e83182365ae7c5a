import Glibc
import DescryLinalg

/// Settings of Bayesian ridge regression (names and defaults of scikit-learn `BayesianRidge`).
public struct BayesianRidgeOptions: Sendable {
    public var maxIter = 300
    /// Stop when Σ|Θ_old − Θ| < tol (scikit-learn's test: an L1 change of the coefficients, in
    /// the units of X — scale-dependent; we reproduce it exactly for compatibility).
    public var tol = 1e-3
    public var alpha1 = 1e-6, alpha2 = 1e-6, lambda1 = 1e-6, lambda2 = 1e-6
    /// Initial noise precision α (nil: 1/(Var y + eps)) and weight precision λ (nil: 1).
    public var alphaInit: Double? = nil
    public var lambdaInit: Double? = nil
    public var fitIntercept = true
    public init() {}
}

/// How Bayesian ridge diagonalises the centred design (see `BayesianRidgeModel.init`).
public enum BayesianRidgeDecomposition: Sendable { case svd, gram }

/// Bayesian ridge regression by evidence maximisation (MacKay 1992; Tipping 2001), reproducing
/// scikit-learn's `BayesianRidge.fit` iteration step for step (same update order, same stopping
/// rule, same final refit), for many outputs at once. All outputs share ONE eigendecomposition
/// XcᵀXc = V diag(e) Vᵀ: each iteration is then O(p) per output (coefficients in the eigenbasis,
/// w = z/(e + λ/α) with z = VᵀXcᵀy), and the sum of squared errors is
/// sse = ‖y‖² − 2wᵀz + Σ e w² (recomputed directly from residuals when cancellation threatens).
/// This is what makes the paper's bagged VAR (Bayesian ridge on many subsets, D outputs) fast.
public struct BayesianRidgeModel {
    public var linear: LinearModel
    /// Noise precision α and weight precision λ per output.
    public var alpha: [Double]
    public var lambda: [Double]
    /// Iterations used per output (scikit-learn `n_iter_`).
    public var nIter: [Int]
    /// Column means of the training X (zeros without intercept).
    public let xOffset: [Double]
    /// Eigenvalues (ascending) and eigenvectors (columns) of XcᵀXc.
    let eigenvalues: [Double]
    let eigenvectors: Matrix

    /// Fits every column of Y against X.
    /// `decomposition`: `.svd` (default) factors Xc itself as scikit-learn does (most accurate,
    /// especially with fewer samples than features); `.gram` diagonalises XcᵀXc (`dsyrk` +
    /// `dsyevd`), several times faster for n ≫ p — the path used by the bagged VAR fit.
    public init(fitting x: Matrix, _ y: Matrix, options: BayesianRidgeOptions = BayesianRidgeOptions(),
                decomposition: BayesianRidgeDecomposition = .svd) throws {
        let d = try CentredData(x, y, fitIntercept: options.fitIntercept)
        let n = d.x.rows
        guard n >= 2 else { throw EngineError("Bayesian ridge: needs at least 2 samples, got \(n)") }
        let (e, v) = try BayesianRidgeModel.decompose(d.x, method: decomposition)
        let xty = Blas.mul(d.x, d.y, transA: true)
        var yVar = [Double](repeating: 0, count: y.cols)
        var yy = [Double](repeating: 0, count: y.cols)
        let q = y.cols
        for i in 0..<n { for j in 0..<q { let t = d.y[i, j]; yy[j] += t * t } }
        // Var(y) of the raw targets (scikit-learn: y.var() before centring).
        let ym = y.columnMeans()
        for i in 0..<n { for j in 0..<q { let t = y[i, j] - ym[j]; yVar[j] += t * t } }
        for j in 0..<q { yVar[j] /= Double(n) }
        let core = BayesianRidgeCore(eigenvalues: e, eigenvectors: v, n: n, options: options)
        let res = core.solve(xty: xty, yy: yy, yVar: yVar, xc: d.x, yc: d.y)
        linear = d.model(res.coef)
        alpha = res.alpha; lambda = res.lambda; nIter = res.nIter
        xOffset = d.xMean
        eigenvalues = e; eigenvectors = v
    }

    /// Eigenvalues e and eigenvectors V (columns) of XcᵀXc for centred Xc (n × p). Exactly
    /// p − min(n, p) eigenvalues are 0 (scikit-learn keeps min(n, p) singular values), and so are
    /// numerically null directions (s ≤ s_max·max(n, p)·eps, e.g. the one centring removes when
    /// n ≤ p): their projections of Xcᵀy are pure round-off that 1/(e + λ/α) would amplify.
    static func decompose(_ xc: Matrix, method: BayesianRidgeDecomposition) throws -> ([Double], Matrix) {
        let n = xc.rows, p = xc.cols
        switch method {
        case .gram:
            let g = xc.data.withUnsafeBufferPointer { Blas.syrkT($0.baseAddress!, rows: n, cols: p, lda: p) }
            var (e, v) = try Linalg.eigh(g)
            let nullCount = max(0, p - n)
            let cut = (e.last ?? 0) * Double(max(n, p)) * Double.ulpOfOne
            for i in 0..<p where i < nullCount || e[i] <= cut { e[i] = 0 }
            return (e, v)
        case .svd:
            let (_, s, vt) = try Linalg.svd(xc, full: n < p)
            var e = [Double](repeating: 0, count: p)
            let cut = (s.first ?? 0) * Double(max(n, p)) * Double.ulpOfOne
            for i in 0..<s.count where s[i] > cut { e[i] = s[i] * s[i] }
            return (e, vt.transposed())
        }
    }

    /// Posterior covariance of the coefficients of output j (scikit-learn `sigma_`):
    /// Σ = V diag(1/(α e + λ)) Vᵀ.
    public func posteriorCovariance(output j: Int = 0) throws -> Matrix {
        guard j >= 0 && j < alpha.count else { throw EngineError("output \(j + 1) out of range 1…\(alpha.count)") }
        let p = eigenvalues.count
        var vs = eigenvectors
        for r in 0..<p { for k in 0..<p { vs[r, k] /= (alpha[j] * eigenvalues[k] + lambda[j]) } }
        return Blas.mul(vs, eigenvectors, transB: true)
    }

    /// Predictive mean and standard deviation (scikit-learn `predict(return_std=True)`):
    /// std² = (x − x̄)ᵀ Σ (x − x̄) + 1/α, per output (columns).
    public func predict(_ x: Matrix) throws -> (mean: Matrix, std: Matrix) {
        let mean = try linear.predict(x)
        let proj = Blas.mul(x.subtractingRow(xOffset), eigenvectors)   // n × p
        let q = alpha.count, p = eigenvalues.count
        var std = Matrix(rows: x.rows, cols: q)
        for i in 0..<x.rows {
            for j in 0..<q {
                var s = 0.0
                for k in 0..<p { let t = proj[i, k]; s += t * t / (alpha[j] * eigenvalues[k] + lambda[j]) }
                std[i, j] = (s + 1 / alpha[j]).squareRoot()
            }
        }
        return (mean, std)
    }
}

/// The evidence-maximisation loop on a shared eigenbasis (internal; see `BayesianRidgeModel`).
struct BayesianRidgeCore {
    let eigenvalues: [Double]
    let eigenvectors: Matrix
    let n: Int
    let options: BayesianRidgeOptions

    struct Result { var coef: Matrix; var alpha: [Double]; var lambda: [Double]; var nIter: [Int] }

    /// xty = XcᵀYc (p × q), yy = ‖yc‖² per output, yVar = Var(y) per output; xc/yc are used only
    /// to recompute sse exactly when the fast formula would lose precision.
    func solve(xty: Matrix, yy: [Double], yVar: [Double], xc: Matrix, yc: Matrix) -> Result {
        let p = eigenvalues.count, q = xty.cols
        let e = eigenvalues
        var z = Blas.mul(eigenvectors, xty, transA: true)   // p × q, eigenbasis projections
        // Xcᵀy has no component in the null space of Xc: drop round-off there.
        for i in 0..<p where e[i] == 0 { for j in 0..<q { z[i, j] = 0 } }
        let o = options
        let eps = Double.ulpOfOne
        var coef = Matrix(rows: p, cols: q)
        var alphas = [Double](repeating: 0, count: q), lambdas = alphas
        var iters = [Int](repeating: 0, count: q)
        let sqrtP = Double(p).squareRoot()
        var zj = [Double](repeating: 0, count: p), w = zj, wOld = zj, delta = zj
        var full = [Double](repeating: 0, count: p)

        func coefficients(_ w: [Double], into out: inout [Double]) {
            // out = V w
            eigenvectors.data.withUnsafeBufferPointer { pv in
                for r in 0..<p {
                    var s = 0.0
                    for k in 0..<p { s += pv[r * p + k] * w[k] }
                    out[r] = s
                }
            }
        }
        func update(_ a: Double, _ l: Double, _ j: Int) -> Double {
            let ratio = l / a
            var cross = 0.0, quad = 0.0
            for i in 0..<p {
                let wi = zj[i] / (e[i] + ratio)
                w[i] = wi
                cross += wi * zj[i]
                quad += e[i] * wi * wi
            }
            var sse = yy[j] - 2 * cross + quad
            if !(sse > 1e-6 * yy[j]) {
                // Cancellation: recompute Σ(y − Xc Θ)² from the residuals.
                coefficients(w, into: &full)
                sse = Blas.residualSumOfSquares(xc, full, yc, column: j)
            }
            return sse
        }

        for j in 0..<q {
            for i in 0..<p { zj[i] = z[i, j] }
            var a = o.alphaInit ?? 1 / (yVar[j] + eps)
            var l = o.lambdaInit ?? 1
            var it = 0
            for iter in 0..<max(o.maxIter, 1) {
                it = iter + 1
                let sse = update(a, l, j)
                var gamma = 0.0, w2 = 0.0
                for i in 0..<p { gamma += a * e[i] / (l + a * e[i]); w2 += w[i] * w[i] }
                l = (gamma + 2 * o.lambda1) / (w2 + 2 * o.lambda2)
                a = (Double(n) - gamma + 2 * o.alpha1) / (sse + 2 * o.alpha2)
                if iter != 0 {
                    var l2 = 0.0
                    for i in 0..<p { delta[i] = wOld[i] - w[i]; l2 += delta[i] * delta[i] }
                    l2 = l2.squareRoot()
                    // ‖Δ‖₂ ≤ ‖Δ‖₁ ≤ √p‖Δ‖₂ (and ‖VΔ‖₂ = ‖Δ‖₂): the exact L1 test is needed only in between.
                    var converged = false
                    if sqrtP * l2 < o.tol { converged = true }
                    else if l2 < o.tol {
                        coefficients(delta, into: &full)
                        var l1 = 0.0
                        for i in 0..<p { l1 += abs(full[i]) }
                        converged = l1 < o.tol
                    }
                    if converged { break }
                }
                swap(&wOld, &w)
            }
            _ = update(a, l, j)
            coefficients(w, into: &full)
            for i in 0..<p { coef[i, j] = full[i] }
            alphas[j] = a; lambdas[j] = l; iters[j] = it
        }
        return Result(coef: coef, alpha: alphas, lambda: lambdas, nIter: iters)
    }
}
