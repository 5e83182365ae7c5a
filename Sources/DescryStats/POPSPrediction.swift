import DescryLinalg

/// Predictions of a POPS model (popsregression `predict(return_std, return_bounds,
/// return_epistemic_std)`), each n × q (one column per output).
public struct POPSPrediction {
    /// x·Θ (+ Θ⁰).
    public var mean: Matrix
    /// √(xᵀΣ_mis x + xᵀΣ_epi x): misspecification plus epistemic standard deviation.
    public var std: Matrix
    /// mean + max / min over the posterior draws of x·δΘ.
    public var upper: Matrix
    public var lower: Matrix
    /// √(xᵀΣ_epi x), Σ_epi the Bayesian ridge posterior covariance (scikit-learn `sigma_`).
    public var epistemicStd: Matrix
}

extension POPSModel {
    /// Mean, combined and epistemic standard deviations and min/max bounds for every row of X.
    /// Bounds cost O(n·N·d) for N draws in d box directions; rows are processed in blocks so
    /// memory stays O(block·N).
    public func predict(_ x: Matrix, bounds: Bool = true) throws -> POPSPrediction {
        guard x.cols == nFeatures else {
            throw EngineError("POPS predict: X has \(x.cols) columns but the model has \(nFeatures) features")
        }
        try requireFiniteRows(x, "X")
        let xa = POPSModel.augmented(x, intercept: options.fitIntercept)
        let n = xa.rows, q = nOutputs, p = nParameters
        let mean = Blas.mul(xa, coefAugmented)
        let proj = Blas.mul(xa, eigenvectors)
        var std = Matrix(rows: n, cols: q), epi = Matrix(rows: n, cols: q)
        var upper = mean, lower = mean
        for j in 0..<q {
            try Interruption.check()
            let post = posteriors[j]
            let xs = post.project(xa)                                    // n × d
            let zz = POPSPosterior.secondMoment(post.coordinates)        // d × d
            let xzz = Blas.mul(xs, zz)
            for i in 0..<n {
                var ve = 0.0
                for k in 0..<p { let t = proj[i, k]; ve += t * t / (alpha[j] * eigenvalues[k] + lambda[j]) }
                var vm = 0.0
                for k in 0..<xs.cols { vm += xzz[i, k] * xs[i, k] }
                std[i, j] = (max(vm, 0) + ve).squareRoot()
                epi[i, j] = ve.squareRoot()
            }
            guard bounds else { continue }
            let block = 512
            var r0 = 0
            while r0 < n {
                try Interruption.check()
                let r1 = min(r0 + block, n)
                let rows = Matrix(rows: r1 - r0, cols: xs.cols, data: Array(xs.data[(r0 * xs.cols)..<(r1 * xs.cols)]))
                let y = Blas.mul(rows, post.coordinates, transB: true)   // block × N
                for i in 0..<y.rows {
                    var hi = -Double.infinity, lo = Double.infinity
                    for k in 0..<y.cols { let t = y[i, k]; hi = max(hi, t); lo = min(lo, t) }
                    upper[r0 + i, j] += hi
                    lower[r0 + i, j] += lo
                }
                r0 = r1
            }
        }
        return POPSPrediction(mean: mean, std: std, upper: upper, lower: lower, epistemicStd: epi)
    }

    /// Bayesian ridge posterior covariance of the augmented coefficients of output j
    /// (scikit-learn `sigma_` = V diag(1/(α s² + λ)) Vᵀ).
    public func epistemicCovariance(output j: Int) throws -> Matrix {
        guard j >= 0 && j < nOutputs else { throw EngineError("POPS: output \(j + 1) out of range 1…\(nOutputs)") }
        let p = nParameters
        var vs = eigenvectors
        for r in 0..<p { for k in 0..<p { vs[r, k] /= (alpha[j] * eigenvalues[k] + lambda[j]) } }
        return Blas.mul(vs, eigenvectors, transB: true)
    }

    /// `count` draws of the augmented coefficients Θ + δΘ of output j (count × (p [+1])), δΘ
    /// from the POPS posterior — the parameter draws of a misspecification-aware forecast.
    public func sampleCoefficients(output j: Int, count: Int, rng: inout StatsRNG) throws -> Matrix {
        guard j >= 0 && j < nOutputs else { throw EngineError("POPS: output \(j + 1) out of range 1…\(nOutputs)") }
        guard count >= 1 else { throw EngineError("POPS: draw count must be ≥ 1, got \(count)") }
        var d = posteriors[j].sample(count: count, rng: &rng)
        for i in 0..<count { for k in 0..<nParameters { d[i, k] += coefAugmented[k, j] } }
        return d
    }
}
