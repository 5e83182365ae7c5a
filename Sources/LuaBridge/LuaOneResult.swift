extension LuaMethod {
    /// A Lua function or method with one result: `push` leaves it on the stack (e.g. a getter
    /// `obj:name() -> value`), and the call returns it.
    public static func returning(_ name: String, _ doc: String, _ push: @escaping (LuaCall) throws -> Void) -> LuaMethod {
        LuaMethod(name, doc) { call in
            try push(call)
            return 1
        }
    }
}
