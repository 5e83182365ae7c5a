import XCTest
@testable import DescryLinalg

/// SHA-256 against the FIPS 180-4 / RFC 6234 test vectors and Python's hashlib (digests printed
/// by `python3 -c "import hashlib; print(hashlib.sha256(m).hexdigest())"` for the messages below),
/// including every padding boundary (55, 56, 63, 64, 65 bytes) and incremental updates.
final class SHA256Tests: XCTestCase {
    static let vectors: [(String, [UInt8])] = [
        ("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", []),
        ("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Array("abc".utf8)),
        ("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
         Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
        ("cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1",
         Array("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu".utf8)),
        ("d5e285683cd4efc02d021a5c62014694958901005d6f71e89e0989fac77e4072", [UInt8](repeating: 0x78, count: 55)),
        ("04c26261370ee7541549d16dee320c723e3fd14671e66a099afe0a377c16888e", [UInt8](repeating: 0x78, count: 56)),
        ("75220b47218278e656f2013bb8f0c455a25eaf01e86c64924e9d48d89776d6f2", [UInt8](repeating: 0x78, count: 63)),
        ("7ce100971f64e7001e8fe5a51973ecdfe1ced42befe7ee8d5fd6219506b5393c", [UInt8](repeating: 0x78, count: 64)),
        ("9537c5fdf120482f7d58d25e9ed583f52c02b4e304ea814db1633ad565aed7e9", [UInt8](repeating: 0x78, count: 65)),
        ("1d099a857037971bbd4c2e0a22e35939ef393d1831523e67d125d194e77ee949",
         (0..<3).flatMap { _ in (0...255).map { UInt8($0) } } + [UInt8](repeating: 0x78, count: 55)),
    ]

    func testVectors() {
        for (hex, message) in Self.vectors {
            XCTAssertEqual(SHA256.hexDigest(message), hex, "\(message.count) bytes")
        }
    }

    func testMillionA() {
        // FIPS 180-4 / RFC 6234: one million repetitions of 'a'.
        XCTAssertEqual(SHA256.hexDigest([UInt8](repeating: 0x61, count: 1_000_000)),
                       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    func testIncrementalUpdatesMatchOneShot() {
        let (hex, message) = Self.vectors[9]
        for split in [1, 7, 63, 64, 65, 200, 500] {
            var s = SHA256()
            var i = 0
            while i < message.count {
                let j = min(message.count, i + split)
                s.update(Array(message[i..<j]))
                i = j
            }
            XCTAssertEqual(SHA256.hex(s.finalize()), hex, "chunks of \(split)")
        }
    }

    func testFileDigestAndSize() throws {
        let path = NSTemporaryDirectory() + "descry-sha256-\(getpid()).bin"
        let (hex, message) = Self.vectors[9]
        FileManager.default.createFile(atPath: path, contents: Data(message))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try SHA256.hexDigest(file: path)
        XCTAssertEqual(r.hex, hex)
        XCTAssertEqual(r.size, message.count)
        XCTAssertThrowsError(try SHA256.hexDigest(file: path + ".missing"))
    }
}
