import XCTest
import Glibc
import CBLAS
import DescryLinalg
@testable import DescryStats
import DescryTestSupport

/// Release-mode timings for scripts/bench_stats.py (issue 5 bench cases). Runs only when
/// DESCRY_BENCH_DATA points at the data written by that script; prints "BENCH <case> <seconds>".
/// Single-threaded (OpenBLAS limited to one thread), like the peers.
final class StatsBenchmarks: XCTestCase {
    func now() -> Double { var t = timespec(); clock_gettime(CLOCK_MONOTONIC, &t); return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9 }

    func best(_ repeats: Int, _ body: () throws -> Void) rethrows -> Double {
        var b = Double.infinity
        for _ in 0..<repeats { let t = now(); try body(); b = min(b, now() - t) }
        return b
    }

    func testBenchmarks() throws {
        guard let dir = ProcessInfo.processInfo.environment["DESCRY_BENCH_DATA"] else {
            throw XCTSkip("set DESCRY_BENCH_DATA (scripts/bench_stats.py --descry) to run the benchmarks")
        }
        openblas_set_num_threads(1)
        let all = try Npy.load(dir + "/var_trajs.npy").matrix
        let m = 60, t = all.rows / m, d = all.cols
        let trajs = (0..<m).map { i in Matrix(rows: t, cols: d, data: Array(all.data[(i * t * d)..<((i + 1) * t * d)])) }
        let x = try Npy.load(dir + "/cloud.npy").matrix
        var out: [(String, Double)] = []
        out.append(("var_ls", try best(3) { _ = try VARModel.fit(trajs, order: 5) }))
        out.append(("var_bagged", try best(1) { _ = try BaggedVAR.fit(trajs, order: 5, subsets: 20, coverage: 0.25, seed: 0) }))
        out.append(("xtx", try best(10) { _ = try Covariance.centredGram(x, assumeCentered: false) }))
        out.append(("oas", try best(10) { _ = try Covariance.oas(x) }))
        out.append(("lw", try best(10) { _ = try Covariance.ledoitWolf(x) }))
        out.append(("pca", try best(10) { _ = try PCA(fitting: x) }))
        out.append(("pca_full", try best(10) { _ = try PCA(fitting: x, solver: .full) }))
        out.append(("twonn", try best(2) { _ = try IntrinsicDimension.twoNN(x) }))
        var dan = 0.0
        out.append(("danco", try best(1) { dan = try IntrinsicDimension.danco(x, k: 10, seed: 0).dimension }))
        out.append(("twonn_value", try IntrinsicDimension.twoNN(x).dimension))
        out.append(("danco_value", dan))
        for (k, v) in out { print("BENCH \(k) \(v)") }
    }
}
