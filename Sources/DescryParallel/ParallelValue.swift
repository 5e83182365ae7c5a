import DescryLinalg

/// A value exchanged between ranks by the `descry.mpi` collectives: a Lua number (integer or
/// float), a byte string, a list of numbers, or a matrix. Encoded as a 24-byte header (kind,
/// two sizes) and the raw little-endian payload, so doubles travel bit for bit.
public enum ParallelValue: Equatable {
    case integer(Int64)
    case number(Double)
    case string([UInt8])
    case numbers([Double])
    case matrix(Matrix)

    /// Kind names as errors report them.
    public var kindName: String {
        switch self {
        case .integer, .number: return "number"
        case .string: return "string"
        case .numbers: return "table of numbers"
        case .matrix: return "la.matrix"
        }
    }

    /// A short description of kind and size, for mismatch errors ("la.matrix 3×4").
    public var shapeText: String {
        switch self {
        case .integer, .number: return "number"
        case .string(let b): return "string of \(b.count) bytes"
        case .numbers(let v): return "table of \(v.count) numbers"
        case .matrix(let m): return "la.matrix \(m.rows)×\(m.cols)"
        }
    }

    private var header: (kind: UInt8, a: Int64, b: Int64) {
        switch self {
        case .integer: return (1, 1, 0)
        case .number: return (2, 1, 0)
        case .string(let s): return (3, Int64(s.count), 0)
        case .numbers(let v): return (4, Int64(v.count), 0)
        case .matrix(let m): return (5, Int64(m.rows), Int64(m.cols))
        }
    }

    /// The value as bytes (header + payload).
    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        let h = header
        out.append(h.kind)
        out.append(contentsOf: [UInt8](repeating: 0, count: 7))
        Self.append(h.a, to: &out)
        Self.append(h.b, to: &out)
        switch self {
        case .integer(let i): Self.append(i, to: &out)
        case .number(let x): Self.append(Int64(bitPattern: x.bitPattern), to: &out)
        case .string(let s): out.append(contentsOf: s)
        case .numbers(let v): v.withUnsafeBytes { out.append(contentsOf: $0) }
        case .matrix(let m): m.data.withUnsafeBytes { out.append(contentsOf: $0) }
        }
        return out
    }

    /// Decodes `bytes` made by `encoded()`; throws on a malformed buffer.
    public static func decode(_ bytes: [UInt8]) throws -> ParallelValue {
        guard bytes.count >= 24 else { throw EngineError("a message of \(bytes.count) bytes is not a descry value") }
        let a = read(bytes, at: 8)
        let b = read(bytes, at: 16)
        let payload = bytes.count - 24
        func expect(_ n: Int64) throws {
            guard n >= 0, Int64(payload) == n else { throw EngineError("a descry value of \(payload) payload bytes, \(n) expected") }
        }
        switch bytes[0] {
        case 1:
            try expect(8)
            return .integer(read(bytes, at: 24))
        case 2:
            try expect(8)
            return .number(Double(bitPattern: UInt64(bitPattern: read(bytes, at: 24))))
        case 3:
            try expect(a)
            return .string(Array(bytes[24...]))
        case 4:
            guard a >= 0, a <= Int64(payload / 8) else { throw EngineError("a descry list of \(a) numbers in \(payload) bytes") }
            try expect(a * 8)
            return .numbers(doubles(bytes, count: Int(a)))
        case 5:
            guard a >= 0, b >= 0, a.multipliedReportingOverflow(by: b).overflow == false, a * b <= Int64(payload / 8) else {
                throw EngineError("a descry matrix \(a)×\(b) in \(payload) bytes")
            }
            try expect(a * b * 8)
            return .matrix(Matrix(rows: Int(a), cols: Int(b), data: doubles(bytes, count: Int(a * b))))
        default:
            throw EngineError("unknown descry value kind \(bytes[0])")
        }
    }

    /// A list of values as one message (count, then each value's length and encoding).
    public static func encodeList(_ values: [ParallelValue]) -> [UInt8] {
        var out: [UInt8] = []
        append(Int64(values.count), to: &out)
        for v in values {
            let e = v.encoded()
            append(Int64(e.count), to: &out)
            out.append(contentsOf: e)
        }
        return out
    }

    /// Decodes a message made by `encodeList`.
    public static func decodeList(_ bytes: [UInt8]) throws -> [ParallelValue] {
        guard bytes.count >= 8 else { throw EngineError("a message of \(bytes.count) bytes is not a descry list") }
        let n = read(bytes, at: 0)
        var at = 8
        var out: [ParallelValue] = []
        for _ in 0..<max(0, n) {
            guard at + 8 <= bytes.count else { throw EngineError("a truncated descry list") }
            let len = read(bytes, at: at)
            at += 8
            guard len >= 0, len <= Int64(bytes.count - at) else { throw EngineError("a truncated descry list") }
            out.append(try decode(Array(bytes[at..<(at + Int(len))])))
            at += Int(len)
        }
        return out
    }

    private static func append(_ v: Int64, to out: inout [UInt8]) {
        withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) }
    }

    private static func read(_ bytes: [UInt8], at offset: Int) -> Int64 {
        var v: Int64 = 0
        withUnsafeMutableBytes(of: &v) { p in
            for k in 0..<8 { p[k] = bytes[offset + k] }
        }
        return Int64(littleEndian: v)
    }

    private static func doubles(_ bytes: [UInt8], count: Int) -> [Double] {
        var out = [Double](repeating: 0, count: count)
        out.withUnsafeMutableBytes { p in
            bytes.withUnsafeBytes { s in
                p.copyMemory(from: UnsafeRawBufferPointer(rebasing: s[24..<(24 + count * 8)]))
            }
        }
        return out
    }
}
