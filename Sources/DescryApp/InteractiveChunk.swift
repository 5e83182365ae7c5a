import CLua
import LuaShim
import LuaBridge
#if canImport(Glibc)
import Glibc
#endif

/// How the REPL and notebooks turn typed lines into a chunk, as lua.c 5.4 does: a line is first
/// tried as an expression (`return <line>`, whose values are printed); otherwise lines are
/// accumulated while the parser reports an error at `<eof>` (an incomplete statement).
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

    /// Rewrites the REPL shorthand `?name` into `help(name)`.
    static func expandShorthand(_ line: String) -> String {
        let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
        if trimmed.hasPrefix("?") {
            let target = trimmed.dropFirst().trimmingSpaces()
            return target.isEmpty ? "help()" : "help(\(target))"
        }
        return line
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
        if load(L, "return " + source) { return .compiled(isExpression: true) }
        descry_pop(L, 1)
        if load(L, source) { return .compiled(isExpression: false) }
        let msg = descry_tolstring(L, -1, nil).map { String(cString: $0) } ?? ""
        if msg.hasSuffix("<eof>") {
            descry_pop(L, 1)
            return .incomplete
        }
        return .syntaxError(state.popMessage())
    }

    /// Loads `code`; on failure the message stays on the stack.
    private static func load(_ L: OpaquePointer, _ code: String) -> Bool {
        code.withCString { p in descry_loadbuffer(L, p, strlen(p), chunkName) } == LUA_OK
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

