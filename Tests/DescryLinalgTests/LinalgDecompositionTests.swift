import XCTest
@testable import DescryLinalg

/// Decompositions and solvers against numpy.linalg (fixtures from scripts/gen_la_fixtures.py).
/// Eigen/singular vectors are compared up to the sign of each vector (the documented convention).
final class LinalgDecompositionTests: XCTestCase {
    func testCholesky() throws {
        let l = try Linalg.cholesky(try Fx.m("spd"))
        assertClose(l, try Fx.m("chol_spd"))
        for i in 0..<l.rows { for j in (i + 1)..<l.cols { XCTAssertEqual(l[i, j], 0) } }
    }

    func testCholeskyNotPositiveDefinite() throws {
        let msg = errorMessage { try Linalg.cholesky(try Fx.m("nonspd")) }
        XCTAssertEqual(msg, "matrix is not positive definite (leading minor 2)")
        XCTAssertTrue(errorMessage { try Linalg.cholesky(Matrix(rows: 2, cols: 3)) }.contains("2×3"))
    }

    func testSolve() throws {
        assertClose(try Linalg.solve(try Fx.m("G"), try Fx.m("rhs")), try Fx.m("solve_G_rhs"))
        // single right-hand side (column path)
        let rhs = try Fx.m("rhs"), ref = try Fx.m("solve_G_rhs")
        var b0 = Matrix(rows: 6, cols: 1), x0 = Matrix(rows: 6, cols: 1)
        for i in 0..<6 { b0[i, 0] = rhs[i, 0]; x0[i, 0] = ref[i, 0] }
        assertClose(try Linalg.solve(try Fx.m("G"), b0), x0)
    }

    func testSolveErrors() {
        let singular = Matrix(rows: 3, cols: 3, data: [1, 2, 3, 2, 4, 6, 1, 0, 1])
        XCTAssertTrue(errorMessage { try Linalg.solve(singular, Matrix(rows: 3, cols: 1)) }.contains("singular"))
        let msg = errorMessage { try Linalg.solve(Matrix.identity(3), Matrix(rows: 4, cols: 2)) }
        XCTAssertTrue(msg.contains("3×3") && msg.contains("4×2"), msg)
        var nan = Matrix.identity(2); nan[0, 1] = .nan
        XCTAssertTrue(errorMessage { try Linalg.solve(nan, Matrix(rows: 2, cols: 1)) }.contains("NaN"))
    }

    func testSolveSPD() throws {
        assertClose(try Linalg.solveSPD(try Fx.m("spd"), try Fx.m("rhs")), try Fx.m("solve_spd_rhs"))
        XCTAssertTrue(errorMessage { try Linalg.solveSPD(try Fx.m("nonspd"), Matrix(rows: 3, cols: 1)) }
            .contains("not positive definite"))
    }

    func testInverse() throws {
        assertClose(try Linalg.inverse(try Fx.m("G")), try Fx.m("inv_G"), tol: 1e-9)
        XCTAssertTrue(errorMessage { try Linalg.inverse(Matrix(rows: 2, cols: 2)) }.contains("singular"))
    }

    func testLogdet() throws {
        let (sign, logabs) = try Linalg.logdet(try Fx.m("G"))
        let ref = try Fx.v("slogdet_G")
        XCTAssertEqual(sign, ref[0])
        XCTAssertEqual(logabs, ref[1], accuracy: 1e-12 * (1 + abs(ref[1])))
        let s = try Linalg.logdet(Matrix(rows: 2, cols: 2, data: [1, 2, 2, 4]))
        XCTAssertEqual(s.sign, 0); XCTAssertEqual(s.logabs, -.infinity)
    }

    func testEighReadsLowerTriangle() throws {
        let (w, v) = try Linalg.eigh(try Fx.m("sym"))
        assertClose(w, try Fx.v("eigh_values"))
        let ref = try Fx.m("eigh_vectors")
        assertClose(alignColumnSigns(v, to: ref), ref, tol: 1e-9)
        XCTAssertEqual(w, w.sorted())
    }

    func testSVDThin() throws {
        for name in ["tall", "wide"] {
            let a = try Fx.m(name)
            let (u, s, vt) = try Linalg.svd(a)
            assertClose(s, try Fx.v("svd_\(name)_s"), name)
            let uref = try Fx.m("svd_\(name)_u"), vtref = try Fx.m("svd_\(name)_vt")
            let ua = alignColumnSigns(u, to: uref)
            assertClose(ua, uref, tol: 1e-9, name)
            // flip the rows of Vᵀ with the same signs as the columns of U
            var vta = vt
            for k in 0..<u.cols where ua[0, k] != u[0, k] || (ua[1, k] != u[1, k]) {
                for j in 0..<vt.cols { vta[k, j] = -vt[k, j] }
            }
            assertClose(vta, vtref, tol: 1e-9, name)
        }
    }

    func testSVDFullIsOrthogonalAndReconstructs() throws {
        for name in ["tall", "wide"] {
            let a = try Fx.m(name)
            let (u, s, vt) = try Linalg.svd(a, full: true)
            let uref = try Fx.m("svdfull_\(name)_u"), vtref = try Fx.m("svdfull_\(name)_vt")
            XCTAssertEqual(u.rows, uref.rows); XCTAssertEqual(u.cols, uref.cols)
            XCTAssertEqual(vt.rows, vtref.rows); XCTAssertEqual(vt.cols, vtref.cols)
            assertClose(try Linalg.matmul(u, u, transA: true), Matrix.identity(u.cols), tol: 1e-12)
            assertClose(try Linalg.matmul(vt, vt, transB: true), Matrix.identity(vt.rows), tol: 1e-12)
            var sigma = Matrix(rows: a.rows, cols: a.cols)
            for k in 0..<s.count { sigma[k, k] = s[k] }
            assertClose(try Linalg.matmul(try Linalg.matmul(u, sigma), vt), a, tol: 1e-12, name)
        }
    }

    func testLstsqRankDeficient() throws {
        let (x, rank, sv) = try Linalg.lstsq(try Fx.m("lstsq_A"), try Fx.m("lstsq_b"))
        XCTAssertEqual(rank, Int(try Fx.v("lstsq_rank")[0]))
        XCTAssertEqual(rank, 3)
        assertClose(sv, try Fx.v("lstsq_s"))
        assertClose(x, try Fx.m("lstsq_x"), tol: 1e-9)
    }

    func testLstsqUnderdetermined() throws {
        let (x, rank, _) = try Linalg.lstsq(try Fx.m("lstsq_wide_A"), try Fx.m("lstsq_wide_b"))
        XCTAssertEqual(rank, 3)
        assertClose(x, try Fx.m("lstsq_wide_x"), tol: 1e-9)
        let msg = errorMessage { try Linalg.lstsq(Matrix(rows: 3, cols: 2), Matrix(rows: 4, cols: 1)) }
        XCTAssertTrue(msg.contains("3×2") && msg.contains("4×1"), msg)
    }
}
