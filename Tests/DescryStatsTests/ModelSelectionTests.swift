import XCTest
import DescryLinalg
@testable import DescryStats
import DescryTestSupport

/// Metrics and k-fold against scikit-learn; bagging, split, tensor estimator by construction.
final class ModelSelectionTests: XCTestCase {
    func testMetricsAndKFoldMatchSklearn() throws {
        let fx = try fixtures.json("bayes_ridge.json")
        let c = (fx["cases"] as! [[String: Any]])[0]
        let x = mat(c["X"]), y = mat(c["Y"])
        let m = try Regress.ridge(x, y, alpha: 2.5)
        let p = try m.predict(x)
        let want = c["metrics_ridge"] as! [String: Any]
        assertRelativeClose(try Metrics.r2(y, p), vec(want["r2"]), rtol: 1e-8, "R²")
        assertRelativeClose(try Metrics.rmse(y, p), vec(want["rmse"]), rtol: 1e-8, "RMSE")
        assertRelativeClose(try Metrics.mae(y, p), vec(want["mae"]), rtol: 1e-8, "MAE")
        let folds = try CrossValidation.kFold(23, k: 5)
        let tests = (fx["kfold_23_5_tests"] as! [[Int]])
        XCTAssertEqual(folds.map { $0.test }, tests)
        for f in folds { XCTAssertEqual(Set(f.train).union(f.test), Set(0..<23)) }
        let cv = try CrossValidation.crossValidate(x, y, k: 5) { try Regress.ridge($0, $1, alpha: 2.5) }
        XCTAssertEqual(cv.count, 5)
        for f in cv { XCTAssertGreaterThan(f.r2, 0.9) }
        assertThrows("bad k", contains: "k-fold") { _ = try CrossValidation.kFold(3, k: 5) }
    }

    func testSplitAndBagging() throws {
        let (tr, te) = try CrossValidation.trainTestSplit(100, testFraction: 0.2, seed: 3)
        XCTAssertEqual(te.count, 20)
        XCTAssertEqual(Set(tr).union(te).count, 100)
        var rng = StatsRNG(seed: 8)
        let x = rng.normalMatrix(400, 4)
        var y = Blas.mul(x, Matrix(rows: 4, cols: 1, data: [1, -2, 0.5, 3]))
        for i in 0..<400 { y[i, 0] += 0.1 * rng.normal() + 7 }
        let bag = try BaggedLinearModel.fit(x, y, subsets: 30, coverage: 0.3, seed: 2) { try Regress.ols($0, $1) }
        let truth = [1, -2, 0.5, 3.0]
        for i in 0..<4 {
            XCTAssertEqual(bag.mean.coef[i, 0], truth[i], accuracy: 0.02)
            // spread across 30%-subsets ≈ the OLS standard error of a 120-sample fit (~0.009)
            XCTAssertGreaterThan(bag.coefStd[i, 0], 0.002)
            XCTAssertLessThan(bag.coefStd[i, 0], 0.03)
        }
        XCTAssertEqual(bag.mean.intercept[0], 7, accuracy: 0.02)
        let cov = try bag.coefficientCovariance()
        for i in 0..<4 { XCTAssertEqual(cov[i, i].squareRoot(), bag.coefStd[i, 0], accuracy: 1e-12) }
    }

    func testTensorEstimatorRecoversSharedTheta() throws {
        var rng = StatsRNG(seed: 5)
        let n = 50, d = 4
        let theta = [0.3, -1.2, 2.0, 0.7]
        let v = rng.normalMatrix(n, 9 * d)
        let sigma = try TensorEstimator.predict(theta: theta, v: v)
        let fit = try TensorEstimator.fit(v: v, sigma: sigma, components: [(0, 1), (1, 0), (0, 0)])
        assertRelativeClose(fit, theta, rtol: 1e-10, "Θ")
        assertThrows("bad σ", contains: "3×3") { _ = try TensorEstimator.fit(v: v, sigma: Matrix(rows: n, cols: 3), components: [(0, 1)]) }
    }
}
