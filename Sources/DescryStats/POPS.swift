import DescryLinalg

/// Settings of POPS regression (names and defaults of popsregression 0.4.0 `POPSRegression`).
public struct POPSOptions: Sendable {
    /// Evidence-maximisation settings of the underlying Bayesian ridge (its `fitIntercept` is
    /// ignored: the intercept is a column of ones, as in the reference).
    public var bayes = BayesianRidgeOptions()
    /// Append a column of ones so that the intercept takes part in the POPS posterior
    /// (popsregression's `fit_intercept`; its default is false).
    public var fitIntercept = false
    /// Directions with eigenvalue ≤ modeThreshold·max are dropped from the hypercube.
    public var modeThreshold = 1e-8
    /// Number of hypercube draws = max(100, ⌊resampleDensity · n⌋).
    public var resampleDensity = 1.0
    /// Box bounds are the [c, 100 − c] percentiles of the projected corrections.
    public var percentileClipping = 0.0
    /// Only points with leverage ≥ this percentile of all leverages build the posterior.
    public var leveragePercentile = 50.0
    public var posterior: POPSPosteriorKind = .hypercube
    /// Seed of the hypercube draws (popsregression draws from numpy's global generator).
    public var seed: UInt64 = 0
    public init() {}
}

/// POPS regression — Pointwise Optimal Parameter Sets (Swinburne & Perez, "Parameter
/// uncertainties for imperfect surrogate models in the low-noise regime", Mach. Learn.: Sci.
/// Technol. 6, 015008, 2025), as the released popsregression 0.4.0: a Bayesian ridge fit
/// (scikit-learn's evidence maximisation, intercept as a column of ones), then for every
/// training point i the smallest change of Θ that fits it exactly,
///   δΘ_i = A⁻¹x_i · e_i / h_i,  A = XᵀX + (λ/α)I,  e_i = y_i − x_iΘ,  h_i = x_iᵀA⁻¹x_i,
/// kept for points whose leverage h_i reaches the `leveragePercentile`; the posterior of δΘ is
/// a box in the principal axes of those corrections (or the corrections themselves). Its
/// spread does not shrink as 1/N while the model stays wrong — the misspecification the
/// Bayesian ridge ±σ misses.
///
/// Numerics: X is never squared. X = QR (Householder, by blocks of rows: TSQR), R = USVᵀ, so XᵀX = V S² Vᵀ to the
/// accuracy of X itself (condition numbers of XᵀX near 1e17 give finite results); A⁻¹ acts
/// through V and 1/(s² + λ/α); CᵀC is diagonalised in the V basis. All outputs (columns of Y)
/// share the factorisation; each has its own α, λ and posterior.
/// Refused inputs (errors, never a silent default): NaN/Inf, n ≤ p parameters, a constant
/// column next to the intercept (or an all-zero column), and numerically rank-deficient X
/// (s_min ≤ s_max·max(n, p)·ε, numpy `matrix_rank`).
public struct POPSModel {
    public let options: POPSOptions
    /// Number of features p of X (without the intercept column).
    public let nFeatures: Int
    /// (p [+1]) × q coefficients of the augmented design; the last row is the intercept when
    /// `options.fitIntercept`.
    public let coefAugmented: Matrix
    public let alpha: [Double]
    public let lambda: [Double]
    public let nIter: [Int]
    /// Eigenvalues s² (descending) and eigenvectors V (columns) of XᵀX of the augmented design.
    public let eigenvalues: [Double]
    public let eigenvectors: Matrix
    /// One posterior per output.
    public internal(set) var posteriors: [POPSPosterior]
    /// Leverage scores h_i of the training points, per output (n × q).
    public let leverage: Matrix
    /// Number of training samples.
    public let nSamples: Int

    public var nOutputs: Int { alpha.count }
    public var nParameters: Int { coefAugmented.rows }

    /// The estimator as Ô = Θ·D̄ + Θ⁰.
    public var linear: LinearModel {
        let p = nFeatures, q = nOutputs
        var c = Matrix(rows: p, cols: q)
        for i in 0..<p { for j in 0..<q { c[i, j] = coefAugmented[i, j] } }
        let b = (0..<q).map { options.fitIntercept ? coefAugmented[p, $0] : 0 }
        return LinearModel(coef: c, intercept: b)
    }

    /// Rebuilds a fitted model from saved parts (descry.regress model tables); shapes are checked.
    public init(options: POPSOptions, nFeatures: Int, coefAugmented: Matrix, alpha: [Double], lambda: [Double],
                nIter: [Int], eigenvalues: [Double], eigenvectors: Matrix, posteriors: [POPSPosterior], nSamples: Int) throws {
        let p = nFeatures + (options.fitIntercept ? 1 : 0)
        let q = coefAugmented.cols
        guard nFeatures >= 1, coefAugmented.rows == p, q >= 1, alpha.count == q, lambda.count == q, nIter.count == q,
              eigenvalues.count == p, eigenvectors.rows == p, eigenvectors.cols == p, posteriors.count == q,
              posteriors.allSatisfy({ $0.parameterCount == p }) else {
            throw EngineError("POPS model: saved parts do not fit together (\(p) parameters, \(q) outputs)")
        }
        try requireFiniteRows(coefAugmented, "POPS coef")
        try requireFiniteRows(eigenvectors, "POPS eigenvectors")
        try requireFinite(alpha + lambda + eigenvalues, "POPS alpha/lambda/eigenvalues")
        self.options = options
        self.nFeatures = nFeatures
        self.coefAugmented = coefAugmented
        self.alpha = alpha; self.lambda = lambda; self.nIter = nIter
        self.eigenvalues = eigenvalues; self.eigenvectors = eigenvectors
        self.posteriors = posteriors
        leverage = Matrix(rows: 0, cols: q)
        self.nSamples = nSamples
    }

    /// Fits every column of Y against X.
    public init(fitting x: Matrix, _ y: Matrix, options: POPSOptions = POPSOptions()) throws {
        try POPSModel.validate(x, y, options)
        let xa = POPSModel.augmented(x, intercept: options.fitIntercept)
        let n = xa.rows, p = xa.cols, q = y.cols
        let (s, vt) = try TallSkinnyQR.singularValues(xa)
        let cut = (s.first ?? 0) * Double(max(n, p)) * Double.ulpOfOne
        let rank = s.filter { $0 > cut }.count
        guard rank == p else {
            throw EngineError("POPS: X\(options.fitIntercept ? " with its intercept column" : "") has numerical rank \(rank) < \(p) parameters (singular values \(s.last ?? 0) ≤ \(cut)); remove linearly dependent columns")
        }
        let e = s.map { $0 * $0 }
        let v = vt.transposed()
        let xty = Blas.mul(xa, y, transA: true)
        var yy = [Double](repeating: 0, count: q)
        for i in 0..<n { for j in 0..<q { yy[j] += y[i, j] * y[i, j] } }
        let ym = y.columnMeans()
        var yVar = [Double](repeating: 0, count: q)
        for i in 0..<n { for j in 0..<q { let t = y[i, j] - ym[j]; yVar[j] += t * t } }
        for j in 0..<q { yVar[j] /= Double(n) }
        var bo = options.bayes
        bo.fitIntercept = false
        let core = BayesianRidgeCore(eigenvalues: e, eigenvectors: v, n: n, options: bo)
        let res = core.solve(xty: xty, yy: yy, yVar: yVar, xc: xa, yc: y)
        let proj = Blas.mul(xa, v)                       // n × p: x_i in the V basis
        let fitted = Blas.mul(xa, res.coef)
        var lev = Matrix(rows: n, cols: q)
        var posts: [POPSPosterior] = []
        for j in 0..<q {
            try Interruption.check()
            let ratio = res.lambda[j] / res.alpha[j]
            let inv = e.map { 1 / ($0 + ratio) }
            let h = POPSModel.leverage(proj, weights: inv)
            for i in 0..<n { lev.data[i * q + j] = h[i] }
            let threshold = numpyPercentile(h, options.leveragePercentile)
            var rows = (0..<n).filter { h[$0] >= threshold }
            if rows.isEmpty { rows = Array(0..<n) }
            let factors = rows.map { i in h[i] > 0 ? (y.data[i * q + j] - fitted.data[i * q + j]) / h[i] : 0 }
            let b = POPSModel.corrections(proj, rows: rows, weights: inv, factors: factors)
            posts.append(try POPSModel.posterior(b, basis: v, nSamples: n, options: options, output: j))
        }
        self.options = options
        nFeatures = x.cols
        coefAugmented = res.coef
        alpha = res.alpha; lambda = res.lambda; nIter = res.nIter
        eigenvalues = e; eigenvectors = v
        posteriors = posts
        leverage = lev
        nSamples = n
    }

    /// Builds the posterior of one output from its corrections B expressed in the V basis
    /// (δΘ_i = V b_i): the eigenvectors of CᵀC are V·U for the eigenvectors U of BᵀB.
    static func posterior(_ b: Matrix, basis v: Matrix, nSamples n: Int, options: POPSOptions, output j: Int) throws -> POPSPosterior {
        switch options.posterior {
        case .ensemble:
            return POPSPosterior(ensemble: Blas.mul(b, v, transB: true))
        case .hypercube:
            let g = b.data.withUnsafeBufferPointer { Blas.syrkT($0.baseAddress!, rows: b.rows, cols: b.cols, lda: b.cols) }
            let (w, u) = try Linalg.eigh(g)
            let wmax = w.max() ?? 0
            let keep = (0..<w.count).filter { w[$0] > options.modeThreshold * wmax }
            guard !keep.isEmpty else {
                throw EngineError("POPS: output \(j + 1): all pointwise corrections are zero (the model fits every high-leverage point exactly); no posterior")
            }
            var uk = Matrix(rows: u.rows, cols: keep.count)
            for r in 0..<u.rows { for (c, k) in keep.enumerated() { uk[r, c] = u[r, k] } }
            var support = Blas.mul(v, uk)
            POPSModel.orientColumns(&support, &uk)
            let projectedT = Blas.mul(uk, b, transA: true, transB: true)   // d × m: one direction per row
            let (lo, hi) = POPSModel.boxBounds(projectedT, clipping: options.percentileClipping)
            let count = max(100, Int((options.resampleDensity * Double(n)).rounded(.towardZero)))
            let seed = options.seed &+ UInt64(j) &* 0x9E37_79B9_7F4A_7C15
            return POPSPosterior(support: support, low: lo, high: hi, modeEigenvalues: keep.map { w[$0] }, pointCount: b.rows,
                                 count: count, seed: seed)
        }
    }

    /// Leverage h_i = Σ_k proj_ik² w_k of every row (w_k = 1/(s_k² + λ/α)): one pass over the
    /// row-major n × p projections X·V.
    static func leverage(_ proj: Matrix, weights w: [Double]) -> [Double] {
        let n = proj.rows, p = proj.cols
        var h = [Double](repeating: 0, count: n)
        proj.data.withUnsafeBufferPointer { pz in
            w.withUnsafeBufferPointer { pw in
                for i in 0..<n {
                    let row = pz.baseAddress! + i * p
                    var t = 0.0
                    for k in 0..<p { let z = row[k]; t += z * z * pw[k] }
                    h[i] = t
                }
            }
        }
        return h
    }

    /// Pointwise corrections in the V basis, one row per kept point:
    /// b_r = diag(w)·(Vᵀx_i)·f_r with f_r = e_i/h_i (zero where h_i = 0).
    static func corrections(_ proj: Matrix, rows: [Int], weights w: [Double], factors f: [Double]) -> Matrix {
        let p = proj.cols
        var b = Matrix(rows: rows.count, cols: p)
        proj.data.withUnsafeBufferPointer { pz in
            w.withUnsafeBufferPointer { pw in
                b.data.withUnsafeMutableBufferPointer { pb in
                    for (r, i) in rows.enumerated() {
                        let src = pz.baseAddress! + i * p, dst = pb.baseAddress! + r * p
                        let fr = f[r]
                        for k in 0..<p { dst[k] = src[k] * pw[k] * fr }
                    }
                }
            }
        }
        return b
    }

    /// Gives every box direction (column of `support`, p × d) a deterministic sign: its entry of
    /// largest magnitude positive (as PCA components). An eigenvector's sign is arbitrary, and a
    /// round-off change (another BLAS thread count) could otherwise flip it and with it every
    /// draw of δΘ made from the same seed. `basis` (the same directions in the V basis) follows.
    static func orientColumns(_ support: inout Matrix, _ basis: inout Matrix) {
        for c in 0..<support.cols {
            var big = 0.0, sign = 1.0
            for r in 0..<support.rows {
                let t = support[r, c]
                if abs(t) > big { big = abs(t); sign = t < 0 ? -1 : 1 }
            }
            guard sign < 0 else { continue }
            for r in 0..<support.rows { support[r, c] = -support[r, c] }
            for r in 0..<basis.rows { basis[r, c] = -basis[r, c] }
        }
    }

    /// [c, 100 − c] numpy percentiles of every row of the d × m projections (the box of the
    /// hypercube posterior); c = 0 is the exact min/max, found without sorting.
    static func boxBounds(_ projectedT: Matrix, clipping c: Double) -> ([Double], [Double]) {
        let d = projectedT.rows, m = projectedT.cols
        var lo = [Double](repeating: 0, count: d), hi = lo
        projectedT.data.withUnsafeBufferPointer { pp in
            for k in 0..<d {
                let row = UnsafeBufferPointer(rebasing: pp[(k * m)..<((k + 1) * m)])
                if c == 0 {
                    var a = Double.infinity, b = -Double.infinity
                    for t in row { a = min(a, t); b = max(b, t) }
                    lo[k] = a
                    hi[k] = b
                } else {
                    let values = Array(row)
                    lo[k] = numpyPercentile(values, c)
                    hi[k] = numpyPercentile(values, 100 - c)
                }
            }
        }
        return (lo, hi)
    }

    /// Input checks (see the type's doc comment).
    static func validate(_ x: Matrix, _ y: Matrix, _ o: POPSOptions) throws {
        try requireNonEmpty(x, "X")
        try requireSameRows(x, y)
        guard y.cols >= 1 else { throw EngineError("POPS: Y has no columns") }
        try requireFiniteRows(x, "X")
        try requireFiniteRows(y, "Y")
        let p = x.cols + (o.fitIntercept ? 1 : 0)
        guard x.rows > p else {
            throw EngineError("POPS: \(x.rows) samples for \(p) parameters\(o.fitIntercept ? " (features + intercept)" : ""); POPS needs more samples than parameters")
        }
        let (lo, hi) = columnRanges(x)
        for c in 0..<x.cols where lo[c] == hi[c] && (o.fitIntercept || lo[c] == 0) {
            throw EngineError("POPS: column \(c + 1) of X is constant (\(lo[c]))\(o.fitIntercept ? ", a copy of the intercept" : ""); remove it")
        }
        guard o.modeThreshold > 0 && o.modeThreshold.isFinite else { throw EngineError("POPS: mode_threshold must be > 0") }
        guard o.resampleDensity > 0 && o.resampleDensity.isFinite else { throw EngineError("POPS: resample_density must be > 0") }
        guard o.percentileClipping >= 0 && o.percentileClipping <= 50 else { throw EngineError("POPS: percentile_clipping must be in [0, 50]") }
        guard o.leveragePercentile >= 0 && o.leveragePercentile < 100 else { throw EngineError("POPS: leverage_percentile must be in [0, 100)") }
    }

    /// Column minima and maxima of X, in one row-major pass.
    static func columnRanges(_ x: Matrix) -> ([Double], [Double]) {
        let p = x.cols
        var lo = [Double](repeating: .infinity, count: p), hi = [Double](repeating: -.infinity, count: p)
        x.data.withUnsafeBufferPointer { px in
            lo.withUnsafeMutableBufferPointer { pl in
                hi.withUnsafeMutableBufferPointer { ph in
                    for i in 0..<x.rows {
                        let row = px.baseAddress! + i * p
                        for c in 0..<p { let t = row[c]; pl[c] = min(pl[c], t); ph[c] = max(ph[c], t) }
                    }
                }
            }
        }
        return (lo, hi)
    }

    /// X with a trailing column of ones when `intercept`.
    static func augmented(_ x: Matrix, intercept: Bool) -> Matrix {
        guard intercept else { return x }
        let n = x.rows, p = x.cols
        var out = Matrix(rows: n, cols: p + 1, repeating: 1)
        x.data.withUnsafeBufferPointer { px in
            out.data.withUnsafeMutableBufferPointer { po in
                for i in 0..<n { (po.baseAddress! + i * (p + 1)).update(from: px.baseAddress! + i * p, count: p) }
            }
        }
        return out
    }
}
