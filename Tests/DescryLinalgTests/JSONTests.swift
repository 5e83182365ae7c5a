import XCTest
@testable import DescryLinalg
import DescryTestSupport

/// JSON against texts produced by Python's json module (the reference encoder users trust):
/// `json.dumps(...)` outputs are pasted as literals.
final class JSONTests: XCTestCase {
    func testParsesPythonOutput() throws {
        // python3 -c 'import json; print(json.dumps({"w": [0.1, 1/3, 1e-300], "s": "é\n", "n": None}))'
        let text = #"{"w": [0.1, 0.3333333333333333, 1e-300], "s": "\u00e9\n", "n": null}"#
        let v = try JSONValue.parse(text)
        XCTAssertEqual(v["w"]?.arrayValue?.compactMap(\.doubleValue), [0.1, 1.0 / 3.0, 1e-300])
        XCTAssertEqual(v["s"]?.stringValue, "é\n")
        XCTAssertEqual(v["n"], .null)
    }

    func testShortestRoundTripNumbers() throws {
        for x in [0.1, 1.0 / 3.0, Double.pi, 5e-324, 1.7976931348623157e308, -2.5, 1e22, 123456789012.0] {
            let s = JSONValue.number(x).serialized()
            XCTAssertEqual(try JSONValue.parse(s).doubleValue, x, s)
        }
        // Python: json.dumps(0.1) == '0.1', json.dumps(1/3) == '0.3333333333333333'
        XCTAssertEqual(JSONValue.number(0.1).serialized(), "0.1")
        XCTAssertEqual(JSONValue.number(1.0 / 3.0).serialized(), "0.3333333333333333")
        XCTAssertEqual(JSONValue.number(3).serialized(), "3")
    }

    func testMatrixRoundTrip() throws {
        let m = Matrix(rows: 2, cols: 3, data: [1, 2, 3, 4, 5, 6.5])
        XCTAssertEqual(try JSONValue.parse(JSONValue(matrix: m).serialized()).matrix("m"), m)
        XCTAssertThrowsError(try JSONValue.parse(#"{"rows": 2, "cols": 2, "data": [1]}"#).matrix("m"))
    }

    func testErrorsCarryLineAndColumn() {
        XCTAssertThrowsError(try JSONValue.parse("{\n  \"a\" 1}")) { e in
            XCTAssertEqual("\(e)", "line 2, column 7: expected ':'")
        }
        XCTAssertThrowsError(try JSONValue.parse("\"abc"))
        XCTAssertThrowsError(try JSONValue.parse("tru"))
        XCTAssertThrowsError(try JSONValue.parse("\"\\ud800\""))
    }
}
