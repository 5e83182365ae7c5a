import Glibc

/// Reduction direction, numbered like MATLAB / 1-based numpy axes: `.rows` (axis 1) reduces
/// down each column (numpy `axis=0`, result 1×n); `.cols` (axis 2) reduces along each row
/// (numpy `axis=1`, result m×1). `nil` means all elements.
public enum Axis: Int {
    case rows = 1
    case cols = 2
}

extension Matrix {
    /// Applies `f` to each row's contiguous slice (axis 2) or each column (axis 1, via a
    /// transpose) and returns the results shaped m×1 or 1×n.
    func reduce(_ axis: Axis, _ f: (UnsafeBufferPointer<Double>) throws -> Double) rethrows -> Matrix {
        let src = axis == .cols ? self : transposed()
        var out = [Double](repeating: 0, count: src.rows)
        try src.data.withUnsafeBufferPointer { p in
            for i in 0..<src.rows {
                let slice = UnsafeBufferPointer(rebasing: p[(i * src.cols)..<((i + 1) * src.cols)])
                out[i] = try f(slice)
            }
        }
        return axis == .cols ? Matrix(rows: rows, cols: 1, data: out) : Matrix(rows: 1, cols: cols, data: out)
    }

    /// Sum of all elements (pairwise-free simple loop; numpy `sum`).
    public func sum() -> Double { data.withUnsafeBufferPointer { Stats.sum($0) } }
    /// Sums along `axis`.
    public func sum(axis: Axis) -> Matrix {
        axis == .rows ? Matrix(rows: 1, cols: cols, data: columnSums()) : reduce(axis) { Stats.sum($0) }
    }

    /// Σᵢ a[i, j] for each column, accumulated row by row (contiguous, vectorisable; the order
    /// numpy uses for axis-0 sums of C-ordered arrays).
    func columnSums(centeredAt center: [Double]? = nil, squared: Bool = false) -> [Double] {
        var s = [Double](repeating: 0, count: cols)
        let c = cols
        data.withUnsafeBufferPointer { p in
            s.withUnsafeMutableBufferPointer { ps in
                if let center {
                    center.withUnsafeBufferPointer { pc in
                        for i in 0..<rows {
                            let base = i * c
                            for j in 0..<c { let d = p[base + j] - pc[j]; ps[j] += squared ? d * d : d }
                        }
                    }
                } else {
                    for i in 0..<rows {
                        let base = i * c
                        for j in 0..<c { ps[j] += p[base + j] }
                    }
                }
            }
        }
        return s
    }

    /// Arithmetic mean (NaN for no elements, as numpy).
    public func mean() -> Double { data.withUnsafeBufferPointer { Stats.mean($0) } }
    /// Means along `axis` (numpy `mean(axis=)`).
    public func mean(axis: Axis) -> Matrix {
        guard axis == .rows else { return reduce(axis) { Stats.mean($0) } }
        let n = Double(rows)
        return Matrix(rows: 1, cols: cols, data: columnSums().map { $0 / n })
    }

    /// Variance Σ(x − x̄)²/(n − ddof), two-pass (numpy `var(ddof=)`); NaN when n ≤ ddof.
    public func variance(ddof: Int = 0) -> Double { data.withUnsafeBufferPointer { Stats.variance($0, ddof) } }
    /// Variances along `axis` (numpy `var(axis=, ddof=)`), two-pass.
    public func variance(axis: Axis, ddof: Int = 0) -> Matrix {
        guard axis == .rows else { return reduce(axis) { Stats.variance($0, ddof) } }
        let dof = rows - ddof
        guard dof > 0 else { return Matrix(rows: 1, cols: cols, repeating: .nan) }
        let means = mean(axis: .rows).data
        return Matrix(rows: 1, cols: cols, data: columnSums(centeredAt: means, squared: true).map { $0 / Double(dof) })
    }

    /// Standard deviation √variance (numpy `std(ddof=)`).
    public func std(ddof: Int = 0) -> Double { variance(ddof: ddof).squareRoot() }
    /// Standard deviations along `axis` (numpy `std(axis=, ddof=)`).
    public func std(axis: Axis, ddof: Int = 0) -> Matrix { variance(axis: axis, ddof: ddof).map { $0.squareRoot() } }

    /// Smallest element (NaN if any element is NaN, as numpy); throws when empty.
    public func min() throws -> Double { try data.withUnsafeBufferPointer { try Stats.extremum($0, less: true).value } }
    /// Minima along `axis` (NaN-propagating).
    public func min(axis: Axis) throws -> Matrix { try reduce(axis) { try Stats.extremum($0, less: true).value } }
    /// Largest element (NaN if any element is NaN); throws when empty.
    public func max() throws -> Double { try data.withUnsafeBufferPointer { try Stats.extremum($0, less: false).value } }
    /// Maxima along `axis` (NaN-propagating).
    public func max(axis: Axis) throws -> Matrix { try reduce(axis) { try Stats.extremum($0, less: false).value } }

    /// 0-based index of the first minimum in row-major order (first NaN if any, as numpy).
    public func argmin() throws -> Int { try data.withUnsafeBufferPointer { try Stats.extremum($0, less: true).index } }
    /// 0-based indices of the minima along `axis` (as Doubles in a matrix).
    public func argmin(axis: Axis) throws -> Matrix { try reduce(axis) { Double(try Stats.extremum($0, less: true).index) } }
    /// 0-based index of the first maximum in row-major order (first NaN if any).
    public func argmax() throws -> Int { try data.withUnsafeBufferPointer { try Stats.extremum($0, less: false).index } }
    /// 0-based indices of the maxima along `axis`.
    public func argmax(axis: Axis) throws -> Matrix { try reduce(axis) { Double(try Stats.extremum($0, less: false).index) } }

    /// Cumulative sums: along `axis`, or (nil) over all elements in row-major order, keeping
    /// the shape for a vector and giving a count×1 column otherwise (numpy flattens).
    public func cumsum(axis: Axis?) -> Matrix {
        switch axis {
        case nil:
            var out = data
            var acc = 0.0
            for k in 0..<out.count { acc += out[k]; out[k] = acc }
            let isVector = rows == 1 || cols == 1
            return Matrix(rows: isVector ? rows : count, cols: isVector ? cols : 1, data: out)
        case .cols?:
            var out = data
            for i in 0..<rows { for j in 1..<Swift.max(cols, 1) { out[i * cols + j] += out[i * cols + j - 1] } }
            return Matrix(rows: rows, cols: cols, data: out)
        case .rows?:
            var out = data
            if rows > 1 { for i in 1..<rows { for j in 0..<cols { out[i * cols + j] += out[(i - 1) * cols + j] } } }
            return Matrix(rows: rows, cols: cols, data: out)
        }
    }

    /// Sum of the diagonal (numpy `trace`; any shape, min(m, n) terms).
    public func trace() -> Double {
        var t = 0.0
        for k in 0..<Swift.min(rows, cols) { t += data[k * cols + k] }
        return t
    }
}

/// Kernels on contiguous slices shared by the reductions.
enum Stats {
    @inline(__always) static func sum(_ p: UnsafeBufferPointer<Double>) -> Double {
        // four accumulators: vectorisable and slightly more accurate than one running sum
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        var k = 0
        let n = p.count
        while k + 4 <= n { s0 += p[k]; s1 += p[k + 1]; s2 += p[k + 2]; s3 += p[k + 3]; k += 4 }
        while k < n { s0 += p[k]; k += 1 }
        return (s0 + s1) + (s2 + s3)
    }

    static func mean(_ p: UnsafeBufferPointer<Double>) -> Double {
        p.isEmpty ? .nan : sum(p) / Double(p.count)
    }

    static func variance(_ p: UnsafeBufferPointer<Double>, _ ddof: Int) -> Double {
        let n = p.count
        guard n - ddof > 0 else { return .nan }
        let m = mean(p)
        var s = 0.0
        for v in p { let d = v - m; s += d * d }
        return s / Double(n - ddof)
    }

    static func extremum(_ p: UnsafeBufferPointer<Double>, less: Bool) throws -> (value: Double, index: Int) {
        guard !p.isEmpty else { throw EngineError("reduction of an empty matrix has no minimum/maximum") }
        var best = p[0], idx = 0
        if best.isNaN { return (best, 0) }
        for k in 1..<p.count {
            let v = p[k]
            if v.isNaN { return (v, k) }
            if less ? (v < best) : (v > best) { best = v; idx = k }
        }
        return (best, idx)
    }
}
