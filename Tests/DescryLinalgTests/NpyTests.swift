import XCTest
@testable import DescryLinalg
import DescryTestSupport

/// `.npy` reading of numpy-written files (every supported dtype, order, version) and errors.
final class NpyTests: XCTestCase {
    let base: [Double] = [1.5, -2.0, 3.25, 0.0, 4.0, 5.5, -6.0, 7.0, 8.0, 0.0, 9.0, -10.5]
    let ints: [Double] = [1, -2, 3, 0, 4, 5, -6, 7, 8, 0, 9, -10]

    func testEveryDtypeAndOrder() throws {
        for order in ["c", "f"] {
            for (dt, expected) in [("f8", base), ("f4", base), ("i8", ints), ("i4", ints),
                                   ("b1", ints.map { $0 != 0 ? 1 : 0 })] {
                let l = try Npy.load(fixtures.path("io_\(dt)_\(order).npy"))
                XCTAssertEqual(l.ndim, 2)
                XCTAssertEqual(l.matrix.rows, 3); XCTAssertEqual(l.matrix.cols, 4)
                XCTAssertEqual(l.matrix.data, expected, "\(dt) \(order)")
            }
        }
    }

    /// numpy: np.arange(24.).reshape(2, 3, 4) * 0.5 - 3, loaded as a.reshape(-1, 4).
    func testFlattenNDArrays() throws {
        let l = try Npy.load(fixtures.path("nd_234_f8.npy"), flatten: true)
        XCTAssertEqual(l.shape, [2, 3, 4])
        XCTAssertEqual(l.matrix.rows, 6); XCTAssertEqual(l.matrix.cols, 4)
        XCTAssertEqual(l.matrix.data, (0..<24).map { Double($0) * 0.5 - 3 })
        XCTAssertThrowsError(try Npy.load(fixtures.path("nd_234_f8.npy")))
        XCTAssertThrowsError(try Npy.load(fixtures.path("nd_234_fortran.npy"), flatten: true))
    }

    func testVersionsAndDimensions() throws {
        XCTAssertEqual(try fixtures.matrix("io_v2.npy").data, base)
        XCTAssertEqual(try fixtures.matrix("io_v3.npy").data, base)
        let v = try Npy.load(fixtures.path("io_f8_1d.npy"))
        XCTAssertEqual(v.ndim, 1)
        XCTAssertEqual(v.matrix.rows, 5); XCTAssertEqual(v.matrix.cols, 1)
        XCTAssertEqual(v.matrix.data, [0.5, -1.0, 2.0, 1e300, -1e-300])
        XCTAssertEqual(try fixtures.matrix("io_i4_1d.npy").data, [3, -4, 5])
        let s = try Npy.load(fixtures.path("io_f8_0d.npy"))
        XCTAssertEqual(s.ndim, 0); XCTAssertEqual(s.matrix.data, [2.5])
        let e = try fixtures.matrix("io_empty.npy")
        XCTAssertEqual(e.rows, 0); XCTAssertEqual(e.cols, 3)
    }

    func testRoundTripMatchesNumpyBytes() throws {
        // numpy's own file for the same float64 C-order array must be byte-identical to ours.
        let numpyBytes = try FileIO.read(fixtures.path("io_f8_c.npy"))
        XCTAssertEqual(Npy.encode(Matrix(rows: 3, cols: 4, data: base)), numpyBytes)
        let oneD = try FileIO.read(fixtures.path("io_f8_1d.npy"))
        XCTAssertEqual(Npy.encode(Matrix(rows: 5, cols: 1, data: [0.5, -1.0, 2.0, 1e300, -1e-300]), vector: true), oneD)
    }

    func testErrors() {
        XCTAssertTrue(errorMessage { try fixtures.matrix("bad_be_f8.npy") }.contains("unsupported .npy dtype '>f8'"))
        XCTAssertTrue(errorMessage { try fixtures.matrix("bad_c16.npy") }.contains("unsupported .npy dtype '<c16'"))
        XCTAssertTrue(errorMessage { try fixtures.matrix("bad_3d.npy") }.contains("3 dimensions"))
        let t = errorMessage { try fixtures.matrix("bad_truncated.npy") }
        XCTAssertTrue(t.contains("truncated") && t.contains("96 data bytes"), t)
        XCTAssertTrue(errorMessage { try fixtures.matrix("bad_header.npy") }.contains("truncated"))
        XCTAssertTrue(errorMessage { try Npy.decode([1, 2, 3]) }.contains("not a .npy file"))
        XCTAssertTrue(errorMessage { try Npy.load("/nonexistent/x.npy") }.contains("No such file"))
    }
}
