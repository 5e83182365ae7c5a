import CLua
import LuaShim

/// Docstrings for Lua values (functions, module tables, metatables), kept in a weak-keyed
/// registry table so `help(f)` finds them and documented values can still be collected.
public enum Docs {
    static let registryKey = "descry.docs"

    static func install(_ L: OpaquePointer) {
        descry_newtable(L)
        descry_newtable(L)
        lua_pushstring(L, "k")
        lua_setfield(L, -2, "__mode")
        lua_setmetatable(L, -2)
        lua_setfield(L, descry_registryindex(), registryKey)
    }

    /// Attaches `text` to the value at `index`.
    public static func set(_ L: OpaquePointer, index: Int32, _ text: String) {
        let v = lua_absindex(L, index)
        lua_getfield(L, descry_registryindex(), registryKey)
        lua_pushvalue(L, v)
        lua_pushstring(L, text)
        lua_rawset(L, -3)
        descry_pop(L, 1)
    }

    /// The docstring of the value at `index`, if any.
    public static func get(_ L: OpaquePointer, index: Int32) -> String? {
        let v = lua_absindex(L, index)
        lua_getfield(L, descry_registryindex(), registryKey)
        lua_pushvalue(L, v)
        lua_rawget(L, -2)
        defer { descry_pop(L, 2) }
        guard lua_type(L, -1) == LUA_TSTRING, let p = descry_tolstring(L, -1, nil) else { return nil }
        return String(cString: p)
    }
}
