import CLua
import LuaShim
import LuaBridge
import CReadline
#if canImport(Glibc)
import Glibc
#endif

/// Tab completion for the REPL: global names and keywords; fields after `.` and methods after
/// `:` (following tables and metatables' `__index` tables, so userdata methods complete);
/// file names inside string literals (readline's filename completion); also after the `?`/`??`
/// help shorthands. Only raw Lua accesses are used, so completion never runs user code.
enum Completion {
    nonisolated(unsafe) static var state: LuaState?
    nonisolated(unsafe) static var matches: [String] = []
    nonisolated(unsafe) static var next = 0

    static let keywords = ["and", "break", "do", "else", "elseif", "end", "false", "for",
                           "function", "goto", "if", "in", "local", "nil", "not", "or",
                           "repeat", "return", "then", "true", "until", "while"]

    static func install() {
        rl_attempted_completion_function = attempt
        rl_basic_word_break_characters = UnsafePointer(strdup(" \t\n\"\\'`@$><=;|&{(,+*%^#[]?!"))
        rl_completer_word_break_characters = UnsafePointer(strdup(" \t\n\"\\'`@$><=;|&{(,+*%^#[]?!"))
        rl_completer_quote_characters = UnsafePointer(strdup("\"'"))
    }

    private static let attempt: @convention(c) (UnsafePointer<CChar>?, Int32, Int32)
        -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = { text, _, _ in
        if rl_completion_quote_character != 0 {
            rl_attempted_completion_over = 0   // inside a string: file names
            return nil
        }
        rl_attempted_completion_over = 1
        rl_completion_append_character = 0
        guard let text, let state = Completion.state else { return nil }
        Completion.matches = candidates(for: String(cString: text), in: state.L)
        Completion.next = 0
        if Completion.matches.isEmpty { return nil }
        return rl_completion_matches(text, generator)
    }

    private static let generator: @convention(c) (UnsafePointer<CChar>?, Int32)
        -> UnsafeMutablePointer<CChar>? = { _, _ in
        guard Completion.next < Completion.matches.count else { return nil }
        defer { Completion.next += 1 }
        return strdup(Completion.matches[Completion.next])
    }

    /// All completions of `text` (e.g. `la.ze`, `m:ro`, `pri`), sorted.
    static func candidates(for text: String, in L: OpaquePointer) -> [String] {
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        let sepIndex = text.lastIndex(where: { $0 == "." || $0 == ":" })
        var prefix = ""
        var partial = text
        var methodsOnly = false
        lua_rawgeti(L, descry_registryindex(), lua_Integer(LUA_RIDX_GLOBALS))
        if let sepIndex {
            prefix = String(text[...sepIndex])
            partial = String(text[text.index(after: sepIndex)...])
            methodsOnly = text[sepIndex] == ":"
            let path = text[..<sepIndex].split(separator: ".", omittingEmptySubsequences: false)
            for component in path {
                guard lookup(L, String(component)) else { return [] }
            }
        }
        var names = Set<String>()
        collectKeys(L, index: lua_gettop(L), partial: partial, functionsOnly: methodsOnly, into: &names, depth: 0)
        if sepIndex == nil {
            for k in keywords where k.hasPrefix(partial) { names.insert(k) }
        }
        return names.sorted().map { prefix + $0 }
    }

    /// Replaces the value on top by its field `name` (raw, through `__index` tables).
    private static func lookup(_ L: OpaquePointer, _ name: String) -> Bool {
        var depth = 0
        while depth < 8 {
            if lua_type(L, -1) == LUA_TTABLE {
                lua_pushstring(L, name)
                lua_rawget(L, -2)
                if lua_type(L, -1) != LUA_TNIL { descry_remove(L, -2); return true }
                descry_pop(L, 1)
            }
            // Follow the metatable's __index table.
            guard lua_getmetatable(L, -1) != 0 else { return false }
            lua_pushstring(L, "__index")
            lua_rawget(L, -2)
            descry_remove(L, -2)      // metatable
            descry_remove(L, -2)      // the value
            guard lua_type(L, -1) == LUA_TTABLE else { return false }
            depth += 1
        }
        return false
    }

    /// Adds identifier keys of the table at `index` (and of its `__index` chain) to `names`.
    private static func collectKeys(_ L: OpaquePointer, index: Int32, partial: String,
                                    functionsOnly: Bool, into names: inout Set<String>, depth: Int) {
        guard depth < 8 else { return }
        if lua_type(L, index) == LUA_TTABLE {
            lua_pushnil(L)
            while lua_next(L, index) != 0 {
                let isFunction = lua_type(L, -1) == LUA_TFUNCTION
                if lua_type(L, -2) == LUA_TSTRING, let p = descry_tolstring(L, -2, nil) {
                    let key = String(cString: p)
                    if key.hasPrefix(partial) && isIdentifier(key) && (!functionsOnly || isFunction)
                        && !key.hasPrefix("__") {
                        names.insert(key)
                    }
                }
                descry_pop(L, 1)
            }
        }
        if lua_getmetatable(L, index) != 0 {
            lua_pushstring(L, "__index")
            lua_rawget(L, -2)
            if lua_type(L, -1) == LUA_TTABLE {
                collectKeys(L, index: lua_gettop(L), partial: partial, functionsOnly: functionsOnly,
                            into: &names, depth: depth + 1)
            }
            descry_pop(L, 2)
        }
    }

    private static func isIdentifier(_ s: String) -> Bool {
        guard let f = s.unicodeScalars.first, f == "_" || (f.properties.isAlphabetic && f.isASCII) else { return false }
        return s.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }
}
