import DescryLinalg

/// The lag-pair design of a VAR(P) fit on an ensemble of trajectories (eq. 3 of Swinburne,
/// PRL 131, 236101, 2023): for every trajectory m and every n with P−1 ≤ n < T_m − 1, one row
///   Z = [x_n, x_{n−1}, …, x_{n−P+1}]  →  target x_{n+1}.
/// Pairs are built inside each trajectory, so no pair ever straddles two trajectories (simply
/// concatenating trajectories — what a single-series fit such as statsmodels' VAR would do —
/// would invent transitions from the end of one run to the start of the next).
/// Lag blocks are ordered as statsmodels' `params` (lag 1 first).
public struct VARDesign {
    /// Lagged states, nobs × (P·D) (no intercept column).
    public let z: Matrix
    /// Targets, nobs × D.
    public let y: Matrix
    public let order: Int
    public let dimension: Int
    /// Number of lag pairs contributed by each trajectory.
    public let pairsPerTrajectory: [Int]

    /// Validates and stacks the trajectories (each T_m × D, rows are time steps). `horizon` h > 1
    /// pairs Z_n with x_{n+h} instead (used by the Chapman–Kolmogorov test).
    public init(trajectories: [Matrix], order p: Int, horizon h: Int = 1) throws {
        guard h >= 1 else { throw EngineError("VAR design: horizon must be ≥ 1, got \(h)") }
        guard p >= 1 else { throw EngineError("VAR order P must be ≥ 1, got \(p)") }
        guard let first = trajectories.first else { throw EngineError("VAR: no trajectories given") }
        let d = first.cols
        guard d >= 1 else { throw EngineError("VAR: trajectories have no columns") }
        var total = 0
        var counts: [Int] = []
        for (m, t) in trajectories.enumerated() {
            guard t.cols == d else {
                throw EngineError("VAR: trajectory \(m + 1) has \(t.cols) columns, trajectory 1 has \(d)")
            }
            guard t.rows >= p + h else {
                throw EngineError("VAR(\(p)): trajectory \(m + 1) has \(t.rows) steps; at least P+\(h) = \(p + h) are needed for one lag pair")
            }
            try requireFiniteRows(t, "VAR trajectory \(m + 1)")
            counts.append(t.rows - p - h + 1)
            total += t.rows - p - h + 1
        }
        var z = Matrix(rows: total, cols: p * d)
        var y = Matrix(rows: total, cols: d)
        var r = 0
        let w = p * d
        z.data.withUnsafeMutableBufferPointer { pz in
            y.data.withUnsafeMutableBufferPointer { py in
                for t in trajectories {
                    t.data.withUnsafeBufferPointer { pt in
                        for n in (p - 1)..<(t.rows - h) {
                            for lag in 0..<p {
                                let src = (n - lag) * d
                                for k in 0..<d { pz[r * w + lag * d + k] = pt[src + k] }
                            }
                            for k in 0..<d { py[r * d + k] = pt[(n + h) * d + k] }
                            r += 1
                        }
                    }
                }
            }
        }
        self.z = z; self.y = y; order = p; dimension = d; pairsPerTrajectory = counts
    }

    public var nobs: Int { z.rows }

    /// [1, Z] as a column-major buffer (nobs × (1 + P·D), leading dimension nobs), for LAPACK.
    func columnMajorWithIntercept() -> [Double] {
        let w = z.cols, n = z.rows
        var out = [Double](repeating: 1, count: n * (w + 1))
        z.data.withUnsafeBufferPointer { pz in
            out.withUnsafeMutableBufferPointer { po in
                // cache-blocked transpose into columns 1…w
                let blk = 64
                var i0 = 0
                while i0 < n {
                    let i1 = min(i0 + blk, n)
                    for j in 0..<w {
                        let dst = (j + 1) * n
                        for i in i0..<i1 { po[dst + i] = pz[i * w + j] }
                    }
                    i0 = i1
                }
            }
        }
        return out
    }

    /// Z with a leading column of ones (the Wold state 1 ⊕ x_n ⊕ … of the paper).
    public func withIntercept() -> Matrix {
        let w = z.cols, n = z.rows
        var out = [Double](repeating: 1, count: n * (w + 1))
        z.data.withUnsafeBufferPointer { pz in
            out.withUnsafeMutableBufferPointer { po in
                for i in 0..<n { for j in 0..<w { po[i * (w + 1) + j + 1] = pz[i * w + j] } }
            }
        }
        return Matrix(rows: n, cols: w + 1, data: out)
    }
}
