import DescryLinalg

/// Form of the POPS parameter posterior (popsregression 0.4.0 `posterior`): `hypercube` is an
/// axis-aligned box in the principal axes of the pointwise corrections (the default), `ensemble`
/// the pointwise corrections themselves.
public enum POPSPosteriorKind: String, Sendable { case hypercube, ensemble }

/// The POPS posterior of the parameter perturbations δΘ of one output (Swinburne & Perez,
/// Mach. Learn.: Sci. Technol. 6, 015008, 2025, §3): draws δΘ = support · z, where z are the
/// draw coordinates. For `hypercube`, `support` holds the principal directions of the pointwise
/// corrections (p × d, columns) and z is uniform in the box [low, high]; for `ensemble`,
/// `support` is nil (the identity) and the draws are the corrections themselves.
public struct POPSPosterior {
    public let kind: POPSPosteriorKind
    /// p × d principal directions (hypercube) or nil (ensemble: coordinates are δΘ itself).
    public private(set) var support: Matrix?
    /// Box bounds along each direction (hypercube; empty for ensemble).
    public private(set) var low: [Double]
    public private(set) var high: [Double]
    /// Eigenvalues of CᵀC of the retained directions (hypercube; ascending, as scipy `eigh`).
    public let modeEigenvalues: [Double]
    /// N × d draw coordinates (rows are draws).
    public private(set) var coordinates: Matrix
    /// Misspecification covariance of δΘ: mean of δΘ δΘᵀ over the draws (p × p).
    public private(set) var covariance: Matrix
    /// Seed the hypercube draws were made with (nil after `redraw(unit:)`).
    public private(set) var drawSeed: UInt64?
    /// Number of pointwise corrections (high-leverage points) the posterior was built from.
    public let pointCount: Int

    /// Number of parameters p.
    public var parameterCount: Int { support?.rows ?? coordinates.cols }
    /// Number of posterior draws N.
    public var drawCount: Int { coordinates.rows }
    /// Number of box directions d (hypercube) or p (ensemble).
    public var dimension: Int { coordinates.cols }

    /// The ensemble posterior: the pointwise corrections C (m × p) are the draws; Σ = CᵀC/m.
    init(ensemble corrections: Matrix) {
        kind = .ensemble
        support = nil
        low = []; high = []
        modeEigenvalues = []
        coordinates = corrections
        covariance = POPSPosterior.secondMoment(corrections)
        drawSeed = nil
        pointCount = corrections.rows
    }

    /// The hypercube posterior: bounds of the projected corrections along `support`, and
    /// `count` uniform draws inside the box from `seed`.
    init(support: Matrix, low: [Double], high: [Double], modeEigenvalues: [Double], pointCount: Int, count: Int, seed: UInt64) {
        kind = .hypercube
        self.pointCount = pointCount
        self.support = support
        self.low = low; self.high = high
        self.modeEigenvalues = modeEigenvalues
        var rng = StatsRNG(seed: seed)
        var unit = rng.uniformMatrix(count, low.count)
        coordinates = Matrix(rows: 0, cols: low.count)
        covariance = Matrix(rows: support.rows, cols: support.rows)
        drawSeed = seed
        place(unit: &unit)
    }

    /// Replaces the hypercube draws by low + (high − low)·u for the given unit draws (N × d in
    /// [0, 1)); lets a test feed the very uniforms numpy drew for popsregression.
    public mutating func redraw(unit: Matrix) throws {
        guard kind == .hypercube else { throw EngineError("POPS: only the hypercube posterior has box draws") }
        guard unit.cols == low.count && unit.rows >= 1 else {
            throw EngineError("POPS: unit draws must be N × \(low.count), got \(unit.shapeDescription)")
        }
        try requireFiniteRows(unit, "unit draws")
        var z = unit
        place(unit: &z)
        drawSeed = nil
    }

    /// Maps unit draws to the box in place (z = low + (high − low)·u) and keeps them as the draws.
    private mutating func place(unit z: inout Matrix) {
        let d = low.count
        let width = zip(low, high).map { $1 - $0 }
        z.data.withUnsafeMutableBufferPointer { pz in
            for i in 0..<z.rows {
                let row = pz.baseAddress! + i * d
                for k in 0..<d { row[k] = low[k] + width[k] * row[k] }
            }
        }
        coordinates = z
        let zz = POPSPosterior.secondMoment(z)
        covariance = Blas.mul(Blas.mul(support!, zz), support!, transB: true)
    }

    /// Reverses box direction k (v → −v, [l, h] → [−h, −l]): the sign of an eigenvector is
    /// arbitrary, so a comparison with another eigen-solver aligns signs first. Draws are kept
    /// as they are in δΘ space.
    mutating func flipDirection(_ k: Int) {
        guard var s = support else { return }
        for r in 0..<s.rows { s[r, k] = -s[r, k] }
        support = s
        let l = low[k]
        low[k] = -high[k]; high[k] = -l
        for i in 0..<coordinates.rows { coordinates[i, k] = -coordinates[i, k] }
    }

    /// Draws as δΘ, N × p (rows are draws).
    public func draws() -> Matrix {
        guard let s = support else { return coordinates }
        return Blas.mul(coordinates, s, transB: true)
    }

    /// X expressed in draw coordinates: X·support (n × d), or X itself for the ensemble.
    func project(_ x: Matrix) -> Matrix {
        guard let s = support else { return x }
        return Blas.mul(x, s)
    }

    /// `count` fresh draws of δΘ (count × p): uniform in the box (hypercube) or rows of the
    /// ensemble chosen uniformly with replacement.
    public func sample(count: Int, rng: inout StatsRNG) -> Matrix {
        let p = parameterCount
        guard let s = support else {
            var out = Matrix(rows: count, cols: p)
            for i in 0..<count {
                let r = rng.int(below: coordinates.rows)
                for j in 0..<p { out[i, j] = coordinates[r, j] }
            }
            return out
        }
        let d = low.count
        var z = Matrix(rows: count, cols: d)
        z.data.withUnsafeMutableBufferPointer { pz in
            for i in 0..<count {
                let row = pz.baseAddress! + i * d
                for k in 0..<d { row[k] = low[k] + (high[k] - low[k]) * rng.uniform() }
            }
        }
        return Blas.mul(z, s, transB: true)
    }

    /// (1/N) ZᵀZ for N × d draws Z (`dsyrk`).
    static func secondMoment(_ z: Matrix) -> Matrix {
        var m = z.data.withUnsafeBufferPointer { Blas.syrkT($0.baseAddress!, rows: z.rows, cols: z.cols, lda: z.cols) }
        let n = Double(max(z.rows, 1))
        for i in m.data.indices { m.data[i] /= n }
        return m
    }
}

/// numpy `percentile(a, q)` with the default linear method (Hyndman & Fan type 7), including
/// numpy's two-sided interpolation a + (b − a)t for t < ½ and b − (b − a)(1 − t) otherwise.
func numpyPercentile(_ values: [Double], _ q: Double) -> Double {
    let s = values.sorted()
    let n = s.count
    if n == 1 { return s[0] }
    let pos = q / 100 * Double(n - 1)
    let lo = min(max(Int(pos.rounded(.down)), 0), n - 1)
    let hi = min(lo + 1, n - 1)
    let t = pos - Double(lo)
    let a = s[lo], b = s[hi]
    return t < 0.5 ? a + (b - a) * t : b - (b - a) * (1 - t)
}

extension POPSPosterior {
    /// Rebuilds a hypercube posterior from its saved box (the draws are regenerated from `seed`,
    /// or taken from `coordinates` when given).
    public static func restoringHypercube(support: Matrix, low: [Double], high: [Double], modeEigenvalues: [Double],
                                          pointCount: Int, count: Int, seed: UInt64, coordinates: Matrix?) throws -> POPSPosterior {
        let d = support.cols
        guard d >= 1, low.count == d, high.count == d, modeEigenvalues.count == d else {
            throw EngineError("POPS posterior: support \(support.shapeDescription) does not match \(low.count) bounds")
        }
        try requireFinite(low + high, "POPS posterior bounds")
        try requireFiniteRows(support, "POPS posterior support")
        guard count >= 1 && count <= 100_000_000 else { throw EngineError("POPS posterior: draw count \(count) out of range") }
        var post = POPSPosterior(support: support, low: low, high: high, modeEigenvalues: modeEigenvalues,
                                 pointCount: pointCount, count: coordinates == nil ? count : 1, seed: seed)
        if let z = coordinates {
            guard z.cols == d && z.rows >= 1 else { throw EngineError("POPS posterior: draws \(z.shapeDescription) do not have \(d) columns") }
            try requireFiniteRows(z, "POPS posterior draws")
            post.coordinates = z
            post.covariance = Blas.mul(Blas.mul(support, secondMoment(z)), support, transB: true)
            post.drawSeed = nil
        }
        return post
    }

    /// Rebuilds an ensemble posterior from its corrections (m × p).
    public static func restoringEnsemble(corrections: Matrix) throws -> POPSPosterior {
        guard corrections.rows >= 1 && corrections.cols >= 1 else { throw EngineError("POPS posterior: no corrections") }
        try requireFiniteRows(corrections, "POPS corrections")
        return POPSPosterior(ensemble: corrections)
    }
}
