import DescryLinalg
import DescryStats
import LuaBridge
import LuaLinalgBridge

enum IdimBindings {
    static func estimator(_ call: LuaCall, _ opt: Int32) throws -> (Matrix) throws -> Double {
        let method = try call.optionString(opt, "method") ?? "twonn"
        let discard = try call.optionNumber(opt, "discard") ?? 0.1
        let k = try call.optionInteger(opt, "k")
        let seed = try call.seedOption(opt)
        switch method {
        case "twonn": return { try IntrinsicDimension.twoNN($0, discardFraction: discard).dimension }
        case "mle": return { try IntrinsicDimension.mle($0, k: k ?? 20).dimension }
        case "danco": return { try IntrinsicDimension.danco($0, k: k ?? 10, seed: seed).dimension }
        default: throw call.argumentError(opt, "unknown method '\(method)'; known: twonn, mle, danco")
        }
    }

    static let functions: [LuaMethod] = [
        LuaMethod("knn", """
            knn(X, k) -> distances (n × k), indices (n × k, 1-based)
            Exact k nearest neighbours (self excluded) by blocked BLAS distances with exact
            re-ranking. Errors when k ≥ n.
            """) { call in
            let nn = try NearestNeighbors(try call.matrix(1), k: try call.integer(2))
            return call.results(nn.distances, Matrix(rows: nn.distances.rows, cols: nn.k, data: nn.indices.map { Double($0 + 1) }))
        },
        LuaMethod("twonn", """
            twonn(X [, {discard=0.1, method="linear"}]) -> d, n_used, n_duplicates
            TwoNN (Facco et al., Sci. Rep. 7, 12140, 2017) as scikit-dimension TwoNN(discard_fraction)
            = DADApy compute_id_2NN(mu_fraction = 1 − discard). Points with a duplicate nearest
            neighbour are dropped (as scikit-dimension). method "mle" is skdim's censored MLE.
            Tied first/second neighbour distances at every kept point (a lattice) are an error
            (scikit-dimension and DADApy return 0 there).
            """) { call in
            try call.checkOptionKeys(2, allowed: ["discard", "method"])
            let m = try call.optionString(2, "method") ?? "linear"
            guard let method = IntrinsicDimension.TwoNNMethod(rawValue: m) else { throw call.argumentError(2, "unknown method '\(m)'") }
            let r = try IntrinsicDimension.twoNN(try call.matrix(1), discardFraction: try call.optionNumber(2, "discard") ?? 0.1, method: method)
            return call.results(r.dimension, r.nUsed, r.nDuplicates)
        },
        LuaMethod("mle", """
            mle(X [, {k=20, comb="mle"}]) -> d, pointwise (column)
            Levina–Bickel MLE as scikit-dimension MLE (harmonic mean of pointwise estimates).
            """) { call in
            try call.checkOptionKeys(2, allowed: ["k", "comb"])
            let c = try call.optionString(2, "comb") ?? "mle"
            guard let comb = IntrinsicDimension.MLECombination(rawValue: c) else { throw call.argumentError(2, "unknown comb '\(c)'") }
            let r = try IntrinsicDimension.mle(try call.matrix(1), k: try call.optionInteger(2, "k") ?? 20, combine: comb)
            call.push(r.dimension)
            call.push(column: r.pointwise)
            return 2
        },
        LuaMethod("danco", """
            danco(X [, {k=10, max_dim=D, fractal=true, seed=0}]) -> d, integer_d, kl, stats
            DANCo (Ceruti et al., Pattern Recogn. 47, 2569, 2014) as scikit-dimension; the
            calibration balls are random, so the estimate depends on the seed. fractal refines
            the integer minimum as scikit-dimension: cubic spline of KL(d) for D ≥ 4, the parabola
            through the three KL values for D = 3, none for D ≤ 2. stats = {dhat= (MIND_MLk),
            mu_nu=, mu_tau= (mean von Mises location/concentration of neighbour angles), kl= (KL(d),
            d = 1…D)}.
            """) { call in
            try call.checkOptionKeys(2, allowed: ["k", "max_dim", "fractal", "seed"])
            let r = try IntrinsicDimension.danco(try call.matrix(1), k: try call.optionInteger(2, "k") ?? 10,
                                                 maxDimension: try call.optionInteger(2, "max_dim"),
                                                 fractal: try call.optionBool(2, "fractal") ?? true, seed: try call.seedOption(2))
            let dims = call.results(r.dimension, r.integerDimension, r.klDivergence)
            IdimExtraBindings.pushStatistics(call, r)
            return dims + 1
        },
        LuaMethod("sliding", """
            sliding(trajectories, width [, {step=1, method="twonn", discard, k, seed}]) -> starts, values
            Intrinsic dimension over sliding time windows of an ensemble (Fig. 3j): the states of all
            trajectories in steps [t, t+width) are pooled. starts are 1-based.
            """) { call in
            try call.checkOptionKeys(3, allowed: ["step", "method", "discard", "k", "seed"])
            let est = try estimator(call, 3)
            let r = try IntrinsicDimension.slidingWindow(try call.matrices(1), width: try call.integer(2),
                                                         step: try call.optionInteger(3, "step") ?? 1, estimator: est)
            return call.results(r.starts.map { $0 + 1 }, r.values)
        },
    ]
}

/// `descry.idim`: intrinsic dimension of the descriptor manifold (Fig. 3j).
public let idimModule = LuaModule(
    name: "descry.idim", shortName: "idim",
    doc: """
        descry.idim: intrinsic dimension estimators — knn (exact, BLAS), twonn (Facco 2017), mle
        (Levina–Bickel), danco (Ceruti 2014), gride (Denti 2022, multiscale), sliding (windows over an ensemble, Fig. 3j).
        """,
    functions: IdimBindings.functions + IdimExtraBindings.functions)
