import Glibc
import CBLAS
import DescryLinalg

/// A VAR(P) model (eq. 3 of Swinburne, PRL 131, 236101, 2023):
///   x_{n+1} = Σ_{p=0}^{P−1} T_p x_{n−p} + c + w_n,  ⟨w_n w_mᵀ⟩ = S δ_nm.
/// `lagCoef` stores [T_0ᵀ; T_1ᵀ; …] as a (P·D) × D matrix, the layout of the least-squares
/// solution on the lag design (statsmodels `params` without the constant row), so that a batch
/// of lagged states H (M × P·D) advances by one gemm: X_next = H·lagCoef + c.
public struct VARModel {
    public var order: Int
    public var dimension: Int
    public var lagCoef: Matrix
    public var intercept: [Double]
    /// Noise covariance S used for simulation (the residual covariance; see `fit`).
    public var noiseCov: Matrix
    /// Residual covariance with divisor nobs (maximum likelihood; statsmodels `sigma_u_mle`).
    public var residualCovMLE: Matrix
    /// Number of lag pairs the model was fitted on (0 if built by hand).
    public var nobs: Int
    /// What the coefficient standard errors come from: values (loaded, or computed at the fit
    /// when it fell back to the SVD), or the fit's triangular factor R and the unbiased residual
    /// variances, from which `standardErrors()` computes them only when asked for.
    var standardErrorSource: VARStandardErrors.Source?

    /// Standard errors of `lagCoef` (same layout) and of `intercept`, as statsmodels
    /// `VARResults.stderr` (unbiased S_u whatever divisor the noise uses); nil unless fitted
    /// by least squares (`fit`) or set with `setStandardErrors`.
    public func standardErrors() -> (lag: Matrix, intercept: [Double])? {
        try? standardErrorSource?.values(dimension: dimension)
    }

    /// Sets the standard errors (e.g. of a model loaded from a file).
    public mutating func setStandardErrors(lag: Matrix, intercept: [Double]) {
        standardErrorSource = .values(lag: lag, intercept: intercept)
    }

    public init(lagCoef: Matrix, intercept: [Double], noiseCov: Matrix) throws {
        let d = intercept.count
        guard d > 0, lagCoef.cols == d, lagCoef.rows % d == 0, lagCoef.rows > 0 else {
            throw EngineError("VAR: lag coefficients \(lagCoef.shapeDescription) do not fit dimension \(d)")
        }
        guard noiseCov.rows == d && noiseCov.cols == d else {
            throw EngineError("VAR: noise covariance \(noiseCov.shapeDescription) does not fit dimension \(d)")
        }
        order = lagCoef.rows / d; dimension = d
        self.lagCoef = lagCoef; self.intercept = intercept; self.noiseCov = noiseCov
        residualCovMLE = noiseCov; nobs = 0
    }

    /// Least-squares (= Gaussian maximum-likelihood) fit with intercept on an ensemble of
    /// trajectories of unequal lengths (Householder QR on [1, Z] → targets, falling back to the
    /// minimum-norm SVD solution when the design is near rank-deficient; = numpy lstsq).
    /// The simulation noise S = RᵀR/divisor: by default `.unbiased`, nobs − (1 + P·D)
    /// (statsmodels `sigma_u`), because the least-squares residuals are shorter than the noise
    /// by exactly the k fitted directions per equation; `.mle` divides by nobs. RᵀR/nobs is kept
    /// as `residualCovMLE` either way. Fewer lag pairs than parameters per equation throws.
    /// Coefficient standard errors (statsmodels `stderr`) are computed alongside.
    public static func fit(_ trajectories: [Matrix], order p: Int, noiseDivisor: VARNoiseDivisor = .unbiased) throws -> VARModel {
        let des = try VARDesign(trajectories: trajectories, order: p)
        return try fit(design: des, noiseDivisor: noiseDivisor)
    }

    /// Least-squares fit on a prepared design.
    public static func fit(design des: VARDesign, noiseDivisor: VARNoiseDivisor = .unbiased) throws -> VARModel {
        let d = des.dimension, k = 1 + des.order * d
        guard des.nobs > k else {
            throw EngineError("VAR(\(des.order)) with D = \(d): \(des.nobs) lag pairs for \(k) parameters per equation; need more samples than parameters (lower P, add data, or use the bagged Bayesian-ridge fit)")
        }
        let zc = des.columnMajorWithIntercept()
        let (sol, factor) = try QRLeastSquares.solveKeepingFactor(columnMajor: zc, rows: des.nobs, cols: k, des.y) { des.withIntercept() }
        var lag = Matrix(rows: k - 1, cols: d)
        for i in 1..<k { for j in 0..<d { lag[i - 1, j] = sol[i, j] } }
        let c = (0..<d).map { sol[0, $0] }
        var r = des.y
        var pred = Matrix(rows: des.nobs, cols: d)
        zc.withUnsafeBufferPointer { pz in
            sol.data.withUnsafeBufferPointer { ps in
                pred.data.withUnsafeMutableBufferPointer { pp in
                    // column-major [1, Z] is row-major [1, Z]ᵀ: pred = ([1, Z]ᵀ)ᵀ · sol
                    Blas.gemm(true, false, des.nobs, d, k, 1, pz.baseAddress!, des.nobs, ps.baseAddress!, d, 0, pp.baseAddress!, d)
                }
            }
        }
        for i in r.data.indices { r.data[i] -= pred.data[i] }
        var ss = r.data.withUnsafeBufferPointer { Blas.syrkT($0.baseAddress!, rows: r.rows, cols: d, lda: d) }
        var mle = ss
        var unbiased = ss
        let n = Double(des.nobs)
        let divisor = try noiseDivisor.value(nobs: des.nobs, parameters: k)
        for i in ss.data.indices {
            mle.data[i] = ss.data[i] / n
            unbiased.data[i] = ss.data[i] / (n - Double(k))
            ss.data[i] /= divisor
        }
        var m = try VARModel(lagCoef: lag, intercept: c, noiseCov: ss)
        m.residualCovMLE = mle
        m.nobs = des.nobs
        let variances = (0..<d).map { unbiased[$0, $0] }
        if let r = factor {
            // the fit's own R: standard errors cost nothing until asked for
            m.standardErrorSource = .factor(r: r, parameters: k, variances: variances)
        } else if let g = try? VARStandardErrors.inverseGramDiagonal(columnMajor: zc, rows: des.nobs, cols: k) {
            m.standardErrorSource = VARStandardErrors.Source.fromInverseGram(g, variances: variances)
        }
        return m
    }

    /// T_p (D × D) for lag p = 0…P−1 (the coefficient of x_{n−p}).
    public func coefficient(lag p: Int) -> Matrix {
        var t = Matrix(rows: dimension, cols: dimension)
        for i in 0..<dimension { for k in 0..<dimension { t[i, k] = lagCoef[p * dimension + k, i] } }
        return t
    }

    /// Companion (Wold) matrix A (P·D × P·D) of the Markovian form Z_{n+1} = A Z_n + c̃ + W_n:
    /// first block row [T_0 … T_{P−1}], identity blocks below the diagonal (Lütkepohl 2005 §2.1).
    public func companion() -> Matrix {
        let d = dimension, n = order * d
        var a = Matrix(rows: n, cols: n)
        for i in 0..<d { for j in 0..<n { a[i, j] = lagCoef[j, i] } }
        if order > 1 { for i in d..<n { a[i, i - d] = 1 } }
        return a
    }

    /// Spectral radius of the companion matrix (LAPACK `dgeev`); < 1 ⇔ the VAR is stable.
    public func spectralRadius() throws -> Double {
        let eig = try VARModel.eigenvalues(companion())
        return eig.map { ($0.re * $0.re + $0.im * $0.im).squareRoot() }.max() ?? 0
    }

    /// True when every companion eigenvalue lies strictly inside the unit circle.
    public func isStable() throws -> Bool { try spectralRadius() < 1 }

    /// Eigenvalues of a general square matrix (LAPACK `dgeev`, no vectors).
    static func eigenvalues(_ a: Matrix) throws -> [(re: Double, im: Double)] {
        let n = a.rows
        if n == 0 { return [] }
        var buf = a.data   // row-major A is column-major Aᵀ: same eigenvalues
        var wr = [Double](repeating: 0, count: n), wi = wr
        let info = buf.withUnsafeMutableBufferPointer { p in
            LAPACKE_dgeev(Int32(LAPACK_COL_MAJOR), CChar(UInt8(ascii: "N")), CChar(UInt8(ascii: "N")), Int32(n),
                          p.baseAddress, Int32(n), &wr, &wi, nil, 1, nil, 1)
        }
        guard info == 0 else { throw EngineError("eigenvalues (dgeev) failed (info \(info))") }
        return (0..<n).map { (wr[$0], wi[$0]) }
    }

    /// Stationary mean μ = (I − Σ_p T_p)⁻¹ c of a stable VAR.
    public func stationaryMean() throws -> [Double] {
        let d = dimension
        var a = Matrix.identity(d)
        for p in 0..<order { let t = coefficient(lag: p); for i in a.data.indices { a.data[i] -= t.data[i] } }
        let mu = try Linalg.solve(a, Matrix(rows: d, cols: 1, data: intercept))
        return mu.data
    }

    /// Stationary covariance Γ of the companion state (P·D × P·D), solving the discrete
    /// Lyapunov equation Γ = A Γ Aᵀ + Q (Q = S in the top-left block) by the doubling algorithm
    /// (Smith 1968): Γ ← Γ + A_k Γ A_kᵀ, A_{k+1} = A_k². Its top-left D × D block is Cov(x).
    /// Throws for an unstable model.
    public func stationaryCovariance(full: Bool = false) throws -> Matrix {
        let rho = try spectralRadius()
        guard rho < 1 else {
            throw EngineError("VAR is not stable (companion spectral radius \(rho) ≥ 1): no stationary covariance")
        }
        let d = dimension, n = order * d
        var a = companion()
        var g = Matrix(rows: n, cols: n)
        for i in 0..<d { for j in 0..<d { g[i, j] = noiseCov[i, j] } }
        for _ in 0..<64 {
            let ag = Blas.mul(a, g)
            let inc = Blas.mul(ag, a, transB: true)
            var change = 0.0, size = 0.0
            for i in g.data.indices { g.data[i] += inc.data[i]; change = max(change, abs(inc.data[i])); size = max(size, abs(g.data[i])) }
            if change <= 1e-16 * size { break }
            a = Blas.mul(a, a)
        }
        if full { return g }
        var top = Matrix(rows: d, cols: d)
        for i in 0..<d { for j in 0..<d { top[i, j] = g[i, j] } }
        return top
    }

    /// Information criteria as statsmodels `VARResults.info_criteria` (Lütkepohl 2005 §4.3):
    /// ln|S_mle| + (2/nobs)·k and ln|S_mle| + (ln nobs/nobs)·k, k = P·D² + D free parameters.
    public func informationCriteria() throws -> (aic: Double, bic: Double) {
        guard nobs > 0 else { throw EngineError("information criteria need a fitted model") }
        let ld = try Linalg.logdet(residualCovMLE)
        guard ld.sign > 0 else { throw EngineError("residual covariance is singular: information criteria undefined") }
        let k = Double(order * dimension * dimension + dimension)
        let n = Double(nobs)
        return (ld.logabs + 2 / n * k, ld.logabs + log(n) / n * k)
    }
}
