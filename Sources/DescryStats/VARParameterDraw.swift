import DescryLinalg

/// How a forecast from a bagged VAR draws the parameters of each trajectory (Swinburne, PRL 131,
/// 236101, 2023: "epistemic uncertainties δT, δS from the covariance across subsets").
/// - `mean`: every trajectory uses T̄, c̄, S̄ (no epistemic spread).
/// - `member`: a bagging member chosen uniformly at random (T, c and S of one subset fit, keeping
///   their correlations).
/// - `diagonal`: T ~ N(T̄, diag δT²), c ~ N(c̄, diag δc²): every coefficient independent normal
///   with the across-member standard deviation (ddof 1) — "N(T̄, δT)" read per coefficient.
/// - `full`: θ = (T, c) ~ N(θ̄, C) with C the full across-member sample covariance (ddof 1) of
///   the stacked coefficients, drawn as θ̄ + Σ_m ξ_m (θ_m − θ̄)/√(M − 1), ξ ~ N(0, I_M) (C has
///   rank ≤ M − 1, so this needs no factorisation and reproduces C exactly in expectation).
/// Both Gaussian kinds keep the noise covariance at S̄ (a normal draw of S is not
/// positive semi-definite in general). A draw may be unstable (spectral radius ≥ 1), as a
/// member may; nothing is rejected.
public enum VARParameterDraw: String, Sendable, CaseIterable { case mean, member, diagonal, full }

extension BaggedVAR {
    /// The stacked coefficients θ = (lagCoef row-major, intercept) of a model, length P·D·D + D.
    static func stacked(_ m: VARModel) -> [Double] { m.lagCoef.data + m.intercept }

    /// One model with Gaussian parameters (`kind` is `.diagonal` or `.full`), noise S̄.
    public func gaussianModel(_ kind: VARParameterDraw, rng: inout StatsRNG) throws -> VARModel {
        let base = BaggedVAR.stacked(mean)
        var theta = base
        switch kind {
        case .diagonal:
            let sd = lagCoefStd.data + interceptStd
            for i in theta.indices { theta[i] += sd[i] * rng.normal() }
        case .full:
            let scale = 1 / Double(members.count - 1).squareRoot()
            for m in members {
                let w = rng.normal() * scale
                let t = BaggedVAR.stacked(m)
                for i in theta.indices { theta[i] += w * (t[i] - base[i]) }
            }
        case .mean, .member:
            throw EngineError("bagged VAR: '\(kind.rawValue)' is not a Gaussian parameter draw (use diagonal or full)")
        }
        let r = mean.lagCoef.rows, d = mean.dimension
        return try VARModel(lagCoef: Matrix(rows: r, cols: d, data: Array(theta[0..<(r * d)])),
                            intercept: Array(theta[(r * d)...]), noiseCov: mean.noiseCov)
    }

    /// `count` parameter draws of the given kind as rows θ = (lagCoef row-major, intercept) — the
    /// draws a forecast with this kind would use (for checks and for pairing with estimator draws).
    public func sampleParameters(_ kind: VARParameterDraw, count: Int, seed: UInt64) throws -> Matrix {
        guard count >= 1 && count <= 10_000_000 else { throw EngineError("bagged VAR: draw count must be in 1…10⁷, got \(count)") }
        var rng = StatsRNG(seed: seed)
        let k = BaggedVAR.stacked(mean).count
        var out = Matrix(rows: count, cols: k)
        for i in 0..<count {
            let theta: [Double]
            switch kind {
            case .mean: theta = BaggedVAR.stacked(mean)
            case .member: theta = BaggedVAR.stacked(members[rng.int(below: members.count)])
            case .diagonal, .full: theta = BaggedVAR.stacked(try gaussianModel(kind, rng: &rng))
            }
            for c in 0..<k { out[i, c] = theta[c] }
        }
        return out
    }

    /// Forecast ensemble with parameters drawn per trajectory as `parameters` says (see
    /// `VARParameterDraw`); `.mean` and `.member` are exactly `simulate(drawParameters: false/true)`.
    /// Gaussian kinds draw every trajectory's model first, then advance each with noise from
    /// the same generator.
    public func simulate(histories: [Matrix], steps: Int, noise: Bool = true, parameters: VARParameterDraw,
                         seed: UInt64 = 0) throws -> [Matrix] {
        switch parameters {
        case .mean: return try simulate(histories: histories, steps: steps, noise: noise, drawParameters: false, seed: seed)
        case .member: return try simulate(histories: histories, steps: steps, noise: noise, drawParameters: true, seed: seed)
        case .diagonal, .full:
            var rng = StatsRNG(seed: seed)
            let models = try histories.map { _ in try gaussianModel(parameters, rng: &rng) }
            var out: [Matrix] = []
            out.reserveCapacity(histories.count)
            for (h, model) in zip(histories, models) {
                try Interruption.check()
                out.append(contentsOf: try model.simulate(histories: [h], steps: steps, noise: noise, rng: &rng))
            }
            return out
        }
    }
}
