import DescryLinalg
import XCTest

/// The worst element violating |actual − expected| ≤ atol + rtol·|expected| (a NaN always
/// violates): its index and its error divided by the tolerance; nil when all elements pass.
public func worstViolation(_ actual: [Double], _ expected: [Double], rtol: Double, atol: Double) -> (index: Int, ratio: Double)? {
    var worst: (index: Int, ratio: Double)?
    for i in 0..<Swift.min(actual.count, expected.count) {
        let err = abs(actual[i] - expected[i])
        let tolerance = atol + rtol * abs(expected[i])
        guard !(err <= tolerance) else { continue }
        let ratio = err.isNaN ? Double.infinity : err / tolerance
        if worst == nil || ratio > worst!.ratio { worst = (i, ratio) }
    }
    return worst
}

/// numpy.testing.assert_allclose(actual, expected, rtol, atol) with equal_nan=False: the same
/// length, and every |actual − expected| ≤ atol + rtol·|expected| (a NaN never passes).
/// Reports the worst element and its ratio to the tolerance.
public func assertClose(_ actual: [Double], _ expected: [Double], rtol: Double = 1e-7, atol: Double = 0,
                        _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.count, expected.count, "\(message): length", file: file, line: line)
    guard actual.count == expected.count else { return }
    guard let (at, ratio) = worstViolation(actual, expected, rtol: rtol, atol: atol) else { return }
    XCTFail("\(message): element \(at): \(actual[at]) vs \(expected[at]) (error / (atol + rtol·|expected|) = \(ratio); rtol \(rtol), atol \(atol))",
            file: file, line: line)
}

/// `assertClose` of two matrices: the same shape, then elementwise.
public func assertClose(_ actual: Matrix, _ expected: Matrix, rtol: Double = 1e-7, atol: Double = 0,
                        _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.rows, expected.rows, "\(message): rows", file: file, line: line)
    XCTAssertEqual(actual.cols, expected.cols, "\(message): cols", file: file, line: line)
    guard actual.rows == expected.rows, actual.cols == expected.cols else { return }
    assertClose(actual.data, expected.data, rtol: rtol, atol: atol, message, file: file, line: line)
}

/// The statistics tests' criterion (kept from before the shared support): every element has
/// |actual − expected| / max(|expected|, 10⁻³·max|expected|) ≤ rtol, i.e. a relative error with
/// a floor at one thousandth of the reference's largest entry (a NaN never passes).
public func assertRelativeClose(_ actual: [Double], _ expected: [Double], rtol: Double = 1e-8,
                                _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.count, expected.count, "\(message): length", file: file, line: line)
    let floor = maxAbs(expected) * 1e-3
    var worst = 0.0
    var at = -1
    for i in 0..<Swift.min(actual.count, expected.count) {
        let err = abs(actual[i] - expected[i]) / Swift.max(abs(expected[i]), floor, 1e-300)
        if err > worst || err.isNaN {
            worst = err
            at = i
        }
    }
    guard !(worst <= rtol) else { return }
    XCTFail("\(message): max relative error \(worst) at \(at) (got \(actual[at]), want \(expected[at])); rtol \(rtol)",
            file: file, line: line)
}

/// `assertRelativeClose` of two matrices: the same shape, then elementwise.
public func assertRelativeClose(_ actual: Matrix, _ expected: Matrix, rtol: Double = 1e-8,
                                _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.rows, expected.rows, "\(message): rows", file: file, line: line)
    XCTAssertEqual(actual.cols, expected.cols, "\(message): cols", file: file, line: line)
    guard actual.rows == expected.rows, actual.cols == expected.cols else { return }
    assertRelativeClose(actual.data, expected.data, rtol: rtol, message, file: file, line: line)
}

/// The largest |x| (0 when empty), for an `atol` scaled by the reference's magnitude: e.g.
/// `atol: tol * (1 + maxAbs(expected))` is the norm-wise test max|a − b| ≤ tol·(1 + max|b|).
public func maxAbs(_ x: [Double]) -> Double {
    x.reduce(0) { Swift.max($0, abs($1)) }
}

/// The largest |x| of a matrix's entries.
public func maxAbs(_ m: Matrix) -> Double { maxAbs(m.data) }

/// The error message of a throwing expression (fails the test if it does not throw).
public func errorMessage<T>(_ body: () throws -> T, file: StaticString = #filePath, line: UInt = #line) -> String {
    do {
        _ = try body()
        XCTFail("expected an error", file: file, line: line)
        return ""
    } catch {
        return "\(error)"
    }
}

/// Asserts that `body` throws an error whose description contains `contains`.
public func assertThrows(_ what: String, contains: String, file: StaticString = #filePath, line: UInt = #line,
                         _ body: () throws -> Void) {
    do {
        try body()
        XCTFail("\(what): expected an error containing '\(contains)'", file: file, line: line)
    } catch {
        XCTAssertTrue("\(error)".contains(contains), "\(what): error '\(error)' lacks '\(contains)'", file: file, line: line)
    }
}

/// Euclidean length of a 3-vector.
public func norm3(_ v: SIMD3<Double>) -> Double { (v * v).sum().squareRoot() }
