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
