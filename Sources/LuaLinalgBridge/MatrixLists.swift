import DescryLinalg
import LuaBridge

/// Matrices in Lua containers: lists of matrices (trajectories), matrix fields of tables
/// (`{rows=, cols=, data=}` as JSON gives them back), and matrices as returned values.
extension Matrix: LuaPushable {
    /// Pushes the matrix as a new `la.matrix`.
    public func push(to call: LuaCall) { call.push(matrix: self) }
}

extension LuaCall {
    /// A Lua array of matrices (e.g. trajectories) at argument i.
    public func matrices(_ i: Int32, _ what: String = "trajectories") throws -> [Matrix] {
        guard type(i) == LUA_TTABLE_VALUE, testMatrix(i) == nil else {
            throw typeError(i, expected: "table of la.matrix (\(what))")
        }
        guard rawLength(i) > 0 else { throw argumentError(i, "\(what): empty list") }
        var out: [Matrix] = []
        try forEachElement(i) { k, element in
            guard let m = testMatrix(element) else {
                throw argumentError(i, "\(what): entry \(k) is \(typeName(element)), la.matrix expected")
            }
            out.append(m.m)
        }
        return out
    }

    /// Pushes a Lua array of matrices.
    public func push(matrices: [Matrix]) {
        pushList(matrices.count) { k in push(matrix: matrices[k]) }
    }

    /// Pushes a column vector of `values`.
    public func push(column values: [Double]) {
        push(matrix: Matrix(rows: values.count, cols: 1, data: values))
    }

    /// Matrix field `key` of the table at i: an la.matrix or a JSON-style {rows=, cols=, data=}.
    public func matrixField(_ i: Int32, _ key: String) throws -> Matrix {
        try withField(i, key) { field in
            if let m = testMatrix(field) { return m.m }
            guard type(field) == LUA_TTABLE_VALUE else {
                throw argumentError(i, "field '\(key)': matrix expected, got \(typeName(field))")
            }
            return try matrixRecord(field, arg: i, key: key)
        }
    }

    /// Reads `{rows=, cols=, data={...}}` (row-major data) at `table`.
    private func matrixRecord(_ table: Int32, arg i: Int32, key: String) throws -> Matrix {
        let r = try option(table, "rows", expected: "integer") { idx in numberValue(idx).flatMap(exactInteger) }
        let c = try option(table, "cols", expected: "integer") { idx in numberValue(idx).flatMap(exactInteger) }
        return try withField(table, "data") { data in
            guard let r, let c, r >= 0, c >= 0, type(data) == LUA_TTABLE_VALUE else {
                throw argumentError(i, "field '\(key)': expected {rows=, cols=, data=}")
            }
            let values = try numberArray(data)
            guard values.count == r * c else {
                throw argumentError(i, "field '\(key)': \(values.count) values for \(r)×\(c)")
            }
            return Matrix(rows: r, cols: c, data: values)
        }
    }

    /// Arguments 1...n as matrices (numbers as 1×1), or the elements of a single table
    /// argument holding matrices: `la.hcat(a, b)` and `la.hcat{a, b}`.
    public func matrixArguments() throws -> [Matrix] {
        let n = argumentCount
        if n == 1 && type(1) == LUA_TTABLE_VALUE && firstElementIsMatrix(1) {
            var out: [Matrix] = []
            try forEachElement(1) { k, element in
                guard let o = testMatrix(element) else {
                    throw argumentError(1, "element \(k) is not an la.matrix")
                }
                out.append(o.m)
            }
            return out
        }
        return try (1...max(n, 1)).map { try operand(Int32($0)) }
    }

    /// Whether `t[1]` of the table at `i` is an la.matrix (a list of matrices, not of numbers).
    private func firstElementIsMatrix(_ i: Int32) -> Bool {
        rawIndex(i, 1)
        defer { pop() }
        return testMatrix(-1) != nil
    }

    /// A matrix, or a number as a 1×1 matrix (broadcasting operand).
    public func operand(_ i: Int32) throws -> Matrix {
        if type(i) == LUA_TNUMBER_VALUE { return Matrix.scalar(try number(i)) }
        if let obj = testMatrix(i) { return obj.m }
        if type(i) == LUA_TTABLE_VALUE { return try matrixFromTable(i) }
        throw typeError(i, expected: "la.matrix or number")
    }
}

/// `v` when it is an integer-valued finite Double of magnitude below 1e15, else nil.
func exactInteger(_ v: Double) -> Int? {
    guard v.isFinite, v == v.rounded(), abs(v) < 1e15 else { return nil }
    return Int(v)
}
