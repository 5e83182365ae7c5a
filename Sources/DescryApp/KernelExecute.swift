import CLua
import LuaShim
import LuaBridge
import DescryLinalg
#if canImport(Glibc)
import Glibc
#endif

/// `execute_request` (protocol 5.3, "Execute"): a cell runs as the REPL runs typed lines (and as
/// `descry notebook` runs a text notebook's cell): chunk by chunk over continuation lines, with
/// the shorthands (`?x`, `%time`, `!cmd`). Values of expression lines print as at the prompt;
/// the values of the cell's last chunk become its `execute_result`. The first error stops the
/// cell and is sent as `error` (Lua's message and traceback). Ctrl-C/interrupts stop it too.
extension Kernel {
    /// How a cell ended: the text of its final values (nil: none) or an error.
    enum CellOutcome {
        case finished(String?)
        case failed(name: String, message: String)
    }

    func execute(_ request: KernelMessage) {
        let code = request["code"]?.stringValue ?? ""
        let silent = request["silent"] == .bool(true)
        let storeHistory = !silent && request["store_history"] != .bool(false)
        if storeHistory {
            executionCount += 1
            history.append((executionCount, code))
        }
        let count = JSONValue.number(Double(executionCount))
        if !silent {
            publisher.publish("execute_input", .object([("code", .string(code)), ("execution_count", count)]))
        }
        running = request
        allowStdin = request["allow_stdin"] == .bool(true)
        let outcome = runCell(code)
        running = nil
        allowStdin = false
        output.flush()
        switch outcome {
        case .finished(let text):
            if let text, !silent {
                publisher.publish("execute_result", .object([
                    ("execution_count", count),
                    ("data", .object([("text/plain", .string(text))])),
                    ("metadata", .object([])),
                ]))
            }
            reply(request, on: shell, "execute_reply", .object([
                ("status", .string("ok")),
                ("execution_count", count),
                ("user_expressions", .object([])),
                ("payload", .array([])),
            ]))
        case .failed(let name, let message):
            let lines = message.split(separator: "\n", omittingEmptySubsequences: false).map { JSONValue.string(String($0)) }
            let error: [(String, JSONValue)] = [
                ("ename", .string(name)),
                ("evalue", .string(firstLine(message))),
                ("traceback", .array(lines)),
            ]
            if !silent { publisher.publish("error", .object(error)) }
            abortQueued = request["stop_on_error"] != .bool(false)
            reply(request, on: shell, "execute_reply", .object([("status", .string("error")), ("execution_count", count)] + error))
        }
    }

    /// Runs the lines of a cell; see the type's comment.
    func runCell(_ code: String) -> CellOutcome {
        descry_interrupt_clear()
        var pending: String? = nil
        var shown: String? = nil
        for line in code.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let source = pending.map { $0 + "\n" + line } ?? InteractiveChunk.expandShorthand(line)
            switch InteractiveChunk.compile(state, source, firstLine: pending == nil) {
            case .incomplete:
                pending = source
            case .syntaxError(let message):
                if let text = shown { writeStdout(text + "\n") }
                return .failed(name: "SyntaxError", message: message)
            case .compiled(let isExpression):
                pending = nil
                // an earlier line's value prints before what this chunk writes
                if let text = shown { writeStdout(text + "\n") }
                shown = nil
                ReplSettings.update(state, source: source)
                switch runCompiled(isExpression: isExpression) {
                case .finished(let text):
                    shown = text
                case .failed(let name, let message):
                    return .failed(name: name, message: message)
                }
            }
        }
        if let pending {
            if let text = shown { writeStdout(text + "\n") }
            return .failed(name: "SyntaxError", message: incompleteMessage(pending))
        }
        return .finished(shown)
    }

    /// Calls the compiled chunk on top of the stack with interrupts armed; formats its values.
    private func runCompiled(isExpression: Bool) -> CellOutcome {
        let L = state.L
        let base = lua_gettop(L) - 1
        defer { lua_settop(L, base) }
        if descry_interrupt_requested() != 0 {
            _ = descry_interrupt_delivered(L)
            return .failed(name: "Interrupted", message: "interrupted!")
        }
        descry_interrupt_arm(L)
        let outcome = state.callTop(base: base, nargs: 0)
        let interrupted = descry_interrupt_delivered(L) != 0
        switch outcome {
        case .ok(let n):
            guard isExpression && n > 0 else { return .finished(nil) }
            return .finished(formatValues(count: n))
        case .syntaxError(let m), .runtimeError(let m):
            return .failed(name: interrupted ? "Interrupted" : "LuaError", message: m)
        }
    }

    /// The REPL's text of the `n` values on top of the stack (`descry.jupyter.format`, which
    /// also sets `_`); `tostring` when the pretty printer fails.
    private func formatValues(count n: Int32) -> String {
        let L = state.L
        let first = lua_gettop(L) - n + 1
        lua_getfield(L, descry_registryindex(), Self.formatKey)
        guard lua_type(L, -1) == LUA_TFUNCTION else {
            descry_pop(L, 1)
            return (first...(first + n - 1)).map { state.describe($0) }.joined(separator: "\t")
        }
        descry_insert(L, first)
        if case .ok = state.callTop(base: first - 1, nargs: n, nresults: 1) {
            return state.describe(-1)
        }
        return "(error while printing) " + state.popMessage()
    }

    /// Lua's own message for a chunk that ends inside a statement (`... near <eof>`).
    private func incompleteMessage(_ source: String) -> String {
        let L = state.L
        let code = TopLevelLocals.rewrite(source)
        _ = code.withCString { p in descry_loadbuffer(L, p, strlen(p), InteractiveChunk.chunkName) }
        return state.popMessage()
    }

    static let formatKey = "descry.jupyter.format"
}
