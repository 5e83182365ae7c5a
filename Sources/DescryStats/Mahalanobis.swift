import CBLAS
import DescryLinalg

/// The squared Mahalanobis outlier distance normalised by the dimension, eq. 4 of Swinburne,
/// PRL 131, 236101 (2023):  M(D) = (D − μ)ᵀ Σ⁻¹ (D − μ) / D̃.
/// Note: scipy's `mahalanobis` returns the UNSQUARED distance √((x−μ)ᵀΣ⁻¹(x−μ)); eq. 4 is its
/// square divided by the dimension, so M ≈ 1 on average for in-distribution points.
/// Σ is factored once by Cholesky; a singular Σ (e.g. the empirical covariance with fewer
/// samples than dimensions) throws — fit Σ with a shrinkage estimator (OAS, Ledoit–Wolf) instead.
public struct Mahalanobis: FactoredGaussian {
    public let mean: [Double]
    public let covariance: Matrix
    /// Lower Cholesky factor of the covariance.
    public let cholesky: Matrix

    /// From a location and covariance (must be symmetric positive definite).
    public init(mean: [Double], covariance: Matrix) throws {
        cholesky = try gaussianCholesky(mean: mean, covariance: covariance, what: "Mahalanobis")
        self.mean = mean
        self.covariance = covariance
    }

    /// Eq. 4 for every row of `x`: squared distance divided by the dimension.
    public func distances(_ x: Matrix) throws -> [Double] {
        guard x.cols == dimension else {
            throw EngineError("Mahalanobis: points have \(x.cols) columns but the model has dimension \(dimension)")
        }
        try requireFiniteRows(x, "points")
        let sq = squared(x)
        let inv = 1.0 / Double(dimension)
        return sq.map { $0 * inv }
    }

    /// Unnormalised squared distances (x−μ)ᵀΣ⁻¹(x−μ) for every row (triangular solve, `dtrsm`).
    public func squared(_ x: Matrix) -> [Double] {
        let n = x.rows, p = dimension
        if n == 0 { return [] }
        var z = x.subtractingRow(mean)
        // Row-major: Z ← Z L⁻ᵀ, so each row becomes (L⁻¹ (x − μ))ᵀ.
        cholesky.data.withUnsafeBufferPointer { pl in
            z.data.withUnsafeMutableBufferPointer { pz in
                cblas_dtrsm(CblasRowMajor, CblasRight, CblasLower, CblasTrans, CblasNonUnit, Int32(n), Int32(p),
                            1.0, pl.baseAddress, Int32(p), pz.baseAddress, Int32(p))
            }
        }
        var out = [Double](repeating: 0, count: n)
        z.data.withUnsafeBufferPointer { pz in
            for i in 0..<n {
                var s = 0.0
                for j in 0..<p { let v = pz[i * p + j]; s += v * v }
                out[i] = s
            }
        }
        return out
    }
}

/// A covariance estimator choice, for APIs that fit a covariance internally.
public enum CovarianceMethod: Sendable {
    case empirical
    case ledoitWolf
    case oas(OASVariant)

    /// Runs the estimator on X.
    public func estimate(_ x: Matrix) throws -> CovarianceEstimate {
        switch self {
        case .empirical: return try Covariance.empirical(x)
        case .ledoitWolf: return try Covariance.ledoitWolf(x)
        case .oas(let v): return try Covariance.oas(x, variant: v)
        }
    }
}
