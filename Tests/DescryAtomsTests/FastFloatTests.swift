import DescryAtoms
import Foundation
import XCTest

/// FastFloat against glibc strtod on hand-picked hard strings, and the block line reader on
/// lines that straddle its 1 MiB blocks. The bulk check (10^7 random, 10^5 adversarial
/// strings) is scripts/check_fastfloat; scripts/test runs it with a smaller count.
final class FastFloatTests: XCTestCase {
    /// strtod's value of `s` when it reads the whole string, else nil.
    func strtodWhole(_ s: String) -> Double? {
        s.withCString { p -> Double? in
            var end: UnsafeMutablePointer<CChar>? = nil
            let v = strtod(p, &end)
            return (end == UnsafeMutablePointer(mutating: p) + strlen(p) && !s.isEmpty) ? v : nil
        }
    }

    /// FastFloat's answer, with strtod for what it leaves (as the readers use it).
    func parsed(_ s: String) -> (value: Double?, fast: Bool) {
        let bytes = Array(s.utf8)
        let fast = bytes.withUnsafeBufferPointer { b -> Double? in
            guard let base = b.baseAddress else { return nil }
            return FastFloat.parse(base, count: b.count)
        }
        return fast.map { ($0, true) } ?? (strtodWhole(s), false)
    }

    func assertSameAsStrtod(_ s: String, file: StaticString = #filePath, line: UInt = #line) {
        let reference = strtodWhole(s)
        let got = parsed(s).value
        XCTAssertEqual(got?.bitPattern, reference?.bitPattern,
                       "'\(s)': got \(String(describing: got)), strtod \(String(describing: reference))",
                       file: file, line: line)
    }

    func testHardStringsMatchStrtodBitForBit() {
        let cases = [
            // ties between adjacent doubles, exact and one digit off
            "9007199254740993", "9007199254740993.0000000001", "9007199254740992.9999999999",
            "2.2250738585072011e-308", "2.2250738585072012e-308", "2.2250738585072014e-308",
            "4.9406564584124654e-324", "2.4703282292062327e-324", "2.4703282292062328e-324",
            "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308",
            "179769313486231580793728971405301e276", "8.98846567431158e307",
            "0.1", "0.2", "0.3", "1e23", "8.589973e9", "7.4109846876186982e-324",
            "3.0000000000000000001", "123456789012345678901234567890", "1e-342", "1e-400", "1e310",
            "-0", "-0.0e99999", "0e-99999", "5e-324", "1.00000000000000011102230246251565404236316680908203125",
            "1.00000000000000011102230246251565404236316680908203124",
            "1.00000000000000011102230246251565404236316680908203126",
            "9223372036854775807", "18446744073709551615", "18446744073709551616",
            "0.000000000000000000000000000000000000001234567890123456789",
            "12.345678", "-3.1415926535897931", "6.02214076e23", "1.602176634e-19",
            // syntax strtod reads differently or not at all: must be left to strtod
            "", "-", "+", ".", "1e", "1e+", "e5", "1.2.3", "0x1p3", "inf", "-nan", "Infinity", "1,5", " 1",
        ]
        for s in cases { assertSameAsStrtod(s) }
    }

    /// Every 17-digit %.17g of doubles spread over all binades, and 6-digit %g as dumps write them,
    /// parse exactly (round trip) and through the fast path.
    func testRoundTripsAndFastPathCoverage() {
        var state: UInt64 = 14
        var fastCount = 0
        let n = 20_000
        for _ in 0..<n {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let bits = (state >> 1) % 0x7FE0_0000_0000_0000 + 0x0010_0000_0000_0000
            let x = Double(bitPattern: bits)
            let s17 = String(format: "%.17g", x)
            let r = parsed(s17)
            XCTAssertEqual(r.value?.bitPattern, x.bitPattern, s17)
            if r.fast { fastCount += 1 }
            assertSameAsStrtod(String(format: "%g", x))
            assertSameAsStrtod(String(format: "%.6f", Double(bitPattern: (bits & 0x000F_FFFF_FFFF_FFFF) | 0x4050_0000_0000_0000)))
        }
        // the fast path decides nearly all of them (strtod only near midpoints, subnormals)
        XCTAssertGreaterThan(fastCount, n * 99 / 100)
    }

    func testParseIntMatchesStrtol() {
        for s in ["0", "-0", "+12", "123456789012345678", "-123456789012345678", "1234567890123456789",
                  "99999999999999999999", "", "-", "1.0", "1e3", " 1", "0x10"] {
            let bytes = Array(s.utf8)
            let fast = bytes.withUnsafeBufferPointer { b -> Int? in
                guard let base = b.baseAddress else { return nil }
                return FastFloat.parseInt(base, count: b.count)
            }
            let reference = s.withCString { p -> Int? in
                var end: UnsafeMutablePointer<CChar>? = nil
                let v = strtol(p, &end, 10)
                return end == UnsafeMutablePointer(mutating: p) + strlen(p) && !s.isEmpty ? v : nil
            }
            if let f = fast { XCTAssertEqual(f, reference, s) }
        }
    }

    /// A dump whose atom lines straddle the block reader's 1 MiB blocks, with CRLF line ends
    /// and no final newline, reads the same positions as written (plain and gzip).
    func testDumpAcrossBlockBoundaries() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("descry-blocks-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let natoms = 40_000
        var text = "ITEM: TIMESTEP\r\n7\r\nITEM: NUMBER OF ATOMS\r\n\(natoms)\r\nITEM: BOX BOUNDS pp pp pp\r\n0 100\r\n0 100\r\n0 100\r\nITEM: ATOMS id type x y z\r\n"
        var expected: [SIMD3<Double>] = []
        for i in 0..<natoms {
            let p = SIMD3(Double(i % 97) + 0.123456789012345678, Double(i % 89) * 1.0000000000000002, Double(i) / 401.0)
            expected.append(p)
            let pad = String(repeating: " ", count: i % 7)
            text += "\(i + 1) 1 \(String(format: "%.17g", p.x))\(pad) \(String(format: "%.17g", p.y))\t\(String(format: "%.17g", p.z))"
            text += i == natoms - 1 ? "" : "\r\n"
        }
        XCTAssertGreaterThan(text.utf8.count, 2 << 20)
        let path = dir.appendingPathComponent("blocks.lammpstrj").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        var f = try XCTUnwrap(DumpReader(path: path).next())
        XCTAssertEqual(f.timestep, 7)
        XCTAssertEqual(f.positions, expected)
        let gz = Process()
        gz.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gz.arguments = ["-k", path]
        try gz.run()
        gz.waitUntilExit()
        f = try XCTUnwrap(DumpReader(path: path + ".gz").next())
        XCTAssertEqual(f.positions, expected)
    }
}
