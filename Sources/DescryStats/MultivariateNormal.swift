import DescryLinalg

/// A multivariate normal N(μ, Σ) — the generative model of descriptor states in Swinburne,
/// PRL 131, 236101 (2023) (resampling initial conditions, Fig. 3e–h). Sampling is x = μ + L z
/// with Σ = L Lᵀ (Cholesky) and z standard normal from `StatsRNG` (reproducible from a seed).
public struct MultivariateNormal: FactoredGaussian {
    public let mean: [Double]
    public let covariance: Matrix
    public let cholesky: Matrix

    /// From μ and Σ (Σ must be positive definite; otherwise a clear error suggests shrinkage).
    public init(mean: [Double], covariance: Matrix) throws {
        cholesky = try gaussianCholesky(mean: mean, covariance: covariance, what: "multivariate normal")
        self.mean = mean
        self.covariance = covariance
    }

    /// `n` samples (rows), drawn with `rng`.
    public func sample(_ n: Int, rng: inout StatsRNG) throws -> Matrix {
        guard n >= 0 else { throw EngineError("multivariate normal: sample count must be ≥ 0, got \(n)") }
        let p = dimension
        var z = Matrix(rows: n, cols: p)
        rng.fillNormal(&z.data)
        var x = Blas.mul(z, cholesky, transB: true)   // rows: (L z)ᵀ
        x.data.withUnsafeMutableBufferPointer { px in
            for i in 0..<n { for j in 0..<p { px[i * p + j] += mean[j] } }
        }
        return x
    }

    /// `n` samples from a fresh generator seeded with `seed`.
    public func sample(_ n: Int, seed: UInt64) throws -> Matrix {
        var rng = StatsRNG(seed: seed)
        return try sample(n, rng: &rng)
    }
}
