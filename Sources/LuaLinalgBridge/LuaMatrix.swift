import CLua
import DescryLinalg
import LuaBridge
import LuaShim
#if canImport(Glibc)
import Glibc
#endif

/// The Lua userdata behind `la.matrix`: one engine `Matrix` (row-major Float64), mutable in
/// place by `m:set` and friends. Bindings exchange matrices through `LuaCall.push(matrix:)`
/// and `LuaCall.matrix(_:)`; this target is the only code that converts matrices to and from
/// Lua values.
public final class LuaMatrix: LuaObject {
    public static let luaTypeName = "la.matrix"
    /// Exclusivity is not checked dynamically: bindings never hold two accesses to `m` at once,
    /// and the check costs ~20 ns on every m:get / m:set.
    @exclusivity(unchecked) public var m: Matrix
    public init(_ m: Matrix) { self.m = m }
    /// The element buffer plus the object header (no reflection: matrices are made in hot loops).
    public var memoryFootprint: Int { m.count &* 8 &+ 64 }
}

/// "la.matrix" as a C string allocated once: luaL_testudata on hot paths (m:get, m:set) then
/// needs no String-to-C conversion.
@usableFromInline let matrixTypeNameC: UnsafeMutablePointer<CChar> = strdup(LuaMatrix.luaTypeName)!

extension LuaCall {
    /// The `la.matrix` at `i`, or nil (a fast `testMatrix(i)`: the metatable
    /// check guarantees the stored object is a LuaMatrix, so no dynamic cast is needed).
    @inlinable @inline(__always)
    public func testMatrix(_ i: Int32) -> LuaMatrix? {
        guard let raw = luaL_testudata(L, i, matrixTypeNameC),
              let p = raw.assumingMemoryBound(to: UnsafeMutableRawPointer?.self).pointee else { return nil }
        return Unmanaged<LuaMatrix>.fromOpaque(p).takeUnretainedValue()
    }

    /// Pushes `matrix` as a new `la.matrix` userdata (the descry.la module must be registered);
    /// its memory is reported to Lua's collector as for every `LuaObject`.
    public func push(matrix: Matrix) {
        push(object: LuaMatrix(matrix))
    }

    /// The matrix at argument `i`: an `la.matrix`, a nested table of rows `{{1, 2}, {3, 4}}`, or a
    /// flat table of numbers `{1, 2, 3}` (a column vector, n×1). Otherwise a Lua argument error.
    public func matrix(_ i: Int32) throws -> Matrix {
        if let obj = testMatrix(i) { return obj.m }
        if type(i) == LUA_TTABLE { return try matrixFromTable(i) }
        throw typeError(i, expected: "la.matrix or table")
    }

    /// The `la.matrix` object at `i` (no tables), for in-place operations.
    public func matrixObject(_ i: Int32) throws -> LuaMatrix {
        guard let obj = testMatrix(i) else { throw typeError(i, expected: LuaMatrix.luaTypeName) }
        return obj
    }

    /// Reads a flat table (column vector) or a nested table of equal-length rows (raw accesses).
    public func matrixFromTable(_ i: Int32) throws -> Matrix {
        let t = lua_absindex(L, i)
        let n = Int(lua_rawlen(L, t))
        if n == 0 { return Matrix(rows: 0, cols: 0) }
        lua_rawgeti(L, t, 1)
        let firstIsTable = lua_type(L, -1) == LUA_TTABLE
        descry_pop(L, 1)
        if !firstIsTable { return Matrix(rows: n, cols: 1, data: try numberArray(i)) }
        var cols = -1
        var data: [Double] = []
        for r in 0..<n {
            lua_rawgeti(L, t, lua_Integer(r + 1))
            defer { descry_pop(L, 1) }
            guard lua_type(L, -1) == LUA_TTABLE else {
                throw argumentError(i, "row \(r + 1) is \(String(cString: descry_typename(L, -1))), table expected")
            }
            let row = lua_gettop(L)
            let c = Int(lua_rawlen(L, row))
            if cols < 0 {
                cols = c
                data.reserveCapacity(n * c)
            } else if c != cols {
                throw argumentError(i, "row \(r + 1) has \(c) elements, row 1 has \(cols) (rows must have equal length)")
            }
            for k in 0..<c {
                lua_rawgeti(L, row, lua_Integer(k + 1))
                defer { descry_pop(L, 1) }
                guard lua_type(L, -1) == LUA_TNUMBER else {
                    throw argumentError(i, "element [\(r + 1)][\(k + 1)] is \(String(cString: descry_typename(L, -1))), number expected")
                }
                data.append(descry_tonumberx(L, -1, nil))
            }
        }
        return Matrix(rows: n, cols: cols, data: data)
    }
}
