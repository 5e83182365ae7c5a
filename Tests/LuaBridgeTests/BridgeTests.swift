import XCTest
import CLua
import LuaShim
@testable import LuaBridge

/// A Swift object exposed to Lua, counting its deinitialisations (to test `__gc`).
final class Probe: LuaObject {
    static let luaTypeName = "test.probe"
    nonisolated(unsafe) static var alive = 0
    let value: Double
    init(_ v: Double) { value = v; Probe.alive += 1 }
    deinit { Probe.alive -= 1 }
}

final class BridgeTests: XCTestCase {
    /// A state with a `t` module exercising argument checks, options, objects and callbacks.
    func makeState() -> LuaState {
        let state = LuaState()
        let probeClass = LuaClass(typeName: Probe.luaTypeName, shortName: "probe", doc: "A probe.",
            methods: [LuaMethod("value", "probe:value() -> number") { call in
                call.push(try call.object(1, as: Probe.self).value); return 1
            }],
            metamethods: [LuaMethod("__tostring", "") { call in
                call.push("probe(\(try call.object(1, as: Probe.self).value))"); return 1
            }])
        state.register(LuaModule(name: "t", shortName: "t", doc: "test module", functions: [
            LuaMethod("add", "t.add(a, b)") { call in
                call.push(try call.number(1) + call.number(2)); return 1
            },
            LuaMethod("rep", "t.rep(s, n)") { call in
                call.push(String(repeating: try call.string(1), count: try call.integer(2))); return 1
            },
            LuaMethod("opts", "t.opts{n=, name=, flag=}") { call in
                try call.checkOptionKeys(1, allowed: ["n", "name", "flag"])
                let n = try call.optionInteger(1, "n") ?? 1
                let name = try call.optionString(1, "name") ?? "x"
                let flag = try call.optionBool(1, "flag") ?? false
                call.push("\(name)\(n)\(flag)"); return 1
            },
            LuaMethod("probe", "t.probe(v)") { call in
                call.push(object: Probe(try call.number(1))); return 1
            },
            LuaMethod("callback", "t.callback(f, x) -> f(x) + 1, or the error") { call in
                try call.checkFunction(1)
                call.copyValue(1)
                call.copyValue(2)
                try call.pcall(nargs: 1, nresults: 1)
                call.push(try call.number(-1) + 1); return 1
            },
            LuaMethod("sum", "t.sum(array)") { call in
                call.push(try call.numberArray(1).reduce(0, +)); return 1
            },
        ], classes: [probeClass]))
        _ = state.run(source: "t = require 't'", chunkName: "=setup")
        return state
    }

    /// Runs `code` and returns its first result as a string (or the error message).
    func eval(_ state: LuaState, _ code: String) -> String {
        switch state.run(source: code, chunkName: "=test", nresults: 1) {
        case .ok:
            defer { lua_settop(state.L, 0) }
            return state.describe(-1)
        case .syntaxError(let m), .runtimeError(let m):
            return "ERR " + (m.split(separator: "\n").first.map(String.init) ?? m)
        }
    }

    /// Runs each chunk in order on one fresh state and checks what `eval` returns for it.
    func assertResults(_ cases: [(code: String, expected: String)], file: StaticString = #filePath, line: UInt = #line) {
        let s = makeState()
        for c in cases { XCTAssertEqual(eval(s, c.code), c.expected, c.code, file: file, line: line) }
    }

    func testArgumentsAndResults() {
        assertResults([
            ("return t.add(1, 2.5)", "3.5"),
            ("return t.rep('ab', 3)", "ababab"),
            ("return t.sum({1, 2, 3.5})", "6.5"),
        ])
    }

    func testLauxlibStyleArgumentErrors() {
        assertResults([
            ("return t.add(1, 'x')", "ERR test:1: bad argument #2 to 't.add' (number expected, got string)"),
            ("return t.add(1)", "ERR test:1: bad argument #2 to 't.add' (number expected, got no value)"),
            ("return t.rep('a', 1.5)", "ERR test:1: bad argument #2 to 't.rep' (number has no integer representation)"),
            ("return t.sum({1, 'x'})", "ERR test:1: bad argument #1 to 't.sum' (element 2 is string, number expected)"),
            ("return t.add(t.probe(1), 2)", "ERR test:1: bad argument #1 to 't.add' (number expected, got test.probe)"),
        ])
    }

    func testOptionsTables() {
        assertResults([
            ("return t.opts{n = 3, name = 'a', flag = true}", "a3true"),
            ("return t.opts{}", "x1false"),
            ("return t.opts{n = 'x'}",
             "ERR test:1: bad argument #1 to 't.opts' (option 'n': integer expected, got string)"),
            ("return t.opts{m = 1}",
             "ERR test:1: bad argument #1 to 't.opts' (unknown option 'm'; known: flag, n, name)"),
        ])
    }

    func testMethodsCountArgumentsWithoutSelf() {
        assertResults([
            ("return t.probe(2.5):value()", "2.5"),
            ("return tostring(t.probe(4))", "probe(4.0)"),
            ("local p = t.probe(1); return p.value(42)",
             "ERR test:1: calling 'probe:value' on bad self (test.probe expected, got number)"),
        ])
    }

    func testErrorsAreCatchableAndStateSurvives() {
        let s = makeState()
        XCTAssertEqual(eval(s, "return select(2, pcall(t.add, nil, 1))"),
                       "bad argument #1 to 't.add' (number expected, got nil)")
        XCTAssertEqual(eval(s, "return t.add(40, 2)"), "42.0")
        XCTAssertEqual(lua_gettop(s.L), 0)
    }

    func testCallbackIntoLuaIsProtected() {
        let s = makeState()
        XCTAssertEqual(eval(s, "return t.callback(function(x) return x * 2 end, 20)"), "41.0")
        // An error inside the Lua callback returns through Swift as a thrown error, then is
        // raised again by the trampoline: catchable, with the callback's message.
        XCTAssertEqual(eval(s, "return select(2, pcall(t.callback, function() error('inner') end, 1))"),
                       "test:1: inner")
        XCTAssertEqual(eval(s, "return t.callback(function(x) return x end, 1)"), "2.0")
    }

    func testUserdataIsReleasedByGC() {
        let s = makeState()
        let before = Probe.alive
        _ = eval(s, "for i = 1, 1000 do local p = t.probe(i) end return 0")
        _ = eval(s, "collectgarbage(); collectgarbage(); return 0")
        XCTAssertEqual(Probe.alive, before)
        _ = eval(s, "keep = t.probe(1) return 0")
        _ = eval(s, "collectgarbage(); return 0")
        XCTAssertEqual(Probe.alive, before + 1)
    }

    func testDocstrings() {
        let s = makeState()
        lua_getglobal(s.L, "t")
        XCTAssertEqual(Docs.get(s.L, index: -1), "test module")
        lua_getfield(s.L, -1, "add")
        XCTAssertEqual(Docs.get(s.L, index: -1), "t.add(a, b)")
        lua_settop(s.L, 0)
    }

    func testSyntaxAndRuntimeOutcomes() {
        let s = makeState()
        if case .syntaxError(let m) = s.run(source: "x = = 1", chunkName: "=chunk") {
            XCTAssertTrue(m.hasPrefix("chunk:1:"), m)
        } else { XCTFail("expected a syntax error") }
        if case .runtimeError(let m) = s.run(source: "error('boom')", chunkName: "=chunk") {
            XCTAssertTrue(m.hasPrefix("chunk:1: boom\nstack traceback:"), m)
        } else { XCTFail("expected a runtime error") }
    }
}
