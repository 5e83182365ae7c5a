import XCTest
import DescryLinalg
@testable import DescryStats
import DescryTestSupport

/// Epistemic parameter draws of the bagged VAR (VARParameterDraw): Gaussian draws checked
/// statistically against the moments of the bag's members (seeded, so deterministic).
final class VARParameterDrawTests: XCTestCase {
    func bag() throws -> BaggedVAR {
        let fx = try fixtures.json("var.json")
        let trajs = (fx["trajectories"] as! [Any]).map { mat($0) }
        return try BaggedVAR.fit(trajs, order: 2, subsets: 12, coverage: 0.3, seed: 7)
    }

    /// Mean and ddof-1 covariance of the members' stacked coefficients (lag_coef row-major, c),
    /// computed here from the definition.
    func memberMoments(_ b: BaggedVAR) -> ([Double], [[Double]]) {
        let thetas = b.members.map { $0.lagCoef.data + $0.intercept }
        let k = thetas[0].count, m = Double(thetas.count)
        var mu = [Double](repeating: 0, count: k)
        for t in thetas { for i in 0..<k { mu[i] += t[i] / m } }
        var c = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
        for t in thetas { for i in 0..<k { for j in 0..<k { c[i][j] += (t[i] - mu[i]) * (t[j] - mu[j]) / (m - 1) } } }
        return (mu, c)
    }

    func sampleMoments(_ x: Matrix) -> ([Double], [[Double]]) {
        let n = Double(x.rows), k = x.cols
        var mu = [Double](repeating: 0, count: k)
        for r in 0..<x.rows { for i in 0..<k { mu[i] += x[r, i] / n } }
        var c = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
        for r in 0..<x.rows { for i in 0..<k { for j in 0..<k { c[i][j] += (x[r, i] - mu[i]) * (x[r, j] - mu[j]) / (n - 1) } } }
        return (mu, c)
    }

    func testDiagonalDrawsHaveMeanTbarAndVarianceDeltaT() throws {
        let b = try bag()
        let (mu, c) = memberMoments(b)
        // the bag's δT, δc are the diagonal of the member covariance
        let sd = b.lagCoefStd.data + b.interceptStd
        for i in sd.indices { XCTAssertEqual(sd[i] * sd[i], c[i][i], accuracy: 1e-12 * max(c[i][i], 1e-300)) }
        let n = 20000
        let draws = try b.sampleParameters(.diagonal, count: n, seed: 3)
        let (m, s) = sampleMoments(draws)
        let tol = 5 / Double(n).squareRoot()
        for i in mu.indices {
            let se = c[i][i].squareRoot()
            XCTAssertEqual(m[i], mu[i], accuracy: tol * se + 1e-15, "mean \(i)")
            XCTAssertEqual(s[i][i], c[i][i], accuracy: tol * 2.0.squareRoot() * c[i][i] + 1e-300, "variance \(i)")
            for j in 0..<i {
                // independent coefficients: correlation within 5/√N of 0
                let r = s[i][j] / (s[i][i] * s[j][j]).squareRoot()
                XCTAssertLessThan(abs(r), tol, "correlation \(i), \(j)")
            }
        }
    }

    func testFullDrawsReproduceTheMemberCovariance() throws {
        let b = try bag()
        let (mu, c) = memberMoments(b)
        let n = 20000
        let (m, s) = sampleMoments(try b.sampleParameters(.full, count: n, seed: 4))
        var strongest = 0.0
        for i in mu.indices {
            XCTAssertEqual(m[i], mu[i], accuracy: 5 * (c[i][i] / Double(n)).squareRoot() + 1e-15, "mean \(i)")
            for j in 0...i {
                // SE of a normal sample covariance: √((C_ii C_jj + C_ij²)/N)
                let se = ((c[i][i] * c[j][j] + c[i][j] * c[i][j]) / Double(n)).squareRoot()
                XCTAssertEqual(s[i][j], c[i][j], accuracy: 6 * se + 1e-300, "cov \(i), \(j)")
                if i != j { strongest = max(strongest, abs(c[i][j]) / (c[i][i] * c[j][j]).squareRoot()) }
            }
        }
        // the check is meaningful only if the members are correlated (diagonal draws would fail it)
        XCTAssertGreaterThan(strongest, 0.5)
    }

    func testMemberAndMeanDrawsAndSimulation() throws {
        let b = try bag()
        let thetas = Set(b.members.map { $0.lagCoef.data + $0.intercept })
        let draws = try b.sampleParameters(.member, count: 50, seed: 1)
        for r in 0..<draws.rows { XCTAssertTrue(thetas.contains(draws.row(r))) }
        let means = try b.sampleParameters(.mean, count: 2, seed: 1)
        XCTAssertEqual(means.row(1), b.mean.lagCoef.data + b.mean.intercept)
        // .member / .mean are the existing member / mean-model simulations, stream for stream
        let fx = try fixtures.json("var.json")
        let h = mat((fx["trajectories"] as! [Any])[0])
        let hs = [Matrix](repeating: h, count: 6)
        XCTAssertEqual(try b.simulate(histories: hs, steps: 5, parameters: .member, seed: 9),
                       try b.simulate(histories: hs, steps: 5, drawParameters: true, seed: 9))
        XCTAssertEqual(try b.simulate(histories: hs, steps: 5, parameters: .mean, seed: 9),
                       try b.simulate(histories: hs, steps: 5, drawParameters: false, seed: 9))
        // Gaussian draws without noise: trajectories differ only through their parameters
        for kind in [VARParameterDraw.diagonal, .full] {
            let a = try b.simulate(histories: hs, steps: 5, noise: false, parameters: kind, seed: 2)
            XCTAssertEqual(a, try b.simulate(histories: hs, steps: 5, noise: false, parameters: kind, seed: 2))
            XCTAssertNotEqual(a[0], a[1])
            XCTAssertEqual(a.count, 6)
            XCTAssertEqual(a[0].rows, 5)
        }
        assertThrows("gaussianModel(.member)", contains: "not a Gaussian") {
            var rng = StatsRNG(seed: 0)
            _ = try b.gaussianModel(.member, rng: &rng)
        }
        assertThrows("count", contains: "draw count") { _ = try b.sampleParameters(.full, count: 0, seed: 0) }
    }
}
