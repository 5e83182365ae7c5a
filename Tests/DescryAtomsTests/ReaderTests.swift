import DescryAtoms
import DescryLinalg
import Foundation
import XCTest
import DescryTestSupport

/// Readers on real LAMMPS output (dumps, gz, data files, fix ave/time) and on broken files.
final class ReaderTests: XCTestCase {
    let traj = fixtures.path("desc/traj/traj.lammpstrj")

    func readAll(_ src: FrameSource) throws -> [Frame] {
        var out: [Frame] = []
        while let f = try src.next() { out.append(f) }
        return out
    }

    func testDumpMultiFrameAndGzip() throws {
        let a = try readAll(DumpReader(path: traj))
        let b = try readAll(DumpReader(path: traj + ".gz"))
        XCTAssertEqual(a.count, 7)
        XCTAssertEqual(a.map { $0.timestep }, [0, 5, 10, 15, 20, 25, 30])
        XCTAssertEqual(b.count, 7)
        for (x, y) in zip(a, b) { XCTAssertEqual(x.positions, y.positions); XCTAssertEqual(x.ids, y.ids) }
        XCTAssertEqual(a[0].count, 108)
        XCTAssertNotNil(a[6].images)
        XCTAssert(a[6].images!.contains { $0 != .zero }, "atoms crossed the boundary")
    }

    /// The same frames dumped by LAMMPS as `type xsu id zsu ysu` (unsorted, scaled unwrapped):
    /// positions equal x + image·H of the `id type x y z ix iy iz` dump.
    func testColumnOrderScaledUnwrappedAndImages() throws {
        let a = try readAll(DumpReader(path: traj))
        let b = try readAll(DumpReader(path: fixtures.path("desc/traj/traj_xsu.lammpstrj")))
        XCTAssertEqual(a.count, b.count)
        for (x, y) in zip(a, b) {
            XCTAssertTrue(y.unwrapped)
            XCTAssertEqual(x.ids, y.ids)
            let ux = x.unwrappedPositions()
            for i in 0..<x.count { XCTAssertLessThan(norm3(ux[i] - y.positions[i]), 1e-11) }   // %.17g of s·L
        }
    }

    /// Time averaging with image flags equals averaging the independent unwrapped (xsu) dump,
    /// and equals minimum-image unwrapping when no flags are given.
    func testTimeAverageUnwrapsAcrossBoundaries() throws {
        let a = try readAll(DumpReader(path: traj))
        let b = try readAll(DumpReader(path: fixtures.path("desc/traj/traj_xsu.lammpstrj")))
        var av1 = TimeAverager(), av2 = TimeAverager(), av3 = TimeAverager()
        for f in a { try av1.add(f); var g = f; g.images = nil; try av3.add(g) }
        for f in b { try av2.add(f) }
        let x1 = av1.average()!.positions, x2 = av2.average()!.positions, x3 = av3.average()!.positions
        var expected = [SIMD3<Double>](repeating: .zero, count: 108)
        for f in b { for i in 0..<108 { expected[i] += f.positions[i] / 7 } }
        for i in 0..<108 {
            XCTAssertLessThan(norm3(x1[i] - expected[i]), 1e-12)
            XCTAssertLessThan(norm3(x2[i] - expected[i]), 1e-12)
            // without flags, the average may sit in another periodic image of the same point
            let d = a[0].box.minimumImage(x3[i] - expected[i])
            XCTAssertLessThan(norm3(d), 1e-9)
        }
    }

    func testDumpWriterRoundTrip() throws {
        let f = try XCTUnwrap(DumpReader(path: fixtures.path("desc/triclinic2/structure.lammpstrj")).next())
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("descry-w-\(getpid()).lammpstrj.gz").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try writeText(dumpText(f) + dumpText(f), to: path)
        let g = try readAll(DumpReader(path: path))
        XCTAssertEqual(g.count, 2)
        XCTAssertEqual(g[1].positions, f.positions)
        XCTAssertEqual(g[1].images!, f.images!)
        XCTAssertEqual(g[1].box, f.box)
    }

    // MARK: broken files

    func broken(_ name: String, _ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("descry-\(getpid())-\(name)").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The dump's `lines` after `edit`, joined as a file's text.
    func edited(_ lines: [String], _ edit: (inout [String]) -> Void) -> String {
        var copy = lines
        edit(&copy)
        return copy.joined(separator: "\n")
    }

    func expectError(_ path: String, _ pattern: String, file: StaticString = #filePath, line: UInt = #line) {
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let r = try DumpReader(path: path)
            while try r.next() != nil {}
            XCTFail("no error for \(path)", file: file, line: line)
        } catch {
            let msg = "\(error)"
            XCTAssert(msg.range(of: pattern, options: .regularExpression) != nil, "message '\(msg)' !~ '\(pattern)'", file: file, line: line)
        }
    }

    func lines() throws -> [String] {
        try String(contentsOfFile: traj, encoding: .utf8).components(separatedBy: "\n")
    }

    func testBrokenDumps() throws {
        let l = try lines()   // frame = 9 header lines + 108 atoms = 117 lines
        // truncated frame: cut in the middle of frame 2
        expectError(try broken("trunc.lammpstrj", l[0..<(117 + 50)].joined(separator: "\n")),
                    #"trunc\.lammpstrj:167: unexpected end of file in frame at timestep 5: expected 108 atoms, found 41"#)
        // missing column: drop z from the header and every atom line of frame 1
        expectError(try broken("nocol.lammpstrj", edited(l) { $0[8] = "ITEM: ATOMS id type x y ix iy iz" }),
                    #"nocol\.lammpstrj:9: ITEM: ATOMS lacks coordinate columns"#)
        expectError(try broken("short.lammpstrj", edited(l) { $0[20] = $0[20].split(separator: " ").dropLast().joined(separator: " ") }),
                    #"short\.lammpstrj:21: expected 8 columns, found 7"#)
        // wrong atom count: header says 109
        expectError(try broken("count.lammpstrj", edited(l) { $0[3] = "109" }),
                    #"count\.lammpstrj:118: frame at timestep 0 has 108 atom lines, header says 109"#)
        // non-numeric field
        var nn = l
        nn[12] = nn[12].replacingOccurrences(of: " 1 ", with: " 1 abc ", options: [], range: nil)
        var parts = l[12].split(separator: " ").map(String.init)
        parts[2] = "1.2.3"
        nn[12] = parts.joined(separator: " ")
        expectError(try broken("nan.lammpstrj", nn.joined(separator: "\n")),
                    #"nan\.lammpstrj:13: column 3 \('x'\): '1\.2\.3' is not a number"#)
        // empty file
        expectError(try broken("empty.lammpstrj", ""), #"empty\.lammpstrj: empty file"#)
        // missing file
        expectError("/nonexistent/dump.lammpstrj", #"dump\.lammpstrj: no such file|cannot open"#)
    }

    func testBrokenExtXYZAndData() throws {
        let p = try broken("bad.xyz", "2\nLattice=\"10 0 0 0 10 0 0 0 10\" Properties=species:S:1:pos:R:3\nAl 0 0 0\nAl 1 1\n")
        defer { try? FileManager.default.removeItem(atPath: p) }
        XCTAssertThrowsError(try ExtXYZReader(path: p).next()) { XCTAssert("\($0)".contains("bad.xyz:4: expected 4 columns, found 3"), "\($0)") }
        let d = try broken("bad.data", "title\n\n2 atoms\n1 atom types\n0 10 xlo xhi\n0 10 ylo yhi\n0 10 zlo zhi\n\nAtoms # atomic\n\n1 1 0 0 0\n2 1 x 0 0\n")
        defer { try? FileManager.default.removeItem(atPath: d) }
        XCTAssertThrowsError(try readLammpsData(path: d)) { XCTAssert("\($0)".contains("bad.data:12: column 3 ('x'): 'x' is not a number"), "\($0)") }
        let a = try broken("bad.ave", "# c\n# c\n# TimeStep a b\n0 1 2\n5 1\n")
        defer { try? FileManager.default.removeItem(atPath: a) }
        XCTAssertThrowsError(try AveTimeFile(path: a)) { XCTAssert("\($0)".contains("bad.ave:5: expected 3 columns, found 2"), "\($0)") }
    }
}

