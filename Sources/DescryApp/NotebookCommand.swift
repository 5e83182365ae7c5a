import CLua
import LuaShim
import LuaBridge
import DescryLinalg
#if canImport(Glibc)
import Glibc
#endif

/// `descry notebook run FILE...` executes each notebook as a REPL session and writes the
/// outputs back (atomically, only once every cell of the file has run); `descry notebook check
/// FILE...` re-runs and fails with a diff when any compared output differs. Ends with
/// `N passed, N failed` (cells). Ctrl-C stops the run, leaves the file untouched and exits 130;
/// a cell over its `%% timeout` fails (check) or stops the run (run, file untouched, exit 1).
struct NotebookCommand {
    let arguments: [String]

    /// Why a file's run stopped early.
    enum Stop: Error {
        case interrupted
        case timedOut(file: String, line: Int, seconds: Double)
    }

    func run() -> Int32 {
        if arguments.first == "export" || arguments.first == "import" {
            return NotebookConvertCommand(arguments: arguments).run()
        }
        if arguments.first == "compare" {
            return NotebookCompareCommand(arguments: arguments).run()
        }
        guard arguments.count >= 2, arguments[0] == "run" || arguments[0] == "check" else {
            writeStderr("usage: descry notebook run|check FILE... | export FILE.txt --to ipynb | import FILE.ipynb | compare FILE.txt RUN.ipynb\n")
            return 2
        }
        let write = arguments[0] == "run"
        var passed = 0, failed = 0
        for file in arguments.dropFirst() {
            do {
                let (p, f) = try process(file, write: write)
                passed += p
                failed += f
            } catch Stop.interrupted {
                writeStderr("descry notebook: interrupted; \(file) left unchanged\n")
                return 130
            } catch Stop.timedOut(let f, let line, let seconds) {
                writeStderr("descry notebook: \(f):\(line): cell timed out after \(seconds) s; \(f) left unchanged\n")
                return 1
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
        NotebookSignals.install()
        defer { NotebookSignals.uninstall() }
        ReplSettings.markBaseline(state)
        let capture = try OutputCapture()
        let progress = ProgressLine(file: file, total: doc.cellCount)
        var outputs: [[String]] = []
        var passed = 0, failed = 0
        for item in doc.items {
            guard case .cell(let cell) = item else { continue }
            progress.show(cell)
            var ok = true
            NotebookSignals.startTimer(seconds: cell.timeout)
            let actual = capture.run { ok = Self.execute(cell, in: state) }
            NotebookSignals.stopTimer()
            if NotebookSignals.interrupted != 0 { progress.clear(); throw Stop.interrupted }
            if NotebookSignals.timedOut != 0 {
                NotebookSignals.timedOut = 0
                if write { progress.clear(); throw Stop.timedOut(file: file, line: cell.line, seconds: cell.timeout) }
                failed += 1
                writeStdout("\(file):\(cell.line): cell timed out after \(cell.timeout) s\n")
                continue
            }
            if cell.setup {
                // Setup cells: output neither compared nor written back; an error fails them.
                outputs.append(cell.expected)
                if ok { passed += 1; continue }
                failed += 1
                writeStdout("\(file):\(cell.line): setup cell failed\n" + actual.map { "  + \($0)\n" }.joined())
                continue
            }
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
                writeStdout(cell.differenceReport(file: file, actual: actual))
            }
        }
        progress.clear()
        if write {
            if failed > 0 { return (passed, failed) }   // a failed setup cell: nothing written
            _ = chdir(saved)
            try writeFileAtomically(file, doc.render(outputs: outputs))
            writeStdout("\(file): \(outputs.count) cells run, outputs written\n")
            return (outputs.count, 0)
        }
        return (passed, failed)
    }

    /// Feeds a cell's lines to the REPL logic (output is captured); false when a chunk raised
    /// an error or did not compile.
    static func execute(_ cell: NotebookDocument.Cell, in state: LuaState) -> Bool {
        InteractiveChunk.runLines(cell.code, in: state, tracebacks: false,
                                  stop: { NotebookSignals.interrupted != 0 || NotebookSignals.timedOut != 0 })
    }
}

/// SIGINT and cell time-outs during a notebook run. The SIGINT handler records the request and
/// then calls the handler installed before it (the REPL's, which interrupts the running chunk);
/// a time-out (SIGALRM from `setitimer`) marks the cell and raises SIGINT through the same path.
enum NotebookSignals {
    nonisolated(unsafe) static var interrupted: sig_atomic_t = 0
    nonisolated(unsafe) static var timedOut: sig_atomic_t = 0
    nonisolated(unsafe) static var previous: (@convention(c) (Int32) -> Void)? = nil

    static func install() {
        interrupted = 0
        timedOut = 0
        previous = signal(SIGINT, onInterrupt)
        signal(SIGALRM, onAlarm)
    }

    static func uninstall() {
        stopTimer()
        signal(SIGALRM, SIG_DFL)
        if let p = previous { signal(SIGINT, p) }
    }

    private static let onInterrupt: @convention(c) (Int32) -> Void = { sig in
        if NotebookSignals.timedOut == 0 { NotebookSignals.interrupted = 1 }
        if let p = NotebookSignals.previous,
           unsafeBitCast(p, to: Int.self) != unsafeBitCast(SIG_IGN, to: Int.self) {
            p(sig)
        }
    }

    private static let onAlarm: @convention(c) (Int32) -> Void = { _ in
        NotebookSignals.timedOut = 1
        kill(getpid(), SIGINT)
    }

    /// Arms a one-shot wall-clock timer (no-op for 0).
    static func startTimer(seconds: Double) {
        guard seconds > 0 else { return }
        var t = itimerval()
        t.it_value.tv_sec = Int(seconds)
        t.it_value.tv_usec = Int((seconds - Double(Int(seconds))) * 1e6)
        if t.it_value.tv_sec == 0 && t.it_value.tv_usec == 0 { t.it_value.tv_usec = 1 }
        setitimer(__itimer_which_t(ITIMER_REAL.rawValue), &t, nil)
    }

    static func stopTimer() {
        var t = itimerval()
        setitimer(__itimer_which_t(ITIMER_REAL.rawValue), &t, nil)
    }
}

/// `[k/N] file:line  code` on one rewritten line of a terminal's stderr while a notebook runs.
struct ProgressLine {
    let file: String
    let total: Int
    let enabled = isatty(2) != 0
    final class Counter { var k = 0 }
    let counter = Counter()

    func show(_ cell: NotebookDocument.Cell) {
        guard enabled else { return }
        counter.k += 1
        let code = String((cell.code.first ?? "").prefix(50))
        writeStderr("\r\u{1b}[K[\(counter.k)/\(total)] \(file):\(cell.line)  \(code)")
    }

    func clear() {
        guard enabled else { return }
        writeStderr("\r\u{1b}[K")
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

/// Writes `text` to `path` through the shared atomic writer (`AtomicFile`: temporary file in
/// the same folder, fsync, rename): the file is either the old one or the complete new one.
func writeFileAtomically(_ path: String, _ text: String) throws {
    do {
        try AtomicFile.replace(path, bytes: Array(text.utf8))
    } catch {
        throw NotebookError("\(error)")
    }
}
