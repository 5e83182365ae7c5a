import CMPIShim
import DescryLinalg

/// A group of ranks exchanging byte strings: an MPI communicator (MPICH ABI handle) or, when
/// MPI is not initialised, the one-rank world of this process (every collective is then a
/// local copy). Collectives exchange sizes first, so ranks sending different sizes never
/// overrun a buffer; payloads are limited to 2 GiB per collective (MPI's int counts).
public final class Communicator {
    /// MPI handle (nil for the local one-rank world).
    let handle: Int32?
    public let rank: Int
    public let size: Int

    init(handle: Int32?) throws {
        self.handle = handle
        guard let h = handle else {
            rank = 0
            size = 1
            return
        }
        var r: Int32 = 0
        var n: Int32 = 0
        try MPIRuntime.check(descry_mpi_rank(h, &r), "MPI_Comm_rank")
        try MPIRuntime.check(descry_mpi_size(h, &n), "MPI_Comm_size")
        rank = Int(r)
        size = Int(n)
    }

    /// MPI_COMM_WORLD when MPI is initialised, else a one-rank world.
    public static func world() throws -> Communicator {
        try Communicator(handle: MPIRuntime.start().initialized ? DESCRY_MPI_COMM_WORLD : nil)
    }

    /// True for an MPI communicator (false for the local one-rank world).
    public var isMPI: Bool { handle != nil }

    /// Blocks until every rank of the communicator has called it (MPI_Barrier).
    public func barrier() throws {
        guard let h = handle else { return }
        try MPIRuntime.check(descry_mpi_barrier(h), "MPI_Barrier")
    }

    /// Root's bytes on every rank (MPI_Bcast of the length, then of the bytes).
    public func broadcast(_ bytes: [UInt8], root: Int) throws -> [UInt8] {
        try checkRoot(root)
        guard let h = handle else { return bytes }
        var length = Int64(bytes.count)
        try withUnsafeMutableBytes(of: &length) { p in
            try MPIRuntime.check(descry_mpi_bcast(p.baseAddress, 8, Int32(root), h), "MPI_Bcast")
        }
        let n = try Self.count(length, "broadcast")
        var out = rank == root ? bytes : [UInt8](repeating: 0, count: n)
        try out.withUnsafeMutableBytes { p in
            try MPIRuntime.check(descry_mpi_bcast(p.baseAddress, Int32(n), Int32(root), h), "MPI_Bcast")
        }
        return out
    }

    /// Every rank's bytes, in rank order, on `root` (nil on the other ranks): the lengths are
    /// exchanged first (MPI_Allgather), then the bytes (MPI_Gatherv).
    public func gather(_ bytes: [UInt8], root: Int) throws -> [[UInt8]]? {
        try checkRoot(root)
        guard let h = handle else { return [bytes] }
        let (counts, displs, total) = try layout(of: bytes.count)
        var recv = [UInt8](repeating: 0, count: rank == root ? max(total, 1) : 1)
        try bytes.withUnsafeBytes { s in
            try recv.withUnsafeMutableBytes { r in
                try MPIRuntime.check(descry_mpi_gatherv(s.baseAddress, Int32(bytes.count), r.baseAddress, counts, displs, Int32(root), h), "MPI_Gatherv")
            }
        }
        return rank == root ? Self.split(recv, counts, displs) : nil
    }

    /// Every rank's bytes, in rank order, on every rank (MPI_Allgather of the lengths, then
    /// MPI_Allgatherv).
    public func allgather(_ bytes: [UInt8]) throws -> [[UInt8]] {
        guard let h = handle else { return [bytes] }
        let (counts, displs, total) = try layout(of: bytes.count)
        var recv = [UInt8](repeating: 0, count: max(total, 1))
        try bytes.withUnsafeBytes { s in
            try recv.withUnsafeMutableBytes { r in
                try MPIRuntime.check(descry_mpi_allgatherv(s.baseAddress, Int32(bytes.count), r.baseAddress, counts, displs, h), "MPI_Allgatherv")
            }
        }
        return Self.split(recv, counts, displs)
    }

    /// MPI_Comm_split: ranks with the same colour (≥ 0) form a new communicator, ordered by
    /// key (ties by rank); nil colour gives nil (MPI_UNDEFINED).
    public func split(color: Int?, key: Int) throws -> Communicator? {
        if let c = color, c < 0 || c > Int(Int32.max) { throw EngineError("split: colour must be in 0...\(Int32.max), got \(c)") }
        guard key >= Int(Int32.min), key <= Int(Int32.max) else { throw EngineError("split: key \(key) does not fit a C int") }
        guard let h = handle else { return color == nil ? nil : try Communicator(handle: nil) }
        var out: Int32 = DESCRY_MPI_COMM_NULL
        try MPIRuntime.check(descry_mpi_split(h, Int32(color ?? Int(DESCRY_MPI_UNDEFINED)), Int32(key), &out), "MPI_Comm_split")
        return out == DESCRY_MPI_COMM_NULL ? nil : try Communicator(handle: out)
    }

    private func checkRoot(_ root: Int) throws {
        guard root >= 0, root < size else { throw EngineError("root rank \(root) is outside 0...\(size - 1)") }
    }

    /// Lengths of every rank's payload (MPI_Allgather), checked against MPI's int counts.
    private func layout(of length: Int) throws -> (counts: [Int32], displs: [Int32], total: Int) {
        guard let h = handle else { return ([Int32(length)], [0], length) }
        var mine = Int64(length)
        var all = [Int64](repeating: 0, count: size)
        try withUnsafeBytes(of: &mine) { s in
            try all.withUnsafeMutableBytes { r in
                try MPIRuntime.check(descry_mpi_allgather(s.baseAddress, 8, r.baseAddress, h), "MPI_Allgather")
            }
        }
        var counts: [Int32] = []
        var displs: [Int32] = []
        var total = 0
        for n in all {
            let c = try Self.count(n, "gather")
            displs.append(Int32(clamping: total))
            counts.append(Int32(c))
            total += c
            guard total <= Int(Int32.max) else { throw EngineError("gather: \(total) bytes in all exceed MPI's 2 GiB limit") }
        }
        return (counts, displs, total)
    }

    private static func count(_ n: Int64, _ what: String) throws -> Int {
        guard n >= 0, n <= Int64(Int32.max) else { throw EngineError("\(what): a payload of \(n) bytes exceeds MPI's 2 GiB limit") }
        return Int(n)
    }

    private static func split(_ buffer: [UInt8], _ counts: [Int32], _ displs: [Int32]) -> [[UInt8]] {
        (0..<counts.count).map { k in Array(buffer[Int(displs[k])..<Int(displs[k] + counts[k])]) }
    }
}
