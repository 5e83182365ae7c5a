import DescryLinalg
import DescryStats
import LuaBridge
import LuaLinalgBridge

/// descry.idim additions: GRIDE and DANCo's statistics (argument conversion only).
enum IdimExtraBindings {
    /// Pushes DANCo's statistics table {dhat, mu_nu, mu_tau, kl}.
    static func pushStatistics(_ call: LuaCall, _ r: IntrinsicDimension.DANCoResult) {
        call.pushRecord([("dhat", { call.push(r.mindMLk) }), ("mu_nu", { call.push(r.muNu) }),
                         ("mu_tau", { call.push(r.muTau) }), ("kl", { call.push(r.kl) })])
    }

    static let functions: [LuaMethod] = [
        LuaMethod("gride", """
            gride(X [, {range_max=64, d0=0.001, d1=1000, eps=1e-7}]) -> dims, errors, scales, ranks
            GRIDE, the multiscale generalised-ratio intrinsic dimension (Denti, Doimo, Laio & Mira,
            Sci. Rep. 12, 20005, 2022) as DADApy Data.return_id_scaling_gride: one estimate per
            scale n₁ = 1, 2, 4, … < range_max from the ratios r_{2n₁}/r_{n₁} of neighbour distances,
            by DADApy's bisection on [d0, d1] to eps. errors = 1/√(Fisher information); scales =
            mean of r_{n₁} and r_{2n₁} (units of X, e.g. Å or descriptor units); ranks = 2n₁.
            A dimension that changes with scale separates noise (small scales) from the manifold.
            """) { call in
            try call.checkOptionKeys(2, allowed: ["range_max", "d0", "d1", "eps"])
            let r = try IntrinsicDimension.gride(try call.matrix(1), rangeMax: try call.optionInteger(2, "range_max") ?? 64,
                                                 d0: try call.optionNumber(2, "d0") ?? 0.001, d1: try call.optionNumber(2, "d1") ?? 1000,
                                                 eps: try call.optionNumber(2, "eps") ?? 1e-7)
            return call.results(r.dimensions, r.errors, r.scales, r.ranks)
        },
    ]
}

/// stats.pca additions: singular values and the probabilistic-PCA noise variance.
enum PCAExtraBindings {
    static let methods: [LuaMethod] = [
        LuaMethod("singular_values", """
            pca:singular_values() -> array: the k largest singular values of the centred data
            (scikit-learn singular_values_; explained variance = s²/(n − 1)).
            """) { call in
            call.push(try call.object(1, as: LuaPCA.self).p.singularValues)
            return 1
        },
        LuaMethod("noise_variance", """
            pca:noise_variance() -> mean of the discarded explained variances, the probabilistic PCA
            noise σ² (Tipping & Bishop 1999; scikit-learn noise_variance_; 0 when all components kept).
            """) { call in
            call.push(try call.object(1, as: LuaPCA.self).p.noiseVariance)
            return 1
        },
    ]
}
