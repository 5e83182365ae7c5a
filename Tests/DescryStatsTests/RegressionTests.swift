import XCTest
import DescryLinalg
@testable import DescryStats
import DescryTestSupport

/// OLS / ridge / Bayesian ridge against scikit-learn (fixtures/bayes_ridge.json).
final class RegressionTests: XCTestCase {
    func testBayesianRidgeMatchesSklearn() throws {
        let fx = try fixtures.json("bayes_ridge.json")
        for (ci, c) in (fx["cases"] as! [[String: Any]]).enumerated() {
            let x = mat(c["X"]), y = mat(c["Y"]), xt = mat(c["Xtest"])
            for f in c["fits"] as! [[String: Any]] {
                var o = BayesianRidgeOptions()
                o.tol = num(f["tol"])
                let m = try BayesianRidgeModel(fitting: x, y, options: o)
                let (pm, ps) = try m.predict(xt)
                for (j, out) in (f["outputs"] as! [[String: Any]]).enumerated() {
                    let tag = "case \(ci) tol \(o.tol) output \(j)"
                    XCTAssertEqual(m.nIter[j], out["n_iter"] as! Int, "\(tag) n_iter")
                    assertRelativeClose(column(m.linear.coef, j), vec(out["coef"]), rtol: 1e-8, "\(tag) coef")
                    assertRelativeClose([m.linear.intercept[j]], [num(out["intercept"])], rtol: 1e-8, "\(tag) intercept")
                    assertRelativeClose([m.alpha[j]], [num(out["alpha"])], rtol: 1e-8, "\(tag) alpha")
                    assertRelativeClose([m.lambda[j]], [num(out["lambda"])], rtol: 1e-8, "\(tag) lambda")
                    assertRelativeClose(try m.posteriorCovariance(output: j), mat(out["sigma"]), rtol: 1e-8, "\(tag) sigma")
                    assertRelativeClose(column(pm, j), vec(out["pred_mean"]), rtol: 1e-8, "\(tag) predictive mean")
                    assertRelativeClose(column(ps, j), vec(out["pred_std"]), rtol: 1e-8, "\(tag) predictive std")
                }
                if x.rows > x.cols {
                    // The fast Gram path (used by the bagged VAR) agrees too when n > p.
                    let g = try BayesianRidgeModel(fitting: x, y, options: o, decomposition: .gram)
                    assertRelativeClose(g.linear.coef, m.linear.coef, rtol: 1e-8, "case \(ci) gram path coef")
                    XCTAssertEqual(g.nIter, m.nIter)
                    assertRelativeClose(g.alpha, m.alpha, rtol: 1e-8, "case \(ci) gram path alpha")
                }
            }
        }
    }

    func testOLSAndRidgeMatchSklearn() throws {
        let fx = try fixtures.json("bayes_ridge.json")
        for (ci, c) in (fx["cases"] as! [[String: Any]]).enumerated() {
            let x = mat(c["X"]), y = mat(c["Y"])
            if let ols = c["ols"] as? [String: Any] {
                let m = try Regress.ols(x, y)
                assertRelativeClose(m.coef, mat(ols["coef"]), rtol: 1e-8, "case \(ci) OLS coef")
                assertRelativeClose(m.intercept, vec(ols["intercept"]), rtol: 1e-8, "case \(ci) OLS intercept")
                let ms = try Regress.ols(x, y, standardize: true)
                assertRelativeClose(ms.coef, mat(ols["coef"]), rtol: 1e-7, "case \(ci) standardised OLS coef")
            } else {
                assertThrows("OLS n<p", contains: "samples") { _ = try Regress.ols(x, y) }
            }
            let r = c["ridge"] as! [String: Any]
            let m = try Regress.ridge(x, y, alpha: num(r["alpha"]))
            assertRelativeClose(m.coef, mat(r["coef"]), rtol: 1e-8, "case \(ci) ridge coef")
            assertRelativeClose(m.intercept, vec(r["intercept"]), rtol: 1e-8, "case \(ci) ridge intercept")
        }
    }

    func testBadInputThrows() {
        var x = Matrix(rows: 5, cols: 2, data: [1, 2, 3, 4, 5, 6, 7, 8, 9, 1])
        let y = Matrix(rows: 5, cols: 1, data: [1, 2, 3, 4, 5])
        x[3, 1] = .nan
        assertThrows("NaN X", contains: "X: row 4") { _ = try BayesianRidgeModel(fitting: x, y) }
        assertThrows("NaN X ridge", contains: "row 4") { _ = try Regress.ridge(x, y, alpha: 1) }
        assertThrows("row mismatch", contains: "rows") { _ = try Regress.ols(Matrix(rows: 4, cols: 2), y) }
        assertThrows("alpha", contains: "alpha") { _ = try Regress.ridge(Matrix(rows: 5, cols: 2), y, alpha: -1) }
        assertThrows("PCA k", contains: "n_components") { _ = try PCA(fitting: Matrix(rows: 5, cols: 2, repeating: 1), nComponents: 3) }
    }
}
