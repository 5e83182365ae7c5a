import XCTest
import DescryLinalg
@testable import DescryStats
import DescryTestSupport

/// POPS regression against popsregression 0.4.0 (Fixtures/pops.json, scripts/gen_pops_fixtures.py).
final class POPSTests: XCTestCase {
    static func options(_ o: [String: Any]) -> POPSOptions {
        var opt = POPSOptions()
        opt.fitIntercept = o["fit_intercept"] as? Bool ?? false
        if let v = o["leverage_percentile"] { opt.leveragePercentile = num(v) }
        if let v = o["percentile_clipping"] { opt.percentileClipping = num(v) }
        if let v = o["resample_density"] { opt.resampleDensity = num(v) }
        if let v = o["posterior"] as? String { opt.posterior = POPSPosteriorKind(rawValue: v)! }
        return opt
    }

    static func cases() throws -> [[String: Any]] { try fixtures.json("pops.json")["cases"] as! [[String: Any]] }

    func testAgreesWithPopsregression() throws {
        for c in try Self.cases() {
            let name = c["name"] as! String
            let x = mat(c["X"]), y = Matrix(rows: x.rows, cols: 1, data: vec(c["y"]))
            var model = try POPSModel(fitting: x, y, options: Self.options(c["options"] as! [String: Any]))
            // Tolerance: 1e-8, or 10× how far popsregression moves from itself when the training
            // rows are permuted (its rounding floor; only the cond ≈ 1e17 descriptor case needs it).
            let spread = c["reference_self_spread"] as! [String: Any]
            func tol(_ q: String) -> Double { max(1e-8, 10 * num(spread[q])) }
            assertClose(column(model.coefAugmented, 0), vec(c["coef"]), rtol: tol("coef"), atol: tol("coef") * 1e-3 * maxAbs(vec(c["coef"])), "\(name) coef")
            assertClose([model.alpha[0], model.lambda[0]], [num(c["alpha"]), num(c["lambda"])], rtol: tol("alpha_lambda"), atol: tol("alpha_lambda") * 1e-3 * maxAbs([num(c["alpha"]), num(c["lambda"])]), "\(name) alpha, lambda")
            XCTAssertEqual(model.nIter[0], c["n_iter"] as! Int, "\(name) n_iter")
            assertClose(try model.epistemicCovariance(output: 0), mat(c["sigma"]), rtol: tol("sigma"), atol: tol("sigma") * 1e-3 * maxAbs(mat(c["sigma"])), "\(name) sigma_")
            assertClose(column(model.leverage, 0), vec(c["leverage"]), rtol: tol("leverage"), atol: tol("leverage") * 1e-3 * maxAbs(vec(c["leverage"])), "\(name) leverage")
            XCTAssertEqual(model.posteriors[0].pointCount, c["mask_count"] as! Int, "\(name) leverage mask")
            if let support = c["support"] {
                let ref = mat(support)
                var post = model.posteriors[0]
                XCTAssertEqual(post.dimension, ref.cols, "\(name) retained modes")
                guard post.dimension == ref.cols else { continue }
                for k in 0..<ref.cols {
                    var dot = 0.0
                    for r in 0..<ref.rows { dot += post.support![r, k] * ref[r, k] }
                    if dot < 0 { post.flipDirection(k) }
                }
                assertClose(post.support!, ref, rtol: tol("directions"), atol: tol("directions") * 1e-3 * maxAbs(ref), "\(name) hypercube directions")
                assertClose(post.low + post.high, vec(c["low"]) + vec(c["high"]), rtol: tol("bounds"), atol: tol("bounds") * 1e-3 * maxAbs(vec(c["low"]) + vec(c["high"])), "\(name) hypercube bounds")
                try post.redraw(unit: mat(c["unit"]))
                model.posteriors[0] = post
            } else {
                assertClose(model.posteriors[0].coordinates, mat(c["corrections"]), rtol: tol("misspecification_sigma"), atol: tol("misspecification_sigma") * 1e-3 * maxAbs(mat(c["corrections"])), "\(name) ensemble corrections")
            }
            let post = model.posteriors[0]
            assertClose(post.covariance, mat(c["misspecification_sigma"]), rtol: tol("misspecification_sigma"), atol: tol("misspecification_sigma") * 1e-3 * maxAbs(mat(c["misspecification_sigma"])), "\(name) misspecification_sigma_")
            let draws = post.draws()
            let means = (0..<draws.cols).map { j in (0..<draws.rows).reduce(0.0) { $0 + draws[$1, j] } / Double(draws.rows) }
            let stds = (0..<draws.cols).map { j -> Double in
                let s = (0..<draws.rows).reduce(0.0) { let t = draws[$1, j] - means[j]; return $0 + t * t }
                return (s / Double(draws.rows)).squareRoot()
            }
            let scale = vec(c["posterior_std"]).max()!
            for j in 0..<means.count {
                XCTAssertEqual(means[j], vec(c["posterior_mean"])[j], accuracy: tol("posterior") * scale, "\(name) posterior mean \(j)")
            }
            assertClose(stds, vec(c["posterior_std"]), rtol: tol("posterior"), atol: tol("posterior") * 1e-3 * maxAbs(vec(c["posterior_std"])), "\(name) posterior std")
            let pr = try model.predict(mat(c["Xtest"]))
            let ref = c["predict"] as! [String: Any]
            assertClose(column(pr.mean, 0), vec(ref["mean"]), rtol: tol("predict"), atol: tol("predict") * 1e-3 * maxAbs(vec(ref["mean"])), "\(name) predict mean")
            assertClose(column(pr.std, 0), vec(ref["std"]), rtol: tol("predict"), atol: tol("predict") * 1e-3 * maxAbs(vec(ref["std"])), "\(name) predict std")
            assertClose(column(pr.upper, 0), vec(ref["max"]), rtol: tol("predict"), atol: tol("predict") * 1e-3 * maxAbs(vec(ref["max"])), "\(name) predict max")
            assertClose(column(pr.lower, 0), vec(ref["min"]), rtol: tol("predict"), atol: tol("predict") * 1e-3 * maxAbs(vec(ref["min"])), "\(name) predict min")
            assertClose(column(pr.epistemicStd, 0), vec(ref["epistemic_std"]), rtol: tol("predict"), atol: tol("predict") * 1e-3 * maxAbs(vec(ref["epistemic_std"])), "\(name) epistemic std")
        }
    }

    /// Our own uniform draws: the misspecification covariance has the box's analytic mean
    /// V E[zzᵀ] Vᵀ (E z_k² = (l² + lh + h²)/3, E z_k z_l = m_k m_l); both our draws and
    /// popsregression's (another numpy seed) scatter around it as N draws should.
    func testDrawsAreUniformInTheBox() throws {
        for c in try Self.cases() where c["support"] != nil {
            let name = c["name"] as! String
            let x = mat(c["X"]), y = Matrix(rows: x.rows, cols: 1, data: vec(c["y"]))
            let model = try POPSModel(fitting: x, y, options: Self.options(c["options"] as! [String: Any]))
            let post = model.posteriors[0]
            let d = post.dimension
            var ezz = Matrix(rows: d, cols: d)
            for k in 0..<d {
                for l in 0..<d {
                    let (a, b) = (post.low[k], post.high[k])
                    ezz[k, l] = k == l ? (a * a + a * b + b * b) / 3 : 0.25 * (a + b) * (post.low[l] + post.high[l])
                }
            }
            let expected = Blas.mul(Blas.mul(post.support!, ezz), post.support!, transB: true)
            func trace(_ m: Matrix) -> Double { (0..<m.rows).reduce(0) { $0 + m[$1, $1] } }
            let big = POPSPosterior(support: post.support!, low: post.low, high: post.high, modeEigenvalues: post.modeEigenvalues,
                                    pointCount: post.pointCount, count: 200_000, seed: 5)
            XCTAssertEqual(trace(big.covariance) / trace(expected), 1, accuracy: 0.01, "\(name): 2e5 draws, trace of Σ_mis")
            let n = Double(post.drawCount)
            let tol = 6 / n.squareRoot()
            XCTAssertEqual(trace(post.covariance) / trace(expected), 1, accuracy: tol, "\(name): our \(post.drawCount) draws")
            XCTAssertEqual(trace(mat(c["misspecification_sigma_seed2"])) / trace(expected), 1, accuracy: tol, "\(name): popsregression's draws")
        }
    }

    /// Inputs POPS refuses (popsregression's own behaviour is recorded in the fixture).
    func testBadInputsAreErrors() throws {
        let bad = try fixtures.json("pops.json")["bad_inputs"] as! [String: [String: Any]]
        XCTAssertEqual(bad.count, 6)
        for (name, c) in bad {
            let xm = c["X"] as! [String: Any]
            let xd = (xm["data"] as! [Any]).map { ($0 as? NSNumber)?.doubleValue ?? .nan }
            let x = Matrix(rows: xm["rows"] as! Int, cols: xm["cols"] as! Int, data: xd)
            let yd = (c["y"] as! [Any]).map { ($0 as? NSNumber)?.doubleValue ?? .nan }
            assertThrows(name, contains: c["descry_error"] as! String) {
                _ = try POPSModel(fitting: x, Matrix(rows: yd.count, cols: 1, data: yd), options: Self.options(c["options"] as! [String: Any]))
            }
        }
    }

    /// Nearly collinear descriptor columns (cond(XᵀX) ≈ 9e16 with the intercept) stay finite,
    /// and several outputs fitted together equal separate fits.
    func testCollinearAndMultiOutput() throws {
        let c = try Self.cases().first { ($0["name"] as! String) == "dbar_energy_55" }!
        let x = mat(c["X"])
        XCTAssertGreaterThan(num(c["cond_gram"]), 5e16)
        let y1 = vec(c["y"])
        let y2 = y1.enumerated().map { $0.element * 0.5 + x[$0.offset, 3] }
        var y = Matrix(rows: x.rows, cols: 2)
        for i in 0..<x.rows { y[i, 0] = y1[i]; y[i, 1] = y2[i] }
        var o = POPSOptions()
        o.fitIntercept = true
        let both = try POPSModel(fitting: x, y, options: o)
        let second = try POPSModel(fitting: x, Matrix(rows: x.rows, cols: 1, data: y2), options: o)
        XCTAssertTrue(both.coefAugmented.data.allSatisfy { $0.isFinite })
        assertClose(column(both.coefAugmented, 1), column(second.coefAugmented, 0), rtol: 1e-12, atol: 1e-12 * 1e-3 * maxAbs(column(second.coefAugmented, 0)), "output 2 alone")
        let pr = try both.predict(x)
        XCTAssertTrue(pr.std.data.allSatisfy { $0.isFinite && $0 > 0 })
        var rng = StatsRNG(seed: 1)
        let draws = try both.sampleCoefficients(output: 0, count: 50, rng: &rng)
        XCTAssertEqual(draws.rows, 50)
        XCTAssertEqual(draws.cols, 56)
    }
}

private func + (a: [Double], b: [Double]) -> [Double] { Array([a, b].joined()) }
