import CMPIShim
import DescryLinalg
@testable import DescryParallel
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// descry.mpi's engine: value encoding, rank-ordered reductions, and MPI errors translated by
/// MPI_Error_string on the real library (an MPI singleton, DESCRY_MPI=1).
final class ParallelTests: XCTestCase {
    func testValuesRoundTripBitForBit() throws {
        let values: [ParallelValue] = [
            .integer(-7), .integer(Int64.max), .number(-0.0), .number(.nan), .number(0.1 + 0.2),
            .string([0, 255, 10, 0]), .string([]), .numbers([]), .numbers([1e-310, -.infinity, 3]),
            .matrix(Matrix(rows: 2, cols: 3, data: [1, 2, 3, 4, 5, 6.5])), .matrix(Matrix(rows: 0, cols: 4)),
        ]
        for v in values {
            let back = try ParallelValue.decode(v.encoded())
            XCTAssertEqual(back.encoded(), v.encoded(), "\(v)")
        }
        let list = try ParallelValue.decodeList(ParallelValue.encodeList(values))
        XCTAssertEqual(list.map { $0.encoded() }, values.map { $0.encoded() })
    }

    func testMalformedMessagesAreErrors() {
        let m = ParallelValue.matrix(Matrix(rows: 2, cols: 2, data: [1, 2, 3, 4])).encoded()
        XCTAssertThrowsError(try ParallelValue.decode(Array(m.dropLast())))
        XCTAssertThrowsError(try ParallelValue.decode(Array(m.prefix(10))))
        var huge = m
        huge[8] = 0xff
        huge[15] = 0x7f
        XCTAssertThrowsError(try ParallelValue.decode(huge))
        var kind = m
        kind[0] = 9
        XCTAssertThrowsError(try ParallelValue.decode(kind))
        XCTAssertThrowsError(try ParallelValue.decodeList([1, 0, 0, 0, 0, 0, 0, 0, 200]))
    }

    func testReductionsFoldInRankOrder() throws {
        // 1e16 + 1 rounds to 1e16: the left-to-right fold gives 1, other orders 0 or 2
        let xs: [ParallelValue] = [.number(1e16), .number(1), .number(-1e16), .number(1)]
        guard case .number(let s) = try RankOrderReduction.reduce(xs, .sum) else { return XCTFail("kind") }
        XCTAssertEqual(s, ((1e16 + 1) + -1e16) + 1)
        XCTAssertEqual(s, 1)
        let ms: [ParallelValue] = [.matrix(Matrix(rows: 1, cols: 2, data: [1, .nan])), .matrix(Matrix(rows: 1, cols: 2, data: [-2, 0]))]
        guard case .matrix(let lo) = try RankOrderReduction.reduce(ms, .min) else { return XCTFail("kind") }
        XCTAssertEqual(lo.data[0], -2)
        XCTAssertTrue(lo.data[1].isNaN)
        XCTAssertEqual(try RankOrderReduction.reduce([.string([98]), .string([97, 122])], .min), .string([97, 122]))
        XCTAssertEqual(try RankOrderReduction.reduce([.string([98]), .string([97])], .sum), .string([98, 97]))
        XCTAssertEqual(try RankOrderReduction.reduce([.integer(Int64.max), .integer(1)], .sum), .integer(Int64.min))
        XCTAssertEqual(try RankOrderReduction.reduce([.integer(1), .number(0.5)], .sum), .number(1.5))
        XCTAssertThrowsError(try RankOrderReduction.reduce([.numbers([1, 2]), .numbers([1])], .sum)) { e in
            XCTAssertTrue("\(e)".contains("rank 1 gives table of 1 numbers"), "\(e)")
        }
        XCTAssertThrowsError(try RankOrderReduction.reduce([.number(1), .string([1])], .max))
    }

    /// With MPI_ERRORS_RETURN set by descry_mpi_init, an invalid call returns its code and the
    /// error names MPI's own text; without it MPICH would abort the process.
    func testMPIErrorsAreReturnedWithMPIText() throws {
        setenv("DESCRY_MPI", "1", 1)
        defer { unsetenv("DESCRY_MPI") }
        let status = try MPIRuntime.start()
        guard status.library != nil else { throw XCTSkip("no MPI library installed: \(status.note ?? "")") }
        XCTAssertTrue(status.initialized)
        let world = try Communicator.world()
        XCTAssertEqual(world.size, 1)
        var buffer: [UInt8] = [1, 2, 3, 4]
        let rc = buffer.withUnsafeMutableBytes { p in descry_mpi_bcast(p.baseAddress, 4, 7, DESCRY_MPI_COMM_WORLD) }
        XCTAssertNotEqual(rc, 0)
        XCTAssertThrowsError(try MPIRuntime.check(rc, "MPI_Bcast")) { e in
            XCTAssertTrue("\(e)".hasPrefix("MPI_Bcast failed: Invalid root"), "\(e)")
        }
        XCTAssertThrowsError(try world.broadcast([1], root: 3)) { e in
            XCTAssertEqual("\(e)", "root rank 3 is outside 0...0")
        }
        XCTAssertEqual(try world.allreduce(value: .success(.number(2.5)), op: .max), .number(2.5))
    }
}
