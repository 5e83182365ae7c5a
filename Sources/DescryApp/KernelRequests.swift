import CLua
import LuaShim
import LuaBridge
import DescryLinalg
#if canImport(Glibc)
import Glibc
#endif

/// The shell requests other than execute (protocol 5.3): `complete_request` (the REPL's tab
/// completion, `Completion`; file names inside a string literal), `inspect_request` (the docstrings `help`/`?x` show),
/// `is_complete_request` (the REPL's continuation rule, `InteractiveChunk`) and
/// `history_request` (the cells of this session). None of them runs user code, except the
/// field accesses of the inspected name.
extension Kernel {
    func complete(_ request: KernelMessage) -> JSONValue {
        let (scalars, cursor) = codeAndCursor(request)
        var start = cursor
        let matches: [String]
        if let quote = Self.openStringStart(scalars, before: cursor) {
            // inside a string literal: file names, as the REPL's readline completion does
            start = quote + 1
            matches = Self.fileNames(completing: String(String.UnicodeScalarView(scalars[start..<cursor])))
        } else {
            while start > 0 && Self.isNameCharacter(scalars[start - 1]) { start -= 1 }
            let word = String(String.UnicodeScalarView(scalars[start..<cursor]))
            matches = Completion.candidates(for: word, in: state.L)
        }
        return .object([
            ("status", .string("ok")),
            ("matches", .array(matches.map { .string($0) })),
            ("cursor_start", .number(Double(start))),
            ("cursor_end", .number(Double(cursor))),
            ("metadata", .object([])),
        ])
    }

    func inspect(_ request: KernelMessage) -> JSONValue {
        let (scalars, cursor) = codeAndCursor(request)
        var start = cursor
        var end = cursor
        while start > 0 && Self.isNameCharacter(scalars[start - 1]) { start -= 1 }
        while end < scalars.count && Self.isNameCharacter(scalars[end]) && scalars[end] != ":" && scalars[end] != "." {
            end += 1
        }
        var name = String(String.UnicodeScalarView(scalars[start..<end]))
        while let last = name.last, last == "." || last == ":" { name.removeLast() }
        let (text, found) = name.isEmpty ? ("", false) : helpText(name)
        return .object([
            ("status", .string("ok")),
            ("found", .bool(found)),
            ("data", found ? .object([("text/plain", .string(text))]) : .object([])),
            ("metadata", .object([])),
        ])
    }

    func isComplete(_ request: KernelMessage) -> JSONValue {
        let code = request["code"]?.stringValue ?? ""
        var pending: String? = nil
        for line in code.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let source = pending.map { $0 + "\n" + line } ?? InteractiveChunk.expandShorthand(line)
            switch InteractiveChunk.compile(state, source, firstLine: pending == nil) {
            case .incomplete:
                pending = source
            case .compiled:
                descry_pop(state.L, 1)
                pending = nil
            case .syntaxError:
                return .object([("status", .string("invalid"))])
            }
        }
        if pending != nil {
            return .object([("status", .string("incomplete")), ("indent", .string("  "))])
        }
        return .object([("status", .string("complete"))])
    }

    /// `tail` (the last n cells), `range` (cells start..<stop of this session) or `search`
    /// (cells matching a glob pattern); entries are [session, execution count, code].
    func historyReply(_ request: KernelMessage) -> JSONValue {
        let access = request["hist_access_type"]?.stringValue ?? "tail"
        var cells = history
        switch access {
        case "range":
            let start = integer(request["start"]) ?? 0
            let stop = integer(request["stop"]) ?? Int.max
            cells = cells.filter { $0.0 >= start && $0.0 < stop }
        case "search":
            let pattern = request["pattern"]?.stringValue ?? "*"
            cells = cells.filter { fnmatch(pattern, $0.1, 0) == 0 }
            if let n = integer(request["n"]) { cells = Array(cells.suffix(max(0, n))) }
        default:
            if let n = integer(request["n"]) { cells = Array(cells.suffix(max(0, n))) }
        }
        let withOutput = request["output"] == .bool(true)
        let entries: [JSONValue] = cells.map { cell in
            let input: JSONValue = withOutput ? .array([.string(cell.1), .null]) : .string(cell.1)
            return .array([.number(1), .number(Double(cell.0)), input])
        }
        return .object([("status", .string("ok")), ("history", .array(entries))])
    }

    /// The request's code as Unicode scalars and its cursor (protocol 5.2+: counted in code
    /// points), clamped to the code.
    private func codeAndCursor(_ request: KernelMessage) -> ([Unicode.Scalar], Int) {
        let scalars = Array((request["code"]?.stringValue ?? "").unicodeScalars)
        let cursor = integer(request["cursor_pos"]).map { max(0, min($0, scalars.count)) } ?? scalars.count
        return (scalars, cursor)
    }

    /// A JSON number as an Int (clamped to ±1e15, so no conversion can trap); nil otherwise.
    private func integer(_ value: JSONValue?) -> Int? {
        guard let v = value?.doubleValue, !v.isNaN else { return nil }
        return Int(max(-1e15, min(1e15, v.rounded(.down))))
    }

    /// The position of the quote opening a string literal that is still open at `cursor` on
    /// its line (`"` or `'`, backslash escapes skipped); nil outside strings.
    static func openStringStart(_ scalars: [Unicode.Scalar], before cursor: Int) -> Int? {
        var lineStart = cursor
        while lineStart > 0 && scalars[lineStart - 1] != "\n" { lineStart -= 1 }
        var open: Int? = nil
        var i = lineStart
        while i < cursor {
            let c = scalars[i]
            if let q = open {
                if c == "\\" { i += 1 } else if c == scalars[q] { open = nil }
            } else if c == "\"" || c == "'" {
                open = i
            } else if c == "-" && i + 1 < cursor && scalars[i + 1] == "-" {
                return nil   // a comment runs to the end of the line
            }
            i += 1
        }
        return open
    }

    /// Entries of the directory named by `partial` (up to its last `/`) whose names start with
    /// the rest, as `partial` completed (directories end with `/`; dot files only after `.`).
    static func fileNames(completing partial: String) -> [String] {
        let slash = partial.lastIndex(of: "/")
        let folder = slash.map { String(partial[...$0]) } ?? ""
        let prefix = slash.map { String(partial[partial.index(after: $0)...]) } ?? partial
        let directory = folder.isEmpty ? "." : folder
        guard let names = try? FileSystem.list(directory) else { return [] }
        return names.filter { $0.hasPrefix(prefix) && (prefix.hasPrefix(".") || !$0.hasPrefix(".")) }.map { name in
            folder + name + (Paths.isDirectory(directory + "/" + name) ? "/" : "")
        }
    }

    private static func isNameCharacter(_ u: Unicode.Scalar) -> Bool {
        u.isASCII && (u.properties.isAlphabetic || ("0"..."9").contains(u) || u == "_" || u == "." || u == ":")
    }

    /// What `?name` prints, through `descry.jupyter.help_text`; found is false for a name that
    /// does not exist.
    private func helpText(_ name: String) -> (String, Bool) {
        let L = state.L
        let base = lua_gettop(L)
        defer { lua_settop(L, base) }
        lua_getfield(L, descry_registryindex(), Self.helpKey)
        guard lua_type(L, -1) == LUA_TFUNCTION else { return ("", false) }
        lua_pushstring(L, name)
        guard case .ok = state.callTop(base: base, nargs: 1, nresults: 2) else { return ("", false) }
        return (state.describe(base + 1), lua_toboolean(L, base + 2) != 0)
    }

    static let helpKey = "descry.jupyter.help_text"
}
