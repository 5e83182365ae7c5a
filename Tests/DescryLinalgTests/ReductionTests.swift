import XCTest
@testable import DescryLinalg

/// Reductions, norms and broadcasting against numpy (fixtures from scripts/gen_la_fixtures.py).
final class ReductionTests: XCTestCase {
    func testAxisReductions() throws {
        let r = try Fx.m("red_R")
        for (axis, tag) in [(Axis.rows, "ax1"), (Axis.cols, "ax2")] {
            assertClose(r.sum(axis: axis), try Fx.m("red_sum_\(tag)"), tol: 1e-13, tag)
            assertClose(r.mean(axis: axis), try Fx.m("red_mean_\(tag)"), tol: 1e-13, tag)
            assertClose(r.variance(axis: axis), try Fx.m("red_var0_\(tag)"), tol: 1e-13, tag)
            assertClose(r.variance(axis: axis, ddof: 1), try Fx.m("red_var1_\(tag)"), tol: 1e-13, tag)
            assertClose(r.std(axis: axis, ddof: 1), try Fx.m("red_std1_\(tag)"), tol: 1e-13, tag)
            XCTAssertEqual(try r.min(axis: axis), try Fx.m("red_min_\(tag)"))
            XCTAssertEqual(try r.max(axis: axis), try Fx.m("red_max_\(tag)"))
            XCTAssertEqual(try r.argmin(axis: axis), try Fx.m("red_argmin_\(tag)"))
            XCTAssertEqual(try r.argmax(axis: axis), try Fx.m("red_argmax_\(tag)"))
            assertClose(r.cumsum(axis: axis), try Fx.m("red_cumsum_\(tag)"), tol: 1e-13, tag)
        }
    }

    func testWholeMatrixReductions() throws {
        let r = try Fx.m("red_R")
        let ref = try Fx.v("red_all")
        let got = [r.sum(), r.mean(), r.variance(), r.variance(ddof: 1), r.std(), try r.min(), try r.max(),
                   Double(try r.argmin()), Double(try r.argmax()), r.trace()]
        assertClose(got, ref, tol: 1e-13)
        assertClose(r.cumsum(axis: nil), try Fx.m("red_cumsum_all"), tol: 1e-13)
    }

    func testNorms() throws {
        let r = try Fx.m("red_R")
        let got = [try r.norm(), try r.norm(.nuclear), try r.norm(.p(1)), try r.norm(.p(2)),
                   try r.norm(.infinity), try r.norm(.negativeInfinity), try r.norm(.p(-1)), try r.norm(.p(-2))]
        assertClose(got, try Fx.v("norm_R"), tol: 1e-12)
        let v = r.colRange(1, 2)
        let gv = [try v.norm(), try v.norm(.p(1)), try v.norm(.infinity), try v.norm(.p(3)),
                  try v.norm(.negativeInfinity), try v.norm(.p(0))]
        assertClose(gv, try Fx.v("norm_v"), tol: 1e-13)
        XCTAssertThrowsError(try r.norm(.p(3)))
    }

    func testBroadcasting() throws {
        let r = try Fx.m("red_R")
        let z = try Matrix.divide(try Matrix.subtract(r, r.mean(axis: .rows)), r.std(axis: .rows, ddof: 1))
        assertClose(z, try Fx.m("bc_standardised"), tol: 1e-13)
        let c = try Fx.m("bc_c")
        assertClose(try Matrix.divide(r, c), try Fx.m("bc_R_div_c"), tol: 1e-13)
        assertClose(try Matrix.add(c, r.rowRange(0, 1)), try Fx.m("bc_outer_sum"), tol: 0)
        let msg = errorMessage { try Matrix.add(Matrix(rows: 2, cols: 3), Matrix(rows: 3, cols: 2)) }
        XCTAssertEqual(msg, "shapes 2×3 and 3×2 cannot be broadcast together")
    }

    func testElementwiseFunctions() throws {
        let x = try Fx.m("ew_x")
        for f in ["exp", "log", "log2", "log10", "log1p", "expm1", "sqrt", "sin", "cos", "tan", "tanh"] {
            let fn = ElementwiseFunction(rawValue: f)!.function
            assertClose(x.map(fn), try Fx.m("ew_\(f)"), tol: 1e-15, f)
        }
        let halves = Matrix(rows: 6, cols: 1, data: [0.5, 1.5, 2.5, -0.5, -1.5, 2.4999])
        XCTAssertEqual(halves.map(ElementwiseFunction.round.function), try Fx.m("ew_round"))
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
        let r = try Fx.m("red_R")
        XCTAssertEqual(r.sorted(axis: .rows), try Fx.m("sort_ax1"))
        XCTAssertEqual(r.sorted(axis: .cols), try Fx.m("sort_ax2"))
        XCTAssertEqual(r.sorted(axis: nil), try Fx.m("sort_all"))
        XCTAssertEqual(r.argsorted(axis: .rows), try Fx.m("argsort_ax1"))
        XCTAssertEqual(r.argsorted(axis: .cols), try Fx.m("argsort_ax2"))
        XCTAssertEqual(r.argsorted(axis: nil), try Fx.m("argsort_all"))
        let withNaN = Matrix(rows: 4, cols: 1, data: [2, .nan, -1, 0])
        XCTAssertEqual(Array(withNaN.sorted(axis: nil).data[0..<3]), [-1, 0, 2])
        XCTAssertTrue(withNaN.sorted(axis: nil).data[3].isNaN)
    }

    func testMedianAndQuantiles() throws {
        let r = try Fx.m("red_R")
        assertClose(try r.quantile(0.5, axis: .rows), try Fx.m("median_ax1"), tol: 1e-14)
        assertClose(try r.quantile(0.5, axis: .cols), try Fx.m("median_ax2"), tol: 1e-14)
        let all = try Fx.v("quantile_all")
        let got = try [0.5, 0.1, 0.37, 1.0].map { try r.quantile($0, axis: nil).data[0] }
        assertClose(got, all, tol: 1e-14)
        assertClose(try r.quantile(0.37, axis: .rows), try Fx.m("quantile_037_ax1"), tol: 1e-14)
        assertClose(try r.quantile(0.37, axis: .cols), try Fx.m("quantile_037_ax2"), tol: 1e-14)
        XCTAssertTrue(try Matrix(rows: 2, cols: 1, data: [1, .nan]).quantile(0.5, axis: nil).data[0].isNaN)
        XCTAssertThrowsError(try r.quantile(1.5, axis: nil))
    }

    func testCondAndRank() throws {
        let ref = try Fx.v("cond_rank")
        XCTAssertEqual(try Linalg.cond(try Fx.m("red_R")), ref[0], accuracy: 1e-12 * ref[0])
        XCTAssertEqual(Double(try Linalg.rank(try Fx.m("red_R"))), ref[1])
        XCTAssertEqual(Double(try Linalg.rank(try Fx.m("lstsq_A"))), ref[2])
        XCTAssertEqual(try Linalg.cond(Matrix(rows: 2, cols: 2)), .infinity)
    }
}
