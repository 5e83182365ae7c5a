import DescryTestSupport
import XCTest

/// The shared assertClose criterion (numpy assert_allclose, equal_nan=False) flags exactly the
/// elements outside atol + rtol·|expected|, so the converted assertions can fail.
final class AssertCloseTests: XCTestCase {
    func testWithinTolerancePasses() {
        XCTAssertNil(worstViolation([1, 2], [1 + 1e-8, 2], rtol: 1e-7, atol: 0))
        XCTAssertNil(worstViolation([1e-13], [0], rtol: 0, atol: 1e-12))
        XCTAssertNil(worstViolation([], [], rtol: 0, atol: 0))
    }

    func testOutsideToleranceReportsTheWorstElement() {
        XCTAssertEqual(worstViolation([1, 2], [1.1, 2], rtol: 1e-7, atol: 0)?.index, 0)
        XCTAssertEqual(worstViolation([1e-11], [0], rtol: 0, atol: 1e-12)?.index, 0)
        let v = worstViolation([1, 2, 3], [1.001, 2.1, 3], rtol: 1e-6, atol: 0)
        XCTAssertEqual(v?.index, 1)
        XCTAssertEqual(v?.ratio ?? 0, 0.1 / 2.1e-6, accuracy: 1e-6)
    }

    func testNaNNeverPasses() {
        XCTAssertEqual(worstViolation([.nan], [.nan], rtol: 1, atol: 1)?.index, 0)
        XCTAssertEqual(worstViolation([1], [.nan], rtol: 1, atol: 1)?.index, 0)
    }

    /// The norm-wise form used by the la tests: atol = tol·(1 + max|expected|).
    func testNormwiseTolerance() {
        let expected = [100.0, 0.001]
        let atol = 1e-5 * (1 + maxAbs(expected))
        XCTAssertNil(worstViolation([100, 0.0019], expected, rtol: 0, atol: atol))
        XCTAssertEqual(worstViolation([100, 0.0021], expected, rtol: 0, atol: atol)?.index, 1)
    }
}
