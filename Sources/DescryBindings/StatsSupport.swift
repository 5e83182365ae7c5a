import CLua
import DescryLinalg
import DescryStats
import LuaBridge
import LuaShim

// Argument helpers shared by the descry.regress / stats / var / idim bindings (no numerics).

extension LuaCall {
    /// A Lua array of matrices (e.g. trajectories) at argument i.
    func matrices(_ i: Int32, _ what: String = "trajectories") throws -> [Matrix] {
        guard type(i) == LUA_TTABLE, testMatrix(i) == nil else { throw typeError(i, expected: "table of la.matrix (\(what))") }
        let t = lua_absindex(L, i)
        let n = Int(lua_rawlen(L, t))
        guard n > 0 else { throw argumentError(i, "\(what): empty list") }
        var out: [Matrix] = []
        for k in 1...n {
            lua_rawgeti(L, t, lua_Integer(k))
            defer { descry_pop(L, 1) }
            guard let m = testMatrix(-1) else {
                throw argumentError(i, "\(what): entry \(k) is \(typeName(-1)), la.matrix expected")
            }
            out.append(m.m)
        }
        return out
    }

    /// Pushes a Lua array of matrices.
    func push(matrices: [Matrix]) {
        lua_createtable(L, Int32(clamping: matrices.count), 0)
        for (k, m) in matrices.enumerated() {
            push(matrix: m)
            lua_rawseti(L, -2, lua_Integer(k + 1))
        }
    }

    /// The "seed" option (an integer, any sign) or `def`.
    func seedOption(_ i: Int32, default def: UInt64 = 0) throws -> UInt64 {
        guard let s = try optionInteger(i, "seed") else { return def }
        return UInt64(bitPattern: Int64(s))
    }

    /// A covariance estimator name: "empirical", "lw" (Ledoit–Wolf), "oas" (scikit-learn
    /// formula, default) or "oas_chen" (Chen et al. 2010 eq. 23).
    func covarianceMethod(_ name: String?, arg i: Int32) throws -> CovarianceMethod {
        switch name ?? "oas" {
        case "empirical": return .empirical
        case "lw", "ledoit_wolf": return .ledoitWolf
        case "oas", "oas_sklearn": return .oas(.sklearn)
        case "oas_chen", "chen": return .oas(.chen2010)
        default: throw argumentError(i, "unknown covariance method '\(name!)'; known: empirical, lw, oas, oas_chen")
        }
    }

    /// A Double that must be an integer (as Lua would accept for an index), else nil.
    func exactInt(_ v: Double) -> Int? {
        guard v.isFinite, v == v.rounded(), abs(v) < 1e15 else { return nil }
        return Int(v)
    }

    /// Pops one value.
    func pop() { descry_pop(L, 1) }

    /// Pushes t[k] (raw) for the table at i.
    func rawIndex(_ i: Int32, _ k: Int) { lua_rawgeti(L, i, lua_Integer(k)) }

    /// Pushes a Lua array of n values, each pushed by `item(k)` (0-based k).
    func pushList(_ n: Int, _ item: (Int) throws -> Void) rethrows {
        lua_createtable(L, Int32(clamping: n), 0)
        for k in 0..<n {
            try item(k)
            lua_rawseti(L, -2, lua_Integer(k + 1))
        }
    }

    /// Matrix field `key` of the table at i: an la.matrix or a JSON-style {rows=, cols=, data=}.
    func matrixField(_ i: Int32, _ key: String) throws -> Matrix {
        rawField(i, key)
        defer { descry_pop(L, 1) }
        if let m = testMatrix(-1) { return m.m }
        guard type(-1) == LUA_TTABLE else { throw argumentError(i, "field '\(key)': matrix expected, got \(typeName(-1))") }
        let top = lua_gettop(L)
        let r = try option(top, "rows", expected: "integer") { idx in lua_type(L, idx) == LUA_TNUMBER ? exactInt(descry_tonumberx(L, idx, nil)) : nil }
        let c = try option(top, "cols", expected: "integer") { idx in lua_type(L, idx) == LUA_TNUMBER ? exactInt(descry_tonumberx(L, idx, nil)) : nil }
        rawField(top, "data")
        defer { descry_pop(L, 1) }
        guard let r, let c, r >= 0, c >= 0, type(-1) == LUA_TTABLE else {
            throw argumentError(i, "field '\(key)': expected {rows=, cols=, data=}")
        }
        let data = try numberArray(-1)
        guard data.count == r * c else { throw argumentError(i, "field '\(key)': \(data.count) values for \(r)×\(c)") }
        return Matrix(rows: r, cols: c, data: data)
    }

    /// Builds a Lua table from (key, push) pairs and leaves it on the stack.
    func pushRecord(_ fields: [(String, () -> Void)]) {
        lua_createtable(L, 0, Int32(fields.count))
        for (k, f) in fields { f(); setField(-2, k) }
    }
}
