import CLua
import LuaShim

/// The body of a Swift-implemented Lua function: reads arguments from `call`, pushes results,
/// returns how many. Throwing is the only way to report an error (see `LuaError`).
public typealias LuaFunctionBody = (LuaCall) throws -> Int32

/// A Swift function object referenced from a Lua closure's upvalue. Released by `__gc`.
final class SwiftFunctionBox {
    let name: String
    let isMethod: Bool
    let body: LuaFunctionBody

    init(name: String, isMethod: Bool, body: @escaping LuaFunctionBody) {
        self.name = name
        self.isMethod = isMethod
        self.body = body
    }
}

/// Metatable name of the upvalue userdata that owns a `SwiftFunctionBox`.
let swiftFunctionGCName = "descry.swiftfunction"

/// The one dispatcher called by the C trampoline. It never raises: on error it pushes the
/// message (with the caller's position) and returns -1, and the trampoline raises it.
private let swiftDispatcher: descry_dispatch_fn = { L, raw in
    guard let L, let raw else { return 0 }
    let box = Unmanaged<SwiftFunctionBox>.fromOpaque(raw).takeUnretainedValue()
    let call = LuaCall(L: L, name: box.name, isMethod: box.isMethod)
    do {
        return try box.body(call)
    } catch let e as LuaError {
        pushErrorMessage(L, e.message, withPosition: e.withPosition)
    } catch {
        pushErrorMessage(L, "\(box.name): \(error)", withPosition: true)
    }
    return -1
}

/// Pushes `chunk:line: message` (position of the Lua caller, level 1, as luaL_error).
func pushErrorMessage(_ L: OpaquePointer, _ message: String, withPosition: Bool) {
    if withPosition {
        luaL_where(L, 1)
        lua_pushstring(L, message)
        lua_concat(L, 2)
    } else {
        lua_pushstring(L, message)
    }
}

/// `__gc` of the upvalue userdata: releases the Swift function object.
private let releaseSwiftFunction: lua_CFunction = { L in
    guard let L, let slot = lua_touserdata(L, 1)?.assumingMemoryBound(to: UnsafeMutableRawPointer?.self) else { return 0 }
    if let p = slot.pointee {
        Unmanaged<SwiftFunctionBox>.fromOpaque(p).release()
        slot.pointee = nil
    }
    return 0
}

public enum SwiftFunctions {
    /// Installs the dispatcher and the upvalue metatable in state `L` (idempotent).
    static func install(_ L: OpaquePointer) {
        descry_set_dispatcher(swiftDispatcher)
        if luaL_newmetatable(L, swiftFunctionGCName) != 0 {
            descry_pushcfunction(L, releaseSwiftFunction)
            lua_setfield(L, -2, "__gc")
        }
        descry_pop(L, 1)
    }

    /// Pushes a Lua function that runs `body`.
    static func push(_ L: OpaquePointer, name: String, isMethod: Bool, body: @escaping LuaFunctionBody) {
        let box = SwiftFunctionBox(name: name, isMethod: isMethod, body: body)
        let raw = Unmanaged.passRetained(box).toOpaque()
        descry_push_swift_closure(L, raw, swiftFunctionGCName)
    }
}

extension LuaCall {
    /// Pushes a Swift-implemented function (for functions that return closures).
    public func pushFunction(name: String, doc: String? = nil, _ body: @escaping LuaFunctionBody) {
        SwiftFunctions.push(L, name: name, isMethod: false, body: body)
        if let doc { Docs.set(L, index: -1, doc) }
    }
}

extension SwiftFunctions {
    /// Pushes a `__tostring` function that returns `text`.
    public static func pushToString(_ L: OpaquePointer, _ text: String) {
        push(L, name: "__tostring", isMethod: false) { call in
            call.push(text)
            return 1
        }
    }
}
