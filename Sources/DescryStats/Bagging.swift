import DescryLinalg

/// Bagging of a linear estimator (Breiman 1996; the paper's bagging, Swinburne 2023 after
/// eq. 3): `subsets` random subsets of the samples, each with a `coverage` fraction (drawn
/// without replacement within a subset, independently across subsets — so they overlap).
/// Gives the mean coefficients/intercepts and their spread across subsets.
public struct BaggedLinearModel {
    public let members: [LinearModel]
    /// Model with the mean coefficients and intercepts.
    public let mean: LinearModel
    /// Standard deviation across members (ddof 1) of every coefficient (p × q) and intercept.
    public let coefStd: Matrix
    public let interceptStd: [Double]

    public static func fit(_ x: Matrix, _ y: Matrix, subsets: Int = 20, coverage: Double = 0.25, seed: UInt64 = 0,
                           estimator: (Matrix, Matrix) throws -> LinearModel) throws -> BaggedLinearModel {
        try requireSameRows(x, y)
        guard subsets >= 2 else { throw EngineError("bagging: need at least 2 subsets, got \(subsets)") }
        guard coverage > 0 && coverage <= 1 else { throw EngineError("bagging: coverage must be in (0, 1], got \(coverage)") }
        let size = Int((coverage * Double(x.rows)).rounded())
        guard size >= 2 else { throw EngineError("bagging: a subset would hold \(size) of \(x.rows) samples") }
        var rng = StatsRNG(seed: seed)
        var members: [LinearModel] = []
        for _ in 0..<subsets {
            try Interruption.check()
            let idx = rng.sample(size, from: x.rows)
            members.append(try estimator(x.gatherRows(idx), y.gatherRows(idx)))
        }
        return BaggedLinearModel(members: members)
    }

    init(members: [LinearModel]) {
        let m0 = members[0], nm = Double(members.count)
        var c = Matrix(rows: m0.coef.rows, cols: m0.coef.cols), b = [Double](repeating: 0, count: m0.intercept.count)
        for m in members { for i in c.data.indices { c.data[i] += m.coef.data[i] }; for j in b.indices { b[j] += m.intercept[j] } }
        for i in c.data.indices { c.data[i] /= nm }
        for j in b.indices { b[j] /= nm }
        var cs = Matrix(rows: c.rows, cols: c.cols), bs = [Double](repeating: 0, count: b.count)
        for m in members {
            for i in c.data.indices { let e = m.coef.data[i] - c.data[i]; cs.data[i] += e * e }
            for j in b.indices { let e = m.intercept[j] - b[j]; bs[j] += e * e }
        }
        for i in cs.data.indices { cs.data[i] = (cs.data[i] / (nm - 1)).squareRoot() }
        for j in bs.indices { bs[j] = (bs[j] / (nm - 1)).squareRoot() }
        self.members = members
        mean = LinearModel(coef: c, intercept: b)
        coefStd = cs
        interceptStd = bs
    }

    /// Covariance across members (ddof 1) of the coefficient vector of output j (p × p).
    public func coefficientCovariance(output j: Int = 0) throws -> Matrix {
        guard j >= 0 && j < mean.coef.cols else { throw EngineError("output \(j + 1) out of range 1…\(mean.coef.cols)") }
        let p = mean.coef.rows
        var cov = Matrix(rows: p, cols: p)
        for m in members {
            for a in 0..<p {
                let ea = m.coef[a, j] - mean.coef[a, j]
                for b in 0..<p { cov[a, b] += ea * (m.coef[b, j] - mean.coef[b, j]) }
            }
        }
        let inv = 1 / Double(members.count - 1)
        for i in cov.data.indices { cov.data[i] *= inv }
        return cov
    }
}
