import XCTest
import CLua
import LuaShim
import LuaBridge
import LuaLinalgBridge
import DescryLinalg
@testable import DescryBindings

/// The contract other bindings rely on: `LuaCall.push(matrix:)` and `LuaCall.matrix(_:)`.
final class LaMatrixBridgeTests: XCTestCase {
    func makeState() -> LuaState {
        let state = LuaState()
        DescryModules.registerAll(in: state)
        return state
    }

    /// Runs `source` (which returns one value) and reads it with `call.matrix(-1)`.
    func matrix(_ state: LuaState, _ source: String) throws -> Matrix {
        let base = lua_gettop(state.L)
        guard case .ok = state.run(source: source, chunkName: "=test", nresults: 1) else {
            XCTFail("chunk failed: \(source)"); return Matrix(rows: 0, cols: 0)
        }
        defer { lua_settop(state.L, base) }
        return try state.context.matrix(-1)
    }

    func testMatrixAcceptsUserdataAndTables() throws {
        let state = makeState()
        XCTAssertEqual(try matrix(state, "return require('descry.la').matrix{{1, 2, 3}, {4, 5, 6}}"),
                       Matrix(rows: 2, cols: 3, data: [1, 2, 3, 4, 5, 6]))
        XCTAssertEqual(try matrix(state, "return {{1, 2}, {3, 4}}"), Matrix(rows: 2, cols: 2, data: [1, 2, 3, 4]))
        XCTAssertEqual(try matrix(state, "return {1, 2, 3}"), Matrix(rows: 3, cols: 1, data: [1, 2, 3]))
        XCTAssertThrowsError(try matrix(state, "return 'x'")) { e in
            XCTAssertTrue("\(e)".contains("la.matrix or table expected, got string"), "\(e)")
        }
        XCTAssertThrowsError(try matrix(state, "return {{1, 2}, {3}}")) { e in
            XCTAssertTrue("\(e)".contains("row 2 has 1 elements"), "\(e)")
        }
    }

    func testPushMatrixGivesAnLaMatrix() throws {
        let state = makeState()
        _ = state.run(source: "require 'descry.la'", chunkName: "=test", nresults: 0)
        let call = state.context
        call.push(matrix: Matrix(rows: 2, cols: 2, data: [1, 2, 3, 4]))
        lua_setglobal(state.L, "m")
        guard case .ok = state.run(source: "return m:get(2, 1) + m:sum(), tostring(m:shape())", chunkName: "=test", nresults: 2) else {
            return XCTFail("chunk failed")
        }
        XCTAssertEqual(descry_tonumberx(state.L, -2, nil), 13)
        XCTAssertEqual(state.describe(-1), "2")
        lua_settop(state.L, 0)
        XCTAssertEqual(try matrix(state, "return m"), Matrix(rows: 2, cols: 2, data: [1, 2, 3, 4]))
    }
}
