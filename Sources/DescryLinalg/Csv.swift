import Glibc

/// Delimited text tables of numbers (numpy `loadtxt`/`savetxt` style): one row per line,
/// fields split by a one-byte delimiter (default ','), optional header row of column names,
/// blank lines and lines starting with '#' skipped, fields may be quoted, empty fields read as
/// NaN (numpy `genfromtxt`). Numbers are parsed with C `strtod` (so `nan`, `inf`, `1e-3`).
/// Written numbers use Swift's shortest round-trip representation, so values load back exactly.
public enum Csv {
    /// A parsed file: the numbers and the header names (nil when the file has no header).
    public struct Table {
        public var matrix: Matrix
        public var header: [String]?
    }

    /// Parses `bytes`. `header`: true = first row is names, false = data, nil = auto (a first
    /// row with any non-numeric field is a header).
    public static func parse(_ bytes: [UInt8], delimiter: UInt8 = UInt8(ascii: ","), header: Bool? = nil) throws -> Table {
        var buf = bytes
        buf.append(0)
        var rowsOut: [Double] = []
        var cols = -1
        var names: [String]? = nil
        var nrows = 0
        var lineNo = 0
        // a UTF-8 byte-order mark (spreadsheet exports) is not part of the first field
        var pos = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        let end = bytes.count
        var firstRecord = true
        try buf.withUnsafeMutableBufferPointer { p in
            while pos < end {
                lineNo += 1
                var lineEnd = pos
                while lineEnd < end && p[lineEnd] != 10 { lineEnd += 1 }
                var contentEnd = lineEnd
                if contentEnd > pos && p[contentEnd - 1] == 13 { contentEnd -= 1 }
                defer { pos = lineEnd + 1 }
                // blank or comment line
                var q = pos
                while q < contentEnd && (p[q] == 32 || p[q] == 9) { q += 1 }
                if q == contentEnd || p[q] == UInt8(ascii: "#") { continue }
                // split fields
                var fields: [(Int, Int)] = []
                var fs = pos
                var inQuote = false
                for k in pos..<contentEnd {
                    if p[k] == 34 { inQuote.toggle() }
                    if p[k] == delimiter && !inQuote { fields.append((fs, k)); fs = k + 1 }
                }
                fields.append((fs, contentEnd))
                func text(_ f: (Int, Int)) -> String {
                    var a = f.0, b = f.1
                    while a < b && (p[a] == 32 || p[a] == 9) { a += 1 }
                    while b > a && (p[b - 1] == 32 || p[b - 1] == 9) { b -= 1 }
                    if b - a >= 2 && p[a] == 34 && p[b - 1] == 34 { a += 1; b -= 1 }
                    return String(decoding: UnsafeBufferPointer(rebasing: p[a..<b]), as: UTF8.self)
                }
                func number(_ f: (Int, Int)) -> Double? {
                    var a = f.0, b = f.1
                    while a < b && (p[a] == 32 || p[a] == 9) { a += 1 }
                    while b > a && (p[b - 1] == 32 || p[b - 1] == 9) { b -= 1 }
                    if b - a >= 2 && p[a] == 34 && p[b - 1] == 34 { a += 1; b -= 1 }
                    if a == b { return .nan }
                    let saved = p[b]
                    p[b] = 0
                    defer { p[b] = saved }
                    let start = UnsafeMutableRawPointer(p.baseAddress! + a).assumingMemoryBound(to: CChar.self)
                    var endp: UnsafeMutablePointer<CChar>? = nil
                    let v = strtod(start, &endp)
                    guard let e = endp, e == start + (b - a) else { return nil }
                    return v
                }
                if firstRecord {
                    firstRecord = false
                    let isHeader = header ?? fields.contains { number($0) == nil }
                    if isHeader {
                        names = fields.map(text)
                        cols = fields.count
                        continue
                    }
                }
                if cols < 0 { cols = fields.count }
                guard fields.count == cols else {
                    throw EngineError("line \(lineNo) has \(fields.count) fields, expected \(cols)")
                }
                for (fi, f) in fields.enumerated() {
                    guard let v = number(f) else {
                        throw EngineError("line \(lineNo), field \(fi + 1): '\(text(f))' is not a number")
                    }
                    rowsOut.append(v)
                }
                nrows += 1
            }
        }
        return Table(matrix: Matrix(rows: nrows, cols: max(cols, 0), data: rowsOut), header: names)
    }

    /// CSV text of `m` (optional header row; names must match the column count).
    public static func format(_ m: Matrix, header: [String]? = nil, delimiter: String = ",") throws -> String {
        var out = ""
        if let h = header {
            guard h.count == m.cols else {
                throw EngineError("header has \(h.count) names for \(m.cols) columns")
            }
            out += h.joined(separator: delimiter) + "\n"
        }
        out.reserveCapacity(out.utf8.count + m.count * 12)
        for i in 0..<m.rows {
            for j in 0..<m.cols {
                if j > 0 { out += delimiter }
                let v = m.data[i * m.cols + j]
                out += v.isNaN ? "nan" : (v.isInfinite ? (v > 0 ? "inf" : "-inf") : "\(v)")
            }
            out += "\n"
        }
        return out
    }

    /// Reads and parses the file at `path` (errors are prefixed with the path).
    public static func load(_ path: String, delimiter: UInt8 = UInt8(ascii: ","), header: Bool? = nil) throws -> Table {
        do { return try parse(try FileIO.read(path), delimiter: delimiter, header: header) } catch let e as EngineError {
            if e.message.hasPrefix("cannot ") { throw e }
            throw EngineError("'\(path)': \(e.message)")
        }
    }

    /// Writes `m` as delimited text to `path` (see `format`).
    public static func save(_ path: String, _ m: Matrix, header: [String]? = nil, delimiter: String = ",") throws {
        try FileIO.write(path, Array(try format(m, header: header, delimiter: delimiter).utf8))
    }
}
