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
    /// row with any non-numeric field is a header). A NUL byte (binary data) is an error. Fields
    /// are parsed as they are found, so memory is the numbers (8 bytes a field, at most 4× the
    /// text) whatever the line length; the count is checked against `Matrix.maxElements`.
    public static func parse(_ bytes: [UInt8], delimiter: UInt8 = UInt8(ascii: ","), header: Bool? = nil) throws -> Table {
        var buf = bytes
        buf.append(0)
        var rowsOut: [Double] = []
        var cols = -1
        var names: [String]? = nil
        var lineNo = 0
        // a UTF-8 byte-order mark (spreadsheet exports) is not part of the first field
        var pos = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        let end = bytes.count
        var firstRecord = true
        try buf.withUnsafeMutableBufferPointer { p in
            while pos < end {
                lineNo += 1
                var lineEnd = pos
                while lineEnd < end && p[lineEnd] != 10 && p[lineEnd] != 0 { lineEnd += 1 }
                if lineEnd < end && p[lineEnd] == 0 {
                    throw EngineError("line \(lineNo), column \(lineEnd - pos + 1): NUL byte (binary data in a text table)")
                }
                var contentEnd = lineEnd
                if contentEnd > pos && p[contentEnd - 1] == 13 { contentEnd -= 1 }
                defer { pos = lineEnd + 1 }
                // blank or comment line
                var q = pos
                while q < contentEnd && (p[q] == 32 || p[q] == 9) { q += 1 }
                if q == contentEnd || p[q] == UInt8(ascii: "#") { continue }
                let line = Line(p: p, start: pos, end: contentEnd, delimiter: delimiter)
                if firstRecord {
                    firstRecord = false
                    if header ?? line.hasNonNumber() {
                        names = line.texts()
                        cols = names!.count
                        continue
                    }
                }
                let before = rowsOut.count
                try line.appendNumbers(to: &rowsOut, lineNo: lineNo)
                let n = rowsOut.count - before
                if cols < 0 { cols = n }
                guard n == cols else { throw EngineError("line \(lineNo) has \(n) fields, expected \(cols)") }
                guard rowsOut.count <= Matrix.maxElements else {
                    throw EngineError("line \(lineNo): more than \(Matrix.maxElements) numbers (the memory cap, DESCRY_MAX_ALLOC)")
                }
            }
        }
        let ncols = max(cols, 0)
        return Table(matrix: Matrix(rows: ncols == 0 ? 0 : rowsOut.count / ncols, cols: ncols, data: rowsOut), header: names)
    }

    /// One line of a table, split into fields on the fly (quotes protect delimiters).
    private struct Line {
        let p: UnsafeMutableBufferPointer<UInt8>
        let start: Int, end: Int, delimiter: UInt8

        /// Calls `body` with each field's (start, end), surrounding blanks and quotes removed;
        /// stops early when `body` returns false.
        func forEachField(_ body: (Int, Int) throws -> Bool) rethrows {
            var fs = start
            var inQuote = false
            var k = start
            while k <= end {
                if k < end && p[k] == 34 { inQuote.toggle() }
                if k == end || (p[k] == delimiter && !inQuote) {
                    var a = fs, b = k
                    while a < b && (p[a] == 32 || p[a] == 9) { a += 1 }
                    while b > a && (p[b - 1] == 32 || p[b - 1] == 9) { b -= 1 }
                    if b - a >= 2 && p[a] == 34 && p[b - 1] == 34 { a += 1; b -= 1 }
                    if try !body(a, b) { return }
                    fs = k + 1
                }
                k += 1
            }
        }

        func text(_ a: Int, _ b: Int) -> String {
            String(decoding: UnsafeBufferPointer(rebasing: p[a..<b]), as: UTF8.self)
        }

        /// The number in p[a..<b] (empty: NaN), or nil when it is not one.
        func number(_ a: Int, _ b: Int) -> Double? {
            if a == b { return .nan }
            let saved = p[b]
            p[b] = 0
            defer { p[b] = saved }
            let s = UnsafeMutableRawPointer(p.baseAddress! + a).assumingMemoryBound(to: CChar.self)
            var endp: UnsafeMutablePointer<CChar>? = nil
            let v = strtod(s, &endp)
            guard let e = endp, e == s + (b - a) else { return nil }
            return v
        }

        func hasNonNumber() -> Bool {
            var found = false
            forEachField { a, b in
                found = number(a, b) == nil
                return !found
            }
            return found
        }

        func texts() -> [String] {
            var out: [String] = []
            forEachField { a, b in out.append(text(a, b)); return true }
            return out
        }

        func appendNumbers(to out: inout [Double], lineNo: Int) throws {
            var field = 0
            try forEachField { a, b in
                field += 1
                guard let v = number(a, b) else {
                    throw EngineError("line \(lineNo), field \(field): '\(text(a, b))' is not a number")
                }
                out.append(v)
                return true
            }
        }
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
