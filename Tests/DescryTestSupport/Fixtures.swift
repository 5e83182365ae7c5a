import DescryLinalg
import Foundation

/// The committed reference fixtures of a test target (written by the generators in scripts/,
/// see each Fixtures/README): paths, `.npy` arrays (`npy` reads float64 files here,
/// independently of the code under test; `matrix` goes through DescryLinalg's reader) and JSON
/// documents. `FixtureDirectory.lammps` holds the LAMMPS fixtures shared by the
/// atoms and descriptor tests (scripts/gen_desc_fixtures.py).
public struct FixtureDirectory {
    public let root: URL

    /// The `subdirectory` of a test target's resource bundle (pass `Bundle.module`).
    public init(bundle: Bundle, subdirectory: String = "Fixtures") {
        root = bundle.resourceURL!.appendingPathComponent(subdirectory)
    }

    /// The LAMMPS fixtures (desc/…), resources of this support target.
    public static var lammps: FixtureDirectory { FixtureDirectory(bundle: .module) }

    /// Absolute path of a fixture.
    public func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// A little-endian float64, C-order `.npy` array: its shape and data.
    public func npy(_ relative: String) throws -> (shape: [Int], data: [Double]) {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path(relative))))
        guard bytes.count > 10, bytes[1] == 0x4E else { throw FixtureError("\(relative): not a .npy file") }
        let (hlen, hstart) = bytes[6] == 1
            ? (Int(bytes[8]) | Int(bytes[9]) << 8, 10)
            : (Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24, 12)
        let header = String(decoding: bytes[hstart..<(hstart + hlen)], as: UTF8.self)
        guard header.contains("'<f8'"), header.contains("'fortran_order': False") else {
            throw FixtureError("\(relative): unsupported header \(header)")
        }
        let shapeText = header.components(separatedBy: "'shape': (")[1].components(separatedBy: ")")[0]
        let shape = shapeText.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let count = shape.reduce(1, *)
        var data = [Double](repeating: 0, count: count)
        data.withUnsafeMutableBytes { dst in
            bytes.withUnsafeBytes { src in
                dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[(hstart + hlen)..<(hstart + hlen + count * 8)]))
            }
        }
        return (shape, data)
    }

    /// A `.npy` array as a matrix, read by DescryLinalg's `Npy.load` (1-D as a column; every
    /// dtype and order it supports; its errors are what the Npy tests check).
    public func matrix(_ relative: String) throws -> Matrix {
        try Npy.load(path(relative)).matrix
    }

    /// A JSON object.
    public func json(_ relative: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path(relative)))
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw FixtureError("\(relative) is not a JSON object")
        }
        return object
    }
}

/// A fixture that cannot be read.
public struct FixtureError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A matrix stored in a JSON fixture as {"rows": r, "cols": c, "data": [row-major values]}.
public func mat(_ any: Any?) -> Matrix {
    let d = any as! [String: Any]
    let rows = d["rows"] as! Int
    let cols = d["cols"] as! Int
    return Matrix(rows: rows, cols: cols, data: vec(d["data"]))
}

/// A list of numbers in a JSON fixture.
public func vec(_ any: Any?) -> [Double] { (any as! [Any]).map { ($0 as! NSNumber).doubleValue } }

/// A number in a JSON fixture.
public func num(_ any: Any?) -> Double { (any as! NSNumber).doubleValue }
