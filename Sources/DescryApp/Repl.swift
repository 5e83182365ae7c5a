import CLua
import LuaShim
import LuaBridge
import CReadline
#if canImport(Glibc)
import Glibc
#endif

/// The interactive read–eval–print loop: readline editing, persistent history, completion,
/// auto-printing of expression values through the pretty printer, continuation lines for
/// incomplete chunks, `?name` help and `%time`, Ctrl-C interrupting computations.
final class Repl {
    let state: LuaState
    let historyFile: String?
    static let prompt = "> "
    static let continuationPrompt = ">> "

    init(state: LuaState) {
        self.state = state
        if let h = Paths.environment("DESCRY_HISTORY") {
            historyFile = h
        } else if let home = Paths.environment("HOME") {
            historyFile = home + "/.descry_history"
        } else {
            historyFile = nil
        }
    }

    func run() -> Int32 {
        Completion.state = state
        rl_readline_name = UnsafePointer(strdup("descry"))
        rl_catch_signals = 0
        Completion.install()
        if let h = historyFile { _ = read_history(h) }
        Interrupts.install(state)

        while true {
            guard var source = readLine(prompt: Self.prompt) else { break }
            if source.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            source = InteractiveChunk.expandShorthand(source)
            var result = InteractiveChunk.compile(state, source, firstLine: true)
            var abandoned = false
            while case .incomplete = result {
                Interrupts.clearedAtPrompt = 0
                guard let more = readLine(prompt: Self.continuationPrompt) else { abandoned = true; break }
                if Interrupts.clearedAtPrompt != 0 { abandoned = true; break }  // Ctrl-C drops the chunk
                source += "\n" + more
                result = InteractiveChunk.compile(state, source, firstLine: false)
            }
            remember(source)
            if abandoned {
                if case .compiled = result { descry_pop(state.L, 1) }
                continue
            }
            switch result {
            case .compiled(let isExpression):
                Evaluator.execute(state, printResults: isExpression, tracebacks: true)
            case .syntaxError(let msg):
                writeStderr(msg + "\n")
            case .incomplete:
                break
            }
        }
        writeStdout("\n")
        return 0
    }

    /// Reads a line with readline; nil on end of input (Ctrl-D).
    private func readLine(prompt: String) -> String? {
        Interrupts.atPrompt = 1
        defer { Interrupts.atPrompt = 0 }
        guard let p = readline(prompt) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }

    /// Adds the chunk to history and appends it to the history file at once.
    private func remember(_ chunk: String) {
        add_history(chunk)
        guard let h = historyFile else { return }
        if !Paths.isFile(h) { _ = write_history(h) } else { _ = append_history(1, h) }
        _ = history_truncate_file(h, 5000)
    }
}

/// Runs compiled REPL chunks (shared by the REPL and notebooks).
enum Evaluator {
    /// Runs the compiled chunk on top of the stack with Ctrl-C armed; prints its values (when an
    /// expression) or its error on stderr (with the traceback when `tracebacks`). False on error.
    @discardableResult
    static func execute(_ state: LuaState, printResults: Bool, tracebacks: Bool) -> Bool {
        let L = state.L
        let base = lua_gettop(L) - 1
        descry_interrupt_clear()
        descry_interrupt_arm(L)
        let outcome = state.callTop(base: base, nargs: 0)
        lua_sethook(L, nil, 0, 0)
        var ok = true
        switch outcome {
        case .ok(let n):
            if printResults && n > 0 { ReplPrinter.show(state, count: n) }
        case .syntaxError(let m), .runtimeError(let m):
            ok = false
            writeStderr((tracebacks ? m : withoutTraceback(m)) + "\n")
        }
        lua_settop(L, base)
        return ok
    }

    static func withoutTraceback(_ m: String) -> String {
        let lines = m.split(separator: "\n", omittingEmptySubsequences: false)
        guard let k = lines.firstIndex(of: "stack traceback:") else { return m }
        return lines[..<k].joined(separator: "\n")
    }
}

/// Shows values the way the REPL does: through `descry.repl.show` (pretty printer) when the
/// stdlib is loaded, else through `tostring`; never raises.
enum ReplPrinter {
    static func show(_ state: LuaState, count n: Int32) {
        let L = state.L
        let first = lua_gettop(L) - n + 1
        if pushShowFunction(L) {
            descry_insert(L, first)
            if case .runtimeError(let m) = state.callTop(base: first - 1, nargs: n, nresults: 0) {
                writeStderr("(error while printing) " + m + "\n")
            }
            return
        }
        var parts: [String] = []
        for i in first...(first + n - 1) { parts.append(state.describe(i)) }
        writeStdout(parts.joined(separator: "\t") + "\n")
        lua_settop(L, first - 1)
    }

    /// Pushes package.loaded["descry.repl"].show if present (raw accesses only).
    private static func pushShowFunction(_ L: OpaquePointer) -> Bool {
        lua_getfield(L, descry_registryindex(), "_LOADED")
        lua_pushstring(L, "descry.repl")
        lua_rawget(L, -2)
        guard lua_type(L, -1) == LUA_TTABLE else { descry_pop(L, 2); return false }
        lua_pushstring(L, "show")
        lua_rawget(L, -2)
        guard lua_type(L, -1) == LUA_TFUNCTION else { descry_pop(L, 3); return false }
        descry_remove(L, -2)
        descry_remove(L, -2)
        return true
    }
}
