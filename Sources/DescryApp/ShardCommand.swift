import CLua
import LuaShim
import LuaBridge

/// `descry desc [--shard i/n] ...` and `descry merge --out PREFIX PART...` (issue 14: runs split
/// over job-array tasks that merge bit-identically). Only wiring: the work is the Lua module
/// `descry.shard` (stdlib/descry/shard.lua), whose `command(args)` / `merge_command(args)`
/// return the exit status (0 success, 2 bad usage, refused parts or failed computation).
struct ShardCommand {
    /// The function of `descry.shard` to run: "command" (desc) or "merge_command" (merge).
    let function: String
    /// The sub-command's name, for messages.
    let name: String
    let arguments: [String]

    func run() -> Int32 {
        let state = Environment.makeState()
        Interrupts.install(state)
        let L = state.L
        let base = lua_gettop(L)
        let loaded = state.run(source: "return require('descry.shard').\(function)", chunkName: "=descry \(name)", nresults: 1)
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
