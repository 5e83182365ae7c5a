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
