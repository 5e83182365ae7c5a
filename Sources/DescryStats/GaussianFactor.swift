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
