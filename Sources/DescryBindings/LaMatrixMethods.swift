import DescryLinalg
import LuaBridge
import LuaLinalgBridge

/// Shape, element access, slicing, structure and conversion methods of la.matrix.
extension LaBindings {
    static func this(_ call: LuaCall) throws -> LuaMatrix { try call.matrixObject(1) }

    /// The new values of a row or column of `m` for m:setrow / m:setcol (argument 3): `count`
    /// values, or one number repeated `count` times.
    static func lineValues(_ call: LuaCall, count: Int, _ what: String, of m: Matrix) throws -> [Double] {
        let v = try call.operand(3)
        if v.count == 1 { return [Double](repeating: v.data[0], count: count) }
        guard v.count == count else {
            throw call.argumentError(3, "\(what) of \(m.shapeDescription) needs \(count) values, got \(v.shapeDescription)")
        }
        return v.data
    }

    /// Reads a range `(i [, j])` (1-based inclusive, negatives from the end; j defaults to i)
    /// or a selection table/mask at argument 2, for a dimension of `size`.
    static func pick(_ call: LuaCall, size: Int, _ what: String) throws -> (range: Range<Int>?, list: [Int]?) {
        if call.type(2) == LUA_TTABLE_VALUE || call.testMatrix(2) != nil {
            return (nil, try call.selection(2, size: size, what))
        }
        let lo = try call.integer(2)
        let hi = call.isNoneOrNil(3) ? lo : try call.integer(3)
        // allow an empty range i..i-1 as in Lua's for loops
        let zlo = lo < 0 ? size + lo : lo - 1
        let zhi = hi < 0 ? size + hi : hi - 1
        guard zlo >= 0 && zlo <= size, zhi >= -1 && zhi < size else {
            throw call.argumentError(2, "\(what) range \(lo)..\(hi) out of range (size \(size))")
        }
        return (zlo..<max(zlo, zhi + 1), nil)
    }

    static let accessMethods: [LuaMethod] = [
        LuaMethod("shape", """
            m:shape() -> rows, cols
            The number of rows and of columns.
            """) { call in
            let m = try this(call).m
            return call.results(m.rows, m.cols)
        },
        .returning("nrows", "m:nrows() -> integer\nNumber of rows (also #m).") { call in
            call.push(try this(call).m.rows)
        },
        .returning("ncols", "m:ncols() -> integer\nNumber of columns.") { call in call.push(try this(call).m.cols) },
        .returning("size", "m:size() -> integer\nNumber of elements (rows × cols).") { call in
            call.push(try this(call).m.count)
        },
        LuaMethod("get", """
            m:get(i, j) -> number;  v:get(k) -> number
            Element (i, j), 1-based; negative indices count from the end (-1 is the last). For a
            vector (one row or one column) a single index k is enough.
            """) { call in
            let o = try this(call)
            let m = o.m
            if call.isNoneOrNil(3) {
                guard m.rows == 1 || m.cols == 1 else {
                    throw call.argumentError(3, "column index needed for a \(m.shapeDescription) matrix")
                }
                call.push(m.data[try call.index(2, size: m.count, "element")])
                return 1
            }
            let i = try call.index(2, size: m.rows, "row"), j = try call.index(3, size: m.cols, "column")
            call.push(m.data[i * m.cols + j])
            return 1
        },
        LuaMethod("set", """
            m:set(i, j, value) -> m;  v:set(k, value) -> v
            Sets element (i, j) in place (1-based; negatives from the end). For a vector a
            single index k. Returns m, so calls chain.
            """) { call in
            let o = try this(call)
            if call.argumentCount <= 3 {
                guard o.m.rows == 1 || o.m.cols == 1 else {
                    throw call.argumentError(3, "use m:set(i, j, value) for a \(o.m.shapeDescription) matrix")
                }
                let k = try call.index(2, size: o.m.count, "element")
                o.m.data[k] = try call.number(3)
            } else {
                let i = try call.index(2, size: o.m.rows, "row"), j = try call.index(3, size: o.m.cols, "column")
                o.m.data[i * o.m.cols + j] = try call.number(4)
            }
            call.copyValue(1)
            return 1
        },
        LuaMethod("row", "m:row(i) -> la.matrix\nRow i (1-based, negatives from the end) as a 1×n matrix (a copy).") { call in
            let m = try this(call).m
            let i = try call.index(2, size: m.rows, "row")
            call.push(matrix: m.rowRange(i, i + 1))
            return 1
        },
        LuaMethod("col", "m:col(j) -> la.matrix\nColumn j (1-based, negatives from the end) as an m×1 matrix (a copy).") { call in
            let m = try this(call).m
            let j = try call.index(2, size: m.cols, "column")
            call.push(matrix: m.colRange(j, j + 1))
            return 1
        },
        LuaMethod("rows", """
            m:rows(i [, j]) -> la.matrix;  m:rows(selection) -> la.matrix
            Rows i..j inclusive (1-based; negatives count from the end; j defaults to i), or the
            rows chosen by a selection: a table of indices {1, 3, -1}, a table of booleans, or an
            la.matrix mask with one entry per row (nonzero = keep), e.g. m:rows(m:col(1):gt(0)).
            """) { call in
            let m = try this(call).m
            let (r, list) = try pick(call, size: m.rows, "row")
            call.push(matrix: r.map { m.rowRange($0.lowerBound, $0.upperBound) } ?? m.selectRows(list ?? []))
            return 1
        },
        LuaMethod("cols", """
            m:cols(i [, j]) -> la.matrix;  m:cols(selection) -> la.matrix
            Columns i..j inclusive, or those chosen by an index list / boolean table / mask
            (as m:rows).
            """) { call in
            let m = try this(call).m
            let (r, list) = try pick(call, size: m.cols, "column")
            call.push(matrix: r.map { m.colRange($0.lowerBound, $0.upperBound) } ?? m.selectCols(list ?? []))
            return 1
        },
        LuaMethod("block", """
            m:block(i1, i2, j1, j2) -> la.matrix
            The block of rows i1..i2 and columns j1..j2 (inclusive, 1-based, negatives from the end).
            """) { call in
            let m = try this(call).m
            let i1 = try call.index(2, size: m.rows, "row"), i2 = try call.index(3, size: m.rows, "row")
            let j1 = try call.index(4, size: m.cols, "column"), j2 = try call.index(5, size: m.cols, "column")
            guard i1 <= i2 + 1, j1 <= j2 + 1 else { throw call.error("empty or reversed block \(i1 + 1)..\(i2 + 1), \(j1 + 1)..\(j2 + 1)") }
            call.push(matrix: m.block(i1, i2 + 1, j1, j2 + 1))
            return 1
        },
        LuaMethod("setrow", """
            m:setrow(i, v) -> m
            Overwrites row i in place with v (a number, or n values as an la.matrix/table).
            """) { call in
            let o = try this(call)
            let i = try call.index(2, size: o.m.rows, "row")
            let row = try lineValues(call, count: o.m.cols, "row", of: o.m)
            for j in 0..<o.m.cols { o.m.data[i * o.m.cols + j] = row[j] }
            call.copyValue(1)
            return 1
        },
        LuaMethod("setcol", """
            m:setcol(j, v) -> m
            Overwrites column j in place with v (a number, or m values as an la.matrix/table).
            """) { call in
            let o = try this(call)
            let j = try call.index(2, size: o.m.cols, "column")
            let col = try lineValues(call, count: o.m.rows, "column", of: o.m)
            for i in 0..<o.m.rows { o.m.data[i * o.m.cols + j] = col[i] }
            call.copyValue(1)
            return 1
        },
        LuaMethod("fill", "m:fill(value) -> m\nSets every element to value, in place.") { call in
            let o = try this(call)
            let v = try call.number(2)
            o.m.data = [Double](repeating: v, count: o.m.count)
            call.copyValue(1)
            return 1
        },
        .matrix("t", "m:t() -> la.matrix\nThe transpose (a copy; also m:transpose()).") { call in
            try this(call).m.transposed()
        },
        .matrix("transpose", "m:transpose() -> la.matrix\nThe transpose mᵀ (a copy).") { call in
            try this(call).m.transposed()
        },
        LuaMethod("reshape", """
            m:reshape(rows, cols) -> la.matrix
            The same elements in row-major (C) order in a new shape; one of rows, cols may be -1
            (inferred), as numpy.reshape.
            """) { call in
            let m = try this(call).m
            let r = try call.integer(2), c = try call.integer(3)
            call.push(matrix: try m.reshaped(r, c))
            return 1
        },
        .matrix("copy", "m:copy() -> la.matrix\nAn independent copy.") { call in try this(call).m },
        .matrix("hcat", "m:hcat(b, ...) -> la.matrix\nm and the arguments side by side (la.hcat).") { call in
            try Matrix.hcat(try call.matrixArguments())
        },
        .matrix("vcat", "m:vcat(b, ...) -> la.matrix\nm and the arguments stacked vertically (la.vcat).") { call in
            try Matrix.vcat(try call.matrixArguments())
        },
        .matrix("diag", "m:diag() -> la.matrix\nThe diagonal as a column, or a diagonal matrix from a vector (la.diag).") { call in
            try this(call).m.diag()
        },
        LuaMethod("totable", """
            m:totable([flat]) -> table
            Nested Lua table of rows {{…}, {…}}; with flat = true a flat array in row-major order.
            """) { call in
            let m = try this(call).m
            if call.boolean(2) {
                call.push(m.data)
                return 1
            }
            call.pushList(m.rows) { i in
                call.pushList(m.cols) { j in call.push(m.data[i * m.cols + j]) }
            }
            return 1
        },
        LuaMethod("format", """
            m:format([opts]) -> string
            numpy-style text; opts: precision (8), threshold (1000 elements before summarising
            with …), edgeitems (3), linewidth (120), header (true: first line 'la.matrix R×C');
            defaults from la.printoptions.
            """) { call in
            let m = try this(call).m
            try call.checkOptionKeys(2, allowed: ["precision", "threshold", "edgeitems", "linewidth", "header"])
            var f = MatrixFormatter.session
            try applyFormatOptions(call, 2, to: &f)
            let header = try call.optionBool(2, "header") ?? true
            call.push(header ? f.string(m) : f.body(m))
            return 1
        },
    ]
}
