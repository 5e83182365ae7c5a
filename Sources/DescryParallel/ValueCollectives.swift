import DescryLinalg

/// The collectives of `descry.mpi` on values. Each rank passes its value, or the error that
/// stopped it from making one (e.g. a table holding a string): the ranks first exchange
/// 24-byte headers (kind and sizes, or "failed") with MPI_Allgather, so a bad argument or a
/// mismatch of kinds/sizes on any rank becomes an error on every rank, never a hang or a
/// buffer overrun; then the payloads travel.
extension Communicator {
    /// Root's value on every rank (MPI_Bcast). Other ranks' values are ignored.
    public func broadcast(value: Result<ParallelValue, Error>, root: Int) throws -> ParallelValue {
        let mine: [UInt8]
        switch value {
        case .success(let v): mine = v.encoded()
        case .failure: mine = [0]
        }
        let got = try broadcast(mine, root: root)
        if rank == root, case .failure(let e) = value { throw e }
        guard got.first != 0 else { throw EngineError("the root rank \(root) gave no valid value (see its error)") }
        return try ParallelValue.decode(got)
    }

    /// Every rank's value in rank order on `root` (nil elsewhere). Kinds must agree; matrices
    /// must have the same number of columns (rows, list and string lengths may differ).
    public func gather(value: Result<ParallelValue, Error>, root: Int) throws -> [ParallelValue]? {
        try checkRootRank(root)
        let v = try agree(value, sameSizes: false)
        guard let parts = try gather(v.encoded(), root: root) else { return nil }
        return try parts.map(ParallelValue.decode)
    }

    /// Every rank's value in rank order on every rank (same rules as `gather`).
    public func allgather(value: Result<ParallelValue, Error>) throws -> [ParallelValue] {
        let v = try agree(value, sameSizes: false)
        return try allgather(v.encoded()).map(ParallelValue.decode)
    }

    /// The rank-ordered reduction (`RankOrderReduction`) on `root` (nil elsewhere). Kinds and
    /// sizes must agree on every rank.
    public func reduce(value: Result<ParallelValue, Error>, op: ReductionOperator, root: Int) throws -> ParallelValue? {
        try checkRootRank(root)
        let v = try agree(value, sameSizes: true)
        guard let parts = try gather(v.encoded(), root: root) else { return nil }
        return try RankOrderReduction.reduce(parts.map(ParallelValue.decode), op)
    }

    /// The rank-ordered reduction on every rank: each rank reduces the same gathered values in
    /// the same order, so every rank holds the same bits.
    public func allreduce(value: Result<ParallelValue, Error>, op: ReductionOperator) throws -> ParallelValue {
        let v = try agree(value, sameSizes: true)
        return try RankOrderReduction.reduce(allgather(v.encoded()).map(ParallelValue.decode), op)
    }

    private func checkRootRank(_ root: Int) throws {
        guard root >= 0, root < size else { throw EngineError("root rank \(root) is outside 0...\(size - 1)") }
    }

    /// Exchanges headers; throws on every rank when one rank failed or kinds/sizes disagree.
    private func agree(_ value: Result<ParallelValue, Error>, sameSizes: Bool) throws -> ParallelValue {
        var header = [UInt8](repeating: 0, count: 24)
        if case .success(let v) = value { header = Array(v.encoded().prefix(24)) }
        let all = try allgather(header)
        if case .failure(let e) = value { throw e }
        let value = try value.get()
        for (r, h) in all.enumerated() where h.count != 24 || h[0] == 0 {
            throw EngineError("rank \(r) gave no valid value (see its error)")
        }
        let kinds = all.map { $0[0] == 1 ? 2 : $0[0] }
        for r in 1..<all.count where kinds[r] != kinds[0] || !sizesAgree(all[0], all[r], sameSizes: sameSizes) {
            throw EngineError("mismatched values across ranks: rank 0 gives \(Self.describe(all[0])), rank \(r) gives \(Self.describe(all[r]))")
        }
        return value
    }

    private func sizesAgree(_ a: [UInt8], _ b: [UInt8], sameSizes: Bool) -> Bool {
        switch a[0] {
        case 4: return !sameSizes || a[8..<16] == b[8..<16]
        case 5: return a[16..<24] == b[16..<24] && (!sameSizes || a[8..<16] == b[8..<16])
        default: return true
        }
    }

    private static func describe(_ header: [UInt8]) -> String {
        func int(_ at: Int) -> Int64 {
            var v: Int64 = 0
            withUnsafeMutableBytes(of: &v) { p in for k in 0..<8 { p[k] = header[at + k] } }
            return Int64(littleEndian: v)
        }
        switch header[0] {
        case 1, 2: return "a number"
        case 3: return "a string of \(int(8)) bytes"
        case 4: return "a table of \(int(8)) numbers"
        case 5: return "an la.matrix \(int(8))×\(int(16))"
        default: return "no value"
        }
    }
}
