import XCTest
@testable import DescryLinalg
import DescryTestSupport

/// Decompositions and solvers against numpy.linalg (fixtures from scripts/gen_la_fixtures.py).
/// Eigen/singular vectors are compared up to the sign of each vector (the documented convention).
final class LinalgDecompositionTests: XCTestCase {
    func testCholesky() throws {
        let l = try Linalg.cholesky(try fixtures.matrix("spd.npy"))
        assertClose(l, try fixtures.matrix("chol_spd.npy"), rtol: 0, atol: 1e-10 * (1 + maxAbs(try fixtures.matrix("chol_spd.npy"))))
        for i in 0..<l.rows { for j in (i + 1)..<l.cols { XCTAssertEqual(l[i, j], 0) } }
    }

    func testCholeskyNotPositiveDefinite() throws {
        let msg = errorMessage { try Linalg.cholesky(try fixtures.matrix("nonspd.npy")) }
        XCTAssertEqual(msg, "matrix is not positive definite (leading minor 2)")
        XCTAssertTrue(errorMessage { try Linalg.cholesky(Matrix(rows: 2, cols: 3)) }.contains("2×3"))
    }

    func testSolve() throws {
        assertClose(try Linalg.solve(try fixtures.matrix("G.npy"), try fixtures.matrix("rhs.npy")), try fixtures.matrix("solve_G_rhs.npy"), rtol: 0, atol: 1e-10 * (1 + maxAbs(try fixtures.matrix("solve_G_rhs.npy"))))
        // single right-hand side (column path)
        let rhs = try fixtures.matrix("rhs.npy"), ref = try fixtures.matrix("solve_G_rhs.npy")
        var b0 = Matrix(rows: 6, cols: 1), x0 = Matrix(rows: 6, cols: 1)
        for i in 0..<6 { b0[i, 0] = rhs[i, 0]; x0[i, 0] = ref[i, 0] }
        assertClose(try Linalg.solve(try fixtures.matrix("G.npy"), b0), x0, rtol: 0, atol: 1e-10 * (1 + maxAbs(x0)))
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
        assertClose(try Linalg.solveSPD(try fixtures.matrix("spd.npy"), try fixtures.matrix("rhs.npy")), try fixtures.matrix("solve_spd_rhs.npy"), rtol: 0, atol: 1e-10 * (1 + maxAbs(try fixtures.matrix("solve_spd_rhs.npy"))))
        XCTAssertTrue(errorMessage { try Linalg.solveSPD(try fixtures.matrix("nonspd.npy"), Matrix(rows: 3, cols: 1)) }
            .contains("not positive definite"))
    }

    func testInverse() throws {
        assertClose(try Linalg.inverse(try fixtures.matrix("G.npy")), try fixtures.matrix("inv_G.npy"), rtol: 0, atol: 1e-9 * (1 + maxAbs(try fixtures.matrix("inv_G.npy"))))
        XCTAssertTrue(errorMessage { try Linalg.inverse(Matrix(rows: 2, cols: 2)) }.contains("singular"))
    }

    func testLogdet() throws {
        let (sign, logabs) = try Linalg.logdet(try fixtures.matrix("G.npy"))
        let ref = try fixtures.matrix("slogdet_G.npy").data
        XCTAssertEqual(sign, ref[0])
        XCTAssertEqual(logabs, ref[1], accuracy: 1e-12 * (1 + abs(ref[1])))
        let s = try Linalg.logdet(Matrix(rows: 2, cols: 2, data: [1, 2, 2, 4]))
        XCTAssertEqual(s.sign, 0); XCTAssertEqual(s.logabs, -.infinity)
    }

    func testEighReadsLowerTriangle() throws {
        let (w, v) = try Linalg.eigh(try fixtures.matrix("sym.npy"))
        assertClose(w, try fixtures.matrix("eigh_values.npy").data, rtol: 0, atol: 1e-10 * (1 + maxAbs(try fixtures.matrix("eigh_values.npy").data)))
        let ref = try fixtures.matrix("eigh_vectors.npy")
        assertClose(alignColumnSigns(v, to: ref), ref, rtol: 0, atol: 1e-9 * (1 + maxAbs(ref)))
        XCTAssertEqual(w, w.sorted())
    }

    func testSVDThin() throws {
        for name in ["tall", "wide"] {
            let a = try fixtures.matrix(name + ".npy")
            let (u, s, vt) = try Linalg.svd(a)
            assertClose(s, try fixtures.matrix("svd_\(name)_s.npy").data, rtol: 0, atol: 1e-10 * (1 + maxAbs(try fixtures.matrix("svd_\(name)_s.npy").data)), name)
            let uref = try fixtures.matrix("svd_\(name)_u.npy"), vtref = try fixtures.matrix("svd_\(name)_vt.npy")
            let ua = alignColumnSigns(u, to: uref)
            assertClose(ua, uref, rtol: 0, atol: 1e-9 * (1 + maxAbs(uref)), name)
            // flip the rows of Vᵀ with the same signs as the columns of U
            var vta = vt
            for k in 0..<u.cols where ua[0, k] != u[0, k] || (ua[1, k] != u[1, k]) {
                for j in 0..<vt.cols { vta[k, j] = -vt[k, j] }
            }
            assertClose(vta, vtref, rtol: 0, atol: 1e-9 * (1 + maxAbs(vtref)), name)
        }
    }

    func testSVDFullIsOrthogonalAndReconstructs() throws {
        for name in ["tall", "wide"] {
            let a = try fixtures.matrix(name + ".npy")
            let (u, s, vt) = try Linalg.svd(a, full: true)
            let uref = try fixtures.matrix("svdfull_\(name)_u.npy"), vtref = try fixtures.matrix("svdfull_\(name)_vt.npy")
            XCTAssertEqual(u.rows, uref.rows); XCTAssertEqual(u.cols, uref.cols)
            XCTAssertEqual(vt.rows, vtref.rows); XCTAssertEqual(vt.cols, vtref.cols)
            assertClose(try Linalg.matmul(u, u, transA: true), Matrix.identity(u.cols), rtol: 0, atol: 1e-12 * (1 + maxAbs(Matrix.identity(u.cols))))
            assertClose(try Linalg.matmul(vt, vt, transB: true), Matrix.identity(vt.rows), rtol: 0, atol: 1e-12 * (1 + maxAbs(Matrix.identity(vt.rows))))
            var sigma = Matrix(rows: a.rows, cols: a.cols)
            for k in 0..<s.count { sigma[k, k] = s[k] }
            assertClose(try Linalg.matmul(try Linalg.matmul(u, sigma), vt), a, rtol: 0, atol: 1e-12 * (1 + maxAbs(a)), name)
        }
    }

    func testLstsqRankDeficient() throws {
        let (x, rank, sv) = try Linalg.lstsq(try fixtures.matrix("lstsq_A.npy"), try fixtures.matrix("lstsq_b.npy"))
        XCTAssertEqual(rank, Int(try fixtures.matrix("lstsq_rank.npy").data[0]))
        XCTAssertEqual(rank, 3)
        assertClose(sv, try fixtures.matrix("lstsq_s.npy").data, rtol: 0, atol: 1e-10 * (1 + maxAbs(try fixtures.matrix("lstsq_s.npy").data)))
        assertClose(x, try fixtures.matrix("lstsq_x.npy"), rtol: 0, atol: 1e-9 * (1 + maxAbs(try fixtures.matrix("lstsq_x.npy"))))
    }

    func testLstsqUnderdetermined() throws {
        let (x, rank, _) = try Linalg.lstsq(try fixtures.matrix("lstsq_wide_A.npy"), try fixtures.matrix("lstsq_wide_b.npy"))
        XCTAssertEqual(rank, 3)
        assertClose(x, try fixtures.matrix("lstsq_wide_x.npy"), rtol: 0, atol: 1e-9 * (1 + maxAbs(try fixtures.matrix("lstsq_wide_x.npy"))))
        let msg = errorMessage { try Linalg.lstsq(Matrix(rows: 3, cols: 2), Matrix(rows: 4, cols: 1)) }
        XCTAssertTrue(msg.contains("3×2") && msg.contains("4×1"), msg)
    }
}
