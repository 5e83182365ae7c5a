import LuaBridge

/// Every Swift-implemented Lua module, in the order the REPL preloads them.
public enum DescryModules {
    /// (module, REPL global name) pairs.
    public static var all: [LuaModule] {
        [coreModule, laModule, jsonModule, regressModule, statsModule, varModule, idimModule, atomsModule, descModule]
    }

    /// Registers every module with `state` (for `require`).
    public static func registerAll(in state: LuaState) {
        for m in all { state.register(m) }
    }
}
