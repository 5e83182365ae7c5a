import Foundation
import XCTest
import DescryLinalg
@testable import DescryStats

/// Loads JSON fixtures written by scripts/gen_stats_fixtures.py.
enum Fixture {
    static func load(_ name: String) throws -> [String: Any] {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures") else {
            throw EngineError("fixture \(name).json not found")
        }
        let data = try Data(contentsOf: url)
        guard let obj = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw EngineError("fixture \(name).json is not an object")
        }
        return obj
    }
}

func mat(_ any: Any?) -> Matrix {
    let d = any as! [String: Any]
    let rows = d["rows"] as! Int, cols = d["cols"] as! Int
    let data = (d["data"] as! [Any]).map { ($0 as! NSNumber).doubleValue }
    return Matrix(rows: rows, cols: cols, data: data)
}

func vec(_ any: Any?) -> [Double] { (any as! [Any]).map { ($0 as! NSNumber).doubleValue } }
func num(_ any: Any?) -> Double { (any as! NSNumber).doubleValue }

/// Asserts |a − b| ≤ rtol·max(|b|, scale) elementwise, where scale = max |b| · 1e-3 guards
/// entries that are zero in the reference but not in the computation.
func assertClose(_ a: [Double], _ b: [Double], rtol: Double = 1e-8, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, "\(what): length", file: file, line: line)
    let scale = (b.map { abs($0) }.max() ?? 0) * 1e-3
    var worst = 0.0, at = -1
    for i in 0..<min(a.count, b.count) {
        let err = abs(a[i] - b[i]) / max(abs(b[i]), scale, 1e-300)
        if err > worst || err.isNaN { worst = err; at = i }
    }
    XCTAssertTrue(worst <= rtol, "\(what): max relative error \(worst) at \(at) (got \(at >= 0 ? a[at] : .nan), want \(at >= 0 ? b[at] : .nan))", file: file, line: line)
}

func assertClose(_ a: Matrix, _ b: Matrix, rtol: Double = 1e-8, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.rows, b.rows, "\(what): rows", file: file, line: line)
    XCTAssertEqual(a.cols, b.cols, "\(what): cols", file: file, line: line)
    assertClose(a.data, b.data, rtol: rtol, what, file: file, line: line)
}

func assertThrows(_ what: String, contains: String, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Void) {
    do {
        try body()
        XCTFail("\(what): expected an error containing '\(contains)'", file: file, line: line)
    } catch {
        XCTAssertTrue("\(error)".contains(contains), "\(what): error '\(error)' lacks '\(contains)'", file: file, line: line)
    }
}

func column(_ m: Matrix, _ j: Int) -> [Double] { (0..<m.rows).map { m[$0, j] } }
