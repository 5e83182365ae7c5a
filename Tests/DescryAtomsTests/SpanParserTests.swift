import DescryAtoms
import Foundation
import XCTest

/// The parallel span parser of the dump and extxyz readers (issue 14) against a reference that
/// splits each line on spaces and tabs and converts every field with glibc `strtod`/`strtol`:
/// same values bit for bit, for 1, 2 and 3 threads, on frames that straddle the parser's 64 KiB
/// chunks and the reader's 1 MiB blocks, with mixed separators, CRLF, exponents, long and
/// subnormal numbers, shuffled columns and ids, element names first seen deep in a frame; and
/// errors deep inside a frame name the same line as the one-line-at-a-time reader.
final class SpanParserTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("descry-span-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    struct Rng {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 11
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func unit() -> Double { Double(next() % (1 << 52)) / Double(1 << 52) }
    }

    /// A number as text in one of the forms dumps and hand-edited files carry.
    func numberText(_ x: Double, _ rng: inout Rng) -> String {
        switch rng.below(12) {
        case 0: return String(format: "%.17g", x)
        case 1: return String(format: "%.6e", x)
        case 2: return String(format: "%+.3f", x)
        case 3: return String(format: "%.25f", x)             // more than 19 digits
        case 4: return x < 1 ? "1e-320" : String(format: "%.9E", x)   // subnormal: strtod's case
        case 5: return String(format: "%.0f.", x.rounded())    // "12."
        case 6: return x < 1 ? String(format: ".%06d", Int(x * 1e6)) : String(format: "%g", x)
        case 7: return "-0"
        default: return String(format: "%g", x)
        }
    }

    /// Spaces and tabs between fields.
    func gap(_ rng: inout Rng) -> String { ["  ", " ", " ", "\t", " \t ", " "][rng.below(6)] }

    /// The reference: one line split on spaces and tabs, after its newline and one carriage
    /// return are removed.
    func fields(_ line: Substring) -> [String] {
        var l = line
        if l.hasSuffix("\r") { l = l.dropLast() }
        return l.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    }

    func strtodExact(_ s: String) -> Double {
        var bytes = Array(s.utf8CString)
        return bytes.withUnsafeMutableBufferPointer { b -> Double in
            let start = b.baseAddress!
            var endp: UnsafeMutablePointer<CChar>? = nil
            let v = strtod(start, &endp)
            XCTAssertEqual(endp, start + (b.count - 1), "'\(s)'")
            return v
        }
    }

    func readAll(_ src: FrameSource) throws -> [Frame] {
        var out: [Frame] = []
        while let f = try src.next() { out.append(f) }
        return out
    }

    /// Frames of 1, 3, 70 000, 5 and 40 000 atoms (about 8 MB of text) with shuffled columns
    /// id type x y z vx ix iy iz (element names instead of types in one frame).
    func testDumpEqualsStrtodReference() throws {
        var rng = Rng(state: 14)
        var text = ""
        var expected: [(positions: [SIMD3<Double>], ids: [Int], types: [Int], images: [SIMD3<Int32>], vx: [Double], names: [String])] = []
        for (frame, natoms) in [1, 3, 70_000, 5, 40_000].enumerated() {
            var columns = ["id", "type", "x", "y", "z", "vx", "ix", "iy", "iz"]
            let elements = frame == 2
            if elements { columns[1] = "element" }
            for k in stride(from: columns.count - 1, to: 0, by: -1) { columns.swapAt(k, rng.below(k + 1)) }
            let crlf = frame == 4
            let nl = crlf ? "\r\n" : "\n"
            text += "ITEM: TIMESTEP\(nl)\(frame)\(nl)ITEM: NUMBER OF ATOMS\(nl)\(natoms)\(nl)"
            text += "ITEM: BOX BOUNDS pp pp pp\(nl)0 100\(nl)0 100\(nl)0 100\(nl)ITEM: ATOMS \(columns.joined(separator: " "))\(nl)"
            var ids = Array(1...natoms)
            if frame % 2 == 0 { for k in stride(from: natoms - 1, to: 0, by: -1) { ids.swapAt(k, rng.below(k + 1)) } }
            var rows: [(Int, SIMD3<Double>, Int, SIMD3<Int32>, Double)] = []
            var names: [String] = []
            var lines = ""
            for k in 0..<natoms {
                var values: [String: String] = [:]
                values["id"] = String(ids[k])
                let type = 1 + rng.below(3)
                // element names: "Cu" first appears deep in the frame
                let element = k < 50_000 ? (type == 1 ? "Al" : "Ni") : ["Al", "Ni", "Cu"][type - 1]
                values["type"] = rng.below(9) == 0 ? "+\(type)" : String(type)
                values["element"] = element
                for c in ["x", "y", "z", "vx"] { values[c] = numberText(rng.unit() * 100, &rng) }
                for c in ["ix", "iy", "iz"] { values[c] = String(rng.below(5) - 2) }
                var line = rng.below(5) == 0 ? " " : ""
                line += columns.map { values[$0]! }.joined(separator: gap(&rng))
                if rng.below(7) == 0 { line += " " }
                lines += line + nl
                // the reference
                let f = fields(Substring(line))
                XCTAssertEqual(f.count, columns.count)
                func v(_ name: String) -> String { f[columns.firstIndex(of: name)!] }
                var t = elements ? 0 : Int(strtol(v("type"), nil, 10))
                if elements {
                    if let n = names.firstIndex(of: v("element")) { t = n + 1 } else { names.append(v("element")); t = names.count }
                }
                rows.append((Int(v("id"))!, SIMD3(strtodExact(v("x")), strtodExact(v("y")), strtodExact(v("z"))), t,
                             SIMD3(Int32(v("ix"))!, Int32(v("iy"))!, Int32(v("iz"))!), strtodExact(v("vx"))))
            }
            text += lines
            rows.sort { $0.0 < $1.0 }
            expected.append((rows.map { $0.1 }, rows.map { $0.0 }, rows.map { $0.2 }, rows.map { $0.3 }, rows.map { $0.4 }, names))
        }
        XCTAssertGreaterThan(text.utf8.count, 4 << 20)
        let path = dir.appendingPathComponent("mixed.lammpstrj").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        for threads in [1, 2, 3] {
            let reader = try DumpReader(path: path)
            reader.threads = threads
            let frames = try readAll(reader)
            XCTAssertEqual(frames.count, expected.count)
            for (f, e) in zip(frames, expected) {
                XCTAssertEqual(f.ids, e.ids, "threads \(threads)")
                XCTAssertEqual(f.positions.map { $0.x.bitPattern }, e.positions.map { $0.x.bitPattern }, "threads \(threads)")
                XCTAssertEqual(f.positions.map { $0.y.bitPattern }, e.positions.map { $0.y.bitPattern })
                XCTAssertEqual(f.positions.map { $0.z.bitPattern }, e.positions.map { $0.z.bitPattern })
                XCTAssertEqual(f.types, e.types)
                XCTAssertEqual(f.images ?? [], e.images)
                XCTAssertEqual(f.column("vx")?.map { $0.bitPattern }, e.vx.map { $0.bitPattern })
                XCTAssertEqual(f.typeNames, e.names)
            }
        }
    }

    /// A dump with one frame of `natoms` atoms whose line `bad` (0-based atom line) is `edit`ed.
    func bigDump(_ name: String, natoms: Int, bad: Int, edit: (String) -> String) throws -> String {
        var text = "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n\(natoms)\nITEM: BOX BOUNDS pp pp pp\n0 100\n0 100\n0 100\nITEM: ATOMS id type x y z\n"
        for k in 0..<natoms {
            let line = "\(k + 1) 1 \(Double(k % 100) + 0.25) \(Double(k % 37) * 1.5) \(Double(k % 71) / 3)"
            text += (k == bad ? edit(line) : line) + "\n"
        }
        let path = dir.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func expectError(_ path: String, _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        for threads in [1, 2] {
            do {
                let r = try DumpReader(path: path)
                r.threads = threads
                while try r.next() != nil {}
                XCTFail("no error for \(path)", file: file, line: line)
            } catch {
                XCTAssertTrue("\(error)".hasSuffix(message), "'\(error)' does not end with '\(message)'", file: file, line: line)
            }
        }
    }

    /// Errors 43 210 lines into a frame (past many chunks and the first block) name that line.
    func testErrorsDeepInAFrameNameTheirLine() throws {
        let bad = 43_210
        let lineNumber = 9 + bad + 1
        expectError(try bigDump("number.lammpstrj", natoms: 60_000, bad: bad) { $0.replacingOccurrences(of: " 1 ", with: " 1 1.2.3 ").split(separator: " ").prefix(5).joined(separator: " ") },
                    ":\(lineNumber): column 3 ('x'): '1.2.3' is not a number")
        expectError(try bigDump("columns.lammpstrj", natoms: 60_000, bad: bad) { $0 + " 7" },
                    ":\(lineNumber): expected 5 columns, found 6")
        expectError(try bigDump("type.lammpstrj", natoms: 60_000, bad: bad) { $0.replacingOccurrences(of: " 1 ", with: " 0 ") },
                    ":\(lineNumber): column 2 ('type'): type must be ≥ 1")
        expectError(try bigDump("inf.lammpstrj", natoms: 60_000, bad: bad) { _ in "\(bad + 1) 1 1e400 0 0" },
                    ":\(lineNumber): atom \(bad + 1) has a non-finite coordinate (inf 0.0 0.0)")
        expectError(try bigDump("duplicate.lammpstrj", natoms: 60_000, bad: bad) { _ in "7 1 0 0 0" },
                    "frame at timestep 0: atom id 7 occurs more than once (atom ids must be unique)")
        // the file ends inside the frame, after 30 000 of its atom lines
        let path = try bigDump("cut.lammpstrj", natoms: 60_000, bad: -1) { $0 }
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        try (lines.prefix(9 + 30_000).joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        expectError(path, ":\(9 + 30_000): unexpected end of file in frame at timestep 0: expected 60000 atoms, found 30000")
    }

    /// Extended XYZ: species first seen deep in a frame, ids, an extra column; values as the
    /// strtod reference; an error deep inside names its line.
    func testExtXYZEqualsStrtodReference() throws {
        var rng = Rng(state: 7)
        let natoms = 60_000
        var text = "\(natoms)\nLattice=\"100 0 0 0 100 0 0 0 100\" Properties=species:S:1:pos:R:3:id:I:1:q:R:1 pbc=\"T T T\"\n"
        var rows: [(Int, SIMD3<Double>, Int, Double)] = []
        var names: [String] = []
        for k in 0..<natoms {
            let species = k < 30_000 ? "Al" : ["Al", "Ni"][rng.below(2)]
            let values = [species] + (0..<3).map { _ in numberText(rng.unit() * 100, &rng) } + [String(natoms - k)] + [numberText(rng.unit(), &rng)]
            let line = values.joined(separator: gap(&rng))
            text += line + "\n"
            let f = fields(Substring(line))
            if !names.contains(f[0]) { names.append(f[0]) }
            rows.append((Int(f[4])!, SIMD3(strtodExact(f[1]), strtodExact(f[2]), strtodExact(f[3])),
                         names.firstIndex(of: f[0])! + 1, strtodExact(f[5])))
        }
        rows.sort { $0.0 < $1.0 }
        let path = dir.appendingPathComponent("mixed.xyz").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        for threads in [1, 2, 3] {
            let reader = try ExtXYZReader(path: path)
            reader.threads = threads
            let f = try XCTUnwrap(reader.next())
            XCTAssertEqual(f.ids, rows.map { $0.0 })
            XCTAssertEqual(f.positions.map { $0.x.bitPattern }, rows.map { $0.1.x.bitPattern }, "threads \(threads)")
            XCTAssertEqual(f.positions.map { $0.y.bitPattern }, rows.map { $0.1.y.bitPattern })
            XCTAssertEqual(f.positions.map { $0.z.bitPattern }, rows.map { $0.1.z.bitPattern })
            XCTAssertEqual(f.types, rows.map { $0.2 })
            XCTAssertEqual(f.typeNames, names)
            XCTAssertEqual(f.column("q")?.map { $0.bitPattern }, rows.map { $0.3.bitPattern })
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        lines[2 + 45_000] = "Al 1 2"
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        for threads in [1, 2] {
            let reader = try ExtXYZReader(path: path)
            reader.threads = threads
            XCTAssertThrowsError(try reader.next()) { XCTAssertTrue("\($0)".hasSuffix(":45003: expected 6 columns, found 3"), "\($0)") }
        }
    }
}
