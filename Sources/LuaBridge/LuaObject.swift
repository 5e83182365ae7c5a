import CLua
import LuaShim

/// A Swift class exposed to Lua as full userdata. The userdata holds one retained reference;
/// its metatable (named `luaTypeName`) releases it in `__gc`.
public protocol LuaObject: AnyObject {
    /// Metatable name, shown in errors: `bad argument #1 to 'f' (la.matrix expected, got table)`.
    static var luaTypeName: String { get }
}

/// A method or metamethod of a `LuaClass`.
public struct LuaMethod {
    public let name: String
    public let doc: String
    public let body: LuaFunctionBody
    public init(_ name: String, _ doc: String, _ body: @escaping LuaFunctionBody) {
        self.name = name
        self.doc = doc
        self.body = body
    }
}

/// The Lua face of a `LuaObject` type: methods (reached through `__index`), metamethods
/// (`__add`, `__tostring`, `__len`, ...) and a docstring attached to the metatable.
public struct LuaClass {
    public let typeName: String
    /// Short name used in method error messages, e.g. `matrix` gives `matrix:rows`.
    public let shortName: String
    public let doc: String
    public var methods: [LuaMethod]
    public var metamethods: [LuaMethod]

    public init(typeName: String, shortName: String, doc: String,
                methods: [LuaMethod], metamethods: [LuaMethod] = []) {
        self.typeName = typeName
        self.shortName = shortName
        self.doc = doc
        self.methods = methods
        self.metamethods = metamethods
    }
}

/// `__gc` shared by every LuaObject metatable.
private let releaseObject: lua_CFunction = { L in
    guard let L, let slot = lua_touserdata(L, 1)?.assumingMemoryBound(to: UnsafeMutableRawPointer?.self) else { return 0 }
    if let p = slot.pointee {
        Unmanaged<AnyObject>.fromOpaque(p).release()
        slot.pointee = nil
    }
    return 0
}

enum LuaClasses {
    /// Creates the metatable of `cls` in state `L` (replacing an earlier definition).
    static func define(_ L: OpaquePointer, _ cls: LuaClass) {
        _ = luaL_newmetatable(L, cls.typeName)
        let mt = lua_gettop(L)
        descry_newtable(L)  // methods
        for m in cls.methods {
            SwiftFunctions.push(L, name: "\(cls.shortName):\(m.name)", isMethod: true, body: m.body)
            Docs.set(L, index: -1, m.doc)
            lua_setfield(L, -2, m.name)
        }
        lua_setfield(L, mt, "__index")
        for m in cls.metamethods {
            SwiftFunctions.push(L, name: "\(cls.shortName).\(m.name)", isMethod: false, body: m.body)
            Docs.set(L, index: -1, m.doc)
            lua_setfield(L, mt, m.name)
        }
        descry_pushcfunction(L, releaseObject)
        lua_setfield(L, mt, "__gc")
        lua_pushstring(L, cls.typeName)
        lua_setfield(L, mt, "__name")
        Docs.set(L, index: mt, cls.doc)
        descry_pop(L, 1)
    }
}

extension LuaCall {
    /// Pushes `object` as userdata with its class metatable (which must have been defined).
    public func push<T: LuaObject>(object: T) {
        let slot = descry_newuserdata(L, MemoryLayout<UnsafeMutableRawPointer>.size)!
            .assumingMemoryBound(to: UnsafeMutableRawPointer?.self)
        slot.pointee = Unmanaged.passRetained(object as AnyObject).toOpaque()
        _ = descry_getmetatable_named(L, T.luaTypeName)
        lua_setmetatable(L, -2)
    }

    /// The object of type `T` at `i`, or nil if the value is something else.
    public func testObject<T: LuaObject>(_ i: Int32, as: T.Type = T.self) -> T? {
        guard let raw = luaL_testudata(L, i, T.luaTypeName) else { return nil }
        let slot = raw.assumingMemoryBound(to: UnsafeMutableRawPointer?.self)
        guard let p = slot.pointee else { return nil }
        return Unmanaged<AnyObject>.fromOpaque(p).takeUnretainedValue() as? T
    }

    /// The object of type `T` at `i`, else `bad argument #i to 'f' (T expected, got X)`.
    public func object<T: LuaObject>(_ i: Int32, as: T.Type = T.self) throws -> T {
        guard let v = testObject(i, as: T.self) else { throw typeError(i, expected: T.luaTypeName) }
        return v
    }
}
