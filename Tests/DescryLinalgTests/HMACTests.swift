import XCTest
@testable import DescryLinalg

/// HMAC-SHA256 against the RFC 4231 test cases 1–4, 6 and 7 (case 5 is a truncated output),
/// which Python's `hmac.new(key, data, hashlib.sha256).hexdigest()` reproduces; the message
/// given in several parts gives the same code as in one.
final class HMACTests: XCTestCase {
    static let largeKeyData1 = "Test Using Larger Than Block-Size Key - Hash Key First"
    static let largeKeyData2 = "This is a test using a larger than block-size key and a larger than block-size data."
        + " The key needs to be hashed before being used by the HMAC algorithm."

    static let vectors: [(key: [UInt8], data: [UInt8], hex: String)] = [
        ([UInt8](repeating: 0x0b, count: 20), Array("Hi There".utf8),
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        (Array("Jefe".utf8), Array("what do ya want for nothing?".utf8),
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        ([UInt8](repeating: 0xaa, count: 20), [UInt8](repeating: 0xdd, count: 50),
         "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        ((1...25).map { UInt8($0) }, [UInt8](repeating: 0xcd, count: 50),
         "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        ([UInt8](repeating: 0xaa, count: 131), Array(largeKeyData1.utf8),
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        ([UInt8](repeating: 0xaa, count: 131), Array(largeKeyData2.utf8),
         "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
    ]

    func testRFC4231Vectors() {
        for (i, v) in Self.vectors.enumerated() {
            XCTAssertEqual(HMACSHA256(key: v.key).hexCode([v.data]), v.hex, "RFC 4231 vector \(i + 1)")
        }
    }

    func testPartsAreConcatenated() {
        let v = Self.vectors[1]
        let parts = [Array(v.data[0..<5]), [], Array(v.data[5...])]
        XCTAssertEqual(HMACSHA256(key: v.key).hexCode(parts), v.hex)
    }

    func testConstantTimeEqual() {
        XCTAssertTrue(HMACSHA256.constantTimeEqual([1, 2, 3], [1, 2, 3]))
        XCTAssertFalse(HMACSHA256.constantTimeEqual([1, 2, 3], [1, 2, 4]))
        XCTAssertFalse(HMACSHA256.constantTimeEqual([1, 2], [1, 2, 3]))
    }
}
