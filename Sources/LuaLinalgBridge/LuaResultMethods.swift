import DescryLinalg
import LuaBridge

extension LuaMethod {
    /// A Lua function or method whose one result is the matrix `get` computes from the call's
    /// arguments (e.g. a getter `obj:name() -> matrix`).
    public static func matrix(_ name: String, _ doc: String, _ get: @escaping (LuaCall) throws -> Matrix) -> LuaMethod {
        LuaMethod(name, doc) { call in
            call.push(matrix: try get(call))
            return 1
        }
    }

    /// A Lua function or method whose one result is the n × 1 matrix of the values `get` computes
    /// from the call's arguments (e.g. a getter `obj:name() -> column`).
    public static func column(_ name: String, _ doc: String, _ get: @escaping (LuaCall) throws -> [Double]) -> LuaMethod {
        LuaMethod(name, doc) { call in
            call.push(column: try get(call))
            return 1
        }
    }
}
