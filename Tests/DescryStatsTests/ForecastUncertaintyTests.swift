import XCTest
import DescryLinalg
@testable import DescryStats
import DescryTestSupport

/// Eq. 5 helpers, resampled initial conditions and ensemble utilities.
final class ForecastUncertaintyTests: XCTestCase {
    func testEq5Helpers() throws {
        let t = [0.0, 1, 2, 3, 4]
        XCTAssertEqual(ForecastUncertainty.mSigma(times: t, sigmaM2: 0.5, dtau: 0.5), [0, 1, 2, 3, 4])
        XCTAssertEqual(ForecastUncertainty.m0(times: t, ensembleSize: 2, trainingDuration: 2), [0, 0.25, 0.5, 0.75, 1])
        let total = try ForecastUncertainty.total(meanMahalanobis: [1, 1, 1, 1, 1], times: t, sigmaM2: 0.5, dtau: 1)
        XCTAssertEqual(total, [1, 1.5, 2, 2.5, 3])
        XCTAssertEqual(ForecastUncertainty.predictionHorizon(times: t, values: total), 2)
        XCTAssertEqual(ForecastUncertainty.predictionHorizon(times: t, values: [0, 1, 1.5, 2.5, 3])!, 2.5, accuracy: 1e-15)
        XCTAssertNil(ForecastUncertainty.predictionHorizon(times: t, values: [0, 0, 0, 0, 0]))
        XCTAssertEqual(ForecastUncertainty.parallelEfficiency(predictionHorizon: 6, ensembleSize: 3, trainingDuration: 2), 1)
        assertThrows("length", contains: "Mahalanobis values") {
            _ = try ForecastUncertainty.total(meanMahalanobis: [1], times: t, sigmaM2: 1, dtau: 1)
        }
    }

    func testSigmaM2AndMeanMahalanobisOnAStableBag() throws {
        let fx = try fixtures.json("var.json")
        let trajs = (fx["trajectories"] as! [Any]).map { mat($0) }
        let bag = try BaggedVAR.fit(trajs, order: 2, subsets: 10, coverage: 0.4, seed: 5)
        let all = Matrix(rows: trajs.reduce(0) { $0 + $1.rows }, cols: 3, data: trajs.flatMap { $0.data })
        let maha = try Mahalanobis(fitting: all)
        let s2 = try ForecastUncertainty.sigmaM2(bag, model: maha)
        XCTAssertGreaterThan(s2, 0)
        // in-distribution data: ⟨M⟩ ≈ 1 (eq. 4 is normalised by the dimension)
        let m = try maha.distances(all)
        XCTAssertEqual(m.reduce(0, +) / Double(m.count), 1, accuracy: 0.1)
        let fc = try bag.mean.forecast(histories: [trajs[0]], steps: 30, perHistory: 50, seed: 1)
        let mm = try ForecastUncertainty.meanMahalanobis(fc, model: maha)
        XCTAssertEqual(mm.count, 30)
    }

    func testResampledHistoriesFollowTheFittedNormal() throws {
        var rng = StatsRNG(seed: 12)
        let trajs = (0..<400).map { _ in rng.normalMatrix(6, 2) }
        let w = try Ensemble.windows(trajs, order: 2, endingAt: 4)
        XCTAssertEqual(w.cols, 4)
        XCTAssertEqual(w[0, 2], trajs[0][4, 0])        // last window step is x_t
        let hs = try Ensemble.resampleHistories(windows: w, order: 2, count: 3000, seed: 2)
        XCTAssertEqual(hs.count, 3000)
        XCTAssertEqual(hs[0].rows, 2)
        let pooled = Matrix(rows: 3000, cols: 4, data: hs.flatMap { $0.data })
        let est = try Covariance.empirical(pooled)
        for j in 0..<4 { XCTAssertEqual(est.mean[j], 0, accuracy: 0.15); XCTAssertEqual(est.covariance[j, j], 1, accuracy: 0.2) }
        assertThrows("bad window", contains: "window") { _ = try Ensemble.windows(trajs, order: 3, endingAt: 1) }
        let conv = try VARSelection.orderConvergence(trajs, orders: [1, 2])
        XCTAssertEqual(conv.map { $0.order }, [1, 2])
    }
}
