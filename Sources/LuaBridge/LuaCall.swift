import CLua
import LuaShim

/// The context of one call from Lua into a Swift-implemented function: the stack, the name
/// the function was registered under (for error messages), and lauxlib-style argument checks
/// that throw `LuaError` instead of raising (see `LuaError`).
///
/// Rule for Swift code: only non-raising Lua API calls (raw accesses, `lua_to*`, pushes) and
/// `pcall`; never `lua_call`, `lua_gettable` on tables with metatables, or `lua_error`.
public struct LuaCall {
    public let L: OpaquePointer
    /// Qualified name, e.g. `la.zeros` or `matrix:rows`.
    public let name: String
    /// Methods number their arguments from the first explicit one, as lauxlib does.
    public let isMethod: Bool

    public init(L: OpaquePointer, name: String, isMethod: Bool = false) {
        self.L = L
        self.name = name
        self.isMethod = isMethod
    }

    /// Number of arguments on the stack.
    @inline(__always) public var argumentCount: Int32 { lua_gettop(L) }

    // MARK: errors

    /// The argument number as the user sees it (methods: `self` is not counted).
    public func shownIndex(_ i: Int32) -> Int32 { isMethod ? i - 1 : i }

    /// `bad argument #i to 'name' (detail)`.
    public func argumentError(_ i: Int32, _ detail: String) -> LuaError {
        if isMethod && i == 1 {
            return LuaError("calling '\(name)' on bad self (\(detail))")
        }
        return LuaError.badArgument(shownIndex(i), function: name, detail)
    }

    /// A general error naming this function: `name: message`.
    public func error(_ message: String) -> LuaError {
        LuaError("\(name): \(message)")
    }

    /// Lua type name of the value at `i` (`no value` past the top).
    public func typeName(_ i: Int32) -> String {
        if lua_type(L, i) == LUA_TNONE { return "no value" }
        if let mt = metatableName(i) { return mt }
        return String(cString: descry_typename(L, i))
    }

    /// `__name` of the value's metatable, as luaL_typeerror reports userdata.
    private func metatableName(_ i: Int32) -> String? {
        guard lua_getmetatable(L, i) != 0 else { return nil }
        lua_pushstring(L, "__name")
        lua_rawget(L, -2)
        defer { descry_pop(L, 2) }
        guard lua_type(L, -1) == LUA_TSTRING, let s = descry_tolstring(L, -1, nil) else { return nil }
        return String(cString: s)
    }

    public func typeError(_ i: Int32, expected: String) -> LuaError {
        argumentError(i, "\(expected) expected, got \(typeName(i))")
    }

    // MARK: type tests

    @inline(__always) public func type(_ i: Int32) -> Int32 { lua_type(L, i) }
    @inline(__always) public func isNoneOrNil(_ i: Int32) -> Bool { lua_type(L, i) <= LUA_TNIL }

    // MARK: checked reads

    /// A number (integers convert); strings are not coerced (stricter than lauxlib, clearer errors).
    @inline(__always) public func number(_ i: Int32) throws -> Double {
        guard lua_type(L, i) == LUA_TNUMBER else { throw typeError(i, expected: "number") }
        return descry_tonumberx(L, i, nil)
    }

    public func optNumber(_ i: Int32, _ def: Double) throws -> Double {
        isNoneOrNil(i) ? def : try number(i)
    }

    /// An integer-valued number (3 or 3.0), else an error as `luaL_checkinteger`.
    public func integer(_ i: Int32) throws -> Int {
        guard lua_type(L, i) == LUA_TNUMBER else { throw typeError(i, expected: "number") }
        var ok: Int32 = 0
        let v = descry_tointegerx(L, i, &ok)
        guard ok != 0 else { throw argumentError(i, "number has no integer representation") }
        return Int(v)
    }

    public func optInteger(_ i: Int32, _ def: Int) throws -> Int {
        isNoneOrNil(i) ? def : try integer(i)
    }

    public func string(_ i: Int32) throws -> String {
        guard lua_type(L, i) == LUA_TSTRING, let p = descry_tolstring(L, i, nil) else {
            throw typeError(i, expected: "string")
        }
        return String(cString: p)
    }

    /// The exact bytes of string argument `i` (embedded NULs and invalid UTF-8 kept), for
    /// binary data and for parsers that must see what the user passed (json.decode).
    public func bytes(_ i: Int32) throws -> [UInt8] {
        var len = 0
        guard lua_type(L, i) == LUA_TSTRING, let p = descry_tolstring(L, i, &len) else {
            throw typeError(i, expected: "string")
        }
        return Array(UnsafeRawBufferPointer(start: p, count: len).bindMemory(to: UInt8.self))
    }

    public func optString(_ i: Int32, _ def: String?) throws -> String? {
        isNoneOrNil(i) ? def : try string(i)
    }

    public func boolean(_ i: Int32) -> Bool { lua_toboolean(L, i) != 0 }

    public func checkTable(_ i: Int32) throws {
        guard lua_type(L, i) == LUA_TTABLE else { throw typeError(i, expected: "table") }
    }

    public func checkFunction(_ i: Int32) throws {
        guard lua_type(L, i) == LUA_TFUNCTION else { throw typeError(i, expected: "function") }
    }

    /// Raw length of a table or string (no `__len`).
    public func rawLength(_ i: Int32) -> Int { Int(lua_rawlen(L, i)) }

    // MARK: options tables (`{average = 10, virial = true}`)

    /// Pushes `t[key]` (raw) and returns its Lua type; pop it afterwards.
    @discardableResult
    public func rawField(_ table: Int32, _ key: String) -> Int32 {
        let t = lua_absindex(L, table)
        lua_pushstring(L, key)
        return lua_rawget(L, t)
    }

    /// Reads the option `key` of the options table at `i`; `nil` when absent or when `i` is not
    /// a table. `convert` returns nil for a wrong type, and the error names the option:
    /// `bad argument #2 to 'f' (option 'average': integer expected, got string)`.
    public func option<T>(_ i: Int32, _ key: String, expected: String,
                          _ convert: (Int32) -> T?) throws -> T? {
        guard lua_type(L, i) == LUA_TTABLE else { return nil }
        rawField(i, key)
        defer { descry_pop(L, 1) }
        if lua_type(L, -1) == LUA_TNIL { return nil }
        let top = lua_gettop(L)
        guard let v = convert(top) else {
            throw argumentError(i, "option '\(key)': \(expected) expected, got \(typeName(top))")
        }
        return v
    }

    public func optionNumber(_ i: Int32, _ key: String) throws -> Double? {
        try option(i, key, expected: "number") { idx in
            lua_type(L, idx) == LUA_TNUMBER ? descry_tonumberx(L, idx, nil) : nil
        }
    }
    public func optionInteger(_ i: Int32, _ key: String) throws -> Int? {
        try option(i, key, expected: "integer") { idx in
            var ok: Int32 = 0
            let v = descry_tointegerx(L, idx, &ok)
            return (lua_type(L, idx) == LUA_TNUMBER && ok != 0) ? Int(v) : nil
        }
    }
    public func optionBool(_ i: Int32, _ key: String) throws -> Bool? {
        try option(i, key, expected: "boolean") { idx in
            lua_type(L, idx) == LUA_TBOOLEAN ? (lua_toboolean(L, idx) != 0) : nil
        }
    }
    public func optionString(_ i: Int32, _ key: String) throws -> String? {
        try option(i, key, expected: "string") { idx in
            (lua_type(L, idx) == LUA_TSTRING) ? descry_tolstring(L, idx, nil).map { String(cString: $0) } : nil
        }
    }

    /// Rejects option keys not in `allowed` (a typo must not be silently ignored).
    public func checkOptionKeys(_ i: Int32, allowed: Set<String>) throws {
        guard lua_type(L, i) == LUA_TTABLE else { return }
        let t = lua_absindex(L, i)
        lua_pushnil(L)
        while lua_next(L, t) != 0 {
            descry_pop(L, 1)
            if lua_type(L, -1) == LUA_TSTRING, let p = descry_tolstring(L, -1, nil) {
                let key = String(cString: p)
                if !allowed.contains(key) {
                    descry_pop(L, 1)
                    let list = allowed.sorted().joined(separator: ", ")
                    throw argumentError(i, "unknown option '\(key)'; known: \(list)")
                }
            } else {
                descry_pop(L, 1)
                throw argumentError(i, "options table must have string keys")
            }
        }
    }

    // MARK: pushes

    @inline(__always) public func push(_ v: Double) { lua_pushnumber(L, v) }
    @inline(__always) public func push(_ v: Int) { lua_pushinteger(L, lua_Integer(v)) }
    @inline(__always) public func push(_ v: Bool) { lua_pushboolean(L, v ? 1 : 0) }
    @inline(__always) public func push(_ v: String) { lua_pushstring(L, v) }
    @inline(__always) public func pushNil() { lua_pushnil(L) }

    /// Pushes a Lua array of numbers.
    public func push(_ values: [Double]) {
        lua_createtable(L, Int32(clamping: values.count), 0)
        for (k, v) in values.enumerated() {
            lua_pushnumber(L, v)
            lua_rawseti(L, -2, lua_Integer(k + 1))
        }
    }

    public func push(_ values: [Int]) {
        lua_createtable(L, Int32(clamping: values.count), 0)
        for (k, v) in values.enumerated() {
            lua_pushinteger(L, lua_Integer(v))
            lua_rawseti(L, -2, lua_Integer(k + 1))
        }
    }

    public func push(_ values: [String]) {
        lua_createtable(L, Int32(clamping: values.count), 0)
        for (k, v) in values.enumerated() {
            lua_pushstring(L, v)
            lua_rawseti(L, -2, lua_Integer(k + 1))
        }
    }

    /// Sets `t[key] = top` (raw) on the table at `table` and pops the value.
    public func setField(_ table: Int32, _ key: String) {
        let t = lua_absindex(L, table)
        lua_pushstring(L, key)
        descry_insert(L, -2)
        lua_rawset(L, t)
    }

    /// Reads a Lua array of numbers at `i` (raw access).
    public func numberArray(_ i: Int32) throws -> [Double] {
        try checkTable(i)
        let t = lua_absindex(L, i)
        let n = Int(lua_rawlen(L, t))
        var out = [Double](repeating: 0, count: n)
        for k in 0..<n {
            lua_rawgeti(L, t, lua_Integer(k + 1))
            defer { descry_pop(L, 1) }
            guard lua_type(L, -1) == LUA_TNUMBER else {
                throw argumentError(i, "element \(k + 1) is \(String(cString: descry_typename(L, -1))), number expected")
            }
            out[k] = descry_tonumberx(L, -1, nil)
        }
        return out
    }

    public func stringArray(_ i: Int32) throws -> [String] {
        try checkTable(i)
        let t = lua_absindex(L, i)
        let n = Int(lua_rawlen(L, t))
        var out: [String] = []
        out.reserveCapacity(n)
        for k in 0..<n {
            lua_rawgeti(L, t, lua_Integer(k + 1))
            defer { descry_pop(L, 1) }
            guard lua_type(L, -1) == LUA_TSTRING, let p = descry_tolstring(L, -1, nil) else {
                throw argumentError(i, "element \(k + 1) is \(String(cString: descry_typename(L, -1))), string expected")
            }
            out.append(String(cString: p))
        }
        return out
    }

    // MARK: calling back into Lua

    /// Calls the function below its `nargs` arguments in protected mode. On error the
    /// message is popped and thrown, so control always returns here (no longjmp over Swift).
    public func pcall(nargs: Int32, nresults: Int32) throws {
        let status = descry_pcall(L, nargs, nresults, 0)
        if status != LUA_OK {
            let msg = descry_tolstring(L, -1, nil).map { String(cString: $0) } ?? "(error object is not a string)"
            descry_pop(L, 1)
            throw LuaError(msg, withPosition: false)
        }
    }
}

/// Lua type tags re-exported for binding modules that do not import CLua.
public let LUA_TNIL_VALUE = LUA_TNIL
public let LUA_TNUMBER_VALUE = LUA_TNUMBER
public let LUA_TSTRING_VALUE = LUA_TSTRING
public let LUA_TTABLE_VALUE = LUA_TTABLE
public let LUA_TFUNCTION_VALUE = LUA_TFUNCTION
public let LUA_TBOOLEAN_VALUE = LUA_TBOOLEAN
public let LUA_TUSERDATA_VALUE = LUA_TUSERDATA

extension LuaCall {
    /// Pushes a copy of the value at `i`.
    public func copyValue(_ i: Int32) { lua_pushvalue(L, i) }
}

extension LuaCall {
    /// Pushes the trivial C function `descry_c_nop` (call-overhead baseline).
    public func pushCNop() { descry_pushcfunction(L, descry_c_nop) }
}

extension LuaCall {
    /// Makes room for `n` more values on the Lua stack. A Swift function may push at most
    /// LUA_MINSTACK (20) values without this; recursive code must call it at each level.
    public func ensureStack(_ n: Int32) throws {
        guard lua_checkstack(L, n) != 0 else { throw error("stack overflow (structure too deep)") }
    }
}

extension LuaCall {
    /// A 1-based Lua index at argument `i`, returned 0-based; an error unless ≥ 1.
    public func index(_ i: Int32) throws -> Int {
        let k = try integer(i)
        guard k >= 1 else { throw argumentError(i, "index must be ≥ 1, got \(k)") }
        return k - 1
    }

    /// Like `index(_:)`, with the 1-based default `def` when the argument is absent.
    public func optIndex(_ i: Int32, _ def: Int) throws -> Int {
        isNoneOrNil(i) ? def - 1 : try index(i)
    }
}
