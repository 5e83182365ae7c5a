import CLua
import LuaShim
import LuaBridge
import CReadline
#if canImport(Glibc)
import Glibc
#endif

/// The interactive read–eval–print loop: readline editing, persistent history, completion,
/// auto-printing of expression values through the pretty printer (`_` is the last one, `;`
/// hides it), continuation lines for incomplete chunks, pasted blocks and transcripts, the
/// shorthands of `InteractiveChunk`, colours and the pager on a terminal, Ctrl-C interrupting
/// computations.
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
        ReplStyle.configure()
        Interrupts.mainPrompt = strdup(ReplStyle.prompt(Self.prompt))
        ReplSettings.markBaseline(state)
        if isatty(1) != 0 {
            // Figures without `file` draw inline in kitty/sixel terminals (descry.inline).
            _ = state.run(source: """
                local ok, plot = pcall(require, "descry.plot")
                if ok then require("descry.inline").install(plot) end
                """, chunkName: "=descry")
        }

        while true {
            guard var source = readLine(prompt: ReplStyle.prompt(Self.prompt)) else { break }
            if source.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\n" }) { continue }
            if Transcript.isTranscript(source) {
                // A pasted transcript (`> `/`>> ` lines and their output): run only the code.
                remember(source)
                Transcript.run(source, in: state)
                continue
            }
            source = InteractiveChunk.expandShorthand(source)
            var result = InteractiveChunk.compile(state, source, firstLine: true)
            var abandoned = false
            while case .incomplete = result {
                Interrupts.clearedAtPrompt = 0
                guard let more = readLine(prompt: ReplStyle.prompt(Self.continuationPrompt)) else { abandoned = true; break }
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
                ReplSettings.update(state, source: source)
                Evaluator.execute(state, printResults: isExpression, tracebacks: true)
            case .syntaxError(let msg):
                Evaluator.reportError(msg)
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
        _ = descry_interrupt_delivered(L)
        var ok = true
        switch outcome {
        case .ok(let n):
            if printResults && n > 0 { ReplPrinter.show(state, count: n) }
        case .syntaxError(let m), .runtimeError(let m):
            ok = false
            reportError(tracebacks ? m : withoutTraceback(m))
        }
        lua_settop(L, base)
        return ok
    }

    /// Writes an error message on stderr (red on a colour terminal).
    static func reportError(_ m: String) {
        writeStderr(ReplStyle.errorColor ? "\u{1b}[31m" + m + "\u{1b}[0m\n" : m + "\n")
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
        pushReplField(L, "show", type: LUA_TFUNCTION)
    }
}

/// Pushes package.loaded["descry.repl"][field] when the module is loaded and the field has Lua
/// type `type` (raw accesses only, so no metamethod runs); false, stack unchanged, otherwise.
func pushReplField(_ L: OpaquePointer, _ field: String, type: Int32) -> Bool {
    lua_getfield(L, descry_registryindex(), "_LOADED")
    lua_pushstring(L, "descry.repl")
    lua_rawget(L, -2)
    guard lua_type(L, -1) == LUA_TTABLE else {
        descry_pop(L, 2)
        return false
    }
    lua_pushstring(L, field)
    lua_rawget(L, -2)
    guard lua_type(L, -1) == type else {
        descry_pop(L, 3)
        return false
    }
    descry_remove(L, -2)
    descry_remove(L, -2)
    return true
}

/// Colours of the REPL: on when stdout is a terminal, `TERM` is not `dumb` and `NO_COLOR` is
/// unset or empty (https://no-color.org); prompts green, errors red, values through
/// `descry.repl.colorize`.
enum ReplStyle {
    nonisolated(unsafe) static var color = false
    nonisolated(unsafe) static var errorColor = false

    static func configure() {
        let noColor = (Paths.environment("NO_COLOR") ?? "") != ""
        let dumb = Paths.environment("TERM") == "dumb"
        color = isatty(1) != 0 && !noColor && !dumb
        errorColor = isatty(2) != 0 && !noColor && !dumb
    }

    /// The prompt text, coloured with readline's invisible-character markers when on.
    static func prompt(_ p: String) -> String {
        color ? "\u{1}\u{1b}[1;32m\u{2}" + p + "\u{1}\u{1b}[0m\u{2}" : p
    }
}

/// Tells `descry.repl` (Lua) about the interactive session before each chunk: pager allowed,
/// colours, terminal height, the chunk's text (for help(nil) messages); and marks the globals
/// that exist at start-up, so `whos()` lists only the user's.
enum ReplSettings {
    static func update(_ state: LuaState, source: String) {
        let L = state.L
        guard pushSettings(L) else { return }
        var size = winsize()
        let rows = ioctl(1, UInt(TIOCGWINSZ), &size) == 0 && size.ws_row > 0 ? Int(size.ws_row) : 24
        lua_pushboolean(L, isatty(1) != 0 ? 1 : 0)
        lua_setfield(L, -2, "interactive")
        lua_pushboolean(L, ReplStyle.color ? 1 : 0)
        lua_setfield(L, -2, "color")
        lua_pushinteger(L, lua_Integer(rows))
        lua_setfield(L, -2, "rows")
        lua_pushstring(L, source)
        lua_setfield(L, -2, "last_source")
        descry_pop(L, 1)
    }

    static func markBaseline(_ state: LuaState) {
        _ = state.run(source: "require('descry.repl').mark_baseline()", chunkName: "=descry")
    }

    /// Pushes package.loaded["descry.repl"].settings (raw accesses); false if absent.
    private static func pushSettings(_ L: OpaquePointer) -> Bool {
        pushReplField(L, "settings", type: LUA_TTABLE)
    }
}

/// A REPL transcript pasted at the prompt (as in notebooks and in the REPL's own scrollback:
/// `> ` lines, `>> ` continuation lines and output lines): only the code runs, chunk by chunk,
/// as IPython and Julia strip their prompts from pasted sessions.
enum Transcript {
    static func isTranscript(_ text: String) -> Bool {
        text.hasPrefix("> ") || text.hasPrefix(">> ") || text == ">" || text.hasPrefix(">\n")
    }

    static func run(_ text: String, in state: LuaState) {
        let doc: NotebookDocument
        do {
            doc = try NotebookDocument.parse(text, file: "(paste)")
        } catch {
            Evaluator.reportError("\(error)")
            return
        }
        for item in doc.items {
            guard case .cell(let cell) = item else { continue }
            ReplSettings.update(state, source: cell.code.joined(separator: "\n"))
            // the first failing chunk stops the paste (later code usually depends on it)
            if !InteractiveChunk.runLines(cell.code, in: state, tracebacks: true, stop: { false }) { return }
        }
    }
}
