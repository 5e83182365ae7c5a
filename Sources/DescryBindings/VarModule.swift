import DescryLinalg
import DescryStats
import LuaBridge
import LuaLinalgBridge

final class LuaVARModel: LuaObject {
    static let luaTypeName = "var.model"
    let m: VARModel
    init(_ m: VARModel) { self.m = m }
}

final class LuaBaggedVAR: LuaObject {
    static let luaTypeName = "var.bagged"
    let b: BaggedVAR
    init(_ b: BaggedVAR) { self.b = b }
}

enum VarBindings {
    static func seedArg(_ call: LuaCall, _ i: Int32) throws -> UInt64 { try call.seedOption(i) }

    static let functions: [LuaMethod] = [
        LuaMethod("fit", """
            fit(trajectories, P) -> model
            fit(trajectories, {order=P [, noise_divisor="unbiased", bags=n, coverage=0.25, seed=0]}) -> model or bag
            VAR(P) least squares with intercept on a list of trajectories (la.matrix, steps × D,
            unequal lengths allowed; lag pairs never cross trajectories) — eq. 3 of Swinburne,
            PRL 131, 236101 (2023). model:noise_cov() = RᵀR/divisor, the simulation noise S:
            noise_divisor "unbiased" (default) divides by nobs − (1 + P·D) (statsmodels sigma_u,
            unbiased because least-squares residuals lose the 1 + P·D fitted directions per
            equation), "mle" by nobs. model:residual_cov_mle() always divides by nobs;
            model:stderr() gives statsmodels' coefficient standard errors. With `bags`, the
            bagged Bayesian-ridge fit (as var.bagged with subsets = bags; its members divide by
            n unless noise_divisor is given).
            """) { call in
            let trajs = try call.matrices(1)
            if call.type(2) == LUA_TTABLE_VALUE {
                try call.checkOptionKeys(2, allowed: ["order", "bags", "coverage", "seed", "noise_divisor"])
                guard let p = try call.optionInteger(2, "order") else { throw call.argumentError(2, "option 'order' (P) is required") }
                if let bags = try call.optionInteger(2, "bags") {
                    call.push(object: LuaBaggedVAR(try BaggedVAR.fit(trajs, order: p, subsets: bags,
                                                                     coverage: try call.optionNumber(2, "coverage") ?? 0.25,
                                                                     seed: try call.seedOption(2),
                                                                     noiseDivisor: try VarUncertaintyBindings.divisor(call, 2, default: .mle))))
                } else {
                    call.push(object: LuaVARModel(try VARModel.fit(trajs, order: p,
                                                                   noiseDivisor: try VarUncertaintyBindings.divisor(call, 2, default: .unbiased))))
                }
                return 1
            }
            call.push(object: LuaVARModel(try VARModel.fit(trajs, order: try call.integer(2))))
            return 1
        },
        LuaMethod("bagged", """
            bagged(trajectories, P [, {subsets=20, coverage=0.25, seed=0, tol=1e-3, noise_divisor="mle"}]) -> bag
            The paper's bagged VAR: Bayesian ridge (scikit-learn's evidence maximisation) on random
            overlapping subsets of the lag pairs. bag:mean() (T̄, S̄), bag:dT(), bag:dc(), bag:dS(),
            bag:member(i), bag:simulate(...) with parameters drawn from the members.
            Member noise S = RᵀR/divisor over the subset's n lag pairs: noise_divisor "mle"
            (default) divides by n — a Bayesian-ridge member is shrunk and uses fewer than
            1 + P·D effective parameters, so n − (1 + P·D) over-corrects, and n is the published
            bagging — "unbiased" by n − (1 + P·D) as var.fit's default (S̄ differs by the factor
            n/(n − 1 − P·D), ~20 % at the paper's scale).
            """) { call in
            try call.checkOptionKeys(3, allowed: ["subsets", "coverage", "seed", "tol", "max_iter", "noise_divisor"])
            var o = BayesianRidgeOptions()
            if let t = try call.optionNumber(3, "tol") { o.tol = t }
            if let m = try call.optionInteger(3, "max_iter") { o.maxIter = m }
            let b = try BaggedVAR.fit(try call.matrices(1), order: try call.integer(2),
                                      subsets: try call.optionInteger(3, "subsets") ?? 20,
                                      coverage: try call.optionNumber(3, "coverage") ?? 0.25,
                                      seed: try seedArg(call, 3), options: o,
                                      noiseDivisor: try VarUncertaintyBindings.divisor(call, 3, default: .mle))
            call.push(object: LuaBaggedVAR(b))
            return 1
        },
        LuaMethod("from_table", """
            from_table(t) -> model or bag
            Rebuilds a var.model or var.bagged from model:totable() / bag:totable() (e.g. after
            json.load); matrices may be la.matrix or {rows=, cols=, data=}.
            """) { call in
            try call.checkTable(1)
            if try call.optionString(1, "kind") == "var.bagged" {
                var members: [VARModel] = []
                do {
                    call.rawField(1, "members")
                    defer { call.pop() }
                    let top = call.argumentCount
                    try call.checkTable(top)
                    for k in 1...max(1, call.rawLength(top)) {
                        call.rawIndex(top, k)
                        defer { call.pop() }
                        members.append(try readTable(call, call.argumentCount))
                    }
                }
                call.push(object: LuaBaggedVAR(try BaggedVAR(members: members, coverage: try call.optionNumber(1, "coverage") ?? 0)))
            } else {
                call.push(object: LuaVARModel(try readTable(call, 1)))
            }
            return 1
        },
        LuaMethod("select_order", """
            select_order(trajectories, maxP) -> table {P, aic, bic}..., bestAIC, bestBIC
            AIC/BIC (statsmodels definitions) for P = 1..maxP on a common sample.
            """) { call in
            let r = try VARSelection.selectOrder(try call.matrices(1), maxOrder: try call.integer(2))
            call.pushList(r.table.count) { i in
                let e = r.table[i]
                call.pushRecord([("P", { call.push(e.order) }), ("aic", { call.push(e.aic) }), ("bic", { call.push(e.bic) })])
            }
            call.push(r.bestAIC)
            call.push(r.bestBIC)
            return 3
        },
        LuaMethod("order_convergence", """
            order_convergence(trajectories, {P1, P2, ...}) -> array of {P, rms, stationary_mean}
            Convergence test in P: one-step RMS residual and stationary mean per order.
            """) { call in
            let orders = try call.numberArray(2).map { v -> Int in
                guard let p = call.exactInt(v) else { throw call.argumentError(2, "orders must be integers") }
                return p
            }
            let r = try VARSelection.orderConvergence(try call.matrices(1), orders: orders)
            call.pushList(r.count) { i in
                let e = r[i]
                call.pushRecord([("P", { call.push(e.order) }), ("rms", { call.push(e.rmsResidual) }),
                                 ("stationary_mean", { if let m = e.stationaryMean { call.push(column: m) } else { call.pushNil() } })])
            }
            return 1
        },
        LuaMethod("ck_test", """
            ck_test(trajectories, P, maxHorizon) -> array of relative errors
            Chapman–Kolmogorov test: ‖[Aʰ]_top − B_h‖/‖B_h‖ with B_h a direct h-step fit.
            """) { call in
            call.push(try VARSelection.chapmanKolmogorov(try call.matrices(1), order: try call.integer(2),
                                                         maxHorizon: try call.integer(3)))
            return 1
        },
        .matrix("windows", "windows(trajectories, P, t) -> M × P·D history windows ending at step t (1-based).") { call in
            try Ensemble.windows(try call.matrices(1), order: try call.integer(2), endingAt: try call.index(3))
        },
        LuaMethod("resample", """
            resample(windows, P, count [, {seed=0, method="oas"}]) -> list of P × D histories
            Resampled initial conditions (Fig. 3e–h): a normal fitted to the history windows.
            """) { call in
            try call.checkOptionKeys(4, allowed: ["seed", "method"])
            let method = try call.covarianceMethod(try call.optionString(4, "method"), arg: 4)
            call.push(matrices: try Ensemble.resampleHistories(windows: try call.matrix(1), order: try call.integer(2),
                                                               count: try call.integer(3), seed: try seedArg(call, 4),
                                                               estimator: method))
            return 1
        },
        LuaMethod("moments", "moments(trajectories) -> mean, variance (steps × D) over an ensemble of equal length.") { call in
            let (m, v) = try Ensemble.moments(try call.matrices(1))
            return call.results(m, v)
        },
        .matrix("slice", "slice(trajectories, t) -> M × D states at step t (1-based).") { call in
            try Ensemble.slice(try call.matrices(1), at: try call.index(2))
        },
        LuaMethod("mean_mahalanobis", """
            mean_mahalanobis(trajectories, mahalanobis_model) -> array ⟨M(D̄_n)⟩ per step (eq. 4–5).
            """) { call in
            let m = try call.object(2, as: LuaMahalanobis.self).m
            call.push(try ForecastUncertainty.meanMahalanobis(try call.matrices(1), model: m))
            return 1
        },
        LuaMethod("sigma_m2", """
            sigma_m2(bag, mahalanobis_model) -> σ_M²: variance across bagging members of M at each
            member's stationary mean (our reading of eq. 5's propagated epistemic uncertainty).
            """) { call in
            call.push(try ForecastUncertainty.sigmaM2(try call.object(1, as: LuaBaggedVAR.self).b,
                                                       model: try call.object(2, as: LuaMahalanobis.self).m))
            return 1
        },
        .returning("m_sigma", "m_sigma(times, sigma_m2, dtau) -> array M_σ(t) = σ_M² t/δτ (eq. 5).") { call in
            call.push(ForecastUncertainty.mSigma(times: try call.numberArray(1), sigmaM2: try call.number(2), dtau: try call.number(3)))
        },
        LuaMethod("m0", "m0(times, M, tau_tr) -> array M_0(t) = t/(M τ_tr), the lower bound of eq. 5.") { call in
            call.push(ForecastUncertainty.m0(times: try call.numberArray(1), ensembleSize: try call.integer(2),
                                             trainingDuration: try call.number(3)))
            return 1
        },
        LuaMethod("uncertainty", "uncertainty(meanM, times, sigma_m2, dtau) -> array M(t) = ⟨M⟩ + M_σ(t) (eq. 5).") { call in
            call.push(try ForecastUncertainty.total(meanMahalanobis: try call.numberArray(1), times: try call.numberArray(2),
                                                    sigmaM2: try call.number(3), dtau: try call.number(4)))
            return 1
        },
        LuaMethod("horizon", "horizon(times, values [, threshold=2]) -> τ_pred (first crossing, interpolated) or nil.") { call in
            if let h = ForecastUncertainty.predictionHorizon(times: try call.numberArray(1), values: try call.numberArray(2),
                                                             threshold: try call.optNumber(3, 2)) { call.push(h) } else { call.pushNil() }
            return 1
        },
        LuaMethod("efficiency", "efficiency(tau_pred, M, tau_tr) -> η = τ_pred/(M τ_tr).") { call in
            call.push(ForecastUncertainty.parallelEfficiency(predictionHorizon: try call.number(1), ensembleSize: try call.integer(2),
                                                             trainingDuration: try call.number(3)))
            return 1
        },
    ]

    static func model(_ call: LuaCall) throws -> VARModel { try call.object(1, as: LuaVARModel.self).m }

    /// Pushes the parameters of `m` as a table (json.save writes matrices as {rows, cols, data}).
    static func pushTable(_ call: LuaCall, _ m: VARModel) {
        var fields: [(String, () -> Void)] = [
            ("kind", { call.push("var.model") }), ("lag_coef", { call.push(matrix: m.lagCoef) }),
            ("intercept", { call.push(column: m.intercept) }), ("noise_cov", { call.push(matrix: m.noiseCov) }),
            ("residual_cov_mle", { call.push(matrix: m.residualCovMLE) }), ("nobs", { call.push(m.nobs) })]
        if let (se, ce) = m.standardErrors() {
            fields.append(("lag_coef_stderr", { call.push(matrix: se) }))
            fields.append(("intercept_stderr", { call.push(column: ce) }))
        }
        call.pushRecord(fields)
    }

    /// Reads a model table written by `pushTable` (or decoded from JSON) at index i.
    static func readTable(_ call: LuaCall, _ i: Int32) throws -> VARModel {
        try call.checkTable(i)
        var m = try VARModel(lagCoef: try call.matrixField(i, "lag_coef"), intercept: try call.matrixField(i, "intercept").data,
                             noiseCov: try call.matrixField(i, "noise_cov"))
        if let s = try? call.matrixField(i, "residual_cov_mle") { m.residualCovMLE = s }
        if let se = try? call.matrixField(i, "lag_coef_stderr"), let ce = try? call.matrixField(i, "intercept_stderr"),
           se.rows == m.lagCoef.rows, se.cols == m.dimension, ce.count == m.dimension {
            m.setStandardErrors(lag: se, intercept: ce.data)
        }
        m.nobs = try call.optionInteger(i, "nobs") ?? 0
        return m
    }

    /// x0: one history (la.matrix) or a list of them.
    static func histories(_ call: LuaCall, _ i: Int32) throws -> [Matrix] {
        if let m = call.testMatrix(i) { return [m.m] }
        return try call.matrices(i, "histories")
    }

    static let forecastDoc = """
        forecast(x0, {steps=, samples=1, noise=true, epistemic=true, seed=0}) -> list of steps × D
        Forecast ensemble from a history x0 (≥ P steps, or a list of histories): `samples`
        noisy continuations of each; for a bag, epistemic=true (or "member") draws each
        trajectory's parameters from a random member (T, S spread), false (or "mean") uses T̄, S̄,
        "diagonal" / "full" draw T, c from a normal with the bag's spread (see bag:sample_params).
        """

    static let modelMethods: [LuaMethod] = [
        LuaMethod("forecast", forecastDoc) { call in
            try call.checkOptionKeys(3, allowed: ["steps", "samples", "noise", "epistemic", "seed"])
            guard let steps = try call.optionInteger(3, "steps") else { throw call.argumentError(3, "option 'steps' is required") }
            call.push(matrices: try model(call).forecast(histories: try histories(call, 2), steps: steps,
                                                        perHistory: try call.optionInteger(3, "samples") ?? 1,
                                                        noise: try call.optionBool(3, "noise") ?? true, seed: try call.seedOption(3)))
            return 1
        },
        LuaMethod("coef", "model:coef(p) -> T_p (D × D), the coefficient of x_{n−p+1} (p = 1..P).") { call in
            let m = try model(call)
            let p = try call.integer(2)
            guard p >= 1 && p <= m.order else { throw call.argumentError(2, "lag \(p) out of range 1…\(m.order)") }
            call.push(matrix: m.coefficient(lag: p - 1))
            return 1
        },
        .matrix("lag_coef", "model:lag_coef() -> (P·D) × D stacked [T_1ᵀ; T_2ᵀ; …] (statsmodels params layout).") { call in
            try model(call).lagCoef
        },
        .column("intercept", "model:intercept() -> c (column).") { call in try model(call).intercept },
        .matrix("noise_cov", "model:noise_cov() -> S used for simulation.") { call in try model(call).noiseCov },
        .matrix("residual_cov_mle", "model:residual_cov_mle() -> RᵀR/nobs.") { call in try model(call).residualCovMLE },
        .matrix("companion", "model:companion() -> Wold/companion matrix (P·D × P·D).") { call in
            try model(call).companion()
        },
        .returning("spectral_radius", "model:spectral_radius() -> largest |eigenvalue| of the companion matrix (< 1: stable).") { call in
            call.push(try model(call).spectralRadius())
        },
        .column("stationary_mean", "model:stationary_mean() -> (I − ΣT_p)⁻¹ c (column).") { call in
            try model(call).stationaryMean()
        },
        .matrix("stationary_cov", "model:stationary_cov([full=false]) -> stationary covariance (discrete Lyapunov equation).") { call in
            try model(call).stationaryCovariance(full: call.boolean(2))
        },
        LuaMethod("ic", "model:ic() -> aic, bic (statsmodels definitions).") { call in
            let ic = try model(call).informationCriteria()
            return call.results(ic.aic, ic.bic)
        },
        .returning("nobs", "model:nobs() -> number of lag pairs fitted.") { call in call.push(try model(call).nobs) },
        LuaMethod("totable", """
            model:totable() -> {kind="var.model", lag_coef, intercept, noise_cov, residual_cov_mle, nobs}
            Save with json.save(path, model:totable()); restore with var.from_table(json.load(path)).
            """) { call in
                pushTable(call, try model(call))
                return 1
            },
        LuaMethod("simulate", """
            model:simulate(histories, steps [, {noise=true, per=1, seed=0}]) -> list of steps × D
            Continues each history (≥ P steps) `per` times: x_{n+1} = ΣT_p x_{n−p} + c + w_n.
            """) { call in
            try call.checkOptionKeys(4, allowed: ["noise", "per", "seed"])
            call.push(matrices: try model(call).forecast(histories: try call.matrices(2, "histories"), steps: try call.integer(3),
                                                        perHistory: try call.optionInteger(4, "per") ?? 1,
                                                        noise: try call.optionBool(4, "noise") ?? true, seed: try call.seedOption(4)))
            return 1
        },
    ]

    static func bag(_ call: LuaCall) throws -> BaggedVAR { try call.object(1, as: LuaBaggedVAR.self).b }

    static let bagMethods: [LuaMethod] = [
        LuaMethod("forecast", forecastDoc) { call in
            try call.checkOptionKeys(3, allowed: ["steps", "samples", "noise", "epistemic", "seed"])
            guard let steps = try call.optionInteger(3, "steps") else { throw call.argumentError(3, "option 'steps' is required") }
            let per = try call.optionInteger(3, "samples") ?? 1
            guard per >= 1 else { throw call.argumentError(3, "option 'samples' must be ≥ 1") }
            let hs = try histories(call, 2).flatMap { [Matrix](repeating: $0, count: per) }
            call.push(matrices: try bag(call).simulate(histories: hs, steps: steps, noise: try call.optionBool(3, "noise") ?? true,
                                                       parameters: try VarUncertaintyBindings.parameterDraw(call, 3, "epistemic") ?? .member,
                                                       seed: try call.seedOption(3)))
            return 1
        },
        .returning("mean", "bag:mean() -> var.model with T̄, c̄, S̄.") { call in
            call.push(object: LuaVARModel(try bag(call).mean))
        },
        LuaMethod("member", "bag:member(i) -> var.model of subset i.") { call in
            let b = try bag(call)
            let i = try call.integer(2)
            guard i >= 1 && i <= b.members.count else { throw call.argumentError(2, "member \(i) out of range 1…\(b.members.count)") }
            call.push(object: LuaVARModel(b.members[i - 1]))
            return 1
        },
        .returning("size", "bag:size() -> number of members.") { call in call.push(try bag(call).members.count) },
        LuaMethod("totable", """
            bag:totable() -> {kind="var.bagged", coverage, members={model tables}}
            Save with json.save(path, bag:totable()); restore with var.from_table(json.load(path)).
            """) { call in
            let b = try bag(call)
            call.pushRecord([("kind", { call.push("var.bagged") }), ("coverage", { call.push(b.coverage) }),
                             ("members", { call.pushList(b.members.count) { pushTable(call, b.members[$0]) } })])
            return 1
        },
        .matrix("dT", "bag:dT() -> δT: spread of the stacked lag coefficients across members ((P·D) × D).") { call in
            try bag(call).lagCoefStd
        },
        .column("dc", "bag:dc() -> spread of the intercept (column).") { call in try bag(call).interceptStd },
        .matrix("dS", "bag:dS() -> δS: spread of the noise covariance.") { call in try bag(call).noiseCovStd },
        LuaMethod("simulate", """
            bag:simulate(histories, steps [, {noise=true, draw=true, per=1, seed=0}]) -> list
            Forecast ensemble; with draw=true (or "member") each trajectory uses a random member
            (epistemic spread); draw="diagonal" / "full" a Gaussian draw of T, c (bag:sample_params).
            """) { call in
            try call.checkOptionKeys(4, allowed: ["noise", "draw", "per", "seed"])
            let per = try call.optionInteger(4, "per") ?? 1
            guard per >= 1 else { throw call.argumentError(4, "option 'per' must be ≥ 1") }
            let hs = try call.matrices(2, "histories").flatMap { [Matrix](repeating: $0, count: per) }
            call.push(matrices: try bag(call).simulate(histories: hs, steps: try call.integer(3),
                                                       noise: try call.optionBool(4, "noise") ?? true,
                                                       parameters: try VarUncertaintyBindings.parameterDraw(call, 4, "draw") ?? .member,
                                                       seed: try call.seedOption(4)))
            return 1
        },
    ]
}

/// `descry.var`: VAR(P) forecasting with uncertainty (eqs. 3 and 5).
public let varModule = LuaModule(
    name: "descry.var", shortName: "var",
    doc: """
        descry.var: VAR(P) models of descriptor trajectories (eq. 3 of Swinburne, PRL 131, 236101, 2023).
        fit bagged select_order order_convergence ck_test; ensembles: windows resample moments slice;
        eq. 5: mean_mahalanobis sigma_m2 m_sigma m0 uncertainty horizon efficiency.
        var.model: coef lag_coef intercept noise_cov residual_cov_mle companion spectral_radius
        stationary_mean stationary_cov ic nobs simulate. var.bagged: mean member size dT dc dS simulate.
        """,
    functions: VarBindings.functions,
    classes: [
        LuaClass(typeName: LuaVARModel.luaTypeName, shortName: "model", doc: "A fitted VAR(P) model.", methods: VarBindings.modelMethods + VarUncertaintyBindings.modelMethods),
        LuaClass(typeName: LuaBaggedVAR.luaTypeName, shortName: "bagged", doc: "A bagged Bayesian-ridge VAR(P).", methods: VarBindings.bagMethods + VarUncertaintyBindings.bagMethods),
    ])
