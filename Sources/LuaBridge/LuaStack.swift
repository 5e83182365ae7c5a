import CLua
import LuaShim

/// Stack primitives for binding code, so that no binding calls the Lua C API itself. All of
/// them are raw (no metamethods) and never raise, as `LuaCall`'s rule requires.
extension LuaCall {
    /// Index of the top value (= number of values on this call's stack).
    @inline(__always) public var top: Int32 { lua_gettop(L) }

    /// Pops `n` values.
    @inline(__always) public func pop(_ n: Int32 = 1) { descry_pop(L, n) }

    /// The absolute (positive) form of a stack index.
    public func absolute(_ i: Int32) -> Int32 { lua_absindex(L, i) }

    /// Pushes a new table with room for `array` sequence elements and `record` named fields.
    public func newTable(array: Int = 0, record: Int = 0) {
        lua_createtable(L, Int32(clamping: array), Int32(clamping: record))
    }

    /// Pushes `t[k]` (raw) for the table at `table` and returns its Lua type; pop it afterwards.
    @discardableResult
    public func rawIndex(_ table: Int32, _ k: Int) -> Int32 {
        lua_rawgeti(L, table, lua_Integer(k))
    }

    /// Sets `t[k] = top` (raw) for the table at `table` and pops the value.
    public func setIndex(_ table: Int32, _ k: Int) {
        lua_rawseti(L, table, lua_Integer(k))
    }

    /// Pushes a Lua array of `n` values, each pushed by `item(k)` (0-based k).
    public func pushList(_ n: Int, _ item: (Int) throws -> Void) rethrows {
        newTable(array: n)
        for k in 0..<n {
            try item(k)
            setIndex(-2, k + 1)
        }
    }

    /// Pushes a Lua array of booleans.
    public func push(_ values: [Bool]) {
        pushList(values.count) { k in push(values[k]) }
    }

    /// Pushes a table built from (key, push) pairs.
    public func pushRecord(_ fields: [(String, () -> Void)]) {
        newTable(record: fields.count)
        for (key, pushValue) in fields {
            pushValue()
            setField(-2, key)
        }
    }

    /// Calls `body(k, top)` for each element `t[k]`, k = 1...#t (raw), with the element pushed
    /// at stack index `top` during the call.
    public func forEachElement(_ table: Int32, _ body: (Int, Int32) throws -> Void) rethrows {
        let t = absolute(table)
        let n = rawLength(t)
        guard n > 0 else { return }
        for k in 1...n {
            rawIndex(t, k)
            defer { pop() }
            try body(k, top)
        }
    }

    /// Runs `body` with `t[key]` (raw) of the table at `table` pushed at the stack index it is
    /// given; the value is popped afterwards.
    public func withField<T>(_ table: Int32, _ key: String, _ body: (Int32) throws -> T) rethrows -> T {
        rawField(table, key)
        defer { pop() }
        return try body(top)
    }

    /// The boolean at `i` when it is a boolean, else nil (no truthiness conversion).
    public func booleanValue(_ i: Int32) -> Bool? {
        lua_type(L, i) == LUA_TBOOLEAN ? lua_toboolean(L, i) != 0 : nil
    }

    /// The number at `i` when it is a number, else nil (no string coercion).
    public func numberValue(_ i: Int32) -> Double? {
        lua_type(L, i) == LUA_TNUMBER ? descry_tonumberx(L, i, nil) : nil
    }

    /// The integer value at `i` when it is a number with an integer representation, else nil.
    public func integerValue(_ i: Int32) -> Int? {
        guard lua_type(L, i) == LUA_TNUMBER else { return nil }
        var ok: Int32 = 0
        let v = descry_tointegerx(L, i, &ok)
        return ok != 0 ? Int(v) : nil
    }

    /// Whether the value at `i` is an integer subtype number (Lua 5.4 `math.type(v) == "integer"`).
    public func isIntegerSubtype(_ i: Int32) -> Bool { descry_isinteger_value(L, i) != 0 }

    /// The string at `i` when it is a string, else nil (numbers are not converted).
    public func stringValue(_ i: Int32) -> String? {
        guard lua_type(L, i) == LUA_TSTRING, let p = descry_tolstring(L, i, nil) else { return nil }
        return String(cString: p)
    }

    /// The identity of a table/userdata/function at `i` (for cycle detection), or nil.
    public func identity(_ i: Int32) -> UnsafeRawPointer? { lua_topointer(L, i) }

    /// Whether the values at `i` and `j` are primitively equal (no `__eq`).
    public func rawEqual(_ i: Int32, _ j: Int32) -> Bool { lua_rawequal(L, i, j) != 0 }
}

/// A key of a Lua table, as `tableKeys` reports it.
public enum LuaTableKey: Equatable {
    case integer(Int)
    case string(String)
    /// Any other key type (float, boolean, table, ...), with its Lua type name.
    case other(String)
}

extension LuaCall {
    /// The keys of the table at `i` (raw traversal, order unspecified).
    public func tableKeys(_ i: Int32) -> [LuaTableKey] {
        let t = absolute(i)
        var keys: [LuaTableKey] = []
        lua_pushnil(L)
        while lua_next(L, t) != 0 {
            pop()
            if let k = integerKey(-1) {
                keys.append(.integer(k))
            } else if let s = stringValue(-1) {
                keys.append(.string(s))
            } else {
                keys.append(.other(String(cString: descry_typename(L, -1))))
            }
        }
        return keys
    }

    private func integerKey(_ i: Int32) -> Int? {
        guard lua_type(L, i) == LUA_TNUMBER, isIntegerSubtype(i) else { return nil }
        return Int(descry_tointegerx(L, i, nil))
    }
}

// MARK: registry and metatables

extension LuaCall {
    /// Pushes `registry[key]` (raw) and returns its Lua type.
    @discardableResult
    public func pushRegistryValue(_ key: String) -> Int32 {
        lua_pushstring(L, key)
        return lua_rawget(L, descry_registryindex())
    }

    /// Sets `registry[key] = top` (raw) and pops the value.
    public func setRegistryValue(_ key: String) {
        lua_pushstring(L, key)
        descry_insert(L, -2)
        lua_rawset(L, descry_registryindex())
    }

    /// Creates the metatable registered under `name` (luaL_newmetatable) and pushes it; false
    /// when it existed already (the existing one is pushed).
    @discardableResult
    public func pushNewMetatable(_ name: String) -> Bool {
        luaL_newmetatable(L, name) != 0
    }

    /// Sets the metatable registered under `name` on the value on top of the stack.
    public func setMetatable(named name: String) {
        _ = descry_getmetatable_named(L, name)
        lua_setmetatable(L, -2)
    }

    /// Pops a table and sets it as the metatable of the value below it.
    public func setMetatableFromTop() {
        lua_setmetatable(L, -2)
    }

    /// Whether the value at `i` has the metatable registered under `name`.
    public func hasMetatable(_ i: Int32, named name: String) -> Bool {
        guard lua_getmetatable(L, i) != 0 else { return false }
        _ = descry_getmetatable_named(L, name)
        defer { pop(2) }
        return rawEqual(-1, -2)
    }
}

/// Lua type tag of "no value" (past the top), for `call.type(i)` comparisons.
public let LUA_TNONE_VALUE = LUA_TNONE
