import DescryLinalg

/// Which closed form of the Oracle Approximating Shrinkage coefficient to use.
///
/// * `.sklearn` — scikit-learn's `OAS` (≥ 0.24): ρ = (tr S² + tr² S) / ((n+1)(tr S² − tr² S/p)).
/// * `.chen2010` — Chen, Wiesel, Eldar & Hero, IEEE TSP 58, 5016 (2010), eq. 23:
///   ρ = ((1 − 2/p) tr S² + tr² S) / ((n + 1 − 2/p)(tr S² − tr² S/p)).
///
/// The two differ only by the 2/p terms, which scikit-learn drops ("does not impact the value
/// of the estimator for large p"); for p = 55 the coefficients differ by a few per cent.
/// Both clip ρ to ≤ 1 and use the centred empirical covariance S (divisor n).
/// **Default: `.sklearn`**, so that descry reproduces the peer implementation the paper's
/// workflow (and most users) rely on bit for bit; choose `.chen2010` for the published formula.
public enum OASVariant: String, Sendable {
    case sklearn
    case chen2010
}

/// A covariance estimate: location (column means, or zeros when assumed centred), the
/// covariance matrix and the shrinkage coefficient used (0 for the empirical estimate).
public struct CovarianceEstimate {
    public var mean: [Double]
    public var covariance: Matrix
    public var shrinkage: Double
}

/// Covariance estimators (scikit-learn `sklearn.covariance` conventions: divisor n, rows are
/// samples). Each needs one pass to centre X and one `dsyrk` for XᵀX; the shrinkage statistics
/// are O(np + p²) on top of it.
public enum Covariance {
    /// Centres X (unless `assumeCentered`) and returns (mean, XcᵀXc, row sums of Xc², Xc).
    static func centredGram(_ x: Matrix, assumeCentered: Bool) throws -> (mean: [Double], gram: Matrix, xc: Matrix) {
        try requireNonEmpty(x, "X")
        try requireFiniteRows(x, "X")
        let mean = assumeCentered ? [Double](repeating: 0, count: x.cols) : x.columnMeans()
        let xc = assumeCentered ? x : x.subtractingRow(mean)
        let g = xc.data.withUnsafeBufferPointer { Blas.syrkT($0.baseAddress!, rows: xc.rows, cols: xc.cols, lda: xc.cols) }
        return (mean, g, xc)
    }

    /// Maximum-likelihood (empirical) covariance S = XcᵀXc / n (sklearn `empirical_covariance`).
    public static func empirical(_ x: Matrix, assumeCentered: Bool = false) throws -> CovarianceEstimate {
        var (mean, s, _) = try centredGram(x, assumeCentered: assumeCentered)
        let inv = 1.0 / Double(x.rows)
        for i in s.data.indices { s.data[i] *= inv }
        return CovarianceEstimate(mean: mean, covariance: s, shrinkage: 0)
    }

    /// (1 − ρ) S + ρ (tr S / p) I — the shrunk covariance (sklearn `shrunk_covariance`).
    /// S must be square and ρ in [0, 1].
    public static func shrunk(_ s: Matrix, shrinkage rho: Double) throws -> Matrix {
        guard s.rows == s.cols else { throw EngineError("shrunk: covariance must be square, got \(s.shapeDescription)") }
        guard rho >= 0 && rho <= 1 else { throw EngineError("shrunk: shrinkage must be in [0, 1], got \(rho)") }
        let p = s.rows
        var tr = 0.0
        for i in 0..<p { tr += s[i, i] }
        let mu = p > 0 ? tr / Double(p) : 0
        var out = s
        for i in out.data.indices { out.data[i] *= (1 - rho) }
        for i in 0..<p { out[i, i] += rho * mu }
        return out
    }

    /// Ledoit–Wolf shrinkage towards μI (Ledoit & Wolf, J. Multivar. Anal. 88, 365, 2004), the
    /// formula of sklearn `ledoit_wolf_shrinkage`: with Xc centred,
    /// β̂ = [Σ_k‖x_k‖⁴/n − ‖XcᵀXc‖²_F/n²]/(pn), δ̂ = ‖S − μI‖²_F/p, ρ = min(β̂, δ̂)/δ̂.
    /// (sklearn's blocked X²ᵀX² sum equals Σ_k‖x_k‖⁴, computed here in O(np).)
    public static func ledoitWolf(_ x: Matrix, assumeCentered: Bool = false) throws -> CovarianceEstimate {
        let (mean, g, xc) = try centredGram(x, assumeCentered: assumeCentered)
        let n = Double(x.rows), p = x.cols
        var s = g
        for i in s.data.indices { s.data[i] /= n }
        if p == 1 { return CovarianceEstimate(mean: mean, covariance: s, shrinkage: 0) }
        var betaRaw = 0.0
        xc.data.withUnsafeBufferPointer { q in
            for k in 0..<xc.rows {
                var r = 0.0
                for j in 0..<p { let v = q[k * p + j]; r += v * v }
                betaRaw += r * r
            }
        }
        var frob = 0.0, tr = 0.0
        for v in g.data { frob += v * v }
        for i in 0..<p { tr += s[i, i] }
        let deltaRaw = frob / (n * n)
        let mu = tr / Double(p)
        var beta = (betaRaw / n - deltaRaw) / (Double(p) * n)
        var delta = deltaRaw - 2 * mu * tr + Double(p) * mu * mu
        delta /= Double(p)
        beta = min(beta, delta)
        let rho = beta == 0 ? 0 : beta / delta
        return CovarianceEstimate(mean: mean, covariance: try shrunk(s, shrinkage: rho), shrinkage: rho)
    }

    /// Oracle Approximating Shrinkage (Chen et al., IEEE TSP 58, 5016, 2010) in the chosen
    /// variant (see `OASVariant`; default the scikit-learn formula). One feature: ρ = 0.
    public static func oas(_ x: Matrix, variant: OASVariant = .sklearn, assumeCentered: Bool = false) throws -> CovarianceEstimate {
        var est = try empirical(x, assumeCentered: assumeCentered)
        let p = x.cols
        if p == 1 { return est }
        let n = Double(x.rows), pd = Double(p)
        var tr = 0.0, tr2 = 0.0
        for i in 0..<p { tr += est.covariance[i, i] }
        for v in est.covariance.data { tr2 += v * v }
        let num: Double, den: Double
        switch variant {
        case .sklearn:
            num = tr2 + tr * tr
            den = (n + 1) * (tr2 - tr * tr / pd)
        case .chen2010:
            num = (1 - 2 / pd) * tr2 + tr * tr
            den = (n + 1 - 2 / pd) * (tr2 - tr * tr / pd)
        }
        let rho = den == 0 ? 1.0 : min(num / den, 1.0)
        est.covariance = try shrunk(est.covariance, shrinkage: rho)
        est.shrinkage = rho
        return est
    }
}
