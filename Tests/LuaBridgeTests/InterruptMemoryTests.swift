import XCTest
import CLua
import LuaShim
@testable import LuaBridge

/// A Swift object whose buffer grows after creation (as a reader's or a kernel's work buffers).
final class GrowingBuffer: LuaObject {
    static let luaTypeName = "test.growing"
    var values: [Double] = []
}

/// Interrupt delivery (issue 15: Ctrl-C always wins) and memory reports (issue 9) of the bridge.
final class InterruptMemoryTests: XCTestCase {
    func makeState() -> LuaState {
        let state = LuaState()
        let cls = LuaClass(typeName: GrowingBuffer.luaTypeName, shortName: "growing", doc: "A growing buffer.",
            methods: [LuaMethod("grow", "g:grow(n)") { call in
                let g = try call.object(1, as: GrowingBuffer.self)
                g.values.append(contentsOf: [Double](repeating: 1, count: try call.integer(2)))
                call.reportGrowth(ofObjectAt: 1, as: GrowingBuffer.self)
                return 0
            }])
        state.register(LuaModule(name: "g", shortName: "g", doc: "test", functions: [
            LuaMethod("new", "g.new()") { call in
                call.push(object: GrowingBuffer())
                return 1
            },
            LuaMethod("reported", "g.reported(v)") { call in
                call.results(call.reportedMemory(at: 1))
            },
        ], classes: [cls]))
        return state
    }

    /// An interrupt caught by a pcall inside the chunk is raised again at the next instruction,
    /// until the runner acknowledges it: the chunk cannot swallow Ctrl-C.
    func testInterruptStaysArmedThroughPcall() {
        let state = LuaState()
        descry_interrupt_arm(state.L)
        defer { descry_interrupt_disarm() }
        descry_interrupt_signal()
        let outcome = state.run(source: """
            for k = 1, 3 do pcall(function() for i = 1, 10 do end end) end
            return "finished"
            """, chunkName: "=chunk")
        guard case .runtimeError(let message) = outcome else {
            return XCTFail("the chunk finished despite the interrupt: \(outcome)")
        }
        XCTAssertTrue(message.contains("interrupted!"), message)
        XCTAssertEqual(descry_interrupt_delivered(state.L), 1)
        XCTAssertEqual(descry_interrupt_requested(), 0)
        // delivered: the next chunk runs normally
        guard case .ok = state.run(source: "for i = 1, 100 do end return 1", chunkName: "=next") else {
            return XCTFail("the interrupt outlived its delivery")
        }
    }

    /// The collector charge runs no Lua code: a pending interrupt is not raised (and so cannot
    /// be lost) inside it, and is still pending afterwards.
    func testCollectorChargeKeepsPendingInterrupt() {
        let state = LuaState()
        descry_interrupt_arm(state.L)
        defer { descry_interrupt_disarm() }
        descry_interrupt_signal()
        state.context.reportExternalAllocation(bytes: 64 << 20)
        XCTAssertEqual(descry_interrupt_requested(), 1)
        XCTAssertEqual(descry_interrupt_delivered(state.L), 1)
    }

    /// Objects report their memory when pushed, and their growth when re-reported.
    func testObjectsReportMemoryAndGrowth() {
        let state = makeState()
        let outcome = state.run(source: """
            local g = require "g"
            local b = g.new()
            local before = g.reported(b)
            b:grow(100000)
            return before, g.reported(b), g.reported({})
            """, chunkName: "=grow")
        guard case .ok(let n) = outcome, n == 3 else { return XCTFail("\(outcome)") }
        let L = state.L
        let before = lua_tointegerx_safe(L, -3)
        let after = lua_tointegerx_safe(L, -2)
        XCTAssertLessThan(before, 1000)
        XCTAssertGreaterThanOrEqual(after, 800_000)
        XCTAssertEqual(lua_type(L, -1), LUA_TNIL)
    }

    /// Reflection counts array buffers (trivial elements without visiting them) and nested ones.
    func testFootprintByReflection() {
        struct Inner { var a = [Double](repeating: 0, count: 1000) }
        final class Outer {
            var xs = [SIMD3<Double>](repeating: .zero, count: 1000)
            var inner = [Inner(), Inner()]
        }
        let bytes = MemoryFootprint.bytes(of: Outer())
        XCTAssertGreaterThanOrEqual(bytes, 1000 * 32 + 2 * 8000)
        XCTAssertLessThan(bytes, 1000 * 32 + 2 * 8000 + 1000)
    }
}
