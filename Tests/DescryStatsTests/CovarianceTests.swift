import XCTest
import DescryLinalg
@testable import DescryStats
import DescryTestSupport

/// Covariance estimators and eq. 4 against scikit-learn / scipy (fixtures/covariance.json).
final class CovarianceTests: XCTestCase {
    func testEstimatorsMatchSklearn() throws {
        let fx = try fixtures.json("covariance.json")
        for (ci, c) in (fx["cases"] as! [[String: Any]]).enumerated() {
            let x = mat(c["X"])
            let emp = try Covariance.empirical(x)
            assertRelativeClose(emp.mean, vec(c["mean"]), rtol: 1e-8, "case \(ci) mean")
            assertRelativeClose(emp.covariance, mat(c["empirical"]), rtol: 1e-8, "case \(ci) empirical")
            let lw = try Covariance.ledoitWolf(x)
            assertRelativeClose([lw.shrinkage], [num(c["lw_shrinkage"])], rtol: 1e-8, "case \(ci) LW shrinkage")
            assertRelativeClose(lw.covariance, mat(c["lw"]), rtol: 1e-8, "case \(ci) LW")
            let oas = try Covariance.oas(x)
            assertRelativeClose([oas.shrinkage], [num(c["oas_sklearn_shrinkage"])], rtol: 1e-8, "case \(ci) OAS sklearn shrinkage")
            assertRelativeClose(oas.covariance, mat(c["oas_sklearn"]), rtol: 1e-8, "case \(ci) OAS sklearn")
            let chen = try Covariance.oas(x, variant: .chen2010)
            assertRelativeClose([chen.shrinkage], [num(c["oas_chen_shrinkage"])], rtol: 1e-8, "case \(ci) OAS Chen shrinkage")
            assertRelativeClose(chen.covariance, mat(c["oas_chen"]), rtol: 1e-8, "case \(ci) OAS Chen")
            // The variants really differ (the 2/p terms), unless both clip at 1.
            if num(c["oas_sklearn_shrinkage"]) < 1 { XCTAssertNotEqual(oas.shrinkage, chen.shrinkage) }
        }
    }

    /// Eq. 4: squared distance / D; scipy gives the unsquared distance.
    func testMahalanobisEq4() throws {
        let fx = try fixtures.json("covariance.json")
        for (ci, c) in (fx["cases"] as! [[String: Any]]).enumerated() {
            let x = mat(c["X"])
            let m = try Mahalanobis(fitting: x, estimator: .oas(.sklearn))
            let got = try m.distances(mat(c["queries"]))
            let want = vec(c["mahalanobis_scipy_oas"]).map { $0 * $0 / Double(x.cols) }
            assertRelativeClose(got, want, rtol: 1e-8, "case \(ci) Mahalanobis")
        }
    }

    func testSingularCovarianceWithoutShrinkageThrows() throws {
        let fx = try fixtures.json("covariance.json")
        let c = (fx["cases"] as! [[String: Any]])[1]   // 20 samples, 30 features
        let x = mat(c["X"])
        assertThrows("empirical Mahalanobis n<p", contains: "shrinkage") {
            _ = try Mahalanobis(fitting: x, estimator: .empirical)
        }
        XCTAssertNoThrow(try Mahalanobis(fitting: x, estimator: .ledoitWolf))
    }

    func testNonFiniteRowsThrow() {
        var x = Matrix(rows: 4, cols: 2, data: [1, 2, 3, 4, 5, .nan, 7, 8])
        assertThrows("NaN", contains: "row 3") { _ = try Covariance.oas(x) }
        x[2, 1] = .infinity
        assertThrows("Inf", contains: "NaN or Inf") { _ = try Covariance.ledoitWolf(x) }
    }

    func testMultivariateNormalSamplingIsReproducibleAndCorrect() throws {
        let cov = Matrix(rows: 3, cols: 3, data: [2, 0.5, 0.1, 0.5, 1, -0.3, 0.1, -0.3, 0.7])
        let mvn = try MultivariateNormal(mean: [1, -2, 0.5], covariance: cov)
        let a = try mvn.sample(20000, seed: 42)
        let b = try mvn.sample(20000, seed: 42)
        XCTAssertEqual(a, b)
        let est = try Covariance.empirical(a)
        // Standard errors: mean ~ sqrt(2/20000) = 0.01; covariance ~ 0.02.
        for j in 0..<3 { XCTAssertEqual(est.mean[j], [1, -2, 0.5][j], accuracy: 0.05) }
        for i in 0..<9 { XCTAssertEqual(est.covariance.data[i], cov.data[i], accuracy: 0.08) }
    }
}
