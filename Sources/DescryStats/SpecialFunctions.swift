import Glibc

/// Special functions needed by DANCo (Ceruti et al. 2014): digamma, exponentially scaled
/// modified Bessel functions I₀, I₁, binomial coefficients.
enum Special {
    /// ψ(x) for x > 0: recurrence ψ(x) = ψ(x+1) − 1/x up to x ≥ 8, then the asymptotic series
    /// ln x − 1/(2x) − Σ B₂ₙ/(2n x²ⁿ) (Abramowitz & Stegun 6.3.18); |error| < 1e-15.
    static func digamma(_ x0: Double) -> Double {
        var x = x0, acc = 0.0
        while x < 8 { acc -= 1 / x; x += 1 }
        let f = 1 / (x * x)
        let series = f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f * (1.0 / 132 - f * (691.0 / 32760 - f / 12))))))
        return acc + log(x) - 0.5 / x - series
    }

    /// e^{−x} I_ν(x) for ν ∈ {0, 1}, x ≥ 0: power series Σ (x/2)^{2k+ν}/(k!(k+ν)!) for x < 25,
    /// otherwise the asymptotic expansion (A&S 9.7.1) e^{−x}I_ν(x) ≈ (2πx)^{−½} Σ (−1)^k a_k(ν)/x^k.
    static func besselIe(_ nu: Int, _ x: Double) -> Double {
        let ax = abs(x)
        var r: Double
        if ax < 25 {
            let q = ax * ax / 4
            var term = nu == 0 ? 1.0 : ax / 2
            var sum = term
            var k = 1.0
            while true {
                term *= q / (k * (k + Double(nu)))
                sum += term
                if term < 1e-17 * sum { break }
                k += 1
            }
            r = sum * exp(-ax)
        } else {
            let mu = 4.0 * Double(nu * nu)
            var term = 1.0, sum = 1.0
            for k in 1...30 {
                let kk = Double(k)
                term *= -(mu - (2 * kk - 1) * (2 * kk - 1)) / (kk * 8 * ax)
                sum += term
                if abs(term) < 1e-17 * abs(sum) { break }
            }
            r = sum / (2 * Double.pi * ax).squareRoot()
        }
        return (nu == 1 && x < 0) ? -r : r
    }

    /// Binomial coefficient C(n, k) as a Double.
    static func binomial(_ n: Int, _ k: Int) -> Double {
        if k < 0 || k > n { return 0 }
        var r = 1.0
        for i in 0..<min(k, n - k) { r = r * Double(n - i) / Double(i + 1) }
        return r.rounded()
    }
}
