import DescryLinalg

/// Validates a Gaussian's location μ and covariance Σ and factors Σ = L Lᵀ (Cholesky): the part
/// shared by the Mahalanobis distance (eq. 4) and the multivariate normal used for resampling.
/// `what` names the caller in errors; a Σ that is not positive definite suggests shrinkage.
func gaussianCholesky(mean: [Double], covariance: Matrix, what: String) throws -> Matrix {
    guard covariance.rows == covariance.cols, covariance.rows == mean.count else {
        throw EngineError("\(what): covariance \(covariance.shapeDescription) does not match mean of length \(mean.count)")
    }
    try requireFinite(mean, "\(what) mean")
    do { return try Linalg.cholesky(covariance) } catch {
        throw EngineError("\(what): covariance is singular or not positive definite (\(error)); use a shrinkage estimator such as OAS or Ledoit–Wolf")
    }
}

/// A Gaussian N(μ, Σ) held as its mean, covariance and Cholesky factor — the Mahalanobis
/// distance (eq. 4 of Swinburne, PRL 131, 236101 (2023)) and the multivariate normal used for
/// resampling. Gives both the fit to data and the dimension.
public protocol FactoredGaussian {
    /// From μ and Σ (Σ must be positive definite).
    init(mean: [Double], covariance: Matrix) throws
    /// The location μ.
    var mean: [Double] { get }
}

extension FactoredGaussian {
    /// Fits μ and Σ to training data X (rows are samples) with the given estimator (default OAS,
    /// the shrinkage estimator of the paper's ref. 82).
    public init(fitting x: Matrix, estimator: CovarianceMethod = .oas(.sklearn)) throws {
        let est = try estimator.estimate(x)
        try self.init(mean: est.mean, covariance: est.covariance)
    }

    /// Dimension D̃.
    public var dimension: Int { mean.count }
}
