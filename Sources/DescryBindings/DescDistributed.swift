import DescryDescriptors
import DescryLinalg
import DescryParallel
import LuaBridge

/// `bs:trajectory(source, {comm = ...})`: the blocks of a trajectory dealt to the ranks of a
/// communicator round-robin (block b on rank b % size), every rank's rows exchanged
/// (MPI_Allgatherv) and put back in block order, so every rank returns the serial result bit
/// for bit, for any rank and thread count.
enum DistributedTrajectory {
    /// Runs `compute(part, parts)` on this rank and merges the parts of all ranks. A failure on
    /// any rank is an error on every rank (the exchange carries it), never a hang.
    static func run(_ comm: Communicator, _ compute: (Int, Int) throws -> TrajectoryDescriptors) throws -> TrajectoryDescriptors {
        let local = Result { try compute(comm.rank, comm.size) }.map { ParallelValue.string(encode($0)) }
        let all = try comm.allgather(value: local)
        return try TrajectoryDescriptors.merged(all.map(decode))
    }

    static func encode(_ r: TrajectoryDescriptors) -> [UInt8] {
        ParallelValue.encodeList([.numbers(r.blocks.map(Double.init)), .numbers(r.timesteps.map(Double.init)), .matrix(r.D),
                                  r.V.map { .matrix($0) } ?? .numbers([])])
    }

    static func decode(_ v: ParallelValue) throws -> TrajectoryDescriptors {
        guard case .string(let bytes) = v else { throw EngineError("trajectory: a rank sent no descriptor rows") }
        let items = try ParallelValue.decodeList(bytes)
        guard items.count == 4, case .numbers(let blocks) = items[0], case .numbers(let steps) = items[1],
              case .matrix(let d) = items[2] else { throw EngineError("trajectory: a rank sent malformed descriptor rows") }
        var vm: Matrix? = nil
        if case .matrix(let m) = items[3] { vm = m }
        return TrajectoryDescriptors(timesteps: steps.map { Int($0) }, D: d, V: vm, blocks: blocks.map { Int($0) })
    }
}
