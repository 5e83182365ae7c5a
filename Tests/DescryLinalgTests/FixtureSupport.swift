import XCTest
@testable import DescryLinalg

/// Loads the numpy-written reference fixtures of scripts/gen_la_fixtures.py.
enum Fx {
    static var dir: String {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures/la").path
    }
    static func path(_ name: String) -> String { dir + "/" + name + ".npy" }
    static func m(_ name: String) throws -> Matrix { try Npy.load(path(name)).matrix }
    static func v(_ name: String) throws -> [Double] { try m(name).data }
}

/// max |a - b| ≤ tol · (1 + max |b|), same shape.
func assertClose(_ a: Matrix, _ b: Matrix, tol: Double = 1e-10, _ msg: String = "",
                 file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.rows, b.rows, "rows \(msg)", file: file, line: line)
    XCTAssertEqual(a.cols, b.cols, "cols \(msg)", file: file, line: line)
    guard a.rows == b.rows, a.cols == b.cols else { return }
    let scale = 1 + (b.data.map(abs).max() ?? 0)
    let err = zip(a.data, b.data).map { abs($0 - $1) }.max() ?? 0
    XCTAssertLessThanOrEqual(err, tol * scale, "max error \(err) \(msg)", file: file, line: line)
}

func assertClose(_ a: [Double], _ b: [Double], tol: Double = 1e-10, _ msg: String = "",
                 file: StaticString = #filePath, line: UInt = #line) {
    assertClose(Matrix(rows: a.count, cols: 1, data: a), Matrix(rows: b.count, cols: 1, data: b),
                tol: tol, msg, file: file, line: line)
}

/// Flips the sign of each column of `a` to match `ref` (eigen/singular vectors are defined up to sign).
func alignColumnSigns(_ a: Matrix, to ref: Matrix) -> Matrix {
    var out = a
    for j in 0..<a.cols {
        var dot = 0.0
        for i in 0..<a.rows { dot += a[i, j] * ref[i, j] }
        if dot < 0 { for i in 0..<a.rows { out[i, j] = -a[i, j] } }
    }
    return out
}

/// The error message of a throwing expression (fails the test if it does not throw).
func errorMessage<T>(_ body: () throws -> T, file: StaticString = #filePath, line: UInt = #line) -> String {
    do {
        _ = try body()
        XCTFail("expected an error", file: file, line: line)
        return ""
    } catch {
        return "\(error)"
    }
}
