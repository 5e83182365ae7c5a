import DescryLinalg
import LuaBridge
import LuaLinalgBridge

/// `descry.la`: dense linear algebra on OpenBLAS/LAPACK with numpy-compatible I/O (issue 3).
/// Matrices are `la.matrix` userdata (row-major Float64, rows = samples, columns = features).
public let laModule: LuaModule = {
    let methods = LaBindings.accessMethods + LaBindings.arithmeticMethods + LaBindings.reductionMethods
        + LaBindings.matrixLinalgMethods
    // Module-level forms la.f(m, ...) of methods (m first), unless the module defines f itself.
    let own = LaBindings.constructors + LaBindings.linalgFunctions + LaBindings.ioFunctions
        + LaBindings.randomFunctions + LaBindings.printOptionFunctions
    let ownNames = Set(own.map(\.name))
    let aliasNames: [String] = ["sum", "mean", "var", "std", "min", "max", "argmin", "argmax", "cumsum",
                                "norm", "trace", "dot", "outer", "allclose", "transpose", "reshape",
                                "copy", "totable", "clamp", "pow", "mul", "div", "sort", "argsort",
                                "median", "quantile"]
        + ElementwiseFunction.allCases.map(\.rawValue)
    let aliases = methods.filter { aliasNames.contains($0.name) && !ownNames.contains($0.name) }
        .map { m in LuaMethod(m.name, m.doc + "\n(Also la.\(m.name)(m, …) with m as the first argument.)", m.body) }
    let matrixClass = LuaClass(
        typeName: LuaMatrix.luaTypeName, shortName: "matrix",
        doc: """
            la.matrix: a dense Float64 matrix (row-major; rows are samples, columns features).
            Indices are 1-based (negatives count from the end). Operators: + - / ^ elementwise
            with numpy broadcasting, * is the matrix product (m:mul for elementwise), unary -, ==,
            # (rows), tostring. Methods: shape nrows ncols size get set row col rows cols block
            setrow setcol fill t transpose reshape copy hcat vcat diag totable format; add sub mul
            div pow matmul clamp map lt le gt ge eq ne; exp log sqrt abs …; sum mean var std min
            max argmin argmax cumsum median quantile sort argsort norm trace dot outer allclose;
            inv det. help(m.method) explains each.
            """,
        methods: methods, metamethods: LaBindings.metamethods)
    return LuaModule(
        name: "descry.la", shortName: "la",
        doc: """
            descry.la: dense linear algebra on OpenBLAS/LAPACK, numpy-compatible.
            Constructors: matrix zeros ones full eye linspace arange diag hcat vcat rand randn
            randint uniform normal permutation seed rng. Linear algebra: matmul gram solve lstsq
            cholesky inv det logdet eigh svd pinv qr cond rank dot outer trace norm allclose. Elementwise: exp log
            sqrt abs pow clamp …; reductions sum mean var std min max argmin argmax cumsum median
            quantile sort argsort (axis 1 = per column, 2 = per row). I/O: load save (.npy v1–3, CSV) loadcsv savecsv.
            Random numbers: xoshiro256** with a global seed (la.seed) and generators (la.rng).
            """,
        functions: own + aliases,
        classes: [matrixClass, LaBindings.rngClass])
}()

extension LaBindings {
    /// LAPACK conveniences as methods.
    static let matrixLinalgMethods: [LuaMethod] = [
        LuaMethod("inv", "m:inv() -> la.matrix\nThe inverse (la.inv).") { call in
            call.push(matrix: try Linalg.inverse(try call.matrix(1)))
            return 1
        },
        LuaMethod("det", "m:det() -> number\nThe determinant (la.det).") { call in
            call.push(try Linalg.det(try call.matrix(1)))
            return 1
        },
    ]
}
