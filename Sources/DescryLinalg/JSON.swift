#if canImport(Glibc)
import Glibc
#endif

/// A JSON value (RFC 8259) with a Foundation-free parser and serializer, used for fitted
/// models (versioned, loadable) and dataset manifests. Numbers are Float64 and are written in
/// the shortest form that reads back exactly; object keys keep their insertion order.
public indirect enum JSONValue: Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x), .number(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.array(let x), .array(let y)): return x == y
        case (.object(let x), .object(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// The member `key` of an object (nil for other values or a missing key).
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first(where: { $0.0 == key })?.1
    }

    public var doubleValue: Double? { if case .number(let v) = self { return v }; return nil }
    public var stringValue: String? { if case .string(let v) = self { return v }; return nil }
    public var arrayValue: [JSONValue]? { if case .array(let v) = self { return v }; return nil }

    /// A matrix as `{"rows": r, "cols": c, "data": [row-major values]}`.
    public init(matrix m: Matrix) {
        self = .object([("rows", .number(Double(m.rows))), ("cols", .number(Double(m.cols))),
                        ("data", .array(m.data.map { .number($0) }))])
    }

    /// Reads the form written by `init(matrix:)`; `what` names the value in errors.
    public func matrix(_ what: String) throws -> Matrix {
        guard let r = self["rows"]?.doubleValue, let c = self["cols"]?.doubleValue,
              let d = self["data"]?.arrayValue, r >= 0, c >= 0, r == r.rounded(), c == c.rounded() else {
            throw EngineError("\(what): expected {rows, cols, data}")
        }
        let values = try d.map { v -> Double in
            guard let x = v.doubleValue else { throw EngineError("\(what): non-numeric matrix entry") }
            return x
        }
        guard values.count == Int(r) * Int(c) else {
            throw EngineError("\(what): \(values.count) values do not fill \(Int(r))×\(Int(c))")
        }
        return Matrix(rows: Int(r), cols: Int(c), data: values)
    }
}

// MARK: - serialization

extension JSONValue {
    /// JSON text; `indent` > 0 pretty-prints with that many spaces per level.
    public func serialized(indent: Int = 0) -> String {
        var out = ""
        write(into: &out, indent: indent, level: 0)
        return out
    }

    private func write(into out: inout String, indent: Int, level: Int) {
        let nl = indent > 0 ? "\n" : ""
        let pad = { (l: Int) in String(repeating: " ", count: indent * l) }
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let v): out += JSONValue.format(v)
        case .string(let s): JSONValue.quote(s, into: &out)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            // Arrays of numbers stay on one line (matrices would otherwise be very long).
            let flat = items.allSatisfy { if case .number = $0 { return true }; return false }
            if flat || indent == 0 {
                out += "["
                for (i, v) in items.enumerated() {
                    if i > 0 { out += indent > 0 ? ", " : "," }
                    v.write(into: &out, indent: indent, level: level + 1)
                }
                out += "]"
                return
            }
            out += "[" + nl
            for (i, v) in items.enumerated() {
                out += pad(level + 1)
                v.write(into: &out, indent: indent, level: level + 1)
                out += (i + 1 < items.count ? "," : "") + nl
            }
            out += pad(level) + "]"
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            out += "{" + nl
            for (i, (k, v)) in members.enumerated() {
                out += pad(level + 1)
                JSONValue.quote(k, into: &out)
                out += indent > 0 ? ": " : ":"
                v.write(into: &out, indent: indent, level: level + 1)
                out += (i + 1 < members.count ? "," : "") + nl
            }
            out += pad(level) + "}"
        }
    }

    /// Shortest round-trip text of a finite number; JSON has no NaN/Infinity, so they are
    /// written as null (callers that must keep them should check first).
    static func format(_ v: Double) -> String {
        guard v.isFinite else { return "null" }
        if v == v.rounded() && Swift.abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }

    static func quote(_ s: String, into out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
    }
}

// MARK: - parsing

extension JSONValue {
    /// Parses JSON text. Errors name the line and column: `line 3, column 7: expected ':'`.
    public static func parse(_ text: String) throws -> JSONValue {
        try parse(bytes: Array(text.utf8))
    }

    /// Parses JSON bytes (RFC 8259: UTF-8 text); invalid UTF-8 is an error naming its position.
    public static func parse(bytes: [UInt8]) throws -> JSONValue {
        var p = JSONParser(bytes)
        if let bad = firstInvalidUTF8(bytes) {
            p.i = bad
            throw p.error("invalid UTF-8 (byte 0x\(String(bytes[bad], radix: 16)))")
        }
        p.skipSpace()
        let v = try p.value(depth: 0)
        p.skipSpace()
        guard p.i == p.bytes.count else { throw p.error("unexpected text after the JSON value") }
        return v
    }
}

/// The offset of the first byte that is not part of well-formed UTF-8 (Unicode 15, table 3-7:
/// no overlong forms, no surrogates, nothing above U+10FFFF), or nil when all of `b` is valid.
func firstInvalidUTF8(_ b: [UInt8]) -> Int? {
    var i = 0
    let n = b.count
    while i < n {
        let c = b[i]
        if c < 0x80 { i += 1; continue }
        let len: Int, lo: UInt8, hi: UInt8
        switch c {
        case 0xC2...0xDF: len = 2; lo = 0x80; hi = 0xBF
        case 0xE0: len = 3; lo = 0xA0; hi = 0xBF
        case 0xE1...0xEC, 0xEE...0xEF: len = 3; lo = 0x80; hi = 0xBF
        case 0xED: len = 3; lo = 0x80; hi = 0x9F
        case 0xF0: len = 4; lo = 0x90; hi = 0xBF
        case 0xF1...0xF3: len = 4; lo = 0x80; hi = 0xBF
        case 0xF4: len = 4; lo = 0x80; hi = 0x8F
        default: return i
        }
        guard i + len <= n, b[i + 1] >= lo, b[i + 1] <= hi else { return i }
        for k in 2..<len where b[i + k] < 0x80 || b[i + k] > 0xBF { return i }
        i += len
    }
    return nil
}

private struct JSONParser {
    let bytes: [UInt8]
    var i = 0

    init(_ b: [UInt8]) { bytes = b }

    func error(_ msg: String) -> EngineError {
        var line = 1, col = 1
        for k in 0..<min(i, bytes.count) {
            if bytes[k] == 10 { line += 1; col = 1 } else { col += 1 }
        }
        return EngineError("line \(line), column \(col): \(msg)")
    }

    mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 32 || bytes[i] == 9 || bytes[i] == 10 || bytes[i] == 13 { i += 1 }
    }

    mutating func expect(_ c: UInt8, _ what: String) throws {
        skipSpace()
        guard i < bytes.count, bytes[i] == c else { throw error("expected \(what)") }
        i += 1
    }

    mutating func literal(_ word: String, _ v: JSONValue) throws -> JSONValue {
        let w = Array(word.utf8)
        guard i + w.count <= bytes.count, Array(bytes[i..<(i + w.count)]) == w else {
            throw error("invalid literal")
        }
        i += w.count
        return v
    }

    mutating func value(depth: Int) throws -> JSONValue {
        guard depth < 512 else { throw error("nesting too deep") }
        skipSpace()
        guard i < bytes.count else { throw error("unexpected end of input") }
        switch bytes[i] {
        case UInt8(ascii: "n"): return try literal("null", .null)
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "["):
            i += 1
            var items: [JSONValue] = []
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
            while true {
                items.append(try value(depth: depth + 1))
                skipSpace()
                guard i < bytes.count else { throw error("unterminated array") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                throw error("expected ',' or ']'")
            }
        case UInt8(ascii: "{"):
            i += 1
            var members: [(String, JSONValue)] = []
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
            while true {
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw error("expected a string key") }
                let k = try string()
                try expect(UInt8(ascii: ":"), "':'")
                members.append((k, try value(depth: depth + 1)))
                skipSpace()
                guard i < bytes.count else { throw error("unterminated object") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
                throw error("expected ',' or '}'")
            }
        default:
            return .number(try number())
        }
    }

    mutating func number() throws -> Double {
        let start = i
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
        while i < bytes.count, (bytes[i] >= 48 && bytes[i] <= 57) || bytes[i] == UInt8(ascii: ".")
                || bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E")
                || bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
        let s = String(decoding: bytes[start..<i], as: UTF8.self)
        guard !s.isEmpty, let v = Double(s), s.first != "+" else {
            i = start
            throw error("invalid value")
        }
        guard v.isFinite else {
            i = start
            throw error("number \(s) is out of the range of a double")
        }
        return v
    }

    mutating func hex4() throws -> UInt32 {
        guard i + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[i..<(i + 4)], as: UTF8.self), radix: 16) else {
            throw error("invalid \\u escape")
        }
        i += 4
        return v
    }

    mutating func string() throws -> String {
        i += 1  // opening quote
        var out = [UInt8]()
        while true {
            guard i < bytes.count else { throw error("unterminated string") }
            let c = bytes[i]
            i += 1
            if c == UInt8(ascii: "\"") { break }
            if c < 0x20 { throw error("control character in string") }
            if c != UInt8(ascii: "\\") { out.append(c); continue }
            guard i < bytes.count else { throw error("unterminated string") }
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""): out.append(34)
            case UInt8(ascii: "\\"): out.append(92)
            case UInt8(ascii: "/"): out.append(47)
            case UInt8(ascii: "b"): out.append(8)
            case UInt8(ascii: "f"): out.append(12)
            case UInt8(ascii: "n"): out.append(10)
            case UInt8(ascii: "r"): out.append(13)
            case UInt8(ascii: "t"): out.append(9)
            case UInt8(ascii: "u"):
                var cp = try hex4()
                if cp >= 0xD800 && cp < 0xDC00 {
                    guard i + 2 <= bytes.count, bytes[i] == 92, bytes[i + 1] == UInt8(ascii: "u") else {
                        throw error("unpaired surrogate")
                    }
                    i += 2
                    let lo = try hex4()
                    guard lo >= 0xDC00 && lo < 0xE000 else { throw error("invalid surrogate pair") }
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00)
                }
                guard let scalar = Unicode.Scalar(cp) else { throw error("invalid code point") }
                out += Array(String(Character(scalar)).utf8)
            default:
                throw error("invalid escape")
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Reads a whole file as text; errors name the file.
public func readTextFile(_ path: String) throws -> String {
    String(decoding: try readFileBytes(path), as: UTF8.self)
}

/// Reads a whole file's bytes; errors read "path: reason".
public func readFileBytes(_ path: String) throws -> [UInt8] {
    guard let f = fopen(path, "rb") else {
        throw EngineError("\(path): \(String(cString: strerror(errno)))")
    }
    defer { fclose(f) }
    var bytes: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = fread(&buf, 1, buf.count, f)
        if n > 0 { bytes += buf[0..<n] }
        if n < buf.count { break }
    }
    if ferror(f) != 0 { throw EngineError("\(path): read error") }
    return bytes
}

/// Writes `text` to `path` atomically (see `AtomicFile`: temporary file, fsync, rename).
public func writeTextFileAtomically(_ path: String, _ text: String) throws {
    try AtomicFile.replace(path, bytes: Array(text.utf8))
}
