import DescryLinalg

/// Simulation and forecasting of VAR(P) ensembles (Swinburne, PRL 131, 236101, 2023, eq. 3,
/// Figs. 2–3): every trajectory starts from a P-step history and advances by
/// x_{n+1} = Σ T_p x_{n−p} + c + L ξ (S = L Lᵀ via `covarianceFactor`, which also accepts a
/// semi-definite S; ξ standard normal from a seeded `StatsRNG`).
/// The ensemble advances together: one gemm per step for all trajectories.
extension VARModel {
    /// Simulates `steps` new states after each history (each history: ≥ P rows, chronological,
    /// the last P are used). Returns one `steps × D` matrix per history. `noise: false` gives the
    /// deterministic (mean) forecast.
    public func simulate(histories: [Matrix], steps: Int, noise: Bool = true, rng: inout StatsRNG) throws -> [Matrix] {
        guard steps >= 0 else { throw EngineError("simulate: steps must be ≥ 0, got \(steps)") }
        let d = dimension, p = order, w = p * d, m = histories.count
        for (i, h) in histories.enumerated() {
            guard h.cols == d else { throw EngineError("simulate: history \(i + 1) has \(h.cols) columns, model dimension is \(d)") }
            guard h.rows >= p else { throw EngineError("simulate: history \(i + 1) has \(h.rows) steps, VAR(\(p)) needs \(p)") }
            try requireFiniteRows(h, "history \(i + 1)")
        }
        var l = Matrix(rows: d, cols: d)
        if noise { l = try covarianceFactor(noiseCov, "simulate: noise") }
        // state rows: [x_n, x_{n−1}, …, x_{n−P+1}]
        var state = Matrix(rows: m, cols: w)
        for (i, h) in histories.enumerated() {
            for lag in 0..<p { for k in 0..<d { state[i, lag * d + k] = h[h.rows - 1 - lag, k] } }
        }
        var out = [Matrix](repeating: Matrix(rows: steps, cols: d), count: m)
        var xi = Matrix(rows: m, cols: d)
        for t in 0..<steps {
            var next = Blas.mul(state, lagCoef)
            if noise {
                rng.fillNormal(&xi.data)
                let e = Blas.mul(xi, l, transB: true)
                for i in next.data.indices { next.data[i] += e.data[i] }
            }
            for i in 0..<m {
                for k in 0..<d { next[i, k] += intercept[k] }
                // shift lags right by one block, insert the new state first
                if p > 1 {
                    for j in stride(from: w - 1, through: d, by: -1) { state[i, j] = state[i, j - d] }
                }
                for k in 0..<d { state[i, k] = next[i, k]; out[i][t, k] = next[i, k] }
            }
        }
        return out
    }

    /// `perHistory` noisy continuations of each history from a fresh generator seeded by `seed`.
    public func forecast(histories: [Matrix], steps: Int, perHistory: Int = 1, noise: Bool = true, seed: UInt64 = 0) throws -> [Matrix] {
        guard perHistory >= 1 else { throw EngineError("forecast: perHistory must be ≥ 1") }
        var rng = StatsRNG(seed: seed)
        let reps = histories.flatMap { h in [Matrix](repeating: h, count: perHistory) }
        return try simulate(histories: reps, steps: steps, noise: noise, rng: &rng)
    }
}

extension BaggedVAR {
    /// Forecast ensemble with parameter (epistemic) uncertainty: with `drawParameters`, each
    /// trajectory is advanced by a bagging member chosen uniformly at random (keeping the
    /// correlations between the parameters of a member); otherwise by the mean model T̄, S̄.
    public func simulate(histories: [Matrix], steps: Int, noise: Bool = true, drawParameters: Bool = true,
                         seed: UInt64 = 0) throws -> [Matrix] {
        var rng = StatsRNG(seed: seed)
        guard drawParameters else { return try mean.simulate(histories: histories, steps: steps, noise: noise, rng: &rng) }
        let choice = histories.map { _ in rng.int(below: members.count) }
        var out = [Matrix](repeating: Matrix(rows: 0, cols: 0), count: histories.count)
        for (mi, model) in members.enumerated() {
            let idx = choice.indices.filter { choice[$0] == mi }
            if idx.isEmpty { continue }
            let res = try model.simulate(histories: idx.map { histories[$0] }, steps: steps, noise: noise, rng: &rng)
            for (r, i) in idx.enumerated() { out[i] = res[r] }
        }
        return out
    }
}

/// Ensemble statistics over trajectories of equal length.
public enum Ensemble {
    /// Mean and (population, divisor M) variance at every step: two `steps × D` matrices.
    public static func moments(_ trajectories: [Matrix]) throws -> (mean: Matrix, variance: Matrix) {
        guard let f = trajectories.first else { throw EngineError("ensemble: no trajectories") }
        for t in trajectories where t.rows != f.rows || t.cols != f.cols {
            throw EngineError("ensemble: trajectories differ in shape (\(t.shapeDescription) vs \(f.shapeDescription))")
        }
        var mean = Matrix(rows: f.rows, cols: f.cols), v = mean
        let m = Double(trajectories.count)
        for t in trajectories { for i in t.data.indices { mean.data[i] += t.data[i] } }
        for i in mean.data.indices { mean.data[i] /= m }
        for t in trajectories { for i in t.data.indices { let e = t.data[i] - mean.data[i]; v.data[i] += e * e } }
        for i in v.data.indices { v.data[i] /= m }
        return (mean, v)
    }

    /// The states of all trajectories at step `t` as rows (M × D).
    public static func slice(_ trajectories: [Matrix], at t: Int) throws -> Matrix {
        guard let f = trajectories.first else { throw EngineError("ensemble: no trajectories") }
        var out = Matrix(rows: trajectories.count, cols: f.cols)
        for (i, tr) in trajectories.enumerated() {
            guard t >= 0 && t < tr.rows && tr.cols == f.cols else { throw EngineError("ensemble: step \(t + 1) missing in trajectory \(i + 1)") }
            for k in 0..<f.cols { out[i, k] = tr[t, k] }
        }
        return out
    }

    /// History windows of length `order` ending at step `t` of every trajectory, flattened
    /// chronologically into rows of length order·D ([x_{t−P+1}, …, x_t]).
    public static func windows(_ trajectories: [Matrix], order p: Int, endingAt t: Int) throws -> Matrix {
        guard let f = trajectories.first else { throw EngineError("ensemble: no trajectories") }
        let d = f.cols
        var out = Matrix(rows: trajectories.count, cols: p * d)
        for (i, tr) in trajectories.enumerated() {
            guard t - p + 1 >= 0 && t < tr.rows && tr.cols == d else {
                throw EngineError("ensemble: trajectory \(i + 1) has no \(p)-step window ending at step \(t + 1)")
            }
            for lag in 0..<p { for k in 0..<d { out[i, lag * d + k] = tr[t - p + 1 + lag, k] } }
        }
        return out
    }

    /// Resampled initial conditions (Fig. 3e–h): fits a normal to history windows (rows of
    /// length P·D from `windows`) with a shrinkage covariance and draws `count` new histories,
    /// each returned as a P × D matrix ready for `simulate`.
    public static func resampleHistories(windows w: Matrix, order p: Int, count: Int, seed: UInt64,
                                         estimator: CovarianceMethod = .oas(.sklearn)) throws -> [Matrix] {
        guard p >= 1 && w.cols % p == 0 else { throw EngineError("resample: window width \(w.cols) is not a multiple of P = \(p)") }
        let mvn = try MultivariateNormal(fitting: w, estimator: estimator)
        let s = try mvn.sample(count, seed: seed)
        let d = w.cols / p
        return (0..<count).map { i in Matrix(rows: p, cols: d, data: s.row(i)) }
    }
}
