import CZlib
import DescryLinalg
import Glibc

/// Reads a text file line by line (plain and .gz files alike, in large blocks through
/// `BlockReader`), keeping the 1-based line number, and splits lines into whitespace-separated
/// fields parsed in place (no per-field allocation) by `FastFloat`, with strtod/strtol for what
/// it leaves.
final class LineReader {
    let path: String
    private var file: gzFile?
    private var blocks: BlockReader?
    /// The current line: `length` bytes at `text`, inside the block reader's buffer (or the
    /// one-byte `empty` before the first line). The byte after it may be overwritten briefly.
    private var text: UnsafeMutablePointer<UInt8>
    private let empty: UnsafeMutablePointer<UInt8>
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
        empty = .allocate(capacity: 1)
        empty.initialize(to: 0)
        text = empty
        guard let f = gzopen(path, "rb") else {
            throw EngineError("\(path): cannot open (\(String(cString: strerror(errno))))")
        }
        gzbuffer(f, 1 << 18)
        file = f
        blocks = BlockReader(file: f)
        var st = stat()
        if stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG { fileSize = Int(st.st_size) }
    }

    /// An upper bound on the text bytes still to be read, or nil when unknown (a pipe):
    /// `BlockReader.remainingBytesBound`. Readers compare declared sizes with it before
    /// allocating.
    var remainingBytesBound: Int? {
        guard let b = blocks, fileSize >= 0 else { return nil }
        return b.remainingBytesBound(fileSize: fileSize)
    }

    /// True for a plain (not gzip) file, whose `remainingBytesBound` is exact.
    var isPlainFile: Bool { blocks?.isPlain ?? false }

    deinit {
        blocks = nil
        if let f = file { gzclose(f) }
        empty.deallocate()
    }

    /// A short file name for messages.
    var displayName: String { path }

    /// An error naming file and current line.
    func error(_ message: String) -> EngineError {
        EngineError("\(displayName):\(lineNumber): \(message)")
    }

    /// Reads the next line; false at end of file.
    /// Unsets the current line and its fields (their bytes may move when the buffer refills).
    private func forgetLine() {
        text = empty
        length = 0
        starts.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
    }

    func readLine() throws -> Bool {
        guard let b = blocks else { return false }
        let next = b.nextLine(maxBytes: LineReader.maxLineBytes)
        // the previous line's bytes may have moved: forget it before anything else
        forgetLine()
        switch next {
        case .end:
            return false
        case .tooLong:
            throw failedLine(readError: nil)
        case .readError(let message):
            throw failedLine(readError: message)
        case .line(let start, let count, let newline):
            text = start
            length = count
            endedWithNewline = newline
        }
        lineNumber += 1
        splitFields()
        return true
    }

    /// The complete lines buffered at the read position (reading more when none is): their
    /// bytes, the last one a newline, with at least 8 readable bytes after it; nil at the end
    /// of the file or when only a last line without newline is left (`readLine` reads it).
    /// The current line is unset. Errors as `readLine`. The lines are not read until
    /// `skipLines`, and stay valid until then.
    func completeLines() throws -> (base: UnsafeMutablePointer<UInt8>, count: Int)? {
        guard let b = blocks else { return nil }
        let next = b.completeLines(maxBytes: LineReader.maxLineBytes)
        forgetLine()
        switch next {
        case .lines(let base, let count):
            return (base, count)
        case .end, .unterminated:
            return nil
        case .tooLong:
            throw failedLine(readError: nil)
        case .readError(let message):
            throw failedLine(readError: message)
        }
    }

    /// The error for the next line when the block reader failed: a read error, or (nil) a line
    /// over the cap. Counts the line, so the message names it.
    private func failedLine(readError: String?) -> EngineError {
        lineNumber += 1
        if let message = readError { return error("read error: \(message)") }
        return error("line longer than \(LineReader.maxLineBytes >> 20) MiB; not a LAMMPS text file (a line this long is refused before it can exhaust memory)")
    }

    /// Moves past the first `lines` lines (`bytes` bytes) of `completeLines`, as if read.
    func skipLines(_ lines: Int, bytes: Int) {
        guard lines > 0, let b = blocks else { return }
        b.consume(bytes)
        lineNumber += lines
        endedWithNewline = true
    }

    private func splitFields() {
        starts.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        let p = text
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

    var fieldCount: Int { starts.count }

    /// The whole current line.
    var line: String {
        String(decoding: UnsafeBufferPointer(start: text, count: length), as: UTF8.self)
    }

    /// Field k as a string ("" when the line has fewer fields).
    func string(_ k: Int) -> String {
        guard k < fieldCount else { return "" }
        return String(decoding: UnsafeBufferPointer(start: text + starts[k], count: ends[k] - starts[k]), as: UTF8.self)
    }

    /// Fields from k on, as strings.
    func strings(from k: Int = 0) -> [String] { (k..<fieldCount).map { string($0) } }

    /// Field k parsed as a Double (whole field must parse), else an error naming the column.
    @inline(__always) func double(_ k: Int, column: String = "") throws -> Double {
        guard k < fieldCount else { throw missingField(k, column: column) }
        let s = text + starts[k]
        let n = ends[k] - starts[k]
        if let v = FastFloat.parse(s, count: n) { return v }
        let (v, ok) = withTerminatedField(k) { field -> (Double, Bool) in
            var endp: UnsafeMutablePointer<CChar>? = nil
            let v = strtod(field, &endp)
            return (v, endp == field + n && n > 0)
        }
        if !ok { throw fieldError(k, column: column, what: "a number") }
        return v
    }

    /// Field k parsed as an integer, else an error naming the column.
    @inline(__always) func int(_ k: Int, column: String = "") throws -> Int {
        guard k < fieldCount else { throw missingField(k, column: column) }
        let n = ends[k] - starts[k]
        if let v = FastFloat.parseInt(text + starts[k], count: n) { return v }
        let (v, ok) = withTerminatedField(k) { field -> (Int, Bool) in
            var endp: UnsafeMutablePointer<CChar>? = nil
            let v = strtol(field, &endp, 10)
            return (v, endp == field + n && n > 0)
        }
        if !ok { throw fieldError(k, column: column, what: "an integer") }
        return v
    }

    /// Calls `body` with field k NUL-terminated in place (the byte after it, which always
    /// exists in the block buffer, is restored afterwards), for strtod/strtol.
    private func withTerminatedField<T>(_ k: Int, _ body: (UnsafeMutablePointer<CChar>) -> T) -> T {
        let e = text + ends[k]
        let saved = e.pointee
        e.pointee = 0
        defer { e.pointee = saved }
        return UnsafeMutableRawPointer(text + starts[k]).withMemoryRebound(to: CChar.self, capacity: ends[k] - starts[k] + 1) {
            body($0)
        }
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
        for (i, c) in u.enumerated() where text[i] != c { return false }
        return true
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
