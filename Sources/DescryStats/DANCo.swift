import Glibc
import DescryLinalg

/// DANCo — Dimensionality from Angle and Norm Concentration (Ceruti, Bassis, Rozza, Lombardi,
/// Casiraghi & Campadelli, Pattern Recognition 47, 2569, 2014), following scikit-dimension's
/// `DANCo(k=10, ver="DANCo", fractal=True)`:
///  1. MIND_MLk: the maximum-likelihood dimension from ρ_i = r₁/r_{k+1}, with
///     ℓ(d) = N ln(kd) + (d−1)Σ ln ρ + (k−1)Σ ln(1 − ρ^d) (concave: solved to machine precision
///     by bisection on ℓ′, where skdim uses L-BFGS-B);
///  2. von Mises statistics (ν̂, τ̂) of the pairwise angles between each point's k neighbours;
///  3. the same statistics on uniform samples of the unit d-ball (d = 1…D, same N and k), and
///     the d minimising KL(data ‖ ball_d) (their eq. 12: Kullback–Leibler of the norm and angle
///     distributions); `fractal` refines the minimum as scikit-dimension does: on a not-a-knot
///     cubic spline of KL(d) for D ≥ 4, on the parabola through the three values for D = 3
///     (its `interp1d(kind="quadratic")`), and not at all for D ≤ 2 (linear interpolation has
///     its minimum at the integer estimate).
/// The calibration balls are random, so the estimate depends on `seed` (scikit-dimension's
/// `random_state` likewise); calibration statistics are cached per (N, k, d, seed) within the
/// process, which makes sliding-window estimates cheap.
/// Points whose nearest neighbour is at distance 0 (duplicates) are excluded, and so are points
/// whose k+1 neighbours are all equidistant (ρ = 1) from the likelihood of stage 1.
extension IntrinsicDimension {
    public struct DANCoResult {
        /// Fractal (spline-refined) estimate, or the integer one when `fractal` is false.
        public let dimension: Double
        /// argmin_d KL.
        public let integerDimension: Int
        /// KL divergence at the integer minimum.
        public let klDivergence: Double
        /// MIND_MLk estimate of stage 1.
        public let mindMLk: Double
        /// KL(d) for d = 1…D.
        public let kl: [Double]
        /// Mean von Mises location ν̂ and concentration τ̂ of the data's neighbour angles.
        public let muNu: Double
        public let muTau: Double
    }

    struct DANCoStats { let dhat: Double; let muNu: Double; let muTau: Double }

    /// DANCo estimate; `maxDimension` defaults to the ambient dimension (the calibration range).
    public static func danco(_ x: Matrix, k: Int = 10, maxDimension: Int? = nil, fractal: Bool = true, seed: UInt64 = 0) throws -> DANCoResult {
        guard k >= 2 else { throw EngineError("DANCo: k must be ≥ 2, got \(k)") }
        guard x.rows > k + 1 else { throw EngineError("DANCo: k = \(k) needs more than k+1 = \(k + 1) points, got \(x.rows)") }
        let dmax = maxDimension ?? x.cols
        guard dmax >= 1 else { throw EngineError("DANCo: maxDimension must be ≥ 1") }
        let data = try statistics(x, k: k, maxDim: dmax)
        var kl = [Double](repeating: 0, count: dmax)
        for d in 1...dmax {
            try Interruption.check()
            let cal = try calibration(n: x.rows, k: k, d: d, seed: seed)
            kl[d - 1] = klD(data.dhat, cal.dhat, k: k) + klNuTau(data.muNu, cal.muNu, data.muTau, cal.muTau)
        }
        var best = 0
        for i in 1..<dmax where kl[i] < kl[best] { best = i }
        var dim = Double(best + 1)
        if fractal && dmax >= 4 { dim = try splineMinimum(kl, near: best) }
        if fractal && dmax == 3 { dim = parabolaMinimum(kl) }
        return DANCoResult(dimension: dim, integerDimension: best + 1, klDivergence: kl[best], mindMLk: data.dhat, kl: kl,
                           muNu: data.muNu, muTau: data.muTau)
    }

    /// MIND_MLk alone (DANCo stage 1; skdim `DANCo(ver="MIND_MLk")`), and MIND_MLi (integer).
    public static func mindML(_ x: Matrix, k: Int = 10, maxDimension: Int? = nil) throws -> (mlk: Double, mli: Int) {
        let nn = try NearestNeighbors(x, k: k + 1)
        let rhos = ratios(nn, k: k)
        let dmax = maxDimension ?? x.cols
        let mli = mindMLi(rhos, k: k, maxDim: dmax)
        return (mindMLk(rhos, k: k, maxDim: dmax), mli)
    }

    static func ratios(_ nn: NearestNeighbors, k: Int) -> [Double] {
        var r: [Double] = []
        // ρ = 0 (duplicate point) and ρ = 1 (all k+1 neighbours equidistant, e.g. a lattice)
        // make ℓ(d) infinite for every d; such points carry no dimension information.
        for i in 0..<nn.distances.rows where nn.distances[i, 0] > 0 {
            let rho = nn.distances[i, 0] / nn.distances[i, k]
            if rho < 1 { r.append(rho) }
        }
        return r
    }

    static func lld(_ d: Double, _ rhos: [Double], k: Int) -> Double {
        lld(d, logs: rhos.map { log($0) }, k: k)
    }

    /// ℓ(d) from precomputed ln ρ: N ln(kd) + (d−1)Σ ln ρ + (k−1)Σ ln(1 − e^{d ln ρ}).
    static func lld(_ d: Double, logs: [Double], k: Int) -> Double {
        var s1 = 0.0, s2 = 0.0
        for lr in logs { s1 += lr; s2 += log1p(-exp(d * lr)) }
        return Double(logs.count) * log(Double(k) * d) + (d - 1) * s1 + Double(k - 1) * s2
    }

    static func mindMLi(_ rhos: [Double], k: Int, maxDim: Int) -> Int {
        let logs = rhos.map { log($0) }
        var best = 1, bestV = -Double.infinity
        for d in 1...maxDim { let v = lld(Double(d), logs: logs, k: k); if v > bestV { bestV = v; best = d } }
        return best
    }

    /// argmax of the concave ℓ(d) on (0, maxDim]: safeguarded Newton on
    /// ℓ′(d) = N/d + Σ ln ρ − (k−1)Σ ρ^d ln ρ/(1−ρ^d), keeping a bracket [lo, hi] with
    /// ℓ′(lo) > 0 > ℓ′(hi) and bisecting whenever a Newton step leaves it.
    static func mindMLk(_ rhos: [Double], k: Int, maxDim: Int) -> Double {
        let logs = rhos.map { log($0) }
        let n = Double(logs.count), km1 = Double(k - 1)
        func derivs(_ d: Double) -> (Double, Double) {
            var g = n / d, h = -n / (d * d)
            for lr in logs {
                let rd = exp(d * lr), q = 1 - rd
                g += lr - km1 * rd * lr / q
                h -= km1 * lr * lr * rd / (q * q)
            }
            return (g, h)
        }
        var hi = Double(maxDim)
        if derivs(hi).0 >= 0 { return hi }
        var lo = 0.0
        var d = 0.5 * hi
        for _ in 0..<100 {
            let (g, h) = derivs(d)
            if g > 0 { lo = d } else { hi = d }
            if hi - lo <= 1e-13 * hi { break }
            var next = d - g / h
            if !(next > lo && next < hi) { next = 0.5 * (lo + hi) }
            if abs(next - d) <= 1e-14 * d { d = next; break }
            d = next
        }
        return d
    }

    /// Inverse of A(τ) = I₁(τ)/I₀(τ), the approximation used by Ceruti et al. / skdim.
    static func aInv(_ eta: Double) -> Double {
        if eta < 0.53 { return 2 * eta + eta * eta * eta + 5 * pow(eta, 5) / 6 }
        if eta < 0.85 { return -0.4 + 1.39 * eta + 0.43 / (1 - eta) }
        return 1 / (eta * eta * eta - 4 * eta * eta + 3 * eta)
    }

    /// (MIND_MLk, mean ν̂, mean τ̂) of a data set.
    static func statistics(_ x: Matrix, k: Int, maxDim: Int) throws -> DANCoStats {
        let nn = try NearestNeighbors(x, k: k + 1)
        let rhos = ratios(nn, k: k)
        guard rhos.count >= 2 else { throw EngineError("DANCo: fewer than 2 points with distinct neighbours") }
        let dhat = mindMLk(rhos, k: k, maxDim: maxDim)
        let dim = x.cols
        var sumNu = 0.0, sumTau = 0.0, count = 0
        var vecs = [Double](repeating: 0, count: k * dim), lens = [Double](repeating: 0, count: k)
        let pairs = Double(k * (k - 1) / 2)
        x.data.withUnsafeBufferPointer { px in
            for i in 0..<x.rows where nn.distances[i, 0] > 0 {
                for a in 0..<k {
                    let j = nn.indices[i * (k + 1) + a]
                    var s = 0.0
                    for t in 0..<dim { let v = px[j * dim + t] - px[i * dim + t]; vecs[a * dim + t] = v; s += v * v }
                    lens[a] = s.squareRoot()
                }
                var ss = 0.0, sc = 0.0
                for a in 0..<k {
                    for b in (a + 1)..<k {
                        var dot = 0.0
                        for t in 0..<dim { dot += vecs[a * dim + t] * vecs[b * dim + t] }
                        // θ = arccos(c) ∈ [0, π]: cos θ = c, sin θ = √(1 − c²)
                        let c = max(-1, min(1, dot / (lens[a] * lens[b])))
                        ss += (1 - c * c).squareRoot(); sc += c
                    }
                }
                let nu = atan(ss / sc)
                let eta = ((sc / pairs) * (sc / pairs) + (ss / pairs) * (ss / pairs)).squareRoot()
                sumNu += nu; sumTau += aInv(eta); count += 1
            }
        }
        var muTau = sumTau / Double(count)
        if dim == 1 { muTau = 1 }
        return DANCoStats(dhat: dhat, muNu: sumNu / Double(count), muTau: muTau)
    }

    /// Process-wide cache of calibration statistics, guarded by a mutex.
    final class CalibrationCache: @unchecked Sendable {
        private var table: [String: DANCoStats] = [:]
        private var lock = pthread_mutex_t()
        init() { pthread_mutex_init(&lock, nil) }
        subscript(key: String) -> DANCoStats? {
            get { pthread_mutex_lock(&lock); defer { pthread_mutex_unlock(&lock) }; return table[key] }
            set { pthread_mutex_lock(&lock); defer { pthread_mutex_unlock(&lock) }; table[key] = newValue }
        }
    }
    static let calibrationCache = CalibrationCache()

    /// Statistics of N uniform points in the unit d-ball (direction: normalised Gaussian,
    /// radius U^{1/d}), MIND_MLk searched up to 2d + 5 as skdim does. Cached.
    static func calibration(n: Int, k: Int, d: Int, seed: UInt64) throws -> DANCoStats {
        let key = "\(n)/\(k)/\(d)/\(seed)"
        if let s = calibrationCache[key] { return s }
        var sm = SplitMix64(seed ^ (UInt64(d) &* 0x9E37_79B9_7F4A_7C15))
        var rng = StatsRNG(seed: sm.next())
        var ball = Matrix(rows: n, cols: d)
        for i in 0..<n {
            var s = 0.0
            for j in 0..<d { let g = rng.normal(); ball[i, j] = g; s += g * g }
            let r = pow(rng.uniform(), 1 / Double(d)) / s.squareRoot()
            for j in 0..<d { ball[i, j] *= r }
        }
        let st = try statistics(ball, k: k, maxDim: 2 * d + 5)
        calibrationCache[key] = st
        return st
    }

    /// KL divergence of the ρ-statistics (Ceruti et al. 2014, eq. 10; skdim `_KLd`).
    static func klD(_ dhat: Double, _ dcal: Double, k: Int) -> Double {
        var hk = 0.0
        for i in 1...k { hk += 1 / Double(i) }
        let quo = dcal / dhat
        var a = 0.0
        for i in 0...k {
            let sign = i % 2 == 0 ? 1.0 : -1.0
            a += sign * Special.binomial(k, i) * Special.digamma(1 + Double(i) / quo)
        }
        return hk * quo - log(quo) - Double(k - 1) * a
    }

    /// KL divergence of two von Mises distributions (ν₁, τ₁) ‖ (ν₂, τ₂) (skdim `_KLnutau`),
    /// with exponentially scaled Bessel functions (no overflow for large τ).
    static func klNuTau(_ nu1: Double, _ nu2: Double, _ tau1: Double, _ tau2: Double) -> Double {
        let i0e1 = Special.besselIe(0, tau1), i0e2 = Special.besselIe(0, tau2), i1e1 = Special.besselIe(1, tau1)
        return log(i0e2) + tau2 - log(i0e1) - tau1 + i1e1 / i0e1 * (tau1 - tau2 * cos(nu1 - nu2))
    }

    /// Minimum over d ∈ [1, 3] of the parabola through (1, kl₁), (2, kl₂), (3, kl₃): its vertex
    /// 2 − (kl₃ − kl₁)/(2(kl₁ − 2kl₂ + kl₃)) when convex and inside, else the better end point.
    static func parabolaMinimum(_ kl: [Double]) -> Double {
        let curvature = kl[0] - 2 * kl[1] + kl[2]
        if curvature > 0 {
            let vertex = 2 - (kl[2] - kl[0]) / (2 * curvature)
            return min(max(vertex, 1), 3)
        }
        return kl[0] <= kl[2] ? 1 : 3
    }

    /// Minimum of the not-a-knot cubic spline through (d, kl_d), d = 1…D, in [d*−1, d*+1].
    static func splineMinimum(_ y: [Double], near best: Int) throws -> Double {
        let n = y.count
        // second derivatives M: interior M_{i−1} + 4M_i + M_{i+1} = 6Δ²y_i; not-a-knot ends.
        var a = Matrix(rows: n, cols: n), rhs = Matrix(rows: n, cols: 1)
        a[0, 0] = 1; a[0, 1] = -2; a[0, 2] = 1
        a[n - 1, n - 1] = 1; a[n - 1, n - 2] = -2; a[n - 1, n - 3] = 1
        for i in 1..<(n - 1) {
            a[i, i - 1] = 1; a[i, i] = 4; a[i, i + 1] = 1
            rhs[i, 0] = 6 * (y[i + 1] - 2 * y[i] + y[i - 1])
        }
        let m = try Linalg.solve(a, rhs).data
        func s(_ x: Double) -> Double {   // x is 0-based position
            let i = min(max(Int(x.rounded(.down)), 0), n - 2)
            let t = x - Double(i)
            return y[i] + (y[i + 1] - y[i] - (2 * m[i] + m[i + 1]) / 6) * t + m[i] / 2 * t * t + (m[i + 1] - m[i]) / 6 * t * t * t
        }
        var lo = max(0, Double(best) - 1), hi = min(Double(n - 1), Double(best) + 1)
        // coarse grid then golden section
        var bx = Double(best), bv = s(bx)
        let steps = 200
        for g in 0...steps { let x = lo + (hi - lo) * Double(g) / Double(steps); let v = s(x); if v < bv { bv = v; bx = x } }
        lo = max(lo, bx - (hi - lo) / Double(steps)); hi = min(hi, bx + (hi - lo) / Double(steps))
        let phi = (5.0.squareRoot() - 1) / 2
        var c = hi - phi * (hi - lo), d = lo + phi * (hi - lo)
        for _ in 0..<80 {
            if s(c) < s(d) { hi = d } else { lo = c }
            c = hi - phi * (hi - lo); d = lo + phi * (hi - lo)
        }
        return 0.5 * (lo + hi) + 1
    }
}
