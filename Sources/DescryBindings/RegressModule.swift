import DescryLinalg
import DescryStats
import LuaBridge
import LuaLinalgBridge

/// A fitted linear estimator (eq. 2) as Lua userdata.
final class LuaLinearModel: LuaObject {
    static let luaTypeName = "regress.model"
    let model: LinearModel
    let bayes: BayesianRidgeModel?
    let bag: BaggedLinearModel?
    init(_ m: LinearModel, bayes: BayesianRidgeModel? = nil, bag: BaggedLinearModel? = nil) {
        model = m
        self.bayes = bayes
        self.bag = bag
    }
}

enum RegressBindings {
    static func xy(_ call: LuaCall) throws -> (Matrix, Matrix) { (try call.matrix(1), try call.matrix(2)) }

    /// The Bayesian ridge fit behind the model `self` (argument 1); an error for other models.
    static func bayes(_ call: LuaCall) throws -> BayesianRidgeModel {
        guard let b = try call.object(1, as: LuaLinearModel.self).bayes else { throw call.error("not a bayes_ridge model") }
        return b
    }

    static func fitter(_ call: LuaCall, _ opt: Int32, _ method: String) throws -> (Matrix, Matrix) throws -> LinearModel {
        let intercept = try call.optionBool(opt, "intercept") ?? true
        let standardize = try call.optionBool(opt, "standardize") ?? false
        switch method {
        case "ols": return { try Regress.ols($0, $1, fitIntercept: intercept, standardize: standardize) }
        case "ridge":
            let a = try call.optionNumber(opt, "alpha") ?? 1
            return { try Regress.ridge($0, $1, alpha: a, fitIntercept: intercept, standardize: standardize) }
        case "bayes", "bayes_ridge":
            var o = BayesianRidgeOptions()
            o.fitIntercept = intercept
            if let t = try call.optionNumber(opt, "tol") { o.tol = t }
            if let m = try call.optionInteger(opt, "max_iter") { o.maxIter = m }
            let oo = o
            return { try BayesianRidgeModel(fitting: $0, $1, options: oo).linear }
        default: throw call.argumentError(opt, "unknown method '\(method)'; known: ols, ridge, bayes")
        }
    }

    static let common: Set<String> = ["intercept", "standardize", "alpha", "tol", "max_iter", "method",
                                      "subsets", "coverage", "seed", "k"]

    /// regress.bayes_ridge / regress.bayesian_ridge (one implementation, two names).
    static func fitBayesianRidge(_ call: LuaCall) throws -> Int32 {
        let (x, y) = try xy(call)
        try call.checkOptionKeys(3, allowed: common)
        var o = BayesianRidgeOptions()
        o.fitIntercept = try call.optionBool(3, "intercept") ?? true
        if let t = try call.optionNumber(3, "tol") { o.tol = t }
        if let m = try call.optionInteger(3, "max_iter") { o.maxIter = m }
        let b = try BayesianRidgeModel(fitting: x, y, options: o)
        call.push(object: LuaLinearModel(b.linear, bayes: b))
        return 1
    }

    static let functions: [LuaMethod] = [
        LuaMethod("ols", """
            ols(X, Y [, {intercept=true, standardize=false}]) -> model
            Ordinary least squares Ô = Θ·D̄ + Θ⁰ (eq. 2 of Swinburne, PRL 131, 236101, 2023), one
            column of Y per output, as scikit-learn LinearRegression (dgelsd on centred data).
            Errors when there are fewer samples than parameters.
            """) { call in
            let (x, y) = try xy(call)
            try call.checkOptionKeys(3, allowed: common)
            call.push(object: LuaLinearModel(try fitter(call, 3, "ols")(x, y)))
            return 1
        },
        LuaMethod("ridge", """
            ridge(X, Y [, {alpha=1, intercept=true, standardize=false}]) -> model
            Ridge regression (XcᵀXc + αI)Θ = XcᵀYc, intercept unpenalised (scikit-learn Ridge).
            """) { call in
            let (x, y) = try xy(call)
            try call.checkOptionKeys(3, allowed: common)
            call.push(object: LuaLinearModel(try fitter(call, 3, "ridge")(x, y)))
            return 1
        },
        LuaMethod("bayes_ridge", """
            bayes_ridge(X, Y [, {tol=1e-3, max_iter=300, intercept=true}]) -> model
            Bayesian ridge by evidence maximisation, step for step as scikit-learn BayesianRidge
            (stops when Σ|ΔΘ| < tol), all outputs sharing one SVD. model:alpha(), model:lambda(),
            model:sigma(j) (posterior covariance), model:predict_std(X).
            """, fitBayesianRidge),
        LuaMethod("bayesian_ridge", """
            bayesian_ridge(X, Y [, {tol=1e-3, max_iter=300, intercept=true}]) -> model
            Bayesian ridge by evidence maximisation, step for step as scikit-learn BayesianRidge
            (stops when Σ|ΔΘ| < tol), all outputs sharing one SVD. model:alpha(), model:lambda(),
            model:sigma(j) (posterior covariance), model:predict_std(X). (Alias of regress.bayes_ridge.)
            """, fitBayesianRidge),
        LuaMethod("bagging", """
            bagging(X, Y [, {method="bayes", subsets=20, coverage=0.25, seed=0, alpha, tol}]) -> model
            Bagged estimator: `subsets` random overlapping subsets each holding `coverage` of the
            samples (the paper's bagging). model is the mean; model:coef_std(), model:coef_cov(j).
            """) { call in
            let (x, y) = try xy(call)
            try call.checkOptionKeys(3, allowed: common)
            let f = try fitter(call, 3, try call.optionString(3, "method") ?? "bayes")
            let bag = try BaggedLinearModel.fit(x, y, subsets: try call.optionInteger(3, "subsets") ?? 20,
                                                coverage: try call.optionNumber(3, "coverage") ?? 0.25,
                                                seed: try call.seedOption(3), estimator: f)
            call.push(object: LuaLinearModel(bag.mean, bag: bag))
            return 1
        },
        LuaMethod("cv", """
            cv(X, Y [, {method="ols", k=5, seed=0, alpha, ...}]) -> {r2=, rmse=, mae=} per fold (array)
            k-fold cross-validation (scikit-learn KFold, shuffled with seed).
            """) { call in
            let (x, y) = try xy(call)
            try call.checkOptionKeys(3, allowed: common)
            let f = try fitter(call, 3, try call.optionString(3, "method") ?? "ols")
            let res = try CrossValidation.crossValidate(x, y, k: try call.optionInteger(3, "k") ?? 5,
                                                        seed: try call.seedOption(3), fit: f)
            call.pushList(res.count) { i in
                let r = res[i]
                call.pushRecord([("r2", { call.push(r.r2) }), ("rmse", { call.push(r.rmse) }), ("mae", { call.push(r.mae) })])
            }
            return 1
        },
        LuaMethod("kfold", """
            kfold(n, k [, seed]) -> array of {train=, test=} (1-based index arrays)
            k folds of 1..n as scikit-learn KFold (unshuffled without seed).
            """) { call in
            let seed: UInt64? = call.isNoneOrNil(3) ? nil : UInt64(bitPattern: Int64(try call.integer(3)))
            let folds = try CrossValidation.kFold(try call.integer(1), k: try call.integer(2), seed: seed)
            call.pushList(folds.count) { i in
                let f = folds[i]
                call.pushRecord([("train", { call.push(f.train.map { $0 + 1 }) }), ("test", { call.push(f.test.map { $0 + 1 }) })])
            }
            return 1
        },
        LuaMethod("split", """
            split(n [, test_fraction=0.25 [, seed=0]]) -> train, test (1-based index arrays)
            Random train/test split.
            """) { call in
            let s = try CrossValidation.trainTestSplit(try call.integer(1), testFraction: try call.optNumber(2, 0.25),
                                                       seed: UInt64(bitPattern: Int64(try call.optInteger(3, 0))))
            return call.results(s.train.map { $0 + 1 }, s.test.map { $0 + 1 })
        },
        .returning("r2", "r2(Y, P) -> array: R² per output (scikit-learn r2_score, raw values).") { call in
            call.push(try Metrics.r2(try call.matrix(1), try call.matrix(2)))
        },
        .returning("rmse", "rmse(Y, P) -> array: root-mean-square error per output.") { call in
            call.push(try Metrics.rmse(try call.matrix(1), try call.matrix(2)))
        },
        .returning("mae", "mae(Y, P) -> array: mean absolute error per output.") { call in
            call.push(try Metrics.mae(try call.matrix(1), try call.matrix(2)))
        },
        LuaMethod("parity", """
            parity(Y, P [, j=1]) -> {truth=, predicted=, r2=, rmse=, mae=}
            Parity-plot data of output j (Fig. 1 of the paper).
            """) { call in
            let p = try Metrics.parity(try call.matrix(1), try call.matrix(2), output: try call.optIndex(3, 1))
            call.pushRecord([("truth", { call.push(p.truth) }), ("predicted", { call.push(p.predicted) }),
                             ("r2", { call.push(p.r2) }), ("rmse", { call.push(p.rmse) }), ("mae", { call.push(p.mae) })])
            return 1
        },
        LuaMethod("from_table", """
            from_table(t) -> model
            Rebuilds a linear model from model:totable() (e.g. json.load output): coef, intercept;
            a table of kind "regress.pops" (pops:totable()) gives back the POPS model.
            """) { call in
            try call.checkTable(1)
            if try call.optionString(1, "kind") == "regress.pops" {
                RegressPOPSBindings.push(call, try RegressPOPSBindings.fromTable(call, 1))
                return 1
            }
            let coef = try call.matrixField(1, "coef"), intercept = try call.matrixField(1, "intercept")
            guard intercept.count == coef.cols, intercept.rows == 1 || intercept.cols == 1 else {
                throw call.argumentError(1, "intercept is \(intercept.shapeDescription) but coef is \(coef.shapeDescription): one intercept per output (\(coef.cols)) expected")
            }
            guard coef.isFinite, intercept.isFinite else { throw call.argumentError(1, "coef and intercept must be finite") }
            call.push(object: LuaLinearModel(LinearModel(coef: coef, intercept: intercept.data)))
            return 1
        },
        LuaMethod("tensor_fit", """
            tensor_fit(V, sigma, components [, alpha=0]) -> theta (column)
            l = 0 tensor estimator Ô = Θ·V̄ (eq. 1–2): V is n × 9D ([d][a][b] order), sigma n × 9,
            components a list of {a, b} pairs (1-based), e.g. {{1, 2}} for σ_xy.
            """) { call in
            try call.checkTable(3)
            var comps: [(Int, Int)] = []
            let m = try call.matrix(3)
            guard m.cols == 2 else { throw call.argumentError(3, "components must be {a, b} pairs") }
            for r in 0..<m.rows {
                guard let a = call.exactInt(m[r, 0]), let b = call.exactInt(m[r, 1]) else {
                    throw call.argumentError(3, "component \(r + 1) must be a pair of integers")
                }
                comps.append((a - 1, b - 1))
            }
            let theta = try TensorEstimator.fit(v: try call.matrix(1), sigma: try call.matrix(2), components: comps,
                                                alpha: try call.optNumber(4, 0))
            call.push(column: theta)
            return 1
        },
        .matrix("tensor_predict", "tensor_predict(theta, V) -> n × 9 matrix of Θ·V̄ (row-major 3×3 per sample).") { call in
            try TensorEstimator.predict(theta: try call.matrix(1).data, v: try call.matrix(2))
        },
    ]

    static let methods: [LuaMethod] = [
        .matrix("predict", "model:predict(X) -> n × q predictions X·Θ + Θ⁰.") { call in
            try call.object(1, as: LuaLinearModel.self).model.predict(try call.matrix(2))
        },
        LuaMethod("score", """
            model:score(X, Y) -> {r2=, rmse=, mae=} averaged over outputs (per-output: regress.r2 etc.).
            """) { call in
            let m = try call.object(1, as: LuaLinearModel.self).model
            let y = try call.matrix(3)
            let p = try m.predict(try call.matrix(2))
            func avg(_ v: [Double]) -> Double { v.reduce(0, +) / Double(max(v.count, 1)) }
            let r2 = avg(try Metrics.r2(y, p)), rmse = avg(try Metrics.rmse(y, p)), mae = avg(try Metrics.mae(y, p))
            call.pushRecord([("r2", { call.push(r2) }), ("rmse", { call.push(rmse) }), ("mae", { call.push(mae) })])
            return 1
        },
        LuaMethod("predict_std", "model:predict_std(X) -> mean, std (Bayesian ridge predictive distribution).") { call in
            guard let b = try call.object(1, as: LuaLinearModel.self).bayes else { throw call.error("predict_std needs a bayes_ridge model") }
            let (m, s) = try b.predict(try call.matrix(2))
            return call.results(m, s)
        },
        .matrix("coef", "model:coef() -> p × q coefficients Θ (one column per output).") { call in
            try call.object(1, as: LuaLinearModel.self).model.coef
        },
        .column("intercept", "model:intercept() -> q-vector Θ⁰ (column).") { call in
            try call.object(1, as: LuaLinearModel.self).model.intercept
        },
        .returning("alpha", "model:alpha() -> array of noise precisions α (Bayesian ridge).") { call in
            call.push(try bayes(call).alpha)
        },
        .returning("lambda", "model:lambda() -> array of weight precisions λ (Bayesian ridge).") { call in
            call.push(try bayes(call).lambda)
        },
        .returning("n_iter", "model:n_iter() -> array of evidence iterations per output.") { call in
            call.push(try bayes(call).nIter)
        },
        .matrix("sigma", "model:sigma([j=1]) -> posterior coefficient covariance of output j (Bayesian ridge).") { call in
            try bayes(call).posteriorCovariance(output: try call.optIndex(2, 1))
        },
        LuaMethod("totable", """
            model:totable() -> {kind="regress.model", coef, intercept} — the linear estimator for
            json.save (Bayesian/bagging extras are not stored); restore with regress.from_table.
            """) { call in
            let m = try call.object(1, as: LuaLinearModel.self).model
            call.pushRecord([("kind", { call.push("regress.model") }), ("coef", { call.push(matrix: m.coef) }),
                             ("intercept", { call.push(column: m.intercept) })])
            return 1
        },
        LuaMethod("coef_std", "model:coef_std() -> spread of Θ across bagging subsets (p × q).") { call in
            guard let b = try call.object(1, as: LuaLinearModel.self).bag else { throw call.error("not a bagged model") }
            call.push(matrix: b.coefStd)
            return 1
        },
        LuaMethod("coef_cov", "model:coef_cov([j=1]) -> covariance of Θ_j across bagging subsets (p × p).") { call in
            guard let b = try call.object(1, as: LuaLinearModel.self).bag else { throw call.error("not a bagged model") }
            call.push(matrix: try b.coefficientCovariance(output: try call.optIndex(2, 1)))
            return 1
        },
    ]
}

/// `descry.regress`: linear estimators of eq. 2 (OLS, ridge, Bayesian ridge, bagging), CV, metrics.
public let regressModule = LuaModule(
    name: "descry.regress", shortName: "regress",
    doc: """
        descry.regress: linear estimators Ô(D̄) = Θ·D̄ + Θ⁰ (eq. 2 of Swinburne, PRL 131, 236101, 2023).
        Fitting: ols ridge bayes_ridge bagging pops tensor_fit; validation: cv kfold split r2 rmse mae parity.
        Models (regress.model): predict predict_std coef intercept alpha lambda n_iter sigma coef_std coef_cov.
        Agreement with scikit-learn to 1e-8 is tested (Tests/DescryStatsTests).
        """,
    functions: RegressBindings.functions + RegressPOPSBindings.functions,
    classes: [LuaClass(typeName: LuaLinearModel.luaTypeName, shortName: "model",
                       doc: "regress.model: a fitted linear estimator (eq. 2).", methods: RegressBindings.methods),
              RegressPOPSBindings.luaClass])
