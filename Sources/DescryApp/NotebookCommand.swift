import CLua
import LuaShim
import LuaBridge
#if canImport(Glibc)
import Glibc
#endif

/// `descry notebook run FILE...` executes each notebook as a REPL session and writes the
/// outputs back (atomically); `descry notebook check FILE...` re-runs and fails with a diff when
/// any compared output differs. Ends with `N passed, N failed` (cells).
struct NotebookCommand {
    let arguments: [String]

    func run() -> Int32 {
        guard arguments.count >= 2, arguments[0] == "run" || arguments[0] == "check" else {
            writeStderr("usage: descry notebook run|check FILE...\n")
            return 2
        }
        let write = arguments[0] == "run"
        var passed = 0, failed = 0
        for file in arguments.dropFirst() {
            do {
                let (p, f) = try process(file, write: write)
                passed += p
                failed += f
            } catch {
                writeStderr("descry notebook: \(error)\n")
                failed += 1
            }
        }
        writeStdout("\(passed) passed, \(failed) failed\n")
        return failed == 0 ? 0 : 1
    }

    private func process(_ file: String, write: Bool) throws -> (Int, Int) {
        guard let text = readWholeFile(file) else { throw NotebookError("cannot read \(file)") }
        let doc = try NotebookDocument.parse(text, file: file)
        // Cells run in the notebook's folder (relative paths in a lesson work from anywhere).
        var saved = [CChar](repeating: 0, count: 4096)
        guard getcwd(&saved, saved.count) != nil else { throw NotebookError("cannot read the current directory") }
        let folder = Paths.directory(of: file)
        guard chdir(folder) == 0 else { throw NotebookError("cannot enter \(folder)") }
        defer { _ = chdir(saved) }
        let state = Environment.makeState(scriptDirectory: ".")
        Environment.preloadGlobals(state)
        Interrupts.install(state)
        let capture = try OutputCapture()
        var outputs: [[String]] = []
        var passed = 0, failed = 0
        for item in doc.items {
            guard case .cell(let cell) = item else { continue }
            let actual = capture.run { Self.execute(cell, in: state) }
            let same = OutputMatcher.matches(expected: cell.expected, actual: actual,
                                             rel: cell.relTolerance, abs: cell.absTolerance)
            if write {
                // Keep what still matches (wildcards, tolerances, varying cells) as written.
                let keep = same || (cell.varies && !cell.expected.isEmpty)
                outputs.append(keep ? cell.expected : actual)
                continue
            }
            if cell.varies || same {
                passed += 1
            } else {
                failed += 1
                var msg = "\(file):\(cell.line): output differs\n"
                for l in cell.inputLines { msg += "    \(l)\n" }
                for l in cell.expected { msg += "  - \(l)\n" }
                for l in actual { msg += "  + \(l)\n" }
                writeStdout(msg)
            }
        }
        if write {
            _ = chdir(saved)
            try writeFileAtomically(file, doc.render(outputs: outputs))
            writeStdout("\(file): \(outputs.count) cells run, outputs written\n")
            return (outputs.count, 0)
        }
        return (passed, failed)
    }

    /// Feeds a cell's lines to the REPL logic; returns nothing (output is captured).
    static func execute(_ cell: NotebookDocument.Cell, in state: LuaState) {
        var pending: String? = nil
        for line in cell.code {
            let source = pending.map { $0 + "\n" + line } ?? InteractiveChunk.expandShorthand(line)
            switch InteractiveChunk.compile(state, source, firstLine: pending == nil) {
            case .incomplete:
                pending = source
            case .compiled(let isExpression):
                pending = nil
                Evaluator.execute(state, printResults: isExpression, tracebacks: false)
            case .syntaxError(let m):
                pending = nil
                writeStderr(m + "\n")
            }
        }
        if pending != nil { writeStderr("notebook: incomplete chunk at the end of the cell\n") }
    }
}

/// Redirects stdout and stderr (file descriptors 1 and 2) into a temporary file while a block
/// runs, so everything a cell prints — from Lua, C or Swift — is captured in order.
final class OutputCapture {
    private let fd: Int32
    private let path: String

    init() throws {
        var template = Array("/tmp/descry-notebook-XXXXXX".utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { throw NotebookError("cannot create a temporary file") }
        self.fd = fd
        self.path = String(cString: template)
        unlink(path)
    }

    deinit { close(fd) }

    func run(_ body: () -> Void) -> [String] {
        fflush(stdout); fflush(stderr)
        let saved1 = dup(1), saved2 = dup(2)
        _ = ftruncate(fd, 0)
        _ = lseek(fd, 0, SEEK_SET)
        dup2(fd, 1); dup2(fd, 2)
        body()
        fflush(stdout); fflush(stderr)
        dup2(saved1, 1); dup2(saved2, 2)
        close(saved1); close(saved2)
        let size = lseek(fd, 0, SEEK_END)
        _ = lseek(fd, 0, SEEK_SET)
        let total = Int(max(size, 0))
        var bytes = [UInt8](repeating: 0, count: total)
        var got = 0
        while got < total {
            let n = bytes.withUnsafeMutableBytes { buf in read(fd, buf.baseAddress! + got, total - got) }
            if n <= 0 { break }
            got += n
        }
        var text = String(decoding: bytes[0..<got], as: UTF8.self)
        if text.hasSuffix("\n") { text.removeLast() }
        if text.isEmpty { return [] }
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "<BLANKLINE>" : String($0) }
    }
}

/// Reads a whole file as UTF-8 text.
func readWholeFile(_ path: String) -> String? {
    guard let f = fopen(path, "rb") else { return nil }
    defer { fclose(f) }
    var bytes: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&buf, 1, buf.count, f)
        if n <= 0 { break }
        bytes += buf[0..<n]
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// Writes `text` to `path` through a temporary file and rename (never half-written).
func writeFileAtomically(_ path: String, _ text: String) throws {
    let tmp = path + ".tmp-\(getpid())"
    guard let f = fopen(tmp, "wb") else { throw NotebookError("cannot write \(tmp)") }
    let bytes = Array(text.utf8)
    let n = fwrite(bytes, 1, bytes.count, f)
    let ok = fclose(f) == 0 && n == bytes.count
    guard ok, rename(tmp, path) == 0 else {
        unlink(tmp)
        throw NotebookError("cannot write \(path)")
    }
}
