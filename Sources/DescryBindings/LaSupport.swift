import DescryLinalg
import LuaBridge
import LuaLinalgBridge

/// Namespace of the descry.la binding tables (split over the La*.swift files).
enum LaBindings {}

/// Argument conventions shared by the descry.la bindings: 1-based indices (negative counts
/// from the end, -1 = last), axes 1 (down the rows: per-column result 1×n) and 2 (along each
/// row: m×1), numbers accepted wherever a matrix operand broadcasts.
extension LuaCall {
    /// A 1-based (or negative from the end) index at `i` into a dimension of `size`, 0-based.
    func index(_ i: Int32, size: Int, _ what: String) throws -> Int {
        let k = try integer(i)
        return try zeroBased(k, size: size, what, arg: i)
    }

    func zeroBased(_ k: Int, size: Int, _ what: String, arg i: Int32) throws -> Int {
        let z = k < 0 ? size + k : k - 1
        guard z >= 0 && z < size else {
            throw argumentError(i, "\(what) index \(k) out of range (size \(size))")
        }
        return z
    }

    /// Optional axis (nil when absent): 1 or 2.
    func axis(_ i: Int32) throws -> Axis? {
        if isNoneOrNil(i) { return nil }
        let a = try integer(i)
        guard let ax = Axis(rawValue: a) else {
            throw argumentError(i, "axis must be 1 (down rows, per column) or 2 (along columns, per row), got \(a)")
        }
        return ax
    }

    /// A non-negative dimension at `i` (default when absent).
    func dimension(_ i: Int32, _ what: String, default def: Int? = nil) throws -> Int {
        if let def, isNoneOrNil(i) { return def }
        let n = try integer(i)
        guard n >= 0 else { throw argumentError(i, "\(what) must be ≥ 0, got \(n)") }
        guard n <= 1 << 31 else { throw argumentError(i, "\(what) \(n) is too large") }
        return n
    }

    /// Shape arguments `(rows [, cols])` at `i`, `i+1`; cols defaults to 1 (a column vector).
    func shape(_ i: Int32) throws -> (Int, Int) {
        let r = try dimension(i, "number of rows")
        let c = try dimension(i + 1, "number of columns", default: 1)
        try checkElements(r, c, i)
        return (r, c)
    }

    /// Refuses shapes whose allocation could not succeed (see `Matrix.maxElements`).
    func checkElements(_ r: Int, _ c: Int, _ i: Int32) throws {
        let (n, overflow) = r.multipliedReportingOverflow(by: c)
        guard !overflow, n <= Matrix.maxElements, r <= Matrix.maxElements, c <= Matrix.maxElements else {
            throw argumentError(i, "shape \(r)×\(c) is too large (at most \(Matrix.maxElements) elements fit in memory)")
        }
    }

    /// Row/column selection at `i` for a dimension of `size`, 0-based indices. Accepts a Lua
    /// table of integer indices (1-based, negative from the end), a Lua table of booleans (a
    /// mask of length `size`), or an la.matrix mask (nonzero = selected, `size` elements).
    func selection(_ i: Int32, size: Int, _ what: String) throws -> [Int] {
        if let obj = testMatrix(i) {
            let m = obj.m
            guard m.count == size else {
                throw argumentError(i, "mask has \(m.count) elements (\(m.shapeDescription)), expected \(size)")
            }
            return m.data.indices.filter { m.data[$0] != 0 }
        }
        try checkTable(i)
        if rawLength(i) == 0 { return [] }
        if isBooleanMask(i) { return try maskSelection(i, size: size) }
        var out: [Int] = []
        try forEachElement(i) { k, entry in
            guard let v = integerValue(entry) else {
                throw argumentError(i, "entry \(k) of the index list is not an integer")
            }
            out.append(try zeroBased(v, size: size, what, arg: i))
        }
        return out
    }

    /// Whether `t[1]` of the table at `i` is a boolean (a mask rather than an index list).
    private func isBooleanMask(_ i: Int32) -> Bool {
        rawIndex(i, 1)
        defer { pop() }
        return booleanValue(-1) != nil
    }

    /// The selected 0-based positions of a Lua table of booleans of length `size`.
    private func maskSelection(_ i: Int32, size: Int) throws -> [Int] {
        let n = rawLength(i)
        guard n == size else { throw argumentError(i, "boolean mask has \(n) entries, expected \(size)") }
        var out: [Int] = []
        try forEachElement(i) { k, entry in
            guard let b = booleanValue(entry) else { throw argumentError(i, "mask entry \(k) is not a boolean") }
            if b { out.append(k - 1) }
        }
        return out
    }
}
