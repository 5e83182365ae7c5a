import XCTest
import DescryLinalg
@testable import DescryStats
import DescryTestSupport

/// VAR(P): multi-trajectory least squares vs numpy lstsq on per-trajectory lag pairs,
/// single-trajectory vs statsmodels, stationary moments vs scipy's Lyapunov solver, recovery,
/// bagging, forecasting and bad input (fixtures/var.json).
final class VARTests: XCTestCase {
    func trajectories(_ fx: [String: Any]) -> [Matrix] { (fx["trajectories"] as! [Any]).map { mat($0) } }

    func testMultiTrajectoryLeastSquaresMatchesNumpy() throws {
        let fx = try fixtures.json("var.json")
        let p = fx["P"] as! Int
        let m = try VARModel.fit(trajectories(fx), order: p)
        let b = mat(fx["coef"])
        let d = m.dimension
        assertRelativeClose(m.intercept, (0..<d).map { b[0, $0] }, rtol: 1e-8, "intercept")
        assertRelativeClose(m.lagCoef.data, Array(b.data[d...]), rtol: 1e-8, "lag coefficients")
        assertRelativeClose(m.noiseCov, mat(fx["residual_cov_unbiased"]), rtol: 1e-8, "S (unbiased)")
        assertRelativeClose(m.residualCovMLE, mat(fx["residual_cov_mle"]), rtol: 1e-8, "S (MLE)")
        XCTAssertEqual(m.nobs, fx["nobs"] as! Int)
        // concatenating the trajectories (the statsmodels pitfall) gives a different answer
        let all = trajectories(fx)
        let cat = Matrix(rows: all.reduce(0) { $0 + $1.rows }, cols: d, data: all.flatMap { $0.data })
        let wrong = try VARModel.fit([cat], order: p)
        XCTAssertEqual(wrong.nobs, m.nobs + (all.count - 1) * p)
    }

    func testSingleTrajectoryMatchesStatsmodels() throws {
        let fx = try fixtures.json("var.json")
        let single = fx["single"] as! [String: Any]
        let t = trajectories(fx)[2]
        let m = try VARModel.fit([t], order: fx["P"] as! Int)
        let params = mat(single["coef"])
        assertRelativeClose(m.intercept, (0..<m.dimension).map { params[0, $0] }, rtol: 1e-8, "statsmodels const")
        assertRelativeClose(m.lagCoef.data, Array(params.data[m.dimension...]), rtol: 1e-8, "statsmodels params")
        assertRelativeClose(m.noiseCov, mat(single["sigma_u"]), rtol: 1e-8, "statsmodels sigma_u")
        assertRelativeClose(m.residualCovMLE, mat(single["sigma_u_mle"]), rtol: 1e-8, "statsmodels sigma_u_mle")
        for (key, v) in single["ic"] as! [String: [String: Any]] {
            let mp = try VARModel.fit([t], order: Int(key)!)
            let ic = try mp.informationCriteria()
            assertRelativeClose([ic.aic, ic.bic], [num(v["aic"]), num(v["bic"])], rtol: 1e-8, "statsmodels AIC/BIC P=\(key)")
        }
    }

    func trueModel(_ fx: [String: Any]) throws -> VARModel {
        let tr = fx["true"] as! [String: Any]
        let ts = (tr["T"] as! [Any]).map { mat($0) }
        let d = ts[0].rows
        var lag = Matrix(rows: ts.count * d, cols: d)
        for (p, t) in ts.enumerated() { for i in 0..<d { for k in 0..<d { lag[p * d + k, i] = t[i, k] } } }
        return try VARModel(lagCoef: lag, intercept: vec(tr["c"]), noiseCov: mat(tr["S"]))
    }

    func testStationaryMomentsMatchScipyLyapunov() throws {
        let fx = try fixtures.json("var.json")
        let tr = fx["true"] as! [String: Any]
        let m = try trueModel(fx)
        XCTAssertEqual(try m.spectralRadius(), 0.7, accuracy: 1e-10)
        assertRelativeClose(try m.stationaryMean(), vec(tr["stationary_mean"]), rtol: 1e-8, "stationary mean")
        assertRelativeClose(try m.stationaryCovariance(full: true), mat(tr["stationary_cov_full"]), rtol: 1e-8, "stationary covariance (companion)")
    }

    /// Simulated data from the known VAR(2): estimates within 4 standard errors.
    func testRecoversKnownVAR2WithinStandardErrors() throws {
        let fx = try fixtures.json("var.json")
        let truth = try trueModel(fx)
        var rng = StatsRNG(seed: 7)
        let start = Matrix(rows: 2, cols: 3, data: try truth.stationaryMean() + (try truth.stationaryMean()))
        let trajs = try truth.simulate(histories: [Matrix](repeating: start, count: 20), steps: 150, rng: &rng)
        let fit = try VARModel.fit(trajs, order: 2)
        let zi = try VARDesign(trajectories: trajs, order: 2).withIntercept()
        let inv = try Linalg.inverse(Linalg.gram(zi))
        var worst = 0.0
        for i in 0..<6 {
            for j in 0..<3 {
                let se = (inv[i + 1, i + 1] * fit.noiseCov[j, j]).squareRoot()
                worst = max(worst, abs(fit.lagCoef[i, j] - truth.lagCoef[i, j]) / se)
            }
        }
        XCTAssertLessThan(worst, 4.0, "largest |T̂ − T|/se")
        XCTAssertGreaterThan(worst, 0.0)
    }

    func testBaggedSpreadShrinksWithData() throws {
        let fx = try fixtures.json("var.json")
        let truth = try trueModel(fx)
        var rng = StatsRNG(seed: 3)
        let mu = try truth.stationaryMean()
        let start = Matrix(rows: 2, cols: 3, data: mu + mu)
        let many = try truth.simulate(histories: [Matrix](repeating: start, count: 64), steps: 100, rng: &rng)
        let small = try BaggedVAR.fit(Array(many[0..<8]), order: 2, subsets: 20, coverage: 0.3, seed: 1)
        let large = try BaggedVAR.fit(many, order: 2, subsets: 20, coverage: 0.3, seed: 1)
        let s = small.lagCoefStd.data.reduce(0, +), l = large.lagCoefStd.data.reduce(0, +)
        XCTAssertLessThan(l, 0.6 * s, "δT should shrink ~√8 with 8× the data")
        // the bagged mean is close to the truth with plenty of data
        for i in truth.lagCoef.data.indices {
            XCTAssertEqual(large.mean.lagCoef.data[i], truth.lagCoef.data[i], accuracy: 0.1)
        }
        XCTAssertEqual(large.members.count, 20)
    }

    func testForecastReachesStationaryMoments() throws {
        let fx = try fixtures.json("var.json")
        let truth = try trueModel(fx)
        let mu = try truth.stationaryMean()
        let cov = try truth.stationaryCovariance()
        let far = Matrix(rows: 2, cols: 3, data: [10, -10, 5, 10, -10, 5])
        let ens = try truth.forecast(histories: [far], steps: 60, perHistory: 4000, seed: 11)
        let last = try Ensemble.slice(ens, at: 59)
        let est = try Covariance.empirical(last)
        for k in 0..<3 {
            XCTAssertEqual(est.mean[k], mu[k], accuracy: 5 * (cov[k, k] / 4000).squareRoot())
        }
        for i in 0..<9 { XCTAssertEqual(est.covariance.data[i], cov.data[i], accuracy: 0.1 * max(cov[0, 0], cov[1, 1], cov[2, 2])) }
        // deterministic forecast converges to μ
        let det = try truth.forecast(histories: [far], steps: 200, noise: false)
        for k in 0..<3 { XCTAssertEqual(det[0][199, k], mu[k], accuracy: 1e-9 * max(1, abs(mu[k]))) }
    }

    func testBadInput() throws {
        let fx = try fixtures.json("var.json")
        var ts = trajectories(fx)
        assertThrows("short trajectory", contains: "at least P+1") {
            _ = try VARModel.fit([ts[0], Matrix(rows: 2, cols: 3, repeating: 1)], order: 2)
        }
        ts[1][4, 2] = .nan
        assertThrows("NaN row", contains: "trajectory 2: row 5") { _ = try VARModel.fit(ts, order: 2) }
        assertThrows("too few samples", contains: "parameters") {
            _ = try VARModel.fit([Matrix(rows: 8, cols: 3, data: (0..<24).map { sin(Double($0)) })], order: 2)
        }
        assertThrows("order 0", contains: "order P") { _ = try VARModel.fit(trajectories(fx), order: 0) }
        assertThrows("coverage", contains: "coverage") { _ = try BaggedVAR.fit(trajectories(fx), order: 2, coverage: 1.5) }
    }

    func testOrderSelectionAndChapmanKolmogorov() throws {
        let fx = try fixtures.json("var.json")
        let truth = try trueModel(fx)
        var rng = StatsRNG(seed: 5)
        let mu = try truth.stationaryMean()
        let trajs = try truth.simulate(histories: [Matrix](repeating: Matrix(rows: 2, cols: 3, data: mu + mu), count: 20),
                                       steps: 200, rng: &rng)
        let sel = try VARSelection.selectOrder(trajs, maxOrder: 4)
        XCTAssertEqual(sel.bestBIC, 2)
        let ck = try VARSelection.chapmanKolmogorov(trajs, order: 2, maxHorizon: 3)
        XCTAssertEqual(ck.count, 3)
        XCTAssertLessThan(ck[0], 1e-12)     // horizon 1 is the fit itself
        XCTAssertLessThan(ck[2], 0.25)
        // a misspecified VAR(1) on VAR(2) data fails the test more clearly
        let ck1 = try VARSelection.chapmanKolmogorov(trajs, order: 1, maxHorizon: 3)
        XCTAssertGreaterThan(ck1[2], 2 * ck[2])
    }
}
