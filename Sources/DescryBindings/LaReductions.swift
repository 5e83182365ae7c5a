import DescryLinalg
import LuaBridge
import LuaLinalgBridge

/// Reductions of la.matrix: over all elements (a number) or along an axis (a matrix):
/// axis 1 reduces down the rows (one value per column, 1×n; numpy axis=0), axis 2 along each
/// row (m×1; numpy axis=1).
extension LaBindings {
    static func reduction(_ name: String, _ doc: String,
                          all: @escaping (Matrix) throws -> Double,
                          along: @escaping (Matrix, Axis) throws -> Matrix) -> LuaMethod {
        LuaMethod(name, """
            m:\(name)([axis]) -> number or la.matrix
            \(doc) Without axis: over all elements (a number); axis 1: per column (1×n);
            axis 2: per row (m×1).
            """) { call in
            let m = try call.matrix(1)
            if let ax = try call.axis(2) { call.push(matrix: try along(m, ax)) } else { call.push(try all(m)) }
            return 1
        }
    }

    /// m:argmin / m:argmax: the 1-based index of the first `extremum` over all elements (row-major
    /// order, an integer) or along an axis (a matrix of indices), as numpy.argmin/argmax plus one.
    static func argExtremum(_ name: String, _ extremum: String,
                            all: @escaping (Matrix) throws -> Int,
                            along: @escaping (Matrix, Axis) throws -> Matrix) -> LuaMethod {
        LuaMethod(name, """
            m:\(name)([axis]) -> integer or la.matrix
            1-based index of the first \(extremum) (over all elements: in row-major order, an
            integer); axis 1: per column (1×n), axis 2: per row (m×1).
            """) { call in
            let m = try call.matrix(1)
            if let ax = try call.axis(2) { call.push(matrix: try along(m, ax).adding(1)) } else { call.push(try all(m) + 1) }
            return 1
        }
    }

    static func ddof(_ call: LuaCall) throws -> Int {
        let d = try call.optInteger(3, 0)
        guard d >= 0 else { throw call.argumentError(3, "ddof must be ≥ 0, got \(d)") }
        return d
    }

    static let reductionMethods: [LuaMethod] = [
        reduction("sum", "Sum.", all: { $0.sum() }, along: { $0.sum(axis: $1) }),
        reduction("mean", "Arithmetic mean (NaN when empty).", all: { $0.mean() }, along: { $0.mean(axis: $1) }),
        reduction("min", "Smallest element (NaN if any is NaN, as numpy; error when empty).",
                  all: { try $0.min() }, along: { try $0.min(axis: $1) }),
        reduction("max", "Largest element (NaN if any is NaN; error when empty).",
                  all: { try $0.max() }, along: { try $0.max(axis: $1) }),
        argExtremum("argmin", "minimum", all: { try $0.argmin() }, along: { try $0.argmin(axis: $1) }),
        argExtremum("argmax", "maximum", all: { try $0.argmax() }, along: { try $0.argmax(axis: $1) }),
        LuaMethod("var", """
            m:var([axis [, ddof]]) -> number or la.matrix
            Variance Σ(x − mean)²/(n − ddof) (numpy.var; ddof 0 by default, 1 for the unbiased
            sample variance), two-pass. Axis as m:sum.
            """) { call in
            let m = try call.matrix(1)
            let ax = try call.axis(2), d = try ddof(call)
            if let ax { call.push(matrix: m.variance(axis: ax, ddof: d)) } else { call.push(m.variance(ddof: d)) }
            return 1
        },
        LuaMethod("std", """
            m:std([axis [, ddof]]) -> number or la.matrix
            Standard deviation √var (numpy.std; ddof 0 by default). Axis as m:sum.
            """) { call in
            let m = try call.matrix(1)
            let ax = try call.axis(2), d = try ddof(call)
            if let ax { call.push(matrix: m.std(axis: ax, ddof: d)) } else { call.push(m.std(ddof: d)) }
            return 1
        },
        LuaMethod("cumsum", """
            m:cumsum([axis]) -> la.matrix
            Cumulative sums along axis 1 (down each column) or 2 (along each row); without axis
            over all elements in row-major order (vectors keep their shape, matrices give a column).
            """) { call in
            call.push(matrix: try call.matrix(1).cumsum(axis: try call.axis(2)))
            return 1
        },
        LuaMethod("norm", """
            m:norm([ord]) -> number
            numpy.linalg.norm. Vectors: 2-norm by default, ord = p (any number), math.huge (max
            |x|), -math.huge. Matrices: Frobenius by default ('fro'), 'nuc' (nuclear), 1 (max
            column sum), 2 (largest singular value), math.huge (max row sum).
            """) { call in
            let m = try call.matrix(1)
            let ord: NormOrder
            switch call.type(2) {
            case LUA_TNONE_VALUE, LUA_TNIL_VALUE: ord = .frobenius
            case LUA_TSTRING_VALUE:
                switch try call.string(2) {
                case "fro": ord = .frobenius
                case "nuc": ord = .nuclear
                case let s: throw call.argumentError(2, "unknown norm '\(s)' (use 'fro', 'nuc' or a number)")
                }
            default:
                let p = try call.number(2)
                ord = p == .infinity ? .infinity : (p == -.infinity ? .negativeInfinity : .p(p))
            }
            call.push(try m.norm(ord))
            return 1
        },
        LuaMethod("sort", """
            m:sort([axis]) -> la.matrix
            Sorted copy, ascending, NaN last (numpy.sort): axis 1 sorts each column, axis 2 each
            row; without axis all elements as a column.
            """) { call in
            call.push(matrix: try call.matrix(1).sorted(axis: try call.axis(2)))
            return 1
        },
        LuaMethod("argsort", """
            m:argsort([axis]) -> la.matrix
            1-based indices that sort m ascending, ties kept in order (numpy.argsort(kind='stable')
            plus 1): axis 1 per column, axis 2 per row; without axis over all elements (row-major).
            """) { call in
            call.push(matrix: try call.matrix(1).argsorted(axis: try call.axis(2)).adding(1))
            return 1
        },
        LuaMethod("median", """
            m:median([axis]) -> number or la.matrix
            Median (numpy.median; NaN if any element is NaN). Axis as m:sum.
            """) { call in
            let m = try call.matrix(1)
            if let ax = try call.axis(2) { call.push(matrix: try m.quantile(0.5, axis: ax)) }
            else { call.push(try m.quantile(0.5, axis: nil).data[0]) }
            return 1
        },
        LuaMethod("quantile", """
            m:quantile(q [, axis]) -> number or la.matrix
            q-quantile, 0 ≤ q ≤ 1, interpolating linearly between order statistics (numpy.quantile
            default 'linear' method; Hyndman & Fan definition 7). Axis as m:sum.
            """) { call in
            let m = try call.matrix(1)
            let q = try call.number(2)
            guard q >= 0 && q <= 1 else { throw call.argumentError(2, "quantile must be in [0, 1], got \(q)") }
            if let ax = try call.axis(3) { call.push(matrix: try m.quantile(q, axis: ax)) }
            else { call.push(try m.quantile(q, axis: nil).data[0]) }
            return 1
        },
        .returning("trace", "m:trace() -> number\nSum of the diagonal (numpy.trace).") { call in
            call.push(try call.matrix(1).trace())
        },
        LuaMethod("dot", """
            m:dot(b) -> number
            Inner product Σ mₖbₖ of two matrices with the same number of elements (vectors of
            either orientation; numpy.vdot).
            """) { call in
            let a = try call.matrix(1), b = try call.matrix(2)
            guard a.count == b.count else {
                throw call.error("sizes differ: \(a.shapeDescription) and \(b.shapeDescription)")
            }
            var s = 0.0
            for k in 0..<a.count { s += a.data[k] * b.data[k] }
            call.push(s)
            return 1
        },
        LuaMethod("outer", """
            m:outer(b) -> la.matrix
            Outer product u vᵀ of the elements of m (length p) and b (length q): p×q (numpy.outer).
            """) { call in
            let a = try call.matrix(1), b = try call.matrix(2)
            call.push(matrix: try Linalg.matmul(Matrix(rows: a.count, cols: 1, data: a.data),
                                                Matrix(rows: 1, cols: b.count, data: b.data)))
            return 1
        },
        LuaMethod("allclose", """
            m:allclose(b [, rtol [, atol]]) -> boolean
            numpy.allclose: |m − b| ≤ atol + rtol·|b| everywhere (broadcasting; rtol 1e-5, atol 1e-8).
            """) { call in
            let a = try call.operand(1), b = try call.operand(2)
            let rtol = try call.optNumber(3, 1e-5), atol = try call.optNumber(4, 1e-8)
            call.push(try Matrix.allClose(a, b, rtol: rtol, atol: atol))
            return 1
        },
    ]
}
