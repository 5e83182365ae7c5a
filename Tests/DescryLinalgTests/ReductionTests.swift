import XCTest
@testable import DescryLinalg
import DescryTestSupport

/// Reductions, norms and broadcasting against numpy (fixtures from scripts/gen_la_fixtures.py).
final class ReductionTests: XCTestCase {
    func testAxisReductions() throws {
        let r = try fixtures.matrix("red_R.npy")
        for (axis, tag) in [(Axis.rows, "ax1"), (Axis.cols, "ax2")] {
            assertClose(r.sum(axis: axis), try fixtures.matrix("red_sum_\(tag).npy"), rtol: 0, atol: 1e-13 * (1 + maxAbs(try fixtures.matrix("red_sum_\(tag).npy"))), tag)
            assertClose(r.mean(axis: axis), try fixtures.matrix("red_mean_\(tag).npy"), rtol: 0, atol: 1e-13 * (1 + maxAbs(try fixtures.matrix("red_mean_\(tag).npy"))), tag)
            assertClose(r.variance(axis: axis), try fixtures.matrix("red_var0_\(tag).npy"), rtol: 0, atol: 1e-13 * (1 + maxAbs(try fixtures.matrix("red_var0_\(tag).npy"))), tag)
            assertClose(r.variance(axis: axis, ddof: 1), try fixtures.matrix("red_var1_\(tag).npy"), rtol: 0, atol: 1e-13 * (1 + maxAbs(try fixtures.matrix("red_var1_\(tag).npy"))), tag)
            assertClose(r.std(axis: axis, ddof: 1), try fixtures.matrix("red_std1_\(tag).npy"), rtol: 0, atol: 1e-13 * (1 + maxAbs(try fixtures.matrix("red_std1_\(tag).npy"))), tag)
            XCTAssertEqual(try r.min(axis: axis), try fixtures.matrix("red_min_\(tag).npy"))
            XCTAssertEqual(try r.max(axis: axis), try fixtures.matrix("red_max_\(tag).npy"))
            XCTAssertEqual(try r.argmin(axis: axis), try fixtures.matrix("red_argmin_\(tag).npy"))
            XCTAssertEqual(try r.argmax(axis: axis), try fixtures.matrix("red_argmax_\(tag).npy"))
            assertClose(r.cumsum(axis: axis), try fixtures.matrix("red_cumsum_\(tag).npy"), rtol: 0, atol: 1e-13 * (1 + maxAbs(try fixtures.matrix("red_cumsum_\(tag).npy"))), tag)
        }
    }

    func testWholeMatrixReductions() throws {
        let r = try fixtures.matrix("red_R.npy")
        let ref = try fixtures.matrix("red_all.npy").data
        let got = [r.sum(), r.mean(), r.variance(), r.variance(ddof: 1), r.std(), try r.min(), try r.max(),
                   Double(try r.argmin()), Double(try r.argmax()), r.trace()]
        assertClose(got, ref, rtol: 0, atol: 1e-13 * (1 + maxAbs(ref)))
        assertClose(r.cumsum(axis: nil), try fixtures.matrix("red_cumsum_all.npy"), rtol: 0, atol: 1e-13 * (1 + maxAbs(try fixtures.matrix("red_cumsum_all.npy"))))
    }

    func testNorms() throws {
        let r = try fixtures.matrix("red_R.npy")
        let got = [try r.norm(), try r.norm(.nuclear), try r.norm(.p(1)), try r.norm(.p(2)),
                   try r.norm(.infinity), try r.norm(.negativeInfinity), try r.norm(.p(-1)), try r.norm(.p(-2))]
        assertClose(got, try fixtures.matrix("norm_R.npy").data, rtol: 0, atol: 1e-12 * (1 + maxAbs(try fixtures.matrix("norm_R.npy").data)))
        let v = r.colRange(1, 2)
        let gv = [try v.norm(), try v.norm(.p(1)), try v.norm(.infinity), try v.norm(.p(3)),
                  try v.norm(.negativeInfinity), try v.norm(.p(0))]
        assertClose(gv, try fixtures.matrix("norm_v.npy").data, rtol: 0, atol: 1e-13 * (1 + maxAbs(try fixtures.matrix("norm_v.npy").data)))
        XCTAssertThrowsError(try r.norm(.p(3)))
    }

    func testBroadcasting() throws {
        let r = try fixtures.matrix("red_R.npy")
        let z = try Matrix.divide(try Matrix.subtract(r, r.mean(axis: .rows)), r.std(axis: .rows, ddof: 1))
        assertClose(z, try fixtures.matrix("bc_standardised.npy"), rtol: 0, atol: 1e-13 * (1 + maxAbs(try fixtures.matrix("bc_standardised.npy"))))
        let c = try fixtures.matrix("bc_c.npy")
        assertClose(try Matrix.divide(r, c), try fixtures.matrix("bc_R_div_c.npy"), rtol: 0, atol: 1e-13 * (1 + maxAbs(try fixtures.matrix("bc_R_div_c.npy"))))
        assertClose(try Matrix.add(c, r.rowRange(0, 1)), try fixtures.matrix("bc_outer_sum.npy"), rtol: 0, atol: 0)
        let msg = errorMessage { try Matrix.add(Matrix(rows: 2, cols: 3), Matrix(rows: 3, cols: 2)) }
        XCTAssertEqual(msg, "shapes 2×3 and 3×2 cannot be broadcast together")
    }

    func testElementwiseFunctions() throws {
        let x = try fixtures.matrix("ew_x.npy")
        for f in ["exp", "log", "log2", "log10", "log1p", "expm1", "sqrt", "sin", "cos", "tan", "tanh"] {
            let fn = ElementwiseFunction(rawValue: f)!.function
            assertClose(x.map(fn), try fixtures.matrix("ew_\(f).npy"), rtol: 0, atol: 1e-15 * (1 + maxAbs(try fixtures.matrix("ew_\(f).npy"))), f)
        }
        let halves = Matrix(rows: 6, cols: 1, data: [0.5, 1.5, 2.5, -0.5, -1.5, 2.4999])
        XCTAssertEqual(halves.map(ElementwiseFunction.round.function), try fixtures.matrix("ew_round.npy"))
        XCTAssertTrue(try Matrix.allClose(x, x.adding(1e-9)))
        XCTAssertFalse(try Matrix.allClose(x, x.adding(1e-3)))
        XCTAssertFalse(try Matrix.allClose(Matrix.scalar(.nan), Matrix.scalar(.nan)))
        XCTAssertThrowsError(try x.clamped(2, 1))
        XCTAssertEqual(try x.clamped(0.5, 2).data, [0.5, 1, 2, 2, 0.5])
    }

    func testEmptyReductions() {
        let e = Matrix(rows: 0, cols: 3)
        XCTAssertEqual(e.sum(), 0)
        XCTAssertTrue(e.mean().isNaN)
        XCTAssertTrue(errorMessage { try e.min() }.contains("empty"))
    }
}

/// Sorting, quantiles, condition number and rank against numpy.
final class SortingTests: XCTestCase {
    func testSortAndArgsort() throws {
        let r = try fixtures.matrix("red_R.npy")
        XCTAssertEqual(r.sorted(axis: .rows), try fixtures.matrix("sort_ax1.npy"))
        XCTAssertEqual(r.sorted(axis: .cols), try fixtures.matrix("sort_ax2.npy"))
        XCTAssertEqual(r.sorted(axis: nil), try fixtures.matrix("sort_all.npy"))
        XCTAssertEqual(r.argsorted(axis: .rows), try fixtures.matrix("argsort_ax1.npy"))
        XCTAssertEqual(r.argsorted(axis: .cols), try fixtures.matrix("argsort_ax2.npy"))
        XCTAssertEqual(r.argsorted(axis: nil), try fixtures.matrix("argsort_all.npy"))
        let withNaN = Matrix(rows: 4, cols: 1, data: [2, .nan, -1, 0])
        XCTAssertEqual(Array(withNaN.sorted(axis: nil).data[0..<3]), [-1, 0, 2])
        XCTAssertTrue(withNaN.sorted(axis: nil).data[3].isNaN)
    }

    func testMedianAndQuantiles() throws {
        let r = try fixtures.matrix("red_R.npy")
        assertClose(try r.quantile(0.5, axis: .rows), try fixtures.matrix("median_ax1.npy"), rtol: 0, atol: 1e-14 * (1 + maxAbs(try fixtures.matrix("median_ax1.npy"))))
        assertClose(try r.quantile(0.5, axis: .cols), try fixtures.matrix("median_ax2.npy"), rtol: 0, atol: 1e-14 * (1 + maxAbs(try fixtures.matrix("median_ax2.npy"))))
        let all = try fixtures.matrix("quantile_all.npy").data
        let got = try [0.5, 0.1, 0.37, 1.0].map { try r.quantile($0, axis: nil).data[0] }
        assertClose(got, all, rtol: 0, atol: 1e-14 * (1 + maxAbs(all)))
        assertClose(try r.quantile(0.37, axis: .rows), try fixtures.matrix("quantile_037_ax1.npy"), rtol: 0, atol: 1e-14 * (1 + maxAbs(try fixtures.matrix("quantile_037_ax1.npy"))))
        assertClose(try r.quantile(0.37, axis: .cols), try fixtures.matrix("quantile_037_ax2.npy"), rtol: 0, atol: 1e-14 * (1 + maxAbs(try fixtures.matrix("quantile_037_ax2.npy"))))
        XCTAssertTrue(try Matrix(rows: 2, cols: 1, data: [1, .nan]).quantile(0.5, axis: nil).data[0].isNaN)
        XCTAssertThrowsError(try r.quantile(1.5, axis: nil))
    }

    func testCondAndRank() throws {
        let ref = try fixtures.matrix("cond_rank.npy").data
        XCTAssertEqual(try Linalg.cond(try fixtures.matrix("red_R.npy")), ref[0], accuracy: 1e-12 * ref[0])
        XCTAssertEqual(Double(try Linalg.rank(try fixtures.matrix("red_R.npy"))), ref[1])
        XCTAssertEqual(Double(try Linalg.rank(try fixtures.matrix("lstsq_A.npy"))), ref[2])
        XCTAssertEqual(try Linalg.cond(Matrix(rows: 2, cols: 2)), .infinity)
    }
}
