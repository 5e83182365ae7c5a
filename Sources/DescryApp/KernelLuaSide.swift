import CLua
import LuaShim
import LuaBridge
import DescryLinalg
#if canImport(Glibc)
import Glibc
#endif

/// What the Lua state gets under the kernel (`stdlib/descry/jupyter.lua`): `io.read` asks the
/// frontend (`input_request` on the stdin channel), `display(x)` and inline figures send
/// `display_data`; the format and help functions the kernel calls are kept in the registry.
extension Kernel {
    func installLuaSide() {
        let L = state.L
        let base = lua_gettop(L)
        defer { lua_settop(L, base) }
        guard case .ok = state.run(source: "return require('descry.jupyter')", chunkName: "=descry", nresults: 1),
              lua_type(L, -1) == LUA_TTABLE else {
            output.log("cannot load descry.jupyter (stdlib missing?): results print as tostring, io.read reads nothing")
            return
        }
        let module = lua_gettop(L)
        lua_getfield(L, module, "format")
        lua_setfield(L, descry_registryindex(), Self.formatKey)
        lua_getfield(L, module, "help_text")
        lua_setfield(L, descry_registryindex(), Self.helpKey)
        lua_getfield(L, module, "install")
        let context = state.context
        context.pushFunction(name: "input", doc: "input([prompt]) -> string: a line typed in the notebook's input box") { [unowned self] call in
            call.push(try readInput(prompt: try call.optString(1, "") ?? "", call))
            return 1
        }
        context.pushFunction(name: "display", doc: "sends a MIME bundle to the notebook") { [unowned self] call in
            try sendDisplay(call)
            return 0
        }
        if case .runtimeError(let m) = state.callTop(base: module, nargs: 2, nresults: 0) {
            output.log("descry.jupyter.install failed: \(m)")
        }
    }

    /// Sends `input_request` with `prompt` and waits for the reply; an interrupt ends the wait.
    private func readInput(prompt: String, _ call: LuaCall) throws -> String {
        guard let request = running, allowStdin else {
            throw call.error("this frontend does not accept input (allow_stdin is false)")
        }
        output.flush()
        let content = JSONValue.object([("prompt", .string(prompt)), ("password", .bool(false))])
        stdin.send(wire.encode(type: "input_request", content: content, parent: request, identities: request.identities))
        while true {
            if descry_interrupt_requested() != 0 { throw call.error("interrupted!") }
            guard stdin.waitReadable(timeoutMs: 50) else { continue }
            guard let frames = stdin.receive() else { throw call.error("the stdin channel closed") }
            do {
                let reply = try wire.decode(frames)
                guard reply.type == "input_reply" else {
                    output.log("stdin: unexpected '\(reply.type)' ignored")
                    continue
                }
                return reply["value"]?.stringValue ?? ""
            } catch {
                output.log("stdin: message refused: \(error)")
            }
        }
    }

    /// `display(bundle)`: the table of MIME type → text at argument 1 as `display_data`.
    private func sendDisplay(_ call: LuaCall) throws {
        try call.checkTable(1)
        let L = call.L
        var data: [(String, JSONValue)] = []
        lua_pushnil(L)
        while lua_next(L, 1) != 0 {
            if lua_type(L, -2) == LUA_TSTRING, lua_type(L, -1) == LUA_TSTRING,
               let k = descry_tolstring(L, -2, nil) {
                var length = 0
                let p = descry_tolstring(L, -1, &length)!
                let bytes = UnsafeRawBufferPointer(start: p, count: length)
                data.append((String(cString: k), .string(String(decoding: bytes, as: UTF8.self))))
            }
            descry_pop(L, 1)
        }
        data.sort { $0.0 < $1.0 }
        output.flush()
        publisher.publish("display_data", .object([
            ("data", .object(data)),
            ("metadata", .object([])),
            ("transient", .object([])),
        ]))
    }
}
