import XCTest
@testable import DescryLinalg
@testable import DescryStats
import DescryTestSupport

/// covarianceFactor: L Lᵀ reproduces S for definite and semi-definite covariances.
final class CovarianceFactorTests: XCTestCase {
    func reconstruct(_ l: Matrix) throws -> Matrix { try Linalg.matmul(l, l, transB: true) }

    func testDefiniteUsesCholesky() throws {
        let s = Matrix(rows: 2, cols: 2, data: [4, 2, 2, 3])
        let l = try covarianceFactor(s, "test")
        XCTAssertEqual(l[0, 1], 0)                       // lower triangular: Cholesky
        let r = try reconstruct(l)
        for (a, b) in zip(r.data, s.data) { XCTAssertEqual(a, b, accuracy: 1e-14) }
    }

    func testSemiDefiniteRankOne() throws {
        // S = v vᵀ with v = (1, 2, 3): rank 1, Cholesky fails.
        let v = [1.0, 2, 3]
        var s = Matrix(rows: 3, cols: 3)
        for i in 0..<3 { for j in 0..<3 { s[i, j] = v[i] * v[j] } }
        XCTAssertThrowsError(try Linalg.cholesky(s))
        let r = try reconstruct(try covarianceFactor(s, "test"))
        for (a, b) in zip(r.data, s.data) { XCTAssertEqual(a, b, accuracy: 1e-12) }
    }

    func testIndefiniteIsAnError() {
        let s = Matrix(rows: 2, cols: 2, data: [1, 0, 0, -1])
        XCTAssertThrowsError(try covarianceFactor(s, "noise")) { e in
            XCTAssertTrue("\(e)".contains("not positive semi-definite"), "\(e)")
        }
    }
}
