import CLua
import LuaShim

/// A Swift class exposed to Lua as full userdata. The userdata holds one retained reference
/// and the number of bytes last reported to Lua's collector; its metatable (named
/// `luaTypeName`) releases the reference in `__gc`.
///
/// Memory: Lua's collector sees only the userdata's few bytes, so every object reports the
/// Swift memory behind it (`memoryFootprint`) when pushed, and again through
/// `LuaCall.reportGrowth(ofObjectAt:)` after an operation that may have grown it; see
/// `LuaCall.reportExternalAllocation`. A plain loop making objects then stays bounded by what
/// is live.
public protocol LuaObject: AnyObject {
    /// Metatable name, shown in errors: `bad argument #1 to 'f' (la.matrix expected, got table)`.
    static var luaTypeName: String { get }
    /// Heap bytes the object holds. The default measures the object's stored properties by
    /// reflection (`MemoryFootprint.bytes(of:)`); types holding unsafe buffers, or on hot
    /// paths, give their own count.
    var memoryFootprint: Int { get }
}

extension LuaObject {
    public var memoryFootprint: Int { MemoryFootprint.bytes(of: self) }
}

/// The userdata block of a LuaObject: the retained object and the bytes reported for it.
struct ObjectSlot {
    var object: UnsafeMutableRawPointer?
    var reportedBytes: Int
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
    guard let L, let slot = lua_touserdata(L, 1)?.assumingMemoryBound(to: ObjectSlot.self) else { return 0 }
    if let p = slot.pointee.object {
        Unmanaged<AnyObject>.fromOpaque(p).release()
        slot.pointee.object = nil
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
    /// Pushes `object` as userdata with its class metatable (which must have been defined),
    /// and reports its memory to the collector.
    public func push<T: LuaObject>(object: T) {
        let bytes = object.memoryFootprint
        let slot = descry_newuserdata(L, MemoryLayout<ObjectSlot>.size)!
            .assumingMemoryBound(to: ObjectSlot.self)
        slot.initialize(to: ObjectSlot(object: Unmanaged.passRetained(object as AnyObject).toOpaque(),
                                       reportedBytes: bytes))
        _ = descry_getmetatable_named(L, T.luaTypeName)
        lua_setmetatable(L, -2)
        reportExternalAllocation(bytes: bytes)
    }

    /// Re-reports the memory of the `T` object at `i` after an operation that may have grown
    /// it (buffers filled, caches built): growth since the last report is charged to the
    /// collector. No effect when the value at `i` is not a `T`.
    public func reportGrowth<T: LuaObject>(ofObjectAt i: Int32, as: T.Type = T.self) {
        guard let raw = luaL_testudata(L, i, T.luaTypeName) else { return }
        let slot = raw.assumingMemoryBound(to: ObjectSlot.self)
        guard let p = slot.pointee.object,
              let object = Unmanaged<AnyObject>.fromOpaque(p).takeUnretainedValue() as? T else { return }
        let measured = object.memoryFootprint
        let growth = measured - slot.pointee.reportedBytes
        slot.pointee.reportedBytes = measured
        if growth > 0 { reportExternalAllocation(bytes: growth) }
    }

    /// The bytes last reported to the collector for the Swift object at `i` (any LuaObject
    /// type), or nil when the value is not one.
    public func reportedMemory(at i: Int32) -> Int? {
        guard lua_type(L, i) == LUA_TUSERDATA, lua_getmetatable(L, i) != 0 else { return nil }
        lua_pushstring(L, "__gc")
        lua_rawget(L, -2)
        let gc = lua_tocfunction(L, -1)
        descry_pop(L, 2)
        guard let gc, unsafeBitCast(gc, to: UnsafeRawPointer.self) == unsafeBitCast(releaseObject, to: UnsafeRawPointer.self),
              let raw = lua_touserdata(L, i) else { return nil }
        return raw.assumingMemoryBound(to: ObjectSlot.self).pointee.reportedBytes
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
