import CBLAS
import DescryLinalg

/// Principal component analysis by the thin SVD of the centred data (as scikit-learn `PCA`,
/// `svd_solver="full"`): components are the right singular vectors, explained variance
/// s²/(n−1). Deterministic sign: each component's entry of largest magnitude is made positive
/// (scikit-learn ≥ 1.5's `svd_flip(u_based_decision=False)` convention), so results do not
/// depend on the LAPACK build. Used for Fig. 3i of Swinburne, PRL 131, 236101 (2023).
public struct PCA {
    public let mean: [Double]
    /// k × p, one component per row.
    public let components: Matrix
    public let explainedVariance: [Double]
    public let explainedVarianceRatio: [Double]
    public let singularValues: [Double]
    /// Mean of the discarded explained variances (probabilistic PCA σ², Tipping & Bishop 1999).
    public let noiseVariance: Double

    /// Solver, as scikit-learn's `svd_solver`: `.auto` uses `.covarianceEigh` (eigenvectors of
    /// XcᵀXc/(n−1): one `dsyrk` + a p×p `dsyevd`) for tall data (n ≥ 10p, p ≤ 1000) and `.full`
    /// (thin SVD of Xc, `dgesdd`) otherwise — the same rule as scikit-learn ≥ 1.5.
    public enum Solver: String, Sendable { case auto, full, covarianceEigh }

    /// Fits `nComponents` components (nil: min(n, p)).
    public init(fitting x: Matrix, nComponents: Int? = nil, solver: Solver = .auto) throws {
        try requireNonEmpty(x, "X")
        try requireFiniteRows(x, "X")
        let n = x.rows, p = x.cols, kmax = min(n, p)
        let k = nComponents ?? kmax
        guard k >= 1 && k <= kmax else {
            throw EngineError("PCA: n_components must be in 1…\(kmax) for data \(x.shapeDescription), got \(k)")
        }
        guard n >= 2 else { throw EngineError("PCA: needs at least 2 samples, got \(n)") }
        mean = x.columnMeans()
        let useEigh = solver == .covarianceEigh || (solver == .auto && p <= 1000 && n >= 10 * p)
        var s: [Double], vt: Matrix
        if useEigh {
            let xc = x.subtractingRow(mean)
            let g = xc.data.withUnsafeBufferPointer { Blas.syrkT($0.baseAddress!, rows: n, cols: p, lda: p) }
            let (ev, vecs) = try Linalg.eigh(g)
            s = ev.reversed().map { max($0, 0).squareRoot() }
            vt = Matrix(rows: p, cols: p)
            for i in 0..<p { for j in 0..<p { vt[i, j] = vecs[j, p - 1 - i] } }
            if s.count > kmax { s = Array(s[0..<kmax]) }
        } else {
            (s, vt) = try PCA.singularValues(x.subtractingRow(mean))
        }
        var comps = Matrix(rows: k, cols: p)
        for i in 0..<k {
            var big = 0.0, sign = 1.0
            for j in 0..<p { let v = vt[i, j]; if abs(v) > big { big = abs(v); sign = v < 0 ? -1 : 1 } }
            for j in 0..<p { comps[i, j] = sign * vt[i, j] }
        }
        components = comps
        let ev = s.map { $0 * $0 / Double(n - 1) }
        let total = ev.reduce(0, +)
        explainedVariance = Array(ev[0..<k])
        explainedVarianceRatio = explainedVariance.map { total > 0 ? $0 / total : 0 }
        singularValues = Array(s[0..<k])
        noiseVariance = k < kmax ? ev[k...].reduce(0, +) / Double(kmax - k) : 0
    }

    /// Singular values and right singular vectors of A (n × p). For tall A (n ≥ 2p) A = QR
    /// first (LAPACK `dgeqrf` on the column-major copy) and the SVD of the p × p factor R gives
    /// the same s and Vᵀ (Golub & Van Loan §5.4.5, "R-SVD") at a fraction of the cost.
    static func singularValues(_ a: Matrix) throws -> ([Double], Matrix) {
        let n = a.rows, p = a.cols
        guard n >= 2 * p else {
            let (_, s, vt) = try Linalg.svd(a, full: false)
            return (s, vt)
        }
        var col = a.transposed().data          // column-major n × p
        var tau = [Double](repeating: 0, count: p)
        let info = col.withUnsafeMutableBufferPointer { pc in
            LAPACKE_dgeqrf(Int32(LAPACK_COL_MAJOR), Int32(n), Int32(p), pc.baseAddress, Int32(n), &tau)
        }
        guard info == 0 else {
            let (_, s, vt) = try Linalg.svd(a, full: false)
            return (s, vt)
        }
        var r = Matrix(rows: p, cols: p)
        for i in 0..<p { for j in i..<p { r[i, j] = col[j * n + i] } }
        let (_, s, vt) = try Linalg.svd(r, full: false)
        return (s, vt)
    }

    /// Projection (X − mean) Vₖᵀ.
    public func transform(_ x: Matrix) throws -> Matrix {
        guard x.cols == mean.count else { throw EngineError("PCA.transform: X has \(x.cols) columns, fitted on \(mean.count)") }
        try requireFiniteRows(x, "X")
        return Blas.mul(x.subtractingRow(mean), components, transB: true)
    }

    /// Back-projection Z Vₖ + mean.
    public func inverseTransform(_ z: Matrix) throws -> Matrix {
        guard z.cols == components.rows else {
            throw EngineError("PCA.inverseTransform: Z has \(z.cols) columns, model has \(components.rows) components")
        }
        var x = Blas.mul(z, components)
        let p = mean.count
        for i in 0..<x.rows { for j in 0..<p { x[i, j] += mean[j] } }
        return x
    }
}
