import CLua
#if canImport(Glibc)
import Glibc
#endif
import LuaShim

/// Owner of one `lua_State`: opens the standard libraries, installs the bridge machinery
/// (Swift function dispatcher, docstrings), registers Swift modules, runs chunks safely.
public final class LuaState {
    public let L: OpaquePointer
    public private(set) var modules: [LuaModule] = []

    public init() {
        guard let L = luaL_newstate() else {
            // Only on out-of-memory at start-up; nothing sensible can continue.
            fatalError("descry: cannot create a Lua state (out of memory)")
        }
        self.L = L
        luaL_openlibs(L)
        SwiftFunctions.install(L)
        Docs.install(L)
    }

    deinit { lua_close(L) }

    /// A call context on this state (for pushing values from the host).
    public var context: LuaCall { LuaCall(L: L, name: "descry") }

    /// Makes `require(module.name)` load `module`, and defines its classes' metatables.
    public func register(_ module: LuaModule) {
        modules.append(module)
        for cls in module.classes { LuaClasses.define(L, cls) }
        lua_getglobal(L, "package")
        lua_getfield(L, -1, "preload")
        let m = module
        SwiftFunctions.push(L, name: "require", isMethod: false) { call in
            try m.push(call)
            return 1
        }
        lua_setfield(L, -2, module.name)
        descry_pop(L, 2)
    }

    /// Sets global `name` to a Swift function with a docstring.
    public func setGlobal(_ name: String, doc: String, _ body: @escaping LuaFunctionBody) {
        SwiftFunctions.push(L, name: name, isMethod: false, body: body)
        Docs.set(L, index: -1, doc)
        lua_setglobal(L, name)
    }

    /// Attaches a docstring to a global value (e.g. a standard library function).
    public func setDoc(global name: String, _ text: String) {
        lua_getglobal(L, name)
        if lua_type(L, -1) != LUA_TNIL { Docs.set(L, index: -1, text) }
        descry_pop(L, 1)
    }

    /// Puts `dir/?.lua;dir/?/init.lua` in front of `package.path`.
    public func prependPackagePath(_ dir: String) {
        lua_getglobal(L, "package")
        lua_getfield(L, -1, "path")
        let old = descry_tolstring(L, -1, nil).map { String(cString: $0) } ?? ""
        descry_pop(L, 1)
        lua_pushstring(L, "\(dir)/?.lua;\(dir)/?/init.lua;" + old)
        lua_setfield(L, -2, "path")
        descry_pop(L, 1)
    }

    /// Result of running a chunk in protected mode.
    public enum Outcome {
        case ok(results: Int32)
        /// Syntax error (message as Lua gives it: `chunk:line: msg near ...`).
        case syntaxError(String)
        /// Runtime error, with traceback.
        case runtimeError(String)
    }

    /// Loads `source` as chunk `chunkName` (e.g. `=stdin` or `@file.lua`) and calls it with
    /// the message handler adding a traceback. Results stay on the stack (`ok(results:)`).
    public func run(source: String, chunkName: String, nresults: Int32 = LUA_MULTRET) -> Outcome {
        let base = lua_gettop(L)
        let status: Int32 = source.withCString { p in
            descry_loadbuffer(L, p, strlen(p), chunkName)
        }
        if status != LUA_OK { return .syntaxError(popMessage()) }
        return callTop(base: base, nargs: 0, nresults: nresults)
    }

    /// Calls the function below `nargs` arguments with a traceback handler.
    public func callTop(base: Int32, nargs: Int32, nresults: Int32 = LUA_MULTRET) -> Outcome {
        let fnIndex = lua_gettop(L) - nargs
        descry_pushcfunction(L, descry_msghandler)
        descry_insert(L, fnIndex)
        let status = descry_pcall(L, nargs, nresults, fnIndex)
        descry_remove(L, fnIndex)
        if status != LUA_OK { return .runtimeError(popMessage()) }
        return .ok(results: lua_gettop(L) - base)
    }

    /// Pops the value on top as an error message.
    public func popMessage() -> String {
        defer { descry_pop(L, 1) }
        if let p = descry_tolstring(L, -1, nil) { return String(cString: p) }
        return "(error object is a \(String(cString: descry_typename(L, -1))) value)"
    }

    /// `tostring(v)` of the value at `index`, honouring `__tostring`/`__name`, never raising.
    public func describe(_ index: Int32) -> String {
        let status = descry_protected_tostring(L, index)
        defer { descry_pop(L, 1) }
        if status != LUA_OK {
            let err = descry_tolstring(L, -1, nil).map { String(cString: $0) } ?? "?"
            return "<error in __tostring: \(err)>"
        }
        return descry_tolstring(L, -1, nil).map { String(cString: $0) } ?? "?"
    }
}

/// Integer value at `i` (0 when not a number), without raising.
public func lua_tointegerx_safe(_ L: OpaquePointer, _ i: Int32) -> lua_Integer {
    descry_tointegerx(L, i, nil)
}
