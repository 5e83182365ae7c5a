import Glibc

/// SplitMix64 (Steele, Lea & Flood, OOPSLA 2014; Vigna's splitmix64.c): used to expand a
/// 64-bit seed into xoshiro state, as the xoshiro authors recommend.
public struct SplitMix64 {
    public var state: UInt64
    public init(_ seed: UInt64) { state = seed }
    /// The next 64-bit output.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// xoshiro256** 1.0 (Blackman & Vigna, "Scrambled linear pseudorandom number generators",
/// ACM TOMS 47, 2021; reference xoshiro256starstar.c): 256-bit state, period 2²⁵⁶ − 1.
/// Doubles in [0, 1) take the top 53 bits; normals use the Marsaglia polar method; bounded
/// integers use Lemire's unbiased multiply-and-reject.
public struct Xoshiro256StarStar {
    public var s: (UInt64, UInt64, UInt64, UInt64)
    /// Second normal deviate of the last polar-method pair.
    var spare: Double?

    /// State from `seed` through SplitMix64 (any seed, including 0, is valid).
    public init(seed: UInt64) {
        var sm = SplitMix64(seed)
        s = (sm.next(), sm.next(), sm.next(), sm.next())
    }

    /// Raw state (must not be all zero).
    public init(state: (UInt64, UInt64, UInt64, UInt64)) { s = state }

    @inline(__always) static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// The next 64-bit output (rotl(s1·5, 7)·9, then the xoshiro linear step).
    @inline(__always) public mutating func next() -> UInt64 {
        let result = Self.rotl(s.1 &* 5, 7) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = Self.rotl(s.3, 45)
        return result
    }

    /// Uniform double in [0, 1): (x >> 11) · 2⁻⁵³.
    @inline(__always) public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Standard normal deviate (Marsaglia & Bray 1964 polar method).
    public mutating func normal() -> Double {
        if let z = spare { spare = nil; return z }
        while true {
            let u = 2 * uniform() - 1, v = 2 * uniform() - 1
            let q = u * u + v * v
            if q > 0 && q < 1 {
                let f = (-2 * Glibc.log(q) / q).squareRoot()
                spare = v * f
                return u * f
            }
        }
    }

    /// Uniform integer in lo...hi inclusive, unbiased (Lemire 2019, "Fast random integer
    /// generation in an interval", ACM TOMS 29).
    public mutating func integer(_ lo: Int, _ hi: Int) throws -> Int {
        guard lo <= hi else { throw EngineError("empty range \(lo)..\(hi)") }
        let range = UInt64(bitPattern: Int64(hi) &- Int64(lo)) &+ 1
        if range == 0 { return Int(Int64(bitPattern: next())) }   // the full 64-bit range
        var m = next().multipliedFullWidth(by: range)
        if m.low < range {
            let t = (0 &- range) % range
            while m.low < t { m = next().multipliedFullWidth(by: range) }
        }
        return Int(Int64(lo) &+ Int64(bitPattern: m.high))
    }

    /// An r×c matrix of uniform [0, 1) deviates (row-major fill order).
    public mutating func uniformMatrix(_ r: Int, _ c: Int) -> Matrix {
        var m = Matrix(rows: r, cols: c)
        for k in 0..<m.count { m.data[k] = uniform() }
        return m
    }

    /// An r×c matrix of standard normal deviates.
    public mutating func normalMatrix(_ r: Int, _ c: Int) -> Matrix {
        var m = Matrix(rows: r, cols: c)
        for k in 0..<m.count { m.data[k] = normal() }
        return m
    }

    /// An r×c matrix of integers uniform in lo...hi.
    public mutating func integerMatrix(_ lo: Int, _ hi: Int, _ r: Int, _ c: Int) throws -> Matrix {
        var m = Matrix(rows: r, cols: c)
        for k in 0..<m.count { m.data[k] = Double(try integer(lo, hi)) }
        return m
    }
}
