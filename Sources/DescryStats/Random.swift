import DescryLinalg

/// The statistics engine draws all randomness from the la module's generator (xoshiro256**,
/// Blackman & Vigna 2021, seeded by SplitMix64; normals by the Marsaglia polar method), so a
/// seed means the same stream in descry.la and descry.stats/var/regress/idim.
public typealias StatsRNG = Xoshiro256StarStar

extension Xoshiro256StarStar {
    /// Uniform integer in 0..<n (Lemire's unbiased multiply-and-reject). n > 0 (internal).
    @inline(__always) mutating func int(below n: Int) -> Int {
        let bound = UInt64(n)
        var m = next().multipliedFullWidth(by: bound)
        if m.low < bound {
            let threshold = (0 &- bound) % bound
            while m.low < threshold { m = next().multipliedFullWidth(by: bound) }
        }
        return Int(m.high)
    }

    /// Fills `buffer` with standard normal deviates.
    mutating func fillNormal(_ buffer: inout [Double]) {
        for i in buffer.indices { buffer[i] = normal() }
    }

    /// `k` distinct indices drawn uniformly from 0..<n, sorted (partial Fisher–Yates).
    mutating func sample(_ k: Int, from n: Int) -> [Int] {
        var idx = Array(0..<n)
        for i in 0..<min(k, n) { idx.swapAt(i, i + int(below: n - i)) }
        return idx[0..<min(k, n)].sorted()
    }

    /// A uniformly random permutation of 0..<n (Fisher–Yates).
    mutating func permutation(_ n: Int) -> [Int] {
        var idx = Array(0..<n)
        if n > 1 { for i in stride(from: n - 1, to: 0, by: -1) { idx.swapAt(i, int(below: i + 1)) } }
        return idx
    }
}
