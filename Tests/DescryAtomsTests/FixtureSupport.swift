import Foundation
import XCTest

/// Fixture access for DescryAtomsTests (files written by scripts/gen_desc_fixtures.py).
enum Fixtures {
    static var root: URL { Bundle.module.resourceURL!.appendingPathComponent("Fixtures") }
    static func path(_ rel: String) -> String { root.appendingPathComponent(rel).path }

    /// Minimal .npy reader (little-endian float64, C order): shape and data.
    static func npy(_ rel: String) throws -> (shape: [Int], data: [Double]) {
        let d = try Data(contentsOf: URL(fileURLWithPath: path(rel)))
        let bytes = [UInt8](d)
        guard bytes.count > 10, bytes[1] == 0x4E else { throw NSError(domain: "npy", code: 1) }
        let major = bytes[6]
        let hlen: Int, hstart: Int
        if major == 1 { hlen = Int(bytes[8]) | Int(bytes[9]) << 8; hstart = 10 } else {
            hlen = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24; hstart = 12
        }
        let header = String(decoding: bytes[hstart..<(hstart + hlen)], as: UTF8.self)
        guard header.contains("'<f8'"), header.contains("'fortran_order': False") else {
            throw NSError(domain: "npy: unsupported \(header)", code: 2)
        }
        let shapeStr = header.components(separatedBy: "'shape': (")[1].components(separatedBy: ")")[0]
        let shape = shapeStr.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let count = shape.reduce(1, *)
        var data = [Double](repeating: 0, count: count)
        data.withUnsafeMutableBytes { dst in
            bytes.withUnsafeBytes { src in
                dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[(hstart + hlen)..<(hstart + hlen + count * 8)]))
            }
        }
        return (shape, data)
    }

    static func manifest() throws -> [String: Any] {
        let d = try Data(contentsOf: URL(fileURLWithPath: path("desc/manifest.json")))
        return try JSONSerialization.jsonObject(with: d) as! [String: Any]
    }
}

/// Asserts |a − b| ≤ abs + rel·|b| elementwise; reports the worst element.
func assertClose(_ a: [Double], _ b: [Double], rel: Double = 1e-10, abs: Double = 1e-12,
                 _ what: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, "\(what): length", file: file, line: line)
    guard a.count == b.count else { return }
    var worst = 0.0, wi = -1
    for i in 0..<a.count {
        let excess = Swift.abs(a[i] - b[i]) / (abs + rel * Swift.abs(b[i]))
        if !(excess <= 1) && (excess > worst || wi < 0) { worst = excess.isNaN ? .infinity : excess; wi = i }
    }
    XCTAssert(wi < 0, "\(what): element \(wi): \(wi >= 0 ? a[wi] : 0) vs \(wi >= 0 ? b[wi] : 0) (ratio to tolerance \(worst))", file: file, line: line)
}
