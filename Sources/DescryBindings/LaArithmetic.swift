import DescryLinalg
import Glibc
import LuaBridge
import LuaLinalgBridge

/// Operators, elementwise arithmetic, elementwise math and comparisons of la.matrix.
/// Broadcasting follows numpy (scalar, 1×n row, m×1 column; see DescryLinalg/Elementwise.swift).
extension LaBindings {
    /// Elementwise arithmetic on arguments 1 and 2 (numbers or matrices, broadcasting); scalar
    /// operands avoid a 1×1 temporary. The loops are in the engine (Matrix.apply).
    static func arithmetic(_ call: LuaCall, _ op: ArithmeticOp) throws -> Int32 {
        if call.type(2) == LUA_TNUMBER_VALUE, let a = call.testMatrix(1) {
            call.push(matrix: Matrix.apply(op, a.m, scalar: try call.number(2)))
        } else if call.type(1) == LUA_TNUMBER_VALUE, let b = call.testMatrix(2) {
            call.push(matrix: Matrix.apply(op, scalar: try call.number(1), b.m))
        } else {
            call.push(matrix: try Matrix.apply(op, try call.operand(1), try call.operand(2)))
        }
        return 1
    }

    /// Other elementwise binary operations (comparisons) through a closure.
    static func binary(_ call: LuaCall, _ op: @escaping (Double, Double) -> Double) throws -> Int32 {
        call.push(matrix: try Matrix.combine(try call.operand(1), try call.operand(2), op))
        return 1
    }

    static let metamethods: [LuaMethod] = [
        LuaMethod("__add", "a + b: elementwise sum with broadcasting (numbers, rows, columns).") { call in
            try arithmetic(call, .add)
        },
        LuaMethod("__sub", "a - b: elementwise difference with broadcasting.") { call in
            try arithmetic(call, .subtract)
        },
        LuaMethod("__mul", """
            a * b: the MATRIX PRODUCT when both are matrices (BLAS dgemm/dgemv; the inner
            dimensions must agree, the error names both shapes); scaling when one is a number.
            Elementwise product: a:mul(b).
            """) { call in
            if call.type(1) == LUA_TNUMBER_VALUE || call.type(2) == LUA_TNUMBER_VALUE { return try arithmetic(call, .multiply) }
            call.push(matrix: try Linalg.matmul(try call.matrix(1), try call.matrix(2)))
            return 1
        },
        LuaMethod("__div", "a / b: elementwise quotient with broadcasting (x/0 = ±inf, as numpy).") { call in
            try arithmetic(call, .divide)
        },
        LuaMethod("__pow", "a ^ p: elementwise power with broadcasting (numpy a ** p).") { call in
            try arithmetic(call, .power)
        },
        LuaMethod("__unm", "-a: elementwise negation.") { call in
            call.push(matrix: try call.matrix(1).map { -$0 })
            return 1
        },
        LuaMethod("__eq", "a == b: true when shapes and all elements are equal (NaN ≠ NaN).") { call in
            guard let a = call.testMatrix(1), let b = call.testMatrix(2) else {
                call.push(false)
                return 1
            }
            call.push(a.m == b.m)
            return 1
        },
        LuaMethod("__len", "#m: the number of rows.") { call in
            call.push(try call.matrixObject(1).m.rows)
            return 1
        },
        LuaMethod("__tostring", """
            tostring(m): numpy-style text with the shape on the first line, decimal points
            aligned, and … summarising matrices of more than 1000 elements (see m:format).
            """) { call in
            call.push(MatrixFormatter.session.string(try call.matrixObject(1).m))
            return 1
        },
    ]

    static let arithmeticMethods: [LuaMethod] = [
        LuaMethod("add", "m:add(b) -> la.matrix\nElementwise m + b with broadcasting.") { call in try arithmetic(call, .add) },
        LuaMethod("sub", "m:sub(b) -> la.matrix\nElementwise m − b with broadcasting.") { call in try arithmetic(call, .subtract) },
        LuaMethod("mul", "m:mul(b) -> la.matrix\nElementwise (Hadamard) product m ∘ b with broadcasting (numpy m * b).") { call in
            try arithmetic(call, .multiply)
        },
        LuaMethod("div", "m:div(b) -> la.matrix\nElementwise quotient m / b with broadcasting.") { call in try arithmetic(call, .divide) },
        LuaMethod("pow", "m:pow(p) -> la.matrix\nElementwise power m^p (p a number or a broadcastable matrix).") { call in
            try arithmetic(call, .power)
        },
        LuaMethod("matmul", """
            m:matmul(b [, opts]) -> la.matrix
            Matrix product op(m)·op(b) (BLAS dgemm); opts.ta / opts.tb transpose m / b first
            without copying. Same as m * b without options.
            """) { call in
            let a = try call.matrix(1), b = try call.matrix(2)
            try call.checkOptionKeys(3, allowed: ["ta", "tb"])
            let ta = try call.optionBool(3, "ta") ?? false, tb = try call.optionBool(3, "tb") ?? false
            call.push(matrix: try Linalg.matmul(a, b, transA: ta, transB: tb))
            return 1
        },
        LuaMethod("clamp", """
            m:clamp(lo, hi) -> la.matrix
            Elements limited to [lo, hi] (numpy.clip); nil bounds are open.
            """) { call in
            let m = try this(call).m
            let lo = try call.optNumber(2, -.infinity), hi = try call.optNumber(3, .infinity)
            call.push(matrix: try m.clamped(lo, hi))
            return 1
        },
        LuaMethod("map", """
            m:map(f) -> la.matrix
            A new matrix with f(x) for every element (f a Lua function returning a number;
            slower than the built-in elementwise functions).
            """) { call in
            let m = try this(call).m
            try call.checkFunction(2)
            var out = m
            for k in 0..<m.count {
                call.copyValue(2)
                call.push(m.data[k])
                try call.pcall(nargs: 1, nresults: 1)
                defer { call.pop() }
                guard call.type(-1) == LUA_TNUMBER_VALUE else {
                    throw call.error("function returned \(call.typeName(-1)) for element \(k + 1), number expected")
                }
                out.data[k] = try call.number(-1)
            }
            call.push(matrix: out)
            return 1
        },
    ] + comparisons + elementwiseMath

    static func comparison(_ name: String, _ symbol: String, _ pred: @escaping (Double, Double) -> Bool) -> LuaMethod {
        LuaMethod(name, """
            m:\(name)(b) -> la.matrix
            Elementwise m \(symbol) b with broadcasting: 1 where true, 0 where false (a mask for
            m:rows / m:cols selections).
            """) { call in
            try binary(call) { pred($0, $1) ? 1 : 0 }
        }
    }

    static let comparisons: [LuaMethod] = [
        comparison("lt", "<", <), comparison("le", "≤", <=), comparison("gt", ">", >),
        comparison("ge", "≥", >=), comparison("eq", "==", ==), comparison("ne", "~=", !=),
    ]

    /// exp, log, sqrt, abs, … as methods m:exp() (module forms la.exp(x) accept numbers too).
    static let elementwiseMath: [LuaMethod] = ElementwiseFunction.allCases.map { fn in
        let f = fn.function
        return LuaMethod(fn.rawValue, """
            m:\(fn.rawValue)() -> la.matrix;  la.\(fn.rawValue)(x) -> la.matrix or number
            Elementwise \(fn.summary), computed in Swift (libm).
            """) { call in
            if call.type(1) == LUA_TNUMBER_VALUE {
                call.push(f(try call.number(1)))
                return 1
            }
            call.push(matrix: try call.matrix(1).map(f))
            return 1
        }
    }
}
