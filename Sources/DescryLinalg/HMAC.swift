/// HMAC-SHA256 (RFC 2104 keyed hashing over FIPS 180-4 SHA-256; test vectors of RFC 4231), used
/// to sign and check Jupyter messages (messaging protocol 5.3, "The Wire Protocol").
public struct HMACSHA256 {
    private static let blockSize = 64
    private let innerPad: [UInt8]
    private let outerPad: [UInt8]

    /// A key longer than the 64-byte block is hashed first, a shorter one padded with zeros.
    public init(key: [UInt8]) {
        var block = key
        if block.count > Self.blockSize {
            var h = SHA256()
            h.update(key)
            block = h.finalize()
        }
        block += [UInt8](repeating: 0, count: Self.blockSize - block.count)
        innerPad = block.map { $0 ^ 0x36 }
        outerPad = block.map { $0 ^ 0x5c }
    }

    /// The 32-byte code of the concatenation of `parts`.
    public func code(_ parts: [[UInt8]]) -> [UInt8] {
        var inner = SHA256()
        inner.update(innerPad)
        for p in parts { inner.update(p) }
        let innerDigest = inner.finalize()
        var outer = SHA256()
        outer.update(outerPad)
        outer.update(innerDigest)
        return outer.finalize()
    }

    /// The code of the concatenation of `parts` in lowercase hexadecimal (64 characters).
    public func hexCode(_ parts: [[UInt8]]) -> String {
        SHA256.hex(code(parts))
    }

    /// Compares two byte strings in time independent of where they differ.
    public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<a.count { diff |= a[i] ^ b[i] }
        return diff == 0
    }
}
