import Glibc
import DescryLinalg

/// The paper's bagged VAR(P) fit (Swinburne, PRL 131, 236101, 2023, after eq. 3): Bayesian ridge
/// regression (`BayesianRidgeModel`, scikit-learn's evidence maximisation) on `subsets` random
/// overlapping subsets of the lag pairs, each holding a `coverage` fraction of them (drawn
/// without replacement within a subset, independently across subsets). The ensemble gives
/// T̄ = mean of the member coefficients, δT = their standard deviation across subsets (ddof 1),
/// and likewise S̄, δS from the members' residual covariances. Member noise divisor: `.mle`
/// (the subset size n, the default: a Bayesian-ridge member's shrunk fit uses γ < 1 + P·D
/// effective parameters, so n − (1 + P·D) would over-correct, and n keeps S̄ equal to the
/// published bagging) or `.unbiased` (n − (1 + P·D), as `VARModel.fit`'s default).
/// Each subset needs ONE decomposition of its centred design (`dsyrk` + `dsyevd`), shared by all
/// D outputs; the per-output evidence iterations are then O(P·D) each.
public struct BaggedVAR {
    public let members: [VARModel]
    /// Model with the mean parameters T̄, c̄, S̄.
    public let mean: VARModel
    /// δT: standard deviation of each entry of `lagCoef` across members (same layout).
    public let lagCoefStd: Matrix
    public let interceptStd: [Double]
    /// δS: standard deviation of each entry of the noise covariance across members.
    public let noiseCovStd: Matrix
    public let coverage: Double

    /// Fits `subsets` members (paper: 10–40 subsets of 10–40 % coverage), reproducibly from `seed`.
    public static func fit(_ trajectories: [Matrix], order p: Int, subsets: Int = 20, coverage: Double = 0.25,
                           seed: UInt64 = 0, options: BayesianRidgeOptions = BayesianRidgeOptions(),
                           noiseDivisor: VARNoiseDivisor = .mle) throws -> BaggedVAR {
        let des = try VARDesign(trajectories: trajectories, order: p)
        return try fit(design: des, subsets: subsets, coverage: coverage, seed: seed, options: options, noiseDivisor: noiseDivisor)
    }

    public static func fit(design des: VARDesign, subsets: Int, coverage: Double, seed: UInt64,
                           options: BayesianRidgeOptions = BayesianRidgeOptions(),
                           noiseDivisor: VARNoiseDivisor = .mle) throws -> BaggedVAR {
        guard subsets >= 2 else { throw EngineError("bagged VAR: need at least 2 subsets, got \(subsets)") }
        guard coverage > 0 && coverage <= 1 else { throw EngineError("bagged VAR: coverage must be in (0, 1], got \(coverage)") }
        let size = Int((coverage * Double(des.nobs)).rounded())
        guard size >= 3 else {
            throw EngineError("bagged VAR: a subset would hold \(size) of \(des.nobs) lag pairs; increase coverage or data")
        }
        var rng = StatsRNG(seed: seed)
        var members: [VARModel] = []
        members.reserveCapacity(subsets)
        var o = options
        o.fitIntercept = true
        for _ in 0..<subsets {
            try Interruption.check()
            let idx = rng.sample(size, from: des.nobs)
            members.append(try fitMember(z: des.z.gatherRows(idx), y: des.y.gatherRows(idx), order: des.order, options: o,
                                         noiseDivisor: noiseDivisor))
        }
        return try BaggedVAR(members: members, coverage: coverage)
    }

    /// One Bayesian-ridge VAR on a subset (all outputs share the Gram eigendecomposition).
    static func fitMember(z: Matrix, y: Matrix, order: Int, options: BayesianRidgeOptions,
                          noiseDivisor: VARNoiseDivisor = .mle) throws -> VARModel {
        let d = try CentredData(z, y, fitIntercept: true)
        let n = z.rows, w = z.cols, q = y.cols
        let (e, v) = try BayesianRidgeModel.decompose(d.x, method: .gram)
        let xty = Blas.mul(d.x, d.y, transA: true)
        var yy = [Double](repeating: 0, count: q)
        d.y.data.withUnsafeBufferPointer { py in
            for i in 0..<n { for j in 0..<q { let t = py[i * q + j]; yy[j] += t * t } }
        }
        let yVar = yy.map { $0 / Double(n) }
        let core = BayesianRidgeCore(eigenvalues: e, eigenvectors: v, n: n, options: options)
        let res = core.solve(xty: xty, yy: yy, yVar: yVar, xc: d.x, yc: d.y)
        let lin = d.model(res.coef)
        // residual covariance on the subset
        var r = d.y
        let pred = Blas.mul(d.x, res.coef)
        for i in r.data.indices { r.data[i] -= pred.data[i] }
        var s = r.data.withUnsafeBufferPointer { Blas.syrkT($0.baseAddress!, rows: n, cols: q, lda: q) }
        let divisor = try noiseDivisor.value(nobs: n, parameters: 1 + w)
        for i in s.data.indices { s.data[i] /= divisor }
        var m = try VARModel(lagCoef: lin.coef, intercept: lin.intercept, noiseCov: s)
        m.nobs = n
        return m
    }

    /// Aggregates members into T̄, δT, S̄, δS.
    public init(members: [VARModel], coverage: Double) throws {
        guard members.count >= 2 else { throw EngineError("bagged VAR: need at least 2 members") }
        let m0 = members[0]
        func meanStd(_ get: (VARModel) -> [Double]) -> ([Double], [Double]) {
            let k = get(m0).count
            var mu = [Double](repeating: 0, count: k), sd = mu
            for m in members { let v = get(m); for i in 0..<k { mu[i] += v[i] } }
            let nm = Double(members.count)
            for i in 0..<k { mu[i] /= nm }
            for m in members { let v = get(m); for i in 0..<k { let t = v[i] - mu[i]; sd[i] += t * t } }
            for i in 0..<k { sd[i] = (sd[i] / (nm - 1)).squareRoot() }
            return (mu, sd)
        }
        let (tm, ts) = meanStd { $0.lagCoef.data }
        let (cm, cs) = meanStd { $0.intercept }
        let (sm, ss) = meanStd { $0.noiseCov.data }
        let r = m0.lagCoef.rows, d = m0.dimension
        var mean = try VARModel(lagCoef: Matrix(rows: r, cols: d, data: tm), intercept: cm,
                                noiseCov: Matrix(rows: d, cols: d, data: sm))
        mean.nobs = m0.nobs
        self.members = members
        self.mean = mean
        lagCoefStd = Matrix(rows: r, cols: d, data: ts)
        interceptStd = cs
        noiseCovStd = Matrix(rows: d, cols: d, data: ss)
        self.coverage = coverage
    }
}
