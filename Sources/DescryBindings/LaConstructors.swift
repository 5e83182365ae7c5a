import DescryLinalg
import LuaBridge
import LuaLinalgBridge

extension LaBindings {
    static let constructors: [LuaMethod] = [
        LuaMethod("matrix", """
            la.matrix(t [, rows, cols]) -> la.matrix
            A matrix from a nested table of rows {{1, 2}, {3, 4}}, or from a flat table of
            numbers: a column vector, or a rows×cols matrix filled row by row when a shape is
            given (numpy.array(t).reshape(rows, cols)). An la.matrix argument is copied.
            """) { call in
            try call.checkArgumentCount(atMost: 3)
            var m = try call.matrix(1)
            if !call.isNoneOrNil(2) {
                let (r, c) = try call.shape(2)
                guard r * c == m.count else {
                    throw call.argumentError(2, "shape \(r)×\(c) needs \(r * c) elements, the table has \(m.count)")
                }
                m = try m.reshaped(r, c)
            }
            call.push(matrix: m)
            return 1
        },
        LuaMethod("zeros", """
            la.zeros(rows [, cols]) -> la.matrix
            A rows×cols matrix of zeros (cols defaults to 1: a column vector). numpy.zeros.
            """) { call in
            try call.checkArgumentCount(atMost: 2)
            let (r, c) = try call.shape(1)
            call.push(matrix: Matrix(rows: r, cols: c))
            return 1
        },
        LuaMethod("ones", """
            la.ones(rows [, cols]) -> la.matrix
            A rows×cols matrix of ones (numpy.ones).
            """) { call in
            try call.checkArgumentCount(atMost: 2)
            let (r, c) = try call.shape(1)
            call.push(matrix: Matrix(rows: r, cols: c, repeating: 1))
            return 1
        },
        LuaMethod("full", """
            la.full(rows, cols, value) -> la.matrix
            A rows×cols matrix filled with value (numpy.full).
            """) { call in
            try call.checkArgumentCount(atMost: 3)
            let r = try call.dimension(1, "number of rows"), c = try call.dimension(2, "number of columns")
            try call.checkElements(r, c, 1)
            let v = try call.number(3)
            call.push(matrix: Matrix(rows: r, cols: c, repeating: v))
            return 1
        },
        LuaMethod("eye", """
            la.eye(n [, m]) -> la.matrix
            The n×m matrix with ones on the diagonal (m defaults to n: the identity). numpy.eye.
            """) { call in
            try call.checkArgumentCount(atMost: 2)
            let n = try call.dimension(1, "n")
            let m = try call.dimension(2, "m", default: n)
            try call.checkElements(n, m, 1)
            var out = Matrix(rows: n, cols: m)
            for k in 0..<min(n, m) { out[k, k] = 1 }
            call.push(matrix: out)
            return 1
        },
        LuaMethod("linspace", """
            la.linspace(start, stop, n) -> la.matrix
            n evenly spaced numbers from start to stop inclusive, as an n×1 column (numpy.linspace).
            """) { call in
            try call.checkArgumentCount(atMost: 3)
            let a = try call.number(1), b = try call.number(2)
            let n = try call.dimension(3, "number of points")
            call.push(matrix: try Matrix.linspace(a, b, n))
            return 1
        },
        LuaMethod("arange", """
            la.arange([start,] stop [, step]) -> la.matrix
            start, start+step, … up to but excluding stop, as a column (numpy.arange; start
            defaults to 0, step to 1). la.arange(5) is 0, 1, 2, 3, 4.
            """) { call in
            try call.checkArgumentCount(atMost: 3)
            let start: Double, stop: Double, step: Double
            if call.isNoneOrNil(2) {
                start = 0
                stop = try call.number(1)
                step = 1
            } else {
                start = try call.number(1)
                stop = try call.number(2)
                step = try call.optNumber(3, 1)
            }
            guard step != 0 else { throw call.argumentError(3, "step must not be zero") }
            call.push(matrix: try Matrix.arange(start, stop, step))
            return 1
        },
        LuaMethod("diag", """
            la.diag(v) -> la.matrix
            For a vector (n×1 or 1×n): the n×n matrix with v on its diagonal. For a matrix: its
            diagonal as a column (numpy.diag).
            """) { call in
            try call.checkArgumentCount(atMost: 1)
            call.push(matrix: try call.matrix(1).diag())
            return 1
        },
        LuaMethod("hcat", """
            la.hcat(a, b, ...) or la.hcat{a, b, ...} -> la.matrix
            Matrices side by side (numpy.hstack); row counts must agree. Numbers are 1×1.
            """) { call in
            call.push(matrix: try Matrix.hcat(try call.matrixArguments()))
            return 1
        },
        LuaMethod("vcat", """
            la.vcat(a, b, ...) or la.vcat{a, b, ...} -> la.matrix
            Matrices stacked vertically (numpy.vstack); column counts must agree.
            """) { call in
            call.push(matrix: try Matrix.vcat(try call.matrixArguments()))
            return 1
        },
        LuaMethod("ismatrix", """
            la.ismatrix(v) -> boolean
            True when v is an la.matrix.
            """) { call in
            call.push(call.testMatrix(1) != nil)
            return 1
        },
    ]
}
