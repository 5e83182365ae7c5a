import CLua
import LuaShim
import LuaBridge

/// A sub-command whose work is a function of a stdlib Lua module: `descry analyse`
/// (`descry.analysis`.command: the paper's analysis of an ensemble description, Swinburne,
/// PRL 131, 236101 (2023)), `descry desc` and `descry merge` (`descry.shard`.command /
/// .merge_command: runs split over job-array tasks that merge bit-identically). Only wiring:
/// the function receives the arguments as a list and returns the exit status (0 success,
/// 1 failure, 2 bad usage or description); a Lua error is reported and gives 1.
struct StdlibCommand {
    /// The sub-command's name, for messages ("descry NAME: ...").
    let name: String
    /// The stdlib module and the function of it to run.
    let module: String
    let function: String
    let arguments: [String]

    func run() -> Int32 {
        let state = Environment.makeState()
        Interrupts.install(state)
        let L = state.L
        let base = lua_gettop(L)
        let loaded = state.run(source: "return require('\(module)').\(function)", chunkName: "=descry \(name)", nresults: 1)
        guard case .ok = loaded else {
            if case .runtimeError(let m) = loaded { writeStderr("descry \(name): \(firstLine(m))\n") }
            if case .syntaxError(let m) = loaded { writeStderr("descry \(name): \(firstLine(m))\n") }
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
            writeStderr("descry \(name): \(m)\n")
            return 1
        }
    }
}
