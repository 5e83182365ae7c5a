import DescryLinalg

/// The forecast uncertainty of eq. 5 of Swinburne, PRL 131, 236101 (2023):
///   M(t_n) = ⟨M(D̄_n)⟩ + M_σ(t_n),  M_σ(t) = σ_M² t/δτ ≥ M_0(t) = t/τ_M,  τ_M = M τ_tr,
/// with M the squared, dimension-normalised Mahalanobis distance of eq. 4, and the parallel
/// efficiency η = τ_pred/(M τ_tr), τ_pred the time at which M(t) reaches a threshold (2).
public enum ForecastUncertainty {
    /// M_σ(t) = σ_M² t/δτ.
    public static func mSigma(times: [Double], sigmaM2: Double, dtau: Double) -> [Double] {
        times.map { sigmaM2 * $0 / dtau }
    }

    /// Lower bound M_0(t) = t/τ_M with τ_M = ensembleSize · trainingDuration.
    public static func m0(times: [Double], ensembleSize: Int, trainingDuration: Double) -> [Double] {
        let tauM = Double(ensembleSize) * trainingDuration
        return times.map { $0 / tauM }
    }

    /// Eq. 5: ⟨M(D̄_n)⟩ over the forecast ensemble at each time plus M_σ(t).
    public static func total(meanMahalanobis: [Double], times: [Double], sigmaM2: Double, dtau: Double) throws -> [Double] {
        guard meanMahalanobis.count == times.count else {
            throw EngineError("eq. 5: \(meanMahalanobis.count) Mahalanobis values for \(times.count) times")
        }
        let s = mSigma(times: times, sigmaM2: sigmaM2, dtau: dtau)
        return zip(meanMahalanobis, s).map { $0 + $1 }
    }

    /// ⟨M⟩ at each step of a forecast ensemble (trajectories of equal length).
    public static func meanMahalanobis(_ trajectories: [Matrix], model: Mahalanobis) throws -> [Double] {
        guard let f = trajectories.first else { throw EngineError("eq. 5: empty ensemble") }
        var out = [Double](repeating: 0, count: f.rows)
        for t in trajectories {
            let m = try model.distances(t)
            guard m.count == out.count else { throw EngineError("eq. 5: trajectories differ in length") }
            for i in out.indices { out[i] += m[i] }
        }
        return out.map { $0 / Double(trajectories.count) }
    }

    /// σ_M²: the epistemic uncertainty of the steady state propagated to eq. 4 — the variance,
    /// across bagging members, of M evaluated at each member's stationary mean. (Our reading of
    /// the paper's "propagating epistemic uncertainty in the steady state"; unstable members are
    /// skipped, and fewer than two stable members throws.)
    public static func sigmaM2(_ bag: BaggedVAR, model: Mahalanobis) throws -> Double {
        var vals: [Double] = []
        for m in bag.members where (try? m.isStable()) == true {
            let mu = try m.stationaryMean()
            vals.append(try model.distances(Matrix(rows: 1, cols: mu.count, data: mu))[0])
        }
        guard vals.count >= 2 else { throw EngineError("σ_M²: fewer than two stable bagging members") }
        let mean = vals.reduce(0, +) / Double(vals.count)
        return vals.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(vals.count - 1)
    }

    /// First time at which `values` (sampled at `times`) reaches `threshold`, linearly
    /// interpolated; nil if never (only the first min(count) entries are used).
    public static func predictionHorizon(times: [Double], values: [Double], threshold: Double = 2) -> Double? {
        for i in 0..<min(values.count, times.count) where values[i] >= threshold {
            if i == 0 { return times[0] }
            let f = (threshold - values[i - 1]) / (values[i] - values[i - 1])
            return times[i - 1] + f * (times[i] - times[i - 1])
        }
        return nil
    }

    /// Parallel efficiency η = τ_pred/(M τ_tr).
    public static func parallelEfficiency(predictionHorizon: Double, ensembleSize: Int, trainingDuration: Double) -> Double {
        predictionHorizon / (Double(ensembleSize) * trainingDuration)
    }
}
