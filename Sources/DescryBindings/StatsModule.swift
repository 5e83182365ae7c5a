import DescryLinalg
import DescryStats
import LuaBridge
import LuaLinalgBridge

final class LuaMahalanobis: LuaObject {
    static let luaTypeName = "stats.mahalanobis"
    let m: Mahalanobis
    init(_ m: Mahalanobis) { self.m = m }
}

final class LuaMVN: LuaObject {
    static let luaTypeName = "stats.mvn"
    let m: MultivariateNormal
    init(_ m: MultivariateNormal) { self.m = m }
}

final class LuaPCA: LuaObject {
    static let luaTypeName = "stats.pca"
    let p: PCA
    init(_ p: PCA) { self.p = p }
}

final class LuaStandardizer: LuaObject {
    static let luaTypeName = "stats.standardizer"
    let s: Standardizer
    init(_ s: Standardizer) { self.s = s }
}

enum StatsBindings {
    static func pushEstimate(_ call: LuaCall, _ e: CovarianceEstimate) -> Int32 {
        call.push(matrix: e.covariance)
        call.push(column: e.mean)
        call.push(e.shrinkage)
        return 3
    }

    static let functions: [LuaMethod] = [
        LuaMethod("cov", """
            cov(X [, method="empirical"]) -> covariance, mean (column), shrinkage
            Covariance of the rows of X (divisor n): "empirical", "lw" (Ledoit–Wolf 2004),
            "oas" (scikit-learn's OAS formula) or "oas_chen" (Chen et al., IEEE TSP 58, 5016,
            2010, eq. 23, with the 2/p terms scikit-learn drops).
            """) { call in
            let x = try call.matrix(1)
            let method = try call.covarianceMethod(try call.optString(2, "empirical"), arg: 2)
            return pushEstimate(call, try method.estimate(x))
        },
        LuaMethod("ledoit_wolf", "ledoit_wolf(X) -> covariance, mean, shrinkage (scikit-learn LedoitWolf).") { call in
            pushEstimate(call, try Covariance.ledoitWolf(try call.matrix(1)))
        },
        LuaMethod("oas", """
            oas(X [, variant="sklearn"]) -> covariance, mean, shrinkage
            Oracle Approximating Shrinkage. variant "sklearn" (default: scikit-learn's formula,
            which omits the 2/p terms) or "chen" (Chen et al. 2010 eq. 23 as published). The
            default is scikit-learn's because that is the implementation users validate against;
            the two differ by O(1/p) in the shrinkage, small for D̄ with p = 55, noticeable for
            small p.
            """) { call in
            let v = try call.optString(2, "sklearn") ?? "sklearn"
            guard let variant = OASVariant(rawValue: v == "chen" ? "chen2010" : v) else {
                throw call.argumentError(2, "unknown OAS variant '\(v)'; known: sklearn, chen")
            }
            return pushEstimate(call, try Covariance.oas(try call.matrix(1), variant: variant))
        },
        .matrix("shrunk", "shrunk(S, rho) -> (1−ρ)S + ρ tr(S)/p I.") { call in
            try Covariance.shrunk(try call.matrix(1), shrinkage: try call.number(2))
        },
        LuaMethod("mahalanobis", """
            mahalanobis(Xtrain [, method="oas"]) -> model;  mahalanobis(mean, cov) -> model
            Eq. 4: M(D̄) = (D̄ − μ)ᵀΣ⁻¹(D̄ − μ)/D̃ — the SQUARED distance divided by the dimension
            (scipy's mahalanobis is the unsquared distance). model:distance(X) -> array per row.
            A singular covariance (e.g. "empirical" with n ≤ p) is an error: use shrinkage.
            """) { call in
            if !call.isNoneOrNil(2), call.testMatrix(2) != nil {
                let mu = try call.matrix(1).data
                call.push(object: LuaMahalanobis(try Mahalanobis(mean: mu, covariance: try call.matrix(2))))
            } else {
                let method = try call.covarianceMethod(try call.optString(2, "oas"), arg: 2)
                call.push(object: LuaMahalanobis(try Mahalanobis(fitting: try call.matrix(1), estimator: method)))
            }
            return 1
        },
        LuaMethod("mvn", """
            mvn(X [, method="oas"]) -> dist;  mvn(mean, cov) -> dist
            Multivariate normal N(μ, Σ) (fitted with a shrinkage covariance by default);
            dist:sample(n [, seed=0]) draws rows μ + L z (Cholesky), reproducible from the seed.
            """) { call in
            if !call.isNoneOrNil(2), call.testMatrix(2) != nil {
                call.push(object: LuaMVN(try MultivariateNormal(mean: try call.matrix(1).data, covariance: try call.matrix(2))))
            } else {
                let method = try call.covarianceMethod(try call.optString(2, "oas"), arg: 2)
                call.push(object: LuaMVN(try MultivariateNormal(fitting: try call.matrix(1), estimator: method)))
            }
            return 1
        },
        LuaMethod("pca", """
            pca(X [, {n=min(n,p), solver="auto"}]) -> pca
            Principal components (scikit-learn PCA; solver "auto" | "full" | "covarianceEigh").
            Deterministic sign: each component's largest entry is positive. Methods: transform,
            inverse, components, explained_variance, explained_variance_ratio, mean.
            """) { call in
            try call.checkOptionKeys(2, allowed: ["n", "solver"])
            let s = try call.optionString(2, "solver") ?? "auto"
            guard let solver = PCA.Solver(rawValue: s) else { throw call.argumentError(2, "unknown solver '\(s)'") }
            call.push(object: LuaPCA(try PCA(fitting: try call.matrix(1), nComponents: try call.optionInteger(2, "n"), solver: solver)))
            return 1
        },
        LuaMethod("standardizer", """
            standardizer(X) -> st: st:transform(X), st:inverse(Z), st:mean(), st:scale()
            Column standardisation (scikit-learn StandardScaler, ddof 0; constant columns scale 1).
            """) { call in
            call.push(object: LuaStandardizer(try Standardizer(fitting: try call.matrix(1))))
            return 1
        },
    ]

    static let mahalanobisMethods: [LuaMethod] = [
        .returning("distance", "model:distance(X) -> array: eq. 4 for every row of X.") { call in
            call.push(try call.object(1, as: LuaMahalanobis.self).m.distances(try call.matrix(2)))
        },
        .column("mean", "model:mean() -> μ (column).") { call in try call.object(1, as: LuaMahalanobis.self).m.mean },
        .matrix("cov", "model:cov() -> Σ.") { call in try call.object(1, as: LuaMahalanobis.self).m.covariance },
    ]

    static let mvnMethods: [LuaMethod] = [
        LuaMethod("sample", "dist:sample(n [, seed=0]) -> n × D samples.") { call in
            let d = try call.object(1, as: LuaMVN.self).m
            call.push(matrix: try d.sample(try call.integer(2), seed: UInt64(bitPattern: Int64(try call.optInteger(3, 0)))))
            return 1
        },
        .column("mean", "dist:mean() -> μ (column).") { call in try call.object(1, as: LuaMVN.self).m.mean },
        .matrix("cov", "dist:cov() -> Σ.") { call in try call.object(1, as: LuaMVN.self).m.covariance },
    ]

    static let pcaMethods: [LuaMethod] = [
        .matrix("transform", "pca:transform(X) -> scores (X − mean)Vₖᵀ.") { call in
            try call.object(1, as: LuaPCA.self).p.transform(try call.matrix(2))
        },
        .matrix("inverse", "pca:inverse(Z) -> Z Vₖ + mean.") { call in
            try call.object(1, as: LuaPCA.self).p.inverseTransform(try call.matrix(2))
        },
        .matrix("components", "pca:components() -> k × p, one component per row.") { call in
            try call.object(1, as: LuaPCA.self).p.components
        },
        .returning("explained_variance", "pca:explained_variance() -> array (s²/(n−1)).") { call in
            call.push(try call.object(1, as: LuaPCA.self).p.explainedVariance)
        },
        .returning("explained_variance_ratio", "pca:explained_variance_ratio() -> array.") { call in
            call.push(try call.object(1, as: LuaPCA.self).p.explainedVarianceRatio)
        },
        .column("mean", "pca:mean() -> column means (column).") { call in try call.object(1, as: LuaPCA.self).p.mean },
    ]

    static let standardizerMethods: [LuaMethod] = [
        .matrix("transform", "st:transform(X) -> (X − mean)/scale.") { call in
            try call.object(1, as: LuaStandardizer.self).s.transform(try call.matrix(2))
        },
        .matrix("inverse", "st:inverse(Z) -> Z·scale + mean.") { call in
            try call.object(1, as: LuaStandardizer.self).s.inverseTransform(try call.matrix(2))
        },
        .column("mean", "st:mean() -> column.") { call in try call.object(1, as: LuaStandardizer.self).s.mean },
        .column("scale", "st:scale() -> column.") { call in try call.object(1, as: LuaStandardizer.self).s.scale },
    ]
}

/// `descry.stats`: covariance/shrinkage, Mahalanobis (eq. 4), multivariate normal, PCA.
public let statsModule = LuaModule(
    name: "descry.stats", shortName: "stats",
    doc: """
        descry.stats: covariance estimators (cov, ledoit_wolf, oas — scikit-learn's formula by
        default, Chen et al. 2010 with "chen"), shrunk, mahalanobis (eq. 4: squared distance / D),
        mvn (fit + reproducible sampling), pca, standardizer.
        """,
    functions: StatsBindings.functions,
    classes: [
        LuaClass(typeName: LuaMahalanobis.luaTypeName, shortName: "mahalanobis", doc: "Eq. 4 outlier distance model.",
                 methods: StatsBindings.mahalanobisMethods),
        LuaClass(typeName: LuaMVN.luaTypeName, shortName: "mvn", doc: "Multivariate normal distribution.",
                 methods: StatsBindings.mvnMethods),
        LuaClass(typeName: LuaPCA.luaTypeName, shortName: "pca", doc: "Fitted PCA.", methods: StatsBindings.pcaMethods + PCAExtraBindings.methods),
        LuaClass(typeName: LuaStandardizer.luaTypeName, shortName: "standardizer", doc: "Column standardisation.",
                 methods: StatsBindings.standardizerMethods),
    ])
