import XCTest
@testable import DescryLinalg
import DescryTestSupport

/// Products against numpy `@` (fixtures from scripts/gen_la_fixtures.py).
final class LinalgProductTests: XCTestCase {
    func testMatmulAllTransposeCombinations() throws {
        let a = try fixtures.matrix("A.npy"), b = try fixtures.matrix("B.npy")
        assertClose(try Linalg.matmul(a, b), try fixtures.matrix("AB.npy"), rtol: 0, atol: 1e-10 * (1 + maxAbs(try fixtures.matrix("AB.npy"))))
        assertClose(try Linalg.matmul(a, try fixtures.matrix("C.npy"), transA: true), try fixtures.matrix("AtC.npy"), rtol: 0, atol: 1e-10 * (1 + maxAbs(try fixtures.matrix("AtC.npy"))))
        assertClose(try Linalg.matmul(a, try fixtures.matrix("D.npy"), transB: true), try fixtures.matrix("ADt.npy"), rtol: 0, atol: 1e-10 * (1 + maxAbs(try fixtures.matrix("ADt.npy"))))
        assertClose(try Linalg.matmul(a, try fixtures.matrix("E.npy"), transA: true, transB: true), try fixtures.matrix("AtEt.npy"), rtol: 0, atol: 1e-10 * (1 + maxAbs(try fixtures.matrix("AtEt.npy"))))
    }

    func testMatrixVectorPaths() throws {
        let a = try fixtures.matrix("A.npy")
        assertClose(try Linalg.matmul(a, try fixtures.matrix("v.npy")), try fixtures.matrix("Av.npy"), rtol: 0, atol: 1e-10 * (1 + maxAbs(try fixtures.matrix("Av.npy"))))
        assertClose(try Linalg.matmul(try fixtures.matrix("w.npy"), a), try fixtures.matrix("wA.npy"), rtol: 0, atol: 1e-10 * (1 + maxAbs(try fixtures.matrix("wA.npy"))))
        // vector given transposed (1×4 used as a column)
        let vt = try fixtures.matrix("v.npy").transposed()
        assertClose(try Linalg.matmul(a, vt, transB: true), try fixtures.matrix("Av.npy"), rtol: 0, atol: 1e-10 * (1 + maxAbs(try fixtures.matrix("Av.npy"))))
        // w (1×5) transposed as 5×1: Aᵀ w
        assertClose(try Linalg.matmul(a, try fixtures.matrix("w.npy").transposed(), transA: true), try fixtures.matrix("wA.npy").transposed(), rtol: 0, atol: 1e-10 * (1 + maxAbs(try fixtures.matrix("wA.npy").transposed())))
    }

    func testShapeMismatchNamesBothShapes() {
        let msg = errorMessage { try Linalg.matmul(Matrix(rows: 2, cols: 3), Matrix(rows: 2, cols: 3)) }
        XCTAssertTrue(msg.contains("2×3 and 2×3"), msg)
        let msg2 = errorMessage { try Linalg.matmul(Matrix(rows: 2, cols: 3), Matrix(rows: 4, cols: 3), transB: false) }
        XCTAssertTrue(msg2.contains("2×3") && msg2.contains("4×3"), msg2)
    }

    func testEmptyProducts() throws {
        let c = try Linalg.matmul(Matrix(rows: 3, cols: 0), Matrix(rows: 0, cols: 2))
        XCTAssertEqual(c, Matrix(rows: 3, cols: 2))
    }

    func testGram() throws {
        let g = Linalg.gram(try fixtures.matrix("A.npy"))
        assertClose(g, try fixtures.matrix("gramA.npy"), rtol: 0, atol: 1e-10 * (1 + maxAbs(try fixtures.matrix("gramA.npy"))))
        XCTAssertEqual(g, g.transposed())   // exactly symmetric
    }

    func testTransposeAndIdentity() throws {
        let a = try fixtures.matrix("A.npy")
        XCTAssertEqual(a.transposed().rows, 4)
        for i in 0..<5 { for j in 0..<4 { XCTAssertEqual(a.transposed()[j, i], a[i, j]) } }
        // larger than one block, odd sizes
        var big = Matrix(rows: 37, cols: 70)
        for k in 0..<big.count { big.data[k] = Double(k) }
        let t = big.transposed()
        XCTAssertEqual(t[69, 36], big[36, 69]); XCTAssertEqual(t[5, 33], big[33, 5])
        XCTAssertEqual(t.transposed(), big)
        assertClose(try Linalg.matmul(a, Matrix.identity(4)), a, rtol: 0, atol: 0)
    }
}
