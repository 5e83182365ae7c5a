import CLua
import LuaShim
import LuaBridge

/// `descry analyse ENSEMBLE.lua [--out DIR] [--only STEP...]`: the paper's whole analysis
/// (Swinburne, PRL 131, 236101 (2023)) on an ensemble description. Only wiring: the analysis
/// is the Lua module `descry.analysis` (stdlib/descry/analysis.lua), whose `command(args)`
/// returns the exit status (0 success, 1 analysis failure, 2 bad description or usage).
struct AnalyseCommand {
    let arguments: [String]

    func run() -> Int32 {
        let state = Environment.makeState()
        Interrupts.install(state)
        let L = state.L
        let base = lua_gettop(L)
        let loaded = state.run(source: "return require('descry.analysis').command", chunkName: "=descry analyse", nresults: 1)
        guard case .ok = loaded else {
            if case .runtimeError(let m) = loaded { writeStderr("descry analyse: \(firstLine(m))\n") }
            if case .syntaxError(let m) = loaded { writeStderr("descry analyse: \(firstLine(m))\n") }
            return 1
        }
        lua_createtable(L, Int32(arguments.count), 0)
        for (k, a) in arguments.enumerated() {
            lua_pushstring(L, a)
            lua_rawseti(L, -2, lua_Integer(k + 1))
        }
        switch state.callTop(base: base, nargs: 1, nresults: 1) {
        case .ok:
            let status = lua_tointegerx_safe(L, -1)
            descry_pop(L, 1)
            return Int32(truncatingIfNeeded: status)
        case .syntaxError(let m), .runtimeError(let m):
            writeStderr("descry analyse: \(m)\n")
            return 1
        }
    }
}
