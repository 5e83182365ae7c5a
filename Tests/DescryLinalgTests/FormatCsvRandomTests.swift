import XCTest
@testable import DescryLinalg
import DescryTestSupport

/// Printing against numpy's str(), CSV against numpy.savetxt, xoshiro256** against its
/// reference test vector, QR/pinv/det against numpy.linalg.
final class FormatCsvRandomTests: XCTestCase {
    func testFormatMatchesNumpyStr() throws {
        for k in 0..<8 {
            let m = try fixtures.matrix("fmt_\(k).npy")
            let expected = try String(contentsOfFile: fixtures.path("fmt_\(k).txt"), encoding: .utf8)
            XCTAssertEqual(MatrixFormatter().body(m), expected, "case \(k)")
        }
    }

    func testFormatSummarisesLargeMatrices() {
        var m = Matrix(rows: 2000, cols: 55)
        for k in 0..<m.count { m.data[k] = Double(k) }
        let s = MatrixFormatter().string(m)
        let lines = s.split(separator: "\n")
        XCTAssertEqual(lines.first, "la.matrix 2000×55")
        XCTAssertEqual(lines.count, 1 + 7)          // header, 3 rows, …, 3 rows
        XCTAssertEqual(lines[4], " …")
        XCTAssertTrue(lines[1].contains("…"))
        XCTAssertTrue(lines.last!.hasSuffix("1.09999e+05]]"), String(lines.last!))
    }

    func testCsvReadsNumpySavetxt() throws {
        let x = try fixtures.matrix("csv_X.npy")
        let t = try Csv.load(fixtures.path("csv_header.csv"))
        XCTAssertEqual(t.header ?? [], ["a", "b", "c"])
        XCTAssertEqual(t.matrix, x)
        let p = try Csv.load(fixtures.path("csv_plain.tsv"), delimiter: UInt8(ascii: "\t"))
        XCTAssertNil(p.header)
        XCTAssertEqual(p.matrix, x)
    }

    func testCsvRoundTripAndErrors() throws {
        let m = Matrix(rows: 2, cols: 3, data: [1.5, -2, 1e-300, .infinity, 0.1, -0.0])
        let text = try Csv.format(m, header: ["x", "y", "z"])
        let back = try Csv.parse(Array(text.utf8))
        XCTAssertEqual(back.header ?? [], ["x", "y", "z"])
        XCTAssertEqual(back.matrix, m)
        XCTAssertTrue(errorMessage { try Csv.parse(Array("1,2\n3\n".utf8)) }.contains("line 2 has 1 fields, expected 2"))
        XCTAssertTrue(errorMessage { try Csv.parse(Array("1,2\n3,x\n".utf8)) }.contains("line 2, field 2: 'x' is not a number"))
        let blank = try Csv.parse(Array("# comment\n\n1, ,3\n".utf8))
        XCTAssertEqual(blank.matrix.cols, 3)
        XCTAssertTrue(blank.matrix[0, 1].isNaN)
        XCTAssertThrowsError(try Csv.format(m, header: ["a"]))
        let bom = try Csv.parse([0xEF, 0xBB, 0xBF] + Array("a,b\r\n1,2\r\n".utf8))
        XCTAssertEqual(bom.header ?? [], ["a", "b"])
        XCTAssertEqual(bom.matrix.data, [1, 2])
    }

    func testXoshiroReferenceVector() {
        // Reference outputs of xoshiro256starstar.c (Blackman & Vigna) from state {1, 2, 3, 4}.
        var g = Xoshiro256StarStar(state: (1, 2, 3, 4))
        let expected: [UInt64] = [11520, 0, 1509978240, 1215971899390074240, 1216172134540287360,
                                  607988272756665600, 16172922978634559625, 8476171486693032832,
                                  10595114339597558777, 2904607092377533576]
        XCTAssertEqual((0..<10).map { _ in g.next() }, expected)
    }

    func testSplitMixReferenceVector() {
        // splitmix64.c seeded with 1234567 (published reference values).
        var s = SplitMix64(1234567)
        XCTAssertEqual((0..<5).map { _ in s.next() },
                       [6457827717110365317, 3203168211198807973, 9817491932198370423,
                        4593380528125082431, 16408922859458223821])
    }

    func testDistributions() throws {
        var g = Xoshiro256StarStar(seed: 42)
        let n = 200_000
        let u = g.uniformMatrix(n, 1)
        XCTAssertEqual(u.mean(), 0.5, accuracy: 0.005)
        XCTAssertEqual(u.variance(), 1.0 / 12, accuracy: 0.002)
        XCTAssertGreaterThanOrEqual(try u.min(), 0); XCTAssertLessThan(try u.max(), 1)
        let z = g.normalMatrix(n, 1)
        XCTAssertEqual(z.mean(), 0, accuracy: 0.01)
        XCTAssertEqual(z.variance(), 1, accuracy: 0.01)
        // fourth moment of N(0,1) is 3
        XCTAssertEqual(z.map { $0 * $0 * $0 * $0 }.mean(), 3, accuracy: 0.1)
        let k = try g.integerMatrix(-2, 3, n, 1)
        XCTAssertEqual(try k.min(), -2); XCTAssertEqual(try k.max(), 3)
        for v in -2...3 {
            let frac = Double(k.data.filter { $0 == Double(v) }.count) / Double(n)
            XCTAssertEqual(frac, 1.0 / 6, accuracy: 0.005)
        }
        // same seed, same stream
        var a = Xoshiro256StarStar(seed: 7), b = Xoshiro256StarStar(seed: 7)
        XCTAssertEqual(a.normalMatrix(5, 5), b.normalMatrix(5, 5))
        XCTAssertThrowsError(try g.integer(3, 2))
    }

    func testQRPinvDet() throws {
        let t = try fixtures.matrix("tall.npy")
        let (q, r) = try Linalg.qr(t)
        assertClose(q, try fixtures.matrix("qr_tall_q.npy"), rtol: 0, atol: 1e-12 * (1 + maxAbs(try fixtures.matrix("qr_tall_q.npy"))))
        assertClose(r, try fixtures.matrix("qr_tall_r.npy"), rtol: 0, atol: 1e-12 * (1 + maxAbs(try fixtures.matrix("qr_tall_r.npy"))))
        assertClose(try Linalg.pinv(t), try fixtures.matrix("pinv_tall.npy"), rtol: 0, atol: 1e-12 * (1 + maxAbs(try fixtures.matrix("pinv_tall.npy"))))
        let d = try Linalg.det(try fixtures.matrix("G.npy"))
        XCTAssertEqual(d, try fixtures.matrix("det_G.npy").data[0], accuracy: 1e-12 * abs(d))
        XCTAssertEqual(try Linalg.det(Matrix(rows: 2, cols: 2, data: [1, 2, 2, 4])), 0)
    }

    func testSlicingAndShapes() throws {
        let a = try fixtures.matrix("A.npy")                     // 5×4
        XCTAssertEqual(a.rowRange(1, 3).data, Array(a.data[4..<12]))
        XCTAssertEqual(a.colRange(2, 4).transposed().rowRange(0, 1).data, [a[0, 2], a[1, 2], a[2, 2], a[3, 2], a[4, 2]])
        XCTAssertEqual(a.selectRows([4, 0]).rowRange(1, 2), a.rowRange(0, 1))
        XCTAssertEqual(a.selectCols([3]), a.colRange(3, 4))
        XCTAssertEqual(try Matrix.hcat([a.colRange(0, 1), a.colRange(1, 4)]), a)
        XCTAssertEqual(try Matrix.vcat([a.rowRange(0, 2), a.rowRange(2, 5)]), a)
        XCTAssertTrue(errorMessage { try Matrix.hcat([a, Matrix(rows: 2, cols: 1)]) }.contains("5×4 and 2×1"))
        XCTAssertEqual(try a.reshaped(-1, 2).rows, 10)
        XCTAssertTrue(errorMessage { try a.reshaped(3, 3) }.contains("cannot reshape 5×4"))
        XCTAssertEqual(try Matrix.linspace(0, 1, 5).data, [0, 0.25, 0.5, 0.75, 1])
        XCTAssertEqual(try Matrix.arange(0, 1, 0.25).data, [0, 0.25, 0.5, 0.75])
        XCTAssertEqual(try Matrix.arange(5, 0, -2).data, [5, 3, 1])
    }
}
