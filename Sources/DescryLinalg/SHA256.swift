#if canImport(Glibc)
import Glibc
#endif

/// SHA-256 message digest (FIPS 180-4, section 6.2; test vectors of RFC 6234), used for the
/// provenance of analysis inputs (`descry analyse` manifest). Incremental: `update` any number
/// of times, then `finalize`.
public struct SHA256 {
    private static let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]

    private var h: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                               0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
    private var block: [UInt8] = []
    private var length: UInt64 = 0
    private var w = [UInt32](repeating: 0, count: 64)

    public init() { block.reserveCapacity(64) }

    @inline(__always) private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }

    /// Processes one 64-byte block starting at `offset` of `bytes` (FIPS 180-4 §6.2.2).
    private mutating func compress(_ bytes: UnsafeBufferPointer<UInt8>, _ offset: Int) {
        for t in 0..<16 {
            let i = offset + 4 * t
            w[t] = UInt32(bytes[i]) << 24 | UInt32(bytes[i + 1]) << 16 | UInt32(bytes[i + 2]) << 8 | UInt32(bytes[i + 3])
        }
        for t in 16..<64 {
            let s0 = Self.rotr(w[t - 15], 7) ^ Self.rotr(w[t - 15], 18) ^ (w[t - 15] >> 3)
            let s1 = Self.rotr(w[t - 2], 17) ^ Self.rotr(w[t - 2], 19) ^ (w[t - 2] >> 10)
            w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
        }
        var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7]
        for t in 0..<64 {
            let s1 = Self.rotr(e, 6) ^ Self.rotr(e, 11) ^ Self.rotr(e, 25)
            let ch = (e & f) ^ (~e & g)
            let t1 = hh &+ s1 &+ ch &+ Self.k[t] &+ w[t]
            let s0 = Self.rotr(a, 2) ^ Self.rotr(a, 13) ^ Self.rotr(a, 22)
            let maj = (a & b) ^ (a & c) ^ (b & c)
            let t2 = s0 &+ maj
            hh = g
            g = f
            f = e
            e = d &+ t1
            d = c
            c = b
            b = a
            a = t1 &+ t2
        }
        h[0] = h[0] &+ a
        h[1] = h[1] &+ b
        h[2] = h[2] &+ c
        h[3] = h[3] &+ d
        h[4] = h[4] &+ e
        h[5] = h[5] &+ f
        h[6] = h[6] &+ g
        h[7] = h[7] &+ hh
    }

    /// Feeds more message bytes.
    public mutating func update(_ bytes: UnsafeBufferPointer<UInt8>) {
        length &+= UInt64(bytes.count)
        var i = 0
        if !block.isEmpty {
            while i < bytes.count && block.count < 64 {
                block.append(bytes[i])
                i += 1
            }
            if block.count == 64 {
                let full = block
                full.withUnsafeBufferPointer { compress($0, 0) }
                block.removeAll(keepingCapacity: true)
            }
        }
        while i + 64 <= bytes.count {
            compress(bytes, i)
            i += 64
        }
        while i < bytes.count {
            block.append(bytes[i])
            i += 1
        }
    }

    /// Feeds more message bytes.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { update($0) }
    }

    /// Pads the message (FIPS 180-4 §5.1.1) and returns the 32-byte digest.
    public mutating func finalize() -> [UInt8] {
        let bits = length &* 8
        var pad: [UInt8] = [0x80]
        let used = (block.count + 1) % 64
        let zeros = used <= 56 ? 56 - used : 120 - used
        pad += [UInt8](repeating: 0, count: zeros)
        for s in stride(from: 56, through: 0, by: -8) { pad.append(UInt8((bits >> UInt64(s)) & 0xff)) }
        let savedLength = length
        update(pad)
        length = savedLength
        var out: [UInt8] = []
        for v in h { out += [UInt8(v >> 24), UInt8((v >> 16) & 0xff), UInt8((v >> 8) & 0xff), UInt8(v & 0xff)] }
        return out
    }

    /// Lower-case hexadecimal form of a digest.
    public static func hex(_ digest: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        var s = ""
        for b in digest {
            s.append(digits[Int(b >> 4)])
            s.append(digits[Int(b & 0x0f)])
        }
        return s
    }

    /// SHA-256 of a byte string, as lower-case hex.
    public static func hexDigest(_ bytes: [UInt8]) -> String {
        var s = SHA256()
        s.update(bytes)
        return hex(s.finalize())
    }

    /// SHA-256 of a file's contents, streamed in 1 MiB blocks, with the file's size in bytes.
    /// Errors name the file.
    public static func hexDigest(file path: String) throws -> (hex: String, size: Int) {
        guard let f = fopen(path, "rb") else {
            throw EngineError("\(path): \(String(cString: strerror(errno)))")
        }
        defer { fclose(f) }
        var s = SHA256()
        var buf = [UInt8](repeating: 0, count: 1 << 20)
        var size = 0
        while true {
            let n = buf.withUnsafeMutableBufferPointer { fread($0.baseAddress, 1, $0.count, f) }
            if n > 0 {
                buf.withUnsafeBufferPointer { s.update(UnsafeBufferPointer(rebasing: $0[0..<n])) }
                size += n
            }
            if n < buf.count { break }
            try Interruption.check()
        }
        if ferror(f) != 0 { throw EngineError("\(path): read error") }
        return (hex(s.finalize()), size)
    }
}
