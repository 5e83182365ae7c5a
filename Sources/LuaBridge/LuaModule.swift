import CLua
import LuaShim

/// A module implemented in Swift, loaded by `require "<name>"` through `package.preload`.
public struct LuaModule {
    /// Full module name, e.g. `descry.la`.
    public let name: String
    /// Name used in error messages and as the REPL global, e.g. `la`.
    public let shortName: String
    public let doc: String
    public var functions: [LuaMethod]
    /// Classes whose metatables the module needs (defined when the state starts).
    public var classes: [LuaClass]
    /// Extra set-up of the module table (on top of the stack): constants, sub-tables.
    public var customize: ((LuaCall) throws -> Void)?

    public init(name: String, shortName: String, doc: String, functions: [LuaMethod],
                classes: [LuaClass] = [], customize: ((LuaCall) throws -> Void)? = nil) {
        self.name = name
        self.shortName = shortName
        self.doc = doc
        self.functions = functions
        self.classes = classes
        self.customize = customize
    }

    /// Builds the module table on the stack of `call`.
    func push(_ call: LuaCall) throws {
        let L = call.L
        lua_createtable(L, 0, Int32(functions.count))
        for f in functions {
            SwiftFunctions.push(L, name: "\(shortName).\(f.name)", isMethod: false, body: f.body)
            Docs.set(L, index: -1, f.doc)
            lua_setfield(L, -2, f.name)
        }
        Docs.set(L, index: -1, doc)
        try customize?(call)
    }
}
