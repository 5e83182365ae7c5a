import LuaBridge
import LuaLinalgBridge
#if canImport(Glibc)
import Glibc
#endif

/// descry's version string (semantic versioning).
public let descryVersion = "0.1.0"

/// `descry.core`: small host services the Lua standard library lacks (docstrings, a monotonic
/// clock, the interrupt flag), plus a no-op used to measure Swift call overhead.
public let coreModule = LuaModule(
    name: "descry.core", shortName: "core",
    doc: "descry.core: host services (docstrings, monotonic clock, version, the module registry, memory reports).",
    functions: [
        LuaMethod("doc", """
            core.doc(v) -> string|nil
            The docstring attached to value v (a built-in function, method, module table or
            class metatable), or nil.
            """) { call in
            if let d = Docs.get(call.L, index: 1) { call.push(d) } else { call.pushNil() }
            return 1
        },
        LuaMethod("setdoc", """
            core.setdoc(v, text) -> v
            Attaches docstring `text` to v (a function or table), so help(v) prints it.
            """) { call in
            let t = call.type(1)
            guard t == LUA_TFUNCTION_VALUE || t == LUA_TTABLE_VALUE else {
                throw call.typeError(1, expected: "function or table")
            }
            let text = try call.string(2)
            Docs.set(call.L, index: 1, text)
            call.copyValue(1)
            return 1
        },
        CoreWriteFile.method,
        LuaMethod("clock", """
            core.clock() -> number
            Monotonic wall-clock time in seconds (CLOCK_MONOTONIC), for timing code.
            """) { call in
            var ts = timespec()
            clock_gettime(CLOCK_MONOTONIC, &ts)
            call.push(Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9)
            return 1
        },
        LuaMethod("nop", """
            core.nop() -> nothing
            Does nothing; a Swift-implemented function for measuring call overhead.
            """) { _ in 0 },
        LuaMethod("modules", """
            core.modules() -> list
            descry's module registry, one table per module in overview order: {name = "descry.la",
            global = "la" (the REPL/notebook global, nil when there is none), kind = "swift" or
            "lua" (stdlib file), summary = one line}. The help overview, the tests and the API
            fuzz read it.
            """) { call in
            call.pushList(DescryModules.registry.count) { k in
                let entry = DescryModules.registry[k]
                call.pushRecord([
                    ("name", { call.push(entry.name) }),
                    ("global", { entry.global.push(to: call) }),
                    ("kind", { call.push(entry.kind.rawValue) }),
                    ("summary", { call.push(entry.summary) }),
                ])
            }
            return 1
        },
        LuaMethod("memory", """
            core.memory(v) -> integer|nil
            Bytes of Swift memory that the descry object v (a matrix, frame, neighbour list,
            trajectory, model, ...) has reported to Lua's garbage collector, which collects it
            as if Lua had allocated them; nil when v is not such an object.
            """) { call in
            return call.results(call.reportedMemory(at: 1))
        },
        LuaMethod("fail", """
            core.fail(message) -> never returns
            Raises `message` as an error from Swift code (through the C trampoline);
            used by tests of the error path.
            """) { call in
            throw call.error(try call.string(1))
        },
    ],
    customize: { call in
        call.push(descryVersion)
        call.setField(-2, "version")
        call.pushCNop()
        Docs.set(call.L, index: -1, """
            core.cnop() -> nothing
            Does nothing; a plain C function, the baseline for core.nop's call overhead.
            """)
        call.setField(-2, "cnop")
    }
)
