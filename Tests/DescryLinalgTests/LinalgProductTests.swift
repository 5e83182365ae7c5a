import XCTest
@testable import DescryLinalg

/// Products against numpy `@` (fixtures from scripts/gen_la_fixtures.py).
final class LinalgProductTests: XCTestCase {
    func testMatmulAllTransposeCombinations() throws {
        let a = try Fx.m("A"), b = try Fx.m("B")
        assertClose(try Linalg.matmul(a, b), try Fx.m("AB"))
        assertClose(try Linalg.matmul(a, try Fx.m("C"), transA: true), try Fx.m("AtC"))
        assertClose(try Linalg.matmul(a, try Fx.m("D"), transB: true), try Fx.m("ADt"))
        assertClose(try Linalg.matmul(a, try Fx.m("E"), transA: true, transB: true), try Fx.m("AtEt"))
    }

    func testMatrixVectorPaths() throws {
        let a = try Fx.m("A")
        assertClose(try Linalg.matmul(a, try Fx.m("v")), try Fx.m("Av"))
        assertClose(try Linalg.matmul(try Fx.m("w"), a), try Fx.m("wA"))
        // vector given transposed (1×4 used as a column)
        let vt = try Fx.m("v").transposed()
        assertClose(try Linalg.matmul(a, vt, transB: true), try Fx.m("Av"))
        // w (1×5) transposed as 5×1: Aᵀ w
        assertClose(try Linalg.matmul(a, try Fx.m("w").transposed(), transA: true),
                    try Fx.m("wA").transposed())
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
        let g = Linalg.gram(try Fx.m("A"))
        assertClose(g, try Fx.m("gramA"))
        XCTAssertEqual(g, g.transposed())   // exactly symmetric
    }

    func testTransposeAndIdentity() throws {
        let a = try Fx.m("A")
        XCTAssertEqual(a.transposed().rows, 4)
        for i in 0..<5 { for j in 0..<4 { XCTAssertEqual(a.transposed()[j, i], a[i, j]) } }
        // larger than one block, odd sizes
        var big = Matrix(rows: 37, cols: 70)
        for k in 0..<big.count { big.data[k] = Double(k) }
        let t = big.transposed()
        XCTAssertEqual(t[69, 36], big[36, 69]); XCTAssertEqual(t[5, 33], big[33, 5])
        XCTAssertEqual(t.transposed(), big)
        assertClose(try Linalg.matmul(a, Matrix.identity(4)), a, tol: 0)
    }
}
