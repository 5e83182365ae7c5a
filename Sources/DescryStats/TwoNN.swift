import Glibc
import DescryLinalg

/// Intrinsic-dimension estimators (Swinburne, PRL 131, 236101, 2023, Fig. 3j).
public enum IntrinsicDimension {
    /// How TwoNN turns the ratios μ = r₂/r₁ into a dimension.
    public enum TwoNNMethod: String, Sendable {
        /// Least-squares line through the origin of −ln(1 − F(μ)) against ln μ (Facco et al.
        /// 2017; scikit-dimension `method="linear"`, DADApy `algorithm="base"`).
        case linear
        /// Maximum likelihood with the discarded tail treated as censored (scikit-dimension
        /// `method="mle"`): d = (n_keep − 1)/(Σ ln μ + (N − n_keep) ln μ_max).
        case mle
    }

    /// Result of TwoNN: the estimate, points used, points dropped as duplicates.
    public struct TwoNNResult {
        public let dimension: Double
        public let nUsed: Int
        public let nDuplicates: Int
    }

    /// TwoNN (Facco, d'Errico, Rodriguez & Laio, Sci. Rep. 7, 12140, 2017) as scikit-dimension
    /// `TwoNN(discard_fraction)` (identical to DADApy `compute_id_2NN(mu_fraction = 1 − f)`):
    /// μ_i = r₂/r₁ from the two nearest neighbours; the largest fraction `discardFraction` of the
    /// sorted μ are discarded; F_emp(μ_(i)) = i/N.
    /// Duplicates: points whose nearest neighbour is at distance 0 have undefined μ and are
    /// dropped (scikit-dimension's choice, reported in `nDuplicates`); N counts kept points.
    public static func twoNN(_ x: Matrix, discardFraction: Double = 0.1, method: TwoNNMethod = .linear) throws -> TwoNNResult {
        guard discardFraction >= 0 && discardFraction < 1 else {
            throw EngineError("TwoNN: discard fraction must be in [0, 1), got \(discardFraction)")
        }
        guard x.rows >= 3 else { throw EngineError("TwoNN: needs at least 3 points, got \(x.rows)") }
        let nn = try NearestNeighbors(x, k: 2)
        return try twoNN(r1: (0..<x.rows).map { nn.distances[$0, 0] }, r2: (0..<x.rows).map { nn.distances[$0, 1] },
                         discardFraction: discardFraction, method: method)
    }

    /// TwoNN from precomputed first/second neighbour distances.
    public static func twoNN(r1: [Double], r2: [Double], discardFraction: Double = 0.1, method: TwoNNMethod = .linear) throws -> TwoNNResult {
        var mu: [Double] = []
        mu.reserveCapacity(r1.count)
        for i in r1.indices {
            let m = r2[i] / r1[i]
            if m.isFinite { mu.append(m) }
        }
        let dup = r1.count - mu.count
        let n = mu.count
        let nKeep = Int(Double(n) * (1 - discardFraction))
        guard nKeep >= 2 else {
            throw EngineError("TwoNN: fewer than 2 points left (\(n) distinct-neighbour points, discard fraction \(discardFraction))")
        }
        mu.sort()
        // Tied first and second neighbour distances (a lattice, e.g. a square grid) give μ = 1 at
        // every kept point: ln μ = 0, the fit has no slope to measure. scikit-dimension and DADApy
        // fit a line through the origin by least squares and so return 0 (numpy lstsq's
        // minimum-norm answer); a dimension of 0 (or NaN, ∞) would be silently wrong, so refuse.
        guard mu[nKeep - 1] > 1 + 1e-12 else {
            throw EngineError("TwoNN: the first and second neighbour distances are tied at every kept point (μ = r₂/r₁ = 1, e.g. points on a lattice); the dimension is undefined (add noise or use another estimator)")
        }
        let d: Double
        switch method {
        case .linear:
            guard nKeep < n else {
                throw EngineError("TwoNN linear fit: discard fraction 0 makes F = 1 at the last point (−ln 0); use a positive discard fraction or method mle")
            }
            var sxy = 0.0, sxx = 0.0
            for i in 0..<nKeep {
                let lx = log(mu[i])
                let ly = -log(1 - Double(i + 1) / Double(n))
                sxy += lx * ly; sxx += lx * lx
            }
            d = sxy / sxx
        case .mle:
            var s = 0.0
            for i in 0..<nKeep { s += log(mu[i]) }
            d = Double(nKeep - 1) / (s + Double(n - nKeep) * log(mu[nKeep - 1]))
        }
        return TwoNNResult(dimension: d, nUsed: nKeep, nDuplicates: dup)
    }

    /// How pointwise MLE estimates are combined.
    public enum MLECombination: String, Sendable { case mle, mean, median }

    /// Levina–Bickel maximum-likelihood estimator (NIPS 2004) as scikit-dimension `MLE()` with
    /// `n_neighbors = k`: pointwise d_i = (k − 1)/Σ_{j≤k} ln(R_k/R_j) (R_j the j-th neighbour
    /// distance), combined by the harmonic mean (MacKay & Ghahramani's correction, skdim
    /// `comb="mle"`), arithmetic mean or median. Points with a zero neighbour distance
    /// (duplicates) are skipped. Returns the global estimate and the pointwise values (NaN for
    /// skipped points).
    public static func mle(_ x: Matrix, k: Int = 20, combine: MLECombination = .mle) throws -> (dimension: Double, pointwise: [Double]) {
        guard k >= 2 else { throw EngineError("MLE: k must be ≥ 2, got \(k)") }
        let nn = try NearestNeighbors(x, k: k)
        var pw = [Double](repeating: .nan, count: x.rows)
        var used: [Double] = []
        for i in 0..<x.rows {
            guard nn.distances[i, 0] > 0 else { continue }
            let rk = nn.distances[i, k - 1]
            var s = 0.0
            for j in 0..<k { s += log(rk / nn.distances[i, j]) }
            let d = Double(k - 1) / s
            if d.isFinite { pw[i] = d; used.append(d) }
        }
        guard !used.isEmpty else { throw EngineError("MLE: no point has distinct neighbours") }
        let est: Double
        switch combine {
        case .mle: est = 1 / (used.reduce(0) { $0 + 1 / $1 } / Double(used.count))
        case .mean: est = used.reduce(0, +) / Double(used.count)
        case .median:
            let s = used.sorted(), c = s.count
            est = c % 2 == 1 ? s[c / 2] : 0.5 * (s[c / 2 - 1] + s[c / 2])
        }
        return (est, pw)
    }
}
