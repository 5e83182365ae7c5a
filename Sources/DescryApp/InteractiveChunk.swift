import CLua
import LuaShim
import LuaBridge
#if canImport(Glibc)
import Glibc
#endif

/// How the REPL and notebooks turn typed lines into a chunk, as lua.c 5.4 does: a line is first
/// tried as an expression (`return <line>`, whose values are printed); otherwise lines are
/// accumulated while the parser reports an error at `<eof>` (an incomplete statement). On top of
/// lua.c: the last line(s) of a multi-line chunk (a pasted block) print their value when they
/// are an expression; a trailing `;` prints nothing; top-level `local`s stay visible to later
/// chunks (`TopLevelLocals`); the shorthands `?x`, `??f`, `%time`, `%timeit`, `%who`, `!cmd`.
enum InteractiveChunk {
    enum Result {
        /// The compiled function is on the stack; `isExpression` says whether to print values.
        case compiled(isExpression: Bool)
        /// More lines are needed.
        case incomplete
        /// A syntax error (message popped).
        case syntaxError(String)
    }

    static let chunkName = "=stdin"

    /// Rewrites the REPL shorthands into Lua: `?x` and `?m:f` (help), `??f` (source view),
    /// `%who` (whos()), `%timeit code`, `!command` (shell; the line as typed, nothing else).
    static func expandShorthand(_ line: String) -> String {
        let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
        let repl = "require('descry.repl')."
        if trimmed.hasPrefix("??") {
            return repl + "source_view(\(luaQuoted(trimmed.dropFirst(2).trimmingSpaces())))"
        }
        if trimmed.hasPrefix("?") {
            let target = trimmed.dropFirst().trimmingSpaces()
            return target.isEmpty ? "help()" : repl + "help_expression(\(luaQuoted(target)))"
        }
        if trimmed.hasPrefix("!") {
            return repl + "shell(\(luaQuoted(String(trimmed.dropFirst()))))"
        }
        if trimmed.trimmingSpaces() == "%who" || trimmed.trimmingSpaces() == "%whos" {
            return "whos()"
        }
        if trimmed.hasPrefix("%timeit ") {
            return repl + "timeit_code(\(luaQuoted(trimmed.dropFirst(8).trimmingSpaces())))"
        }
        return line
    }

    /// `s` as a Lua string literal (quotes, backslashes and control characters escaped).
    static func luaQuoted<S: StringProtocol>(_ s: S) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default:
                if u.value < 32 || u.value == 127 { out += "\\\(u.value)" } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }

    /// Tries to compile `source` (the lines so far, joined by newlines).
    static func compile(_ state: LuaState, _ source: String, firstLine: Bool) -> Result {
        let L = state.L
        let trimmed = source.drop(while: { $0 == " " || $0 == "\t" })
        if firstLine && trimmed.hasPrefix("%time ") {
            // `%time code`: time an expression (printing its values) or a statement.
            let code = String(trimmed.dropFirst(6))
            if load(L, "return time(function() return \(code)\nend)") { return .compiled(isExpression: true) }
            descry_pop(L, 1)
            if load(L, "return time(function() \(code)\nend)") { return .compiled(isExpression: true) }
            return .syntaxError(state.popMessage())
        }
        let code = TopLevelLocals.rewrite(source)
        let show = !endsWithSemicolon(source)
        if load(L, "return " + code) {
            descry_pop(L, 1)
            if load(L, keepingFrame(code)) { return .compiled(isExpression: show) }
            descry_pop(L, 1)
            _ = load(L, "return " + code)
            return .compiled(isExpression: show)
        }
        descry_pop(L, 1)
        let compiled = load(L, code)
        // A block whose last line(s) are an expression (a pasted block) prints its value.
        if let split = lastExpressionForm(L, code) {
            descry_pop(L, 1)
            if load(L, split) { return .compiled(isExpression: show) }
            descry_pop(L, 1)
            _ = load(L, code)
        }
        if compiled { return .compiled(isExpression: false) }
        let msg = descry_tolstring(L, -1, nil).map { String(cString: $0) } ?? ""
        if msg.hasSuffix("<eof>") {
            descry_pop(L, 1)
            return .incomplete
        }
        return .syntaxError(state.popMessage())
    }

    /// For a multi-line chunk whose last line(s) form an expression after complete statements
    /// (a pasted block), the chunk with `return` before that expression; nil otherwise.
    private static func lastExpressionForm(_ L: OpaquePointer, _ code: String) -> String? {
        let lines = code.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var end = lines.count
        while end > 0 && lines[end - 1].trimmingCharacters().isEmpty { end -= 1 }
        guard end >= 2 else { return nil }
        for k in 1...min(end - 1, 30) {
            let head = lines[0..<(end - k)].joined(separator: "\n")
            let tail = lines[(end - k)..<end].joined(separator: "\n")
            guard compiles(L, "return " + tail), compiles(L, head) else { continue }
            return head + "\n" + keepingFrame(tail)
        }
        return nil
    }

    /// `return <expression list>` without making its last call a tail call: `return f(x)` would
    /// replace the chunk's frame by f's, so an error raised in a Lua function f (the stdlib's
    /// plot, dataset, …) could not name the typed line. The values are passed through an
    /// identity function instead; the newline keeps a trailing comment from swallowing `)`.
    static func keepingFrame(_ expressions: String) -> String {
        "return (function(...) return ... end)(" + expressions + "\n)"
    }

    /// Whether `code` ends with `;` (outside comments): the REPL then prints nothing.
    static func endsWithSemicolon(_ code: String) -> Bool {
        let bytes = Array(code.utf8)
        guard let last = LuaTokens.scan(bytes).last else { return false }
        return last.kind == .symbol && last.text(bytes) == ";"
    }

    private static func compiles(_ L: OpaquePointer, _ code: String) -> Bool {
        let ok = load(L, code)
        descry_pop(L, 1)
        return ok
    }

    /// Loads `code`; on failure the message stays on the stack.
    private static func load(_ L: OpaquePointer, _ code: String) -> Bool {
        code.withCString { p in descry_loadbuffer(L, p, strlen(p), chunkName) } == LUA_OK
    }

    /// Runs REPL lines as the REPL would if typed one by one (a notebook cell, a pasted
    /// transcript): chunks accumulate over continuation lines, expressions print their values.
    /// False when a chunk raised an error or did not compile. `stop` is polled after each chunk.
    static func runLines(_ lines: [String], in state: LuaState, tracebacks: Bool, stop: () -> Bool) -> Bool {
        var pending: String? = nil
        var ok = true
        for line in lines {
            let source = pending.map { $0 + "\n" + line } ?? expandShorthand(line)
            switch compile(state, source, firstLine: pending == nil) {
            case .incomplete:
                pending = source
            case .compiled(let isExpression):
                pending = nil
                if !Evaluator.execute(state, printResults: isExpression, tracebacks: tracebacks) { ok = false }
            case .syntaxError(let m):
                pending = nil
                ok = false
                Evaluator.reportError(m)
            }
            if stop() { return false }
        }
        if pending != nil {
            ok = false
            Evaluator.reportError("incomplete chunk at the end of the input")
        }
        return ok
    }
}

extension Substring {
    func trimmingSpaces() -> String {
        var s = self
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\n" { s = s.dropLast() }
        return String(s)
    }
}

extension String {
    func trimmingCharacters() -> String { Substring(self).trimmingSpaces() }
}
