import XCTest
@testable import DescryLinalg
import DescryTestSupport

final class MatrixCoreTests: XCTestCase {
    func testRowMajorLayout() {
        var m = Matrix(rows: 2, cols: 3)
        m[1, 2] = 5
        XCTAssertEqual(m.data[5], 5)
        m.reshape(rows: 3, cols: 2)
        XCTAssertEqual(m[2, 1], 5)
    }
}
