import Glibc
import DescryLinalg

/// Model checks for VAR(P): order selection, convergence in P, Chapman–Kolmogorov test.
public enum VARSelection {
    /// Information criteria for P = 1…maxOrder, all fitted on the SAME targets (the first
    /// maxOrder − P steps of every trajectory are dropped, as statsmodels `select_order` does for
    /// one series), so the criteria are comparable. Returns the table and the minimising orders.
    public static func selectOrder(_ trajectories: [Matrix], maxOrder: Int) throws
        -> (table: [(order: Int, aic: Double, bic: Double)], bestAIC: Int, bestBIC: Int) {
        guard maxOrder >= 1 else { throw EngineError("selectOrder: maxOrder must be ≥ 1") }
        var table: [(order: Int, aic: Double, bic: Double)] = []
        for p in 1...maxOrder {
            let trimmed = trajectories.map { t -> Matrix in
                let drop = min(maxOrder - p, t.rows)
                return Matrix(rows: t.rows - drop, cols: t.cols, data: Array(t.data[(drop * t.cols)...]))
            }
            let m = try VARModel.fit(trimmed, order: p)
            let ic = try m.informationCriteria()
            table.append((p, ic.aic, ic.bic))
        }
        let a = table.min { $0.aic < $1.aic }!.order
        let b = table.min { $0.bic < $1.bic }!.order
        return (table, a, b)
    }

    /// Convergence in P (the paper's practical architecture test): for each order, the
    /// one-step root-mean-square residual and the stationary mean of the fitted model, so that
    /// their change with P can be inspected. Unstable fits report `nil` stationary means.
    public static func orderConvergence(_ trajectories: [Matrix], orders: [Int]) throws
        -> [(order: Int, rmsResidual: Double, stationaryMean: [Double]?)] {
        try orders.map { p in
            let m = try VARModel.fit(trajectories, order: p)
            var tr = 0.0
            for i in 0..<m.dimension { tr += m.residualCovMLE[i, i] }
            let mu: [Double]? = (try? m.isStable()) == true ? try? m.stationaryMean() : nil
            return (p, (tr / Double(m.dimension)).squareRoot(), mu)
        }
    }

    /// Chapman–Kolmogorov test of the transfer operator (Swinburne 2023 SM; cf. Mardt et al.
    /// 2018): for h = 1…maxHorizon, the h-step propagator predicted by the one-step model, the
    /// top block of Aʰ (D × P·D), is compared with a direct least-squares fit of x_{n+h} on the
    /// lagged state. Returns ‖[Aʰ]_top − B_h‖_F / ‖B_h‖_F per horizon (small for a Markovian model).
    public static func chapmanKolmogorov(_ trajectories: [Matrix], order p: Int, maxHorizon: Int) throws -> [Double] {
        guard maxHorizon >= 1 else { throw EngineError("chapmanKolmogorov: maxHorizon must be ≥ 1") }
        let one = try VARModel.fit(trajectories, order: p)
        let a = one.companion()
        var ah = a
        var out: [Double] = []
        let d = one.dimension, w = p * d
        for h in 1...maxHorizon {
            if h > 1 { ah = Blas.mul(ah, a) }
            let des = try VARDesign(trajectories: trajectories, order: p, horizon: h)
            guard des.nobs > w + 1 else { throw EngineError("chapmanKolmogorov: too few pairs at horizon \(h)") }
            let b = try Linalg.lstsq(des.withIntercept(), des.y).x   // (1 + w) × d
            var num = 0.0, den = 0.0
            for i in 0..<d {
                for j in 0..<w {
                    let direct = b[j + 1, i]
                    let e = ah[i, j] - direct
                    num += e * e; den += direct * direct
                }
            }
            out.append((num / max(den, .leastNormalMagnitude)).squareRoot())
        }
        return out
    }
}
