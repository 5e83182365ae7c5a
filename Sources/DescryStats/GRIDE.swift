import Glibc
import DescryLinalg

/// GRIDE — Generalized Ratios Intrinsic Dimension Estimator (Denti, Doimo, Laio & Mira, Sci.
/// Rep. 12, 20005, 2022), multiscale as DADApy's `Data.return_id_scaling_gride` (0.3.4): at
/// scale i = 0, 1, … the ratios μ = r_{2n₁}/r_{n₁} (n₁ = 2ⁱ, r_k the distance to the k-th
/// neighbour) follow a generalised-ratio law with log-likelihood derivative
///   ∂ℓ/∂d = (N−1)/d − Σ [(1 − n₂ + n₁)/(1 − μ^{−d}) + n₂ − 1] ln μ,
/// whose root is found by DADApy's bisection on [d0, d1] to `eps` (same steps, so the same
/// answer); ratios above 20(q₉₅ − q₅₀) + q₅₀ are dropped as likely duplicates, and the error is
/// 1/√(Fisher information). Scanning the scale shows the dimension seen at growing distances.
extension IntrinsicDimension {
    public struct GRIDEResult {
        /// Dimension estimate per scale (n₁ = 1, 2, 4, …).
        public let dimensions: [Double]
        /// 1/√(Fisher information) per scale.
        public let errors: [Double]
        /// Mean of r_{n₁} and r_{2n₁} over all points, per scale (DADApy `rs_scaling`).
        public let scales: [Double]
        /// The outer neighbour rank n₂ = 2n₁ of each scale.
        public let ranks: [Int]
    }

    /// Multiscale GRIDE up to neighbour rank `rangeMax` (DADApy defaults).
    public static func gride(_ x: Matrix, rangeMax: Int = 64, d0: Double = 0.001, d1: Double = 1000, eps: Double = 1e-7) throws -> GRIDEResult {
        let n = x.rows
        guard rangeMax >= 2 else { throw EngineError("GRIDE: range_max must be ≥ 2, got \(rangeMax)") }
        guard d0 > 0 && d1 > d0 && d1.isFinite && eps > 0 && eps.isFinite else {
            throw EngineError("GRIDE: need finite 0 < d0 < d1 and eps > 0")
        }
        guard n >= 3 else { throw EngineError("GRIDE: \(n) points are too few; at least 3 are needed") }
        let maxRank = min(n, rangeMax)
        var maxStep = 0                                   // ⌊log₂ maxRank⌋ (DADApy: int(math.log(max_rank, 2)))
        while (2 << maxStep) <= maxRank { maxStep += 1 }
        let kmax = 1 << maxStep
        guard maxStep >= 1 && kmax <= n - 1 else {
            throw EngineError("GRIDE: \(n) points are too few for neighbour rank \(kmax); lower range_max")
        }
        try requireFiniteRows(x, "X")
        let nn = try NearestNeighbors(x, k: kmax)
        let tiny = Double.ulpOfOne
        func r(_ i: Int, _ rank: Int) -> Double { max(nn.distances[i, rank - 1], tiny) }
        var dims: [Double] = [], errs: [Double] = [], scales: [Double] = [], ranks: [Int] = []
        for s in 0..<maxStep {
            try Interruption.check()
            let n1 = 1 << s, n2 = 2 * n1
            var mus = [Double](repeating: 0, count: n)
            var rsum = 0.0
            for i in 0..<n {
                let a = r(i, n1), b = r(i, n2)
                mus[i] = b / a
                if mus[i] == 1 { mus[i] += 10 * tiny }
                rsum += a + b
            }
            let q95 = numpyPercentile(mus, 95), q50 = numpyPercentile(mus, 50)
            let muMax = 20 * (q95 - q50) + q50
            let kept = mus.filter { $0 < muMax }
            let d = grideBisection(kept, n1: Double(n1), n2: Double(n2), d0: d0, d1: d1, eps: eps)
            dims.append(d)
            errs.append(1 / grideFisher(d, mus, n1: Double(n1), n2: Double(n2), eps: 5 * tiny).squareRoot())
            scales.append(rsum / Double(2 * n))
            ranks.append(n2)
        }
        return GRIDEResult(dimensions: dims, errors: errs, scales: scales, ranks: ranks)
    }

    /// −∂ℓ/∂d of the generalised-ratio likelihood (DADApy `_neg_dloglik_did`, 1 − μ^{−d} floored at 2·eps).
    static func grideNegativeDerivative(_ d: Double, _ mus: [Double], n1: Double, n2: Double, eps: Double) -> Double {
        var sum = 0.0
        for mu in mus {
            let q = max(1 - pow(mu, -d), 2 * eps)
            sum += ((1 - n2 + n1) / q + n2 - 1) * log(mu)
        }
        return sum - Double(mus.count - 1) / d
    }

    /// DADApy's bisection (`_argmax_loglik`): the sign reference is −∂ℓ/∂d at the initial d1.
    static func grideBisection(_ mus: [Double], n1: Double, n2: Double, d0 lo: Double, d1 hi: Double, eps: Double) -> Double {
        var a = lo, b = hi
        let l1 = grideNegativeDerivative(b, mus, n1: n1, n2: n2, eps: eps)
        while abs(a - b) > eps {
            let m = (a + b) / 2
            if m == a || m == b { break }                 // eps below the float spacing
            let l2 = grideNegativeDerivative(m, mus, n1: n1, n2: n2, eps: eps)
            if l2 * l1 > 0 { b = m } else { a = m }
        }
        return (a + b) / 2
    }

    /// Fisher information of the estimate (DADApy `_fisher_info_scaling`).
    static func grideFisher(_ d: Double, _ mus: [Double], n1: Double, n2: Double, eps: Double) -> Double {
        var j1 = 0.0
        for mu in mus {
            let q = max(1 - pow(mu, -d), eps)
            let f = log(mu) / q
            j1 += (n2 - n1 - 1) * f * f * pow(mu, -d)
        }
        return Double(mus.count) / (d * d) + j1
    }
}
