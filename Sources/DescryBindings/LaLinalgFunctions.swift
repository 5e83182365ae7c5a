import DescryLinalg
import LuaBridge
import LuaLinalgBridge

/// LAPACK-backed functions of descry.la (numerics in DescryLinalg/Linalg*.swift). Every
/// failure (singular, not positive definite, shape mismatch) is a catchable Lua error.
extension LaBindings {
    static let linalgFunctions: [LuaMethod] = [
        LuaMethod("matmul", """
            la.matmul(a, b [, opts]) -> la.matrix
            op(a)·op(b) by BLAS dgemm; opts.ta / opts.tb use the transposes without copying.
            """) { call in
            let a = try call.matrix(1), b = try call.matrix(2)
            try call.checkOptionKeys(3, allowed: ["ta", "tb"])
            call.push(matrix: try Linalg.matmul(a, b, transA: try call.optionBool(3, "ta") ?? false,
                                                transB: try call.optionBool(3, "tb") ?? false))
            return 1
        },
        LuaMethod("gram", "la.gram(a) -> la.matrix\naᵀa (symmetric, BLAS dsyrk).") { call in
            call.push(matrix: Linalg.gram(try call.matrix(1)))
            return 1
        },
        LuaMethod("solve", """
            la.solve(A, B [, opts]) -> la.matrix
            X with A X = B for square A: LU with partial pivoting (LAPACK dgetrf/dgetrs as dgesv;
            numpy.linalg.solve). opts.spd = true uses Cholesky (dposv) for symmetric positive-
            definite A. Errors: 'matrix is singular', 'not positive definite', mismatched shapes.
            """) { call in
            let a = try call.matrix(1), b = try call.matrix(2)
            try call.checkOptionKeys(3, allowed: ["spd"])
            let spd = try call.optionBool(3, "spd") ?? false
            call.push(matrix: spd ? try Linalg.solveSPD(a, b) : try Linalg.solve(a, b))
            return 1
        },
        LuaMethod("lstsq", """
            la.lstsq(A, B [, rcond]) -> X, rank, s
            Minimum-norm least-squares solution of A X ≈ B (LAPACK dgelsd, SVD based;
            numpy.linalg.lstsq): rank is the effective rank, s the singular values of A (a
            column, descending). Singular values ≤ rcond·s₁ count as zero; default rcond is
            eps·max(m, n) (numpy's rcond=None). Handles rank-deficient and under-determined systems.
            """) { call in
            let a = try call.matrix(1), b = try call.matrix(2)
            let rcond = try call.optNumber(3, -1)
            let (x, rank, s) = try Linalg.lstsq(a, b, rcond: rcond)
            call.push(matrix: x)
            call.push(rank)
            call.push(column: s)
            return 3
        },
        LuaMethod("cholesky", """
            la.cholesky(A) -> L
            Lower-triangular L with A = L Lᵀ (LAPACK dpotrf; numpy.linalg.cholesky; reads the
            lower triangle of A). Error 'matrix is not positive definite (leading minor k)'.
            """) { call in
            call.push(matrix: try Linalg.cholesky(try call.matrix(1)))
            return 1
        },
        LuaMethod("inv", """
            la.inv(A) -> la.matrix
            The inverse A⁻¹ (LAPACK dgetrf/dgetri; numpy.linalg.inv). Error when singular.
            Prefer la.solve(A, B) to inv(A) * B.
            """) { call in
            call.push(matrix: try Linalg.inverse(try call.matrix(1)))
            return 1
        },
        LuaMethod("det", """
            la.det(A) -> number
            Determinant from the LU factorisation (product of pivots; numpy.linalg.det). 0 for
            an exactly singular matrix. For large matrices use la.logdet (no overflow).
            """) { call in
            call.push(try Linalg.det(try call.matrix(1)))
            return 1
        },
        LuaMethod("logdet", """
            la.logdet(A) -> sign, logabs
            det A = sign · exp(logabs) without overflow (numpy.linalg.slogdet). Singular A gives
            sign 0 and logabs -inf.
            """) { call in
            let (s, l) = try Linalg.logdet(try call.matrix(1))
            return call.results(s, l)
        },
        LuaMethod("eigh", """
            la.eigh(A) -> values, vectors
            Eigen-decomposition of a symmetric matrix (LAPACK dsyevd; numpy.linalg.eigh, reads
            the lower triangle): eigenvalues ascending as a column; eigenvector k is COLUMN k of
            vectors (unit length; its sign is LAPACK's and may differ from other programs).
            """) { call in
            let (w, v) = try Linalg.eigh(try call.matrix(1))
            call.push(column: w)
            call.push(matrix: v)
            return 2
        },
        LuaMethod("svd", """
            la.svd(A [, opts]) -> U, s, Vt
            Singular value decomposition A = U·diag(s)·Vt (LAPACK dgesdd; numpy.linalg.svd).
            Thin by default (U m×k, Vt k×n, k = min(m, n)); opts.full = true gives square U, Vt.
            s is a column, descending. Singular vectors are defined up to a common sign per pair.
            """) { call in
            let a = try call.matrix(1)
            try call.checkOptionKeys(2, allowed: ["full"])
            let (u, s, vt) = try Linalg.svd(a, full: try call.optionBool(2, "full") ?? false)
            call.push(matrix: u)
            call.push(column: s)
            call.push(matrix: vt)
            return 3
        },
        LuaMethod("pinv", """
            la.pinv(A [, rcond]) -> la.matrix
            Moore–Penrose pseudo-inverse via the SVD; singular values ≤ rcond·s₁ are dropped
            (numpy.linalg.pinv, default rcond 1e-15).
            """) { call in
            let a = try call.matrix(1)
            call.push(matrix: try Linalg.pinv(a, rcond: try call.optNumber(2, 1e-15)))
            return 1
        },
        LuaMethod("cond", """
            la.cond(A) -> number
            2-norm condition number σ_max/σ_min via the SVD (numpy.linalg.cond); inf when singular.
            """) { call in
            call.push(try Linalg.cond(try call.matrix(1)))
            return 1
        },
        LuaMethod("rank", """
            la.rank(A [, tol]) -> integer
            Numerical rank: the number of singular values above tol (default σ_max·max(m, n)·eps,
            numpy.linalg.matrix_rank).
            """) { call in
            let a = try call.matrix(1)
            let tol: Double? = call.isNoneOrNil(2) ? nil : try call.number(2)
            call.push(try Linalg.rank(a, tol: tol))
            return 1
        },
        LuaMethod("qr", """
            la.qr(A) -> Q, R
            Reduced QR decomposition (LAPACK dgeqrf/dorgqr; numpy.linalg.qr): Q m×k with
            orthonormal columns, R k×n upper triangular, k = min(m, n). Signs as LAPACK.
            """) { call in
            let (q, r) = try Linalg.qr(try call.matrix(1))
            return call.results(q, r)
        },
    ]
}
