import DescryLinalg
import DescryStats
import LuaBridge
import LuaLinalgBridge

/// A fitted POPS estimator (regress.pops) as Lua userdata.
final class LuaPOPSModel: LuaObject {
    static let luaTypeName = "regress.pops"
    let m: POPSModel
    init(_ m: POPSModel) { self.m = m }

    /// Bytes of Swift memory behind the userdata (reported to Lua's collector when pushed).
    var memoryFootprint: Int {
        let draws = m.posteriors.reduce(0) { $0 + $1.coordinates.count + ($1.support?.count ?? 0) + $1.covariance.count }
        return 8 * (draws + m.coefAugmented.count + m.eigenvectors.count + m.leverage.count)
    }
}

/// descry.regress.pops: POPS regression (Swinburne & Perez, Mach. Learn.: Sci. Technol. 6,
/// 015008, 2025) — argument conversion only; the engine is DescryStats.POPSModel.
enum RegressPOPSBindings {
    static let optionKeys: Set<String> = ["intercept", "posterior", "leverage_percentile", "percentile_clipping",
                                          "resample_density", "mode_threshold", "seed", "tol", "max_iter"]

    static func options(_ call: LuaCall, _ i: Int32) throws -> POPSOptions {
        try call.checkOptionKeys(i, allowed: optionKeys)
        var o = POPSOptions()
        o.fitIntercept = try call.optionBool(i, "intercept") ?? true
        if let s = try call.optionString(i, "posterior") {
            guard let k = POPSPosteriorKind(rawValue: s) else {
                throw call.argumentError(i, "unknown posterior '\(s)'; known: hypercube, ensemble")
            }
            o.posterior = k
        }
        if let v = try call.optionNumber(i, "leverage_percentile") { o.leveragePercentile = v }
        if let v = try call.optionNumber(i, "percentile_clipping") { o.percentileClipping = v }
        if let v = try call.optionNumber(i, "resample_density") { o.resampleDensity = v }
        if let v = try call.optionNumber(i, "mode_threshold") { o.modeThreshold = v }
        if let v = try call.optionNumber(i, "tol") { o.bayes.tol = v }
        if let v = try call.optionInteger(i, "max_iter") { o.bayes.maxIter = v }
        o.seed = try call.seedOption(i)
        return o
    }

    /// Pushes a model as userdata (the bridge charges the collector its memoryFootprint).
    static func push(_ call: LuaCall, _ m: POPSModel) {
        call.push(object: LuaPOPSModel(m))
    }

    static func model(_ call: LuaCall) throws -> POPSModel { try call.object(1, as: LuaPOPSModel.self).m }

    static func output(_ call: LuaCall, _ i: Int32, _ m: POPSModel) throws -> Int {
        let j = try call.optIndex(i, 1)
        guard j < m.nOutputs else { throw call.argumentError(i, "output \(j + 1) out of range 1…\(m.nOutputs)") }
        return j
    }

    static let functions: [LuaMethod] = [
        LuaMethod("pops", """
            pops(X, Y [, {intercept=true, posterior="hypercube", leverage_percentile=50,
                 percentile_clipping=0, resample_density=1, mode_threshold=1e-8, seed=0,
                 tol=1e-3, max_iter=300}]) -> pops model
            POPS regression (Swinburne & Perez, Mach. Learn.: Sci. Technol. 6, 015008, 2025) as the
            released popsregression 0.4.0: a Bayesian ridge fit of Ô = Θ·D̄ + Θ⁰ (eq. 2 of
            Swinburne, PRL 131, 236101, 2023), then parameter uncertainties that admit the model is
            wrong: for each high-leverage training point the smallest change of Θ fitting it exactly;
            the posterior of those changes is a box in their principal axes ("hypercube", draws
            uniform in it) or the changes themselves ("ensemble"). Its bands do not shrink as 1/N
            when the residuals are structure rather than noise. One column of Y per output.
            intercept: a column of ones taking part in the posterior (popsregression's default is
            false; descry's true like its other estimators). Draws come from descry's generator
            seeded by `seed` (popsregression uses numpy's global one). Solved by QR + SVD, never the
            normal equations. Errors: NaN/Inf, samples ≤ parameters, constant columns (with the
            intercept) or all-zero columns, numerically rank-deficient X. Units: those of X and Y.
            Methods: predict predict_std predict_bounds coef intercept alpha lambda sigma
            misspecification_cov posterior_samples sample_coef box leverage totable.
            """) { call in
            let x = try call.matrix(1), y = try call.matrix(2)
            let o = try options(call, 3)
            push(call, try POPSModel(fitting: x, y, options: o))
            return 1
        },
    ]

    static let methods: [LuaMethod] = [
        LuaMethod("predict", "pops:predict(X) -> n × q posterior-mean predictions X·Θ + Θ⁰.") { call in
            call.push(matrix: try model(call).linear.predict(try call.matrix(2)))
            return 1
        },
        LuaMethod("predict_std", """
            pops:predict_std(X) -> mean, std (n × q): std² = xᵀ(Σ_mis + Σ_epi)x, misspecification
            plus epistemic (popsregression predict(return_std=True)).
            """) { call in
            let p = try model(call).predict(try call.matrix(2), bounds: false)
            return call.results(p.mean, p.std)
        },
        LuaMethod("predict_bounds", """
            pops:predict_bounds(X) -> mean, std, upper, lower, epistemic_std (each n × q)
            upper/lower = mean + max/min over the posterior draws of x·δΘ (popsregression
            return_bounds); epistemic_std from the Bayesian ridge covariance alone.
            """) { call in
            let p = try model(call).predict(try call.matrix(2), bounds: true)
            return call.results(p.mean, p.std, p.upper, p.lower, p.epistemicStd)
        },
        LuaMethod("coef", "pops:coef() -> p × q coefficients Θ (posterior mean, one column per output).") { call in
            call.push(matrix: try model(call).linear.coef)
            return 1
        },
        LuaMethod("intercept", "pops:intercept() -> q-vector Θ⁰ (column; zeros without intercept).") { call in
            call.push(column: try model(call).linear.intercept)
            return 1
        },
        LuaMethod("alpha", "pops:alpha() -> array of noise precisions α (not used for prediction, as the reference).") { call in
            call.push(try model(call).alpha)
            return 1
        },
        LuaMethod("lambda", "pops:lambda() -> array of weight precisions λ.") { call in
            call.push(try model(call).lambda)
            return 1
        },
        LuaMethod("sigma", """
            pops:sigma([j=1]) -> epistemic covariance of the augmented coefficients [Θ; Θ⁰] of output j
            (Bayesian ridge, scikit-learn sigma_).
            """) { call in
            let m = try model(call)
            call.push(matrix: try m.epistemicCovariance(output: try output(call, 2, m)))
            return 1
        },
        LuaMethod("misspecification_cov", """
            pops:misspecification_cov([j=1]) -> Σ_mis of [Θ; Θ⁰] of output j: mean of δΘδΘᵀ over the
            posterior draws (popsregression misspecification_sigma_).
            """) { call in
            let m = try model(call)
            call.push(matrix: m.posteriors[try output(call, 2, m)].covariance)
            return 1
        },
        LuaMethod("posterior_samples", """
            pops:posterior_samples([j=1]) -> N × (p [+1]) draws δΘ (rows; intercept last), the
            transpose of popsregression posterior_samples_.
            """) { call in
            let m = try model(call)
            call.push(matrix: m.posteriors[try output(call, 2, m)].draws())
            return 1
        },
        LuaMethod("sample_coef", """
            pops:sample_coef(n [, {output=1, seed=0}]) -> n × (p [+1]) fresh draws Θ + δΘ (intercept
            last): uniform in the box (hypercube) or resampled corrections (ensemble).
            """) { call in
            let m = try model(call)
            try call.checkOptionKeys(3, allowed: ["output", "seed"])
            let j = try call.optionInteger(3, "output") ?? 1
            guard j >= 1 && j <= m.nOutputs else { throw call.argumentError(3, "output \(j) out of range 1…\(m.nOutputs)") }
            var rng = StatsRNG(seed: try call.seedOption(3))
            call.push(matrix: try m.sampleCoefficients(output: j - 1, count: try call.integer(2), rng: &rng))
            return 1
        },
        LuaMethod("box", """
            pops:box([j=1]) -> {directions=(p [+1]) × d, low=, high=, eigenvalues=, points=} — the
            hypercube of output j: principal directions of the pointwise corrections (columns) and
            the bounds along them; points = number of high-leverage corrections used.
            """) { call in
            let m = try model(call)
            let post = m.posteriors[try output(call, 2, m)]
            guard let s = post.support else { throw call.error("pops:box needs a hypercube posterior (this one is an ensemble)") }
            call.pushRecord([("directions", { call.push(matrix: s) }), ("low", { call.push(post.low) }),
                             ("high", { call.push(post.high) }), ("eigenvalues", { call.push(post.modeEigenvalues) }),
                             ("points", { call.push(post.pointCount) })])
            return 1
        },
        LuaMethod("leverage", "pops:leverage() -> n × q leverage scores h_i = xᵢᵀ(XᵀX + λ/α I)⁻¹xᵢ of the training points.") { call in
            call.push(matrix: try model(call).leverage)
            return 1
        },
        LuaMethod("totable", """
            pops:totable() -> {kind="regress.pops", ...} for json.save; restore with regress.from_table.
            Hypercube draws are stored as their seed and count and regenerated on load.
            """) { call in
            pushTable(call, try model(call))
            return 1
        },
    ]

    static func pushTable(_ call: LuaCall, _ m: POPSModel) {
        let o = m.options
        call.pushRecord([
            ("kind", { call.push("regress.pops") }), ("version", { call.push(1) }),
            ("intercept", { call.push(o.fitIntercept) }), ("n_features", { call.push(m.nFeatures) }),
            ("n_samples", { call.push(m.nSamples) }), ("posterior", { call.push(o.posterior.rawValue) }),
            ("leverage_percentile", { call.push(o.leveragePercentile) }), ("percentile_clipping", { call.push(o.percentileClipping) }),
            ("resample_density", { call.push(o.resampleDensity) }), ("mode_threshold", { call.push(o.modeThreshold) }),
            ("seed", { call.push(Int(Int64(bitPattern: o.seed))) }),
            ("coef_augmented", { call.push(matrix: m.coefAugmented) }), ("alpha", { call.push(m.alpha) }),
            ("lambda", { call.push(m.lambda) }), ("n_iter", { call.push(m.nIter) }),
            ("eigenvalues", { call.push(m.eigenvalues) }), ("eigenvectors", { call.push(matrix: m.eigenvectors) }),
            ("posteriors", {
                call.pushList(m.posteriors.count) { j in
                    let p = m.posteriors[j]
                    var fields: [(String, () -> Void)] = [("kind", { call.push(p.kind.rawValue) }), ("points", { call.push(p.pointCount) })]
                    if let s = p.support {
                        fields += [("support", { call.push(matrix: s) }), ("low", { call.push(p.low) }), ("high", { call.push(p.high) }),
                                   ("eigenvalues", { call.push(p.modeEigenvalues) }), ("count", { call.push(p.drawCount) })]
                        if let seed = p.drawSeed { fields.append(("draw_seed", { call.push(Int(Int64(bitPattern: seed))) })) }
                        else { fields.append(("draws", { call.push(matrix: p.coordinates) })) }
                    } else {
                        fields.append(("corrections", { call.push(matrix: p.coordinates) }))
                    }
                    call.pushRecord(fields)
                }
            }),
        ])
    }

    /// Number array field `key` of the table at i.
    static func arrayField(_ call: LuaCall, _ i: Int32, _ key: String) throws -> [Double] {
        try call.withField(i, key) { t in
            guard call.type(t) == LUA_TTABLE_VALUE else { throw call.argumentError(i, "field '\(key)': array expected") }
            return try call.numberArray(t)
        }
    }

    /// regress.from_table for kind "regress.pops".
    static func fromTable(_ call: LuaCall, _ i: Int32) throws -> POPSModel {
        var o = POPSOptions()
        o.fitIntercept = try call.optionBool(i, "intercept") ?? false
        let kind = try call.optionString(i, "posterior") ?? "hypercube"
        guard let pk = POPSPosteriorKind(rawValue: kind) else { throw call.argumentError(i, "unknown posterior '\(kind)'") }
        o.posterior = pk
        if let v = try call.optionNumber(i, "leverage_percentile") { o.leveragePercentile = v }
        if let v = try call.optionNumber(i, "percentile_clipping") { o.percentileClipping = v }
        if let v = try call.optionNumber(i, "resample_density") { o.resampleDensity = v }
        if let v = try call.optionNumber(i, "mode_threshold") { o.modeThreshold = v }
        o.seed = try call.seedOption(i)
        guard let nf = try call.optionInteger(i, "n_features") else { throw call.argumentError(i, "field 'n_features' missing") }
        let nIter = try arrayField(call, i, "n_iter").map { v -> Int in
            guard let k = call.exactInt(v) else { throw call.argumentError(i, "field 'n_iter': integers expected") }
            return k
        }
        var posts: [POPSPosterior] = []
        try call.withField(i, "posteriors") { list in
            try call.checkTable(list)
            guard call.rawLength(list) >= 1 else { throw call.argumentError(i, "field 'posteriors' is empty") }
            try call.forEachElement(list) { _, t in
                try call.checkTable(t)
                posts.append(try posterior(call, t))
            }
        }
        return try POPSModel(options: o, nFeatures: nf, coefAugmented: try call.matrixField(i, "coef_augmented"),
                             alpha: try arrayField(call, i, "alpha"), lambda: try arrayField(call, i, "lambda"), nIter: nIter,
                             eigenvalues: try arrayField(call, i, "eigenvalues"), eigenvectors: try call.matrixField(i, "eigenvectors"),
                             posteriors: posts, nSamples: try call.optionInteger(i, "n_samples") ?? 0)
    }

    /// One saved posterior (a table at stack index t).
    static func posterior(_ call: LuaCall, _ t: Int32) throws -> POPSPosterior {
        let points = try call.optionInteger(t, "points") ?? 0
        if try call.optionString(t, "kind") == "ensemble" {
            return try POPSPosterior.restoringEnsemble(corrections: try call.matrixField(t, "corrections"))
        }
        let hasDraws = call.withField(t, "draws") { call.type($0) != LUA_TNIL_VALUE }
        let draws: Matrix? = hasDraws ? try call.matrixField(t, "draws") : nil
        let seed = UInt64(bitPattern: Int64(try call.optionInteger(t, "draw_seed") ?? 0))
        return try POPSPosterior.restoringHypercube(
            support: try call.matrixField(t, "support"), low: try arrayField(call, t, "low"), high: try arrayField(call, t, "high"),
            modeEigenvalues: try arrayField(call, t, "eigenvalues"), pointCount: points,
            count: try call.optionInteger(t, "count") ?? 100, seed: seed, coordinates: draws)
    }

    static let luaClass = LuaClass(typeName: LuaPOPSModel.luaTypeName, shortName: "pops",
                                   doc: "regress.pops: a fitted POPS estimator (Swinburne & Perez 2025).", methods: methods)
}
