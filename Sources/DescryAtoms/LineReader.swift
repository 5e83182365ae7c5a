import CZlib
import DescryLinalg
import Glibc

/// Reads a text file line by line through zlib's gzopen/gzgets (plain and .gz files alike),
/// keeping the 1-based line number, and splits lines into whitespace-separated fields parsed
/// in place with strtod/strtol (no per-field allocation).
final class LineReader {
    let path: String
    private var file: gzFile?
    private var buf: [CChar]
    /// Length of the current line (without newline).
    private(set) var length = 0
    private(set) var lineNumber = 0
    /// False when the current line is the last one and has no terminating newline (a file cut
    /// while being written).
    private(set) var endedWithNewline = true
    /// Field start/end offsets into the current line.
    private var starts: [Int] = []
    private var ends: [Int] = []
    /// The longest line read (16 MiB): text formats of atoms and thermo output have lines of
    /// bytes to kilobytes, so a longer line is damage or a decompression bomb, refused before
    /// its buffer and field offsets can exhaust memory (issue 9, "sizes from files are claims").
    static let maxLineBytes = 16 << 20
    /// Size of the file on disk in bytes (compressed size for .gz), or -1 when unknown.
    private var fileSize = -1

    init(path: String) throws {
        self.path = path
        buf = [CChar](repeating: 0, count: 1 << 16)
        guard let f = gzopen(path, "rb") else {
            throw EngineError("\(path): cannot open (\(String(cString: strerror(errno))))")
        }
        gzbuffer(f, 1 << 18)
        file = f
        var st = stat()
        if stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG { fileSize = Int(st.st_size) }
    }

    /// An upper bound on the text bytes still to be read, or nil when unknown (a pipe): exact for
    /// a plain file; for gzip, the compressed bytes left times zlib's largest expansion (1032)
    /// plus zlib's buffers. Readers compare declared sizes with it before allocating.
    var remainingBytesBound: Int? {
        guard let f = file, fileSize >= 0 else { return nil }
        if gzdirect(f) != 0 { return max(0, fileSize - Int(gztell(f))) }
        let offset = Int(gzoffset(f))
        guard offset >= 0 else { return nil }
        let (bound, overflow) = max(0, fileSize - offset).multipliedReportingOverflow(by: 1032)
        return overflow ? nil : bound + (1 << 20)
    }

    deinit { if let f = file { gzclose(f) } }

    /// A short file name for messages.
    var displayName: String { path }

    /// An error naming file and current line.
    func error(_ message: String) -> EngineError {
        EngineError("\(displayName):\(lineNumber): \(message)")
    }

    /// Reads the next line; false at end of file.
    func readLine() throws -> Bool {
        guard let f = file else { return false }
        var len = 0
        endedWithNewline = false
        while true {
            if buf.count - len < 2 {
                guard buf.count < LineReader.maxLineBytes else {
                    lineNumber += 1
                    throw error("line longer than \(LineReader.maxLineBytes >> 20) MiB; not a LAMMPS text file (a line this long is refused before it can exhaust memory)")
                }
                buf.append(contentsOf: [CChar](repeating: 0, count: buf.count))
            }
            let got = buf.withUnsafeMutableBufferPointer { p -> Bool in
                gzgets(f, p.baseAddress! + len, Int32(min(p.count - len, Int(Int32.max)))) != nil
            }
            if !got {
                var errnum: Int32 = 0
                let msg = gzerror(f, &errnum)
                if errnum != Z_OK && errnum != Z_STREAM_END {
                    lineNumber += 1
                    throw error("read error: \(msg.map { String(cString: $0) } ?? "unknown")")
                }
                if len == 0 { return false }
                break
            }
            len += buf.withUnsafeBufferPointer { strlen($0.baseAddress! + len) }
            if len > 0 && buf[len - 1] == 10 { len -= 1; endedWithNewline = true; break }
            if gzeof(f) != 0 { break }
        }
        if len > 0 && buf[len - 1] == 13 { len -= 1 }
        buf[len] = 0
        length = len
        lineNumber += 1
        splitFields()
        return true
    }

    private func splitFields() {
        starts.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        buf.withUnsafeBufferPointer { p in
            var i = 0
            while i < length {
                while i < length && (p[i] == 32 || p[i] == 9) { i += 1 }
                if i >= length { break }
                let s = i
                while i < length && p[i] != 32 && p[i] != 9 { i += 1 }
                starts.append(s)
                ends.append(i)
            }
        }
    }

    var fieldCount: Int { starts.count }

    /// The whole current line.
    var line: String {
        buf.withUnsafeBufferPointer { p in
            String(decoding: UnsafeRawBufferPointer(start: p.baseAddress, count: length).bindMemory(to: UInt8.self), as: UTF8.self)
        }
    }

    /// Field k as a string ("" when the line has fewer fields).
    func string(_ k: Int) -> String {
        guard k < fieldCount else { return "" }
        return buf.withUnsafeBufferPointer { p in
            String(decoding: UnsafeRawBufferPointer(start: p.baseAddress! + starts[k], count: ends[k] - starts[k]).bindMemory(to: UInt8.self), as: UTF8.self)
        }
    }

    /// Fields from k on, as strings.
    func strings(from k: Int = 0) -> [String] { (k..<fieldCount).map { string($0) } }

    /// Field k parsed as a Double (whole field must parse), else an error naming the column.
    @inline(__always) func double(_ k: Int, column: String = "") throws -> Double {
        guard k < fieldCount else { throw missingField(k, column: column) }
        let (v, ok) = buf.withUnsafeMutableBufferPointer { p -> (Double, Bool) in
            let s = p.baseAddress! + starts[k]
            let e = p.baseAddress! + ends[k]
            let save = e.pointee
            e.pointee = 0
            var endp: UnsafeMutablePointer<CChar>? = nil
            let v = strtod(s, &endp)
            e.pointee = save
            return (v, endp == e && ends[k] > starts[k])
        }
        if !ok { throw fieldError(k, column: column, what: "a number") }
        return v
    }

    /// Field k parsed as an integer, else an error naming the column.
    @inline(__always) func int(_ k: Int, column: String = "") throws -> Int {
        guard k < fieldCount else { throw missingField(k, column: column) }
        let (v, ok) = buf.withUnsafeMutableBufferPointer { p -> (Int, Bool) in
            let s = p.baseAddress! + starts[k]
            let e = p.baseAddress! + ends[k]
            let save = e.pointee
            e.pointee = 0
            var endp: UnsafeMutablePointer<CChar>? = nil
            let v = strtol(s, &endp, 10)
            e.pointee = save
            return (v, endp == e && ends[k] > starts[k])
        }
        if !ok { throw fieldError(k, column: column, what: "an integer") }
        return v
    }

    private func missingField(_ k: Int, column: String) -> EngineError {
        let col = column.isEmpty ? "field \(k + 1)" : "column \(k + 1) ('\(column)')"
        return error("\(col) is missing (the line has \(fieldCount) fields)")
    }

    private func fieldError(_ k: Int, column: String, what: String) -> EngineError {
        let col = column.isEmpty ? "field \(k + 1)" : "column \(k + 1) ('\(column)')"
        return error("\(col): '\(string(k))' is not \(what)")
    }

    /// True when the line starts with `prefix`.
    func hasPrefix(_ prefix: String) -> Bool {
        let u = Array(prefix.utf8)
        guard u.count <= length else { return false }
        return buf.withUnsafeBufferPointer { p in
            for (i, c) in u.enumerated() where UInt8(bitPattern: p[i]) != c { return false }
            return true
        }
    }

    /// True when the line is blank.
    var isBlank: Bool { starts.isEmpty }
}

/// Expands a path pattern with glob(3) (sorted); a path without wildcards is returned as is.
public func expandPaths(_ pattern: String) -> [String] {
    guard pattern.contains(where: { "*?[".contains($0) }) else { return [pattern] }
    var g = glob_t()
    defer { globfree(&g) }
    guard glob(pattern, 0, nil, &g) == 0 else { return [] }
    var out: [String] = []
    for i in 0..<Int(g.gl_pathc) {
        if let p = g.gl_pathv[i] { out.append(String(cString: p)) }
    }
    return out.sorted()
}
