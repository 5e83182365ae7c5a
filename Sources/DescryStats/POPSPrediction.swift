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
    /// Bounds cost O(n·N·d) for N draws in d box directions (tiled GEMMs, `extremes`).
    public func predict(_ x: Matrix, bounds: Bool = true) throws -> POPSPrediction {
        guard x.cols == nFeatures else {
            throw EngineError("POPS predict: X has \(x.cols) columns but the model has \(nFeatures) features")
        }
        try requireFiniteRows(x, "X")
        let xa = POPSModel.augmented(x, intercept: options.fitIntercept)
        let n = xa.rows, q = nOutputs
        let mean = Blas.mul(xa, coefAugmented)
        let proj = Blas.mul(xa, eigenvectors)
        var std = Matrix(rows: n, cols: q), epi = Matrix(rows: n, cols: q)
        var upper = mean, lower = mean
        for j in 0..<q {
            try Interruption.check()
            let post = posteriors[j]
            // xᵀΣ_mis x with Σ_mis the posterior's second moment (popsregression's formula).
            let vm = POPSModel.quadraticForms(Blas.mul(xa, post.covariance), xa)
            let weights = eigenvalues.map { 1 / (alpha[j] * $0 + lambda[j]) }
            let ve = POPSModel.leverage(proj, weights: weights)
            for i in 0..<n {
                std.data[i * q + j] = (max(vm[i], 0) + ve[i]).squareRoot()
                epi.data[i * q + j] = ve[i].squareRoot()
            }
            guard bounds else { continue }
            let (hi, lo) = try POPSModel.extremes(post.project(xa), post.coordinates)
            for i in 0..<n {
                upper.data[i * q + j] += hi[i]
                lower.data[i * q + j] += lo[i]
            }
        }
        return POPSPrediction(mean: mean, std: std, upper: upper, lower: lower, epistemicStd: epi)
    }

    /// Row-wise dot products Σ_k a_ik b_ik of two n × p matrices (diag(A Bᵀ)).
    static func quadraticForms(_ a: Matrix, _ b: Matrix) -> [Double] {
        let n = a.rows, p = a.cols
        var out = [Double](repeating: 0, count: n)
        a.data.withUnsafeBufferPointer { pa in
            b.data.withUnsafeBufferPointer { pb in
                for i in 0..<n {
                    let ra = pa.baseAddress! + i * p, rb = pb.baseAddress! + i * p
                    var t = 0.0
                    for k in 0..<p { t += ra[k] * rb[k] }
                    out[i] = t
                }
            }
        }
        return out
    }

    /// Max and min over the N draws of x_i·z for every row x_i of xs (n × d) and draws z (rows
    /// of the N × d coordinates): xs·coordinatesᵀ by tiles of ≤ 256 rows × 2²⁰/256 draws (one
    /// GEMM each, a buffer of at most 8 MB), folded into running maxima and minima.
    static func extremes(_ xs: Matrix, _ draws: Matrix) throws -> ([Double], [Double]) {
        let n = xs.rows, d = xs.cols, count = draws.rows
        var hi = [Double](repeating: -.infinity, count: n), lo = [Double](repeating: .infinity, count: n)
        let rowBlock = max(1, min(n, 256))
        let drawBlock = max(1, min(count, (1 << 20) / rowBlock))
        var buffer = [Double](repeating: 0, count: rowBlock * drawBlock)
        for r0 in stride(from: 0, to: n, by: rowBlock) {
            try Interruption.check()
            let r1 = min(r0 + rowBlock, n)
            for c0 in stride(from: 0, to: count, by: drawBlock) {
                let c1 = min(c0 + drawBlock, count), w = c1 - c0
                xs.data.withUnsafeBufferPointer { px in
                    draws.data.withUnsafeBufferPointer { pd in
                        buffer.withUnsafeMutableBufferPointer { pb in
                            Blas.gemm(false, true, r1 - r0, w, d, 1, px.baseAddress! + r0 * d, d, pd.baseAddress! + c0 * d, d, 0,
                                      pb.baseAddress!, w)
                            for i in 0..<(r1 - r0) {
                                let row = pb.baseAddress! + i * w
                                var a = hi[r0 + i], b = lo[r0 + i]
                                for k in 0..<w { let t = row[k]; a = max(a, t); b = min(b, t) }
                                hi[r0 + i] = a
                                lo[r0 + i] = b
                            }
                        }
                    }
                }
            }
        }
        return (hi, lo)
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
