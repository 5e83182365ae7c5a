import DescryLinalg
import DescryStats
import LuaBridge
import LuaLinalgBridge

/// descry.var additions for parameter uncertainty: the noise-divisor option and coefficient
/// standard errors (argument conversion only; engine in DescryStats.VARModel).
enum VarUncertaintyBindings {
    /// The `noise_divisor` option of the options table at i ("unbiased" or "mle").
    static func divisor(_ call: LuaCall, _ i: Int32, default def: VARNoiseDivisor) throws -> VARNoiseDivisor {
        guard let s = try call.optionString(i, "noise_divisor") else { return def }
        guard let d = VARNoiseDivisor(rawValue: s) else {
            throw call.argumentError(i, "unknown noise_divisor '\(s)'; known: unbiased (nobs − (1 + P·D)), mle (nobs)")
        }
        return d
    }

    /// The parameter-draw option `key` of the options table at i: true = "member", false =
    /// "mean", or one of the names of `VARParameterDraw`; nil when absent.
    static func parameterDraw(_ call: LuaCall, _ i: Int32, _ key: String) throws -> VARParameterDraw? {
        try call.option(i, key, expected: "boolean or one of \"mean\", \"member\", \"diagonal\", \"full\"") { idx in
            if let b = call.booleanValue(idx) { return b ? .member : .mean }
            return call.stringValue(idx).flatMap { VARParameterDraw(rawValue: $0) }
        }
    }

    static let drawDoc = """
        Parameter draws (epistemic; Swinburne, PRL 131, 236101, 2023, "δT, δS from the covariance
        across subsets"): "member" (= true) a random bagging member per trajectory (its T, c, S);
        "diagonal" T ~ N(T̄, diag δT²), c ~ N(c̄, diag δc²), every coefficient independent with the
        across-member standard deviation (ddof 1, bag:dT(), bag:dc()); "full" (T, c) ~ N(θ̄, C), C the
        full across-member covariance (ddof 1) of the stacked coefficients, drawn as
        θ̄ + Σ_m ξ_m(θ_m − θ̄)/√(M−1); "mean" (= false) T̄, c̄, S̄ for all. Gaussian draws keep S = S̄.
        """

    static let bagMethods: [LuaMethod] = [
        LuaMethod("sample_params", """
            bag:sample_params(n [, {draw="member", seed=0}]) -> n × (P·D·D + D) parameter draws, one per
            row: lag_coef row by row ((P·D) × D, the layout of model:lag_coef()) then the intercept.
            """ + drawDoc) { call in
            let b = try call.object(1, as: LuaBaggedVAR.self).b
            try call.checkOptionKeys(3, allowed: ["draw", "seed"])
            let kind = try parameterDraw(call, 3, "draw") ?? .member
            call.push(matrix: try b.sampleParameters(kind, count: try call.integer(2), seed: try call.seedOption(3)))
            return 1
        },
    ]

    static let modelMethods: [LuaMethod] = [
        LuaMethod("stderr", """
            model:stderr() -> lag_se ((P·D) × D, the layout of model:lag_coef()), intercept_se (column)
            Standard errors of the least-squares VAR coefficients as statsmodels VARResults.stderr
            (Lütkepohl 2005 §3.2.2): SE(B_ij) = √([(ZᵀZ)⁻¹]_ii [S_u]_jj), Z = [1, lags], S_u the
            unbiased residual covariance (whatever noise_divisor the fit used), (ZᵀZ)⁻¹ from the QR
            of Z. Dimensionless for D̄ trajectories (units of x_{n+1} per unit of x_n). Errors for
            models not fitted by var.fit (hand-built, bagged members, loaded without them).
            """) { call in
            let m = try call.object(1, as: LuaVARModel.self).m
            guard let (se, ce) = m.standardErrors() else {
                throw call.error("stderr: this model has no standard errors (only var.fit least-squares fits have them)")
            }
            return call.results(se, Matrix(rows: ce.count, cols: 1, data: ce))
        },
    ]
}
