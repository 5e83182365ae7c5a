import XCTest
import DescryLinalg
@testable import DescryStats
import DescryTestSupport

/// VAR standard errors and noise divisors, PCA singular values, GRIDE and DANCo for D = 3 against
/// statsmodels / scikit-learn / DADApy / scikit-dimension (Fixtures/stats_fixes.json,
/// scripts/gen_stats_fixes_fixtures.py).
final class StatsFixesTests: XCTestCase {
    static func fixture() throws -> [String: Any] { try fixtures.json("stats_fixes.json") }

    func testVARStandardErrorsMatchStatsmodels() throws {
        let v = try Self.fixture()["var"] as! [String: Any]
        let x = mat(v["trajectory"])
        let m = try VARModel.fit([x], order: v["order"] as! Int)
        XCTAssertEqual(m.nobs, v["nobs"] as! Int)
        let se = mat(v["stderr"])                  // (1 + P·D) × D, constant row first
        let d = m.dimension
        assertRelativeClose(m.standardErrors()!.intercept, (0..<d).map { se[0, $0] }, rtol: 1e-10, "intercept stderr")
        var lag = Matrix(rows: se.rows - 1, cols: d)
        for i in 1..<se.rows { for j in 0..<d { lag[i - 1, j] = se[i, j] } }
        assertRelativeClose(m.standardErrors()!.lag, lag, rtol: 1e-10, "lag stderr")
        assertRelativeClose(m.noiseCov, mat(v["sigma_u"]), rtol: 1e-10, "unbiased noise (default)")
        let mle = try VARModel.fit([x], order: 2, noiseDivisor: .mle)
        assertRelativeClose(mle.noiseCov, mat(v["sigma_u_mle"]), rtol: 1e-10, "mle noise divisor")
        assertRelativeClose(mle.standardErrors()!.lag, lag, rtol: 1e-10, "stderr does not depend on the noise divisor")
    }

    func testBaggedNoiseDivisor() throws {
        let x = mat((try Self.fixture()["var"] as! [String: Any])["trajectory"])
        let n = try BaggedVAR.fit([x], order: 2, subsets: 3, coverage: 0.5, seed: 4)
        let u = try BaggedVAR.fit([x], order: 2, subsets: 3, coverage: 0.5, seed: 4, noiseDivisor: .unbiased)
        let size = Double(n.members[0].nobs), k = Double(1 + 2 * 3)
        assertRelativeClose(u.members[0].noiseCov.data, n.members[0].noiseCov.data.map { $0 * size / (size - k) }, rtol: 1e-12, "member noise: n versus n − (1 + P·D)")
        assertThrows("too few pairs", contains: "degrees of freedom") { _ = try VARNoiseDivisor.unbiased.value(nobs: 7, parameters: 7) }
    }

    func testPCASingularValuesAndNoiseVariance() throws {
        let p = try Self.fixture()["pca"] as! [String: Any]
        let x = mat(p["X"])
        for fit in p["fits"] as! [[String: Any]] {
            let k = fit["n_components"] as! Int
            for solver in [PCA.Solver.full, .covarianceEigh] {
                let m = try PCA(fitting: x, nComponents: k, solver: solver)
                assertRelativeClose(m.singularValues, vec(fit["singular_values"]), rtol: 1e-10, "singular values k=\(k) \(solver)")
                let nv = num(fit["noise_variance"])
                XCTAssertEqual(m.noiseVariance, nv, accuracy: 1e-10 * max(abs(nv), 1e-3), "noise variance k=\(k) \(solver)")
            }
        }
    }

    func testGRIDEMatchesDADApy() throws {
        for c in try Self.fixture()["gride"] as! [[String: Any]] {
            let name = c["name"] as! String
            let r = try IntrinsicDimension.gride(mat(c["X"]), rangeMax: c["range_max"] as! Int)
            assertRelativeClose(r.dimensions, vec(c["ids"]), rtol: 1e-8, "\(name) GRIDE ids")
            assertRelativeClose(r.errors, vec(c["errors"]), rtol: 1e-8, "\(name) GRIDE errors")
            assertRelativeClose(r.scales, vec(c["scales"]), rtol: 1e-8, "\(name) GRIDE scales")
            XCTAssertEqual(r.ranks.first, 2)
        }
        assertThrows("too few points", contains: "too few") { _ = try IntrinsicDimension.gride(Matrix(rows: 2, cols: 2, data: [0, 1, 2, 3]), rangeMax: 64) }
    }

    /// The old code returned the integer 2.000 for 3-D input; scikit-dimension fits the parabola.
    /// Reference: skdim's estimates over seeds with its MIND_MLk maximised to convergence (the
    /// released skdim stops at its integer start, d̂ = 2.000 instead of the maximum 1.926; see
    /// scripts/gen_stats_fixes_fixtures.py) — descry maximises that likelihood exactly.
    func testDANCoFractalForThreeDimensions() throws {
        let c = try Self.fixture()["danco_swiss_roll"] as! [String: Any]
        let ref = vec(c["skdim_estimates_converged_mind_mlk"])
        let lo = ref.min()!, hi = ref.max()!
        let spread = hi - lo
        var ours: [Double] = []
        for seed in 0..<4 {
            let r = try IntrinsicDimension.danco(mat(c["X"]), k: 10, seed: UInt64(seed))
            ours.append(r.dimension)
            XCTAssertTrue(r.muTau > 0 && r.muNu.isFinite, "DANCo statistics exposed")
        }
        for d in ours {
            XCTAssertTrue(d >= lo - spread && d <= hi + spread,
                          "DANCo swiss roll \(d) outside scikit-dimension's seed range \(lo)…\(hi) (± its spread)")
            XCTAssertNotEqual(d, d.rounded(), "fractal estimate, not an integer")
        }
        XCTAssertEqual(IntrinsicDimension.parabolaMinimum([3, 1, 3]), 2)
        XCTAssertEqual(IntrinsicDimension.parabolaMinimum([2, 1, 4]), 2 - 2.0 / 8, accuracy: 1e-15)
    }
}
