/// Sorting, order statistics and quantiles (numpy `sort`, `argsort(kind='stable')`, `median`,
/// `quantile` with the default 'linear' method: Hyndman & Fan 1996 definition 7).
/// NaN sorts last, as numpy; median/quantile of data containing NaN is NaN.
extension Matrix {
    /// Ascending order with NaN last (numpy's ordering).
    @inline(__always) static func ascending(_ a: Double, _ b: Double) -> Bool {
        a < b || (b.isNaN && !a.isNaN)
    }

    /// Sorted copy: along `axis` (1: each column, 2: each row), or (nil) all elements as a
    /// count×1 column (numpy `sort(axis=None)`).
    public func sorted(axis: Axis?) -> Matrix {
        switch axis {
        case nil:
            return Matrix(rows: count, cols: 1, data: data.sorted(by: Matrix.ascending))
        case .cols?:
            var out = data
            for i in 0..<rows { out[(i * cols)..<((i + 1) * cols)].sort(by: Matrix.ascending) }
            return Matrix(rows: rows, cols: cols, data: out)
        case .rows?:
            return transposed().sorted(axis: .cols).transposed()
        }
    }

    /// 0-based indices that sort `values` ascending, ties in original order (numpy
    /// `argsort(kind='stable')`).
    public static func argsort(_ values: [Double]) -> [Int] {
        values.indices.sorted { i, j in
            let a = values[i], b = values[j]
            if ascending(a, b) { return true }
            if ascending(b, a) { return false }
            return i < j
        }
    }

    /// 0-based sorting indices (as Doubles) along `axis`, or (nil) of all elements in row-major
    /// order as a count×1 column (numpy `argsort(kind='stable')`).
    public func argsorted(axis: Axis?) -> Matrix {
        switch axis {
        case nil:
            return Matrix(rows: count, cols: 1, data: Matrix.argsort(data).map(Double.init))
        case .cols?:
            var out = [Double]()
            out.reserveCapacity(count)
            for i in 0..<rows {
                out += Matrix.argsort(Array(data[(i * cols)..<((i + 1) * cols)])).map(Double.init)
            }
            return Matrix(rows: rows, cols: cols, data: out)
        case .rows?:
            return transposed().argsorted(axis: .cols).transposed()
        }
    }

    /// q-quantile, 0 ≤ q ≤ 1, of sorted `x` by linear interpolation between order statistics:
    /// h = (n − 1)q, x₍⌊h⌋₎ + (h − ⌊h⌋)(x₍⌊h⌋+1₎ − x₍⌊h⌋₎).
    static func quantileOfSorted(_ x: ArraySlice<Double>, _ q: Double) -> Double {
        guard let last = x.last else { return .nan }
        if last.isNaN { return .nan }
        let h = Double(x.count - 1) * q
        let lo = Int(h.rounded(.down))
        let base = x.startIndex
        if lo + 1 >= x.count { return x[base + x.count - 1] }
        let a = x[base + lo], b = x[base + lo + 1]
        let t = h - Double(lo)
        return t == 0 ? a : a + t * (b - a)
    }

    /// The q-quantile of all elements (nil axis) or along `axis` (numpy `quantile`, 'linear').
    public func quantile(_ q: Double, axis: Axis?) throws -> Matrix {
        guard q >= 0 && q <= 1 else { throw EngineError("quantile must be in [0, 1], got \(q)") }
        guard count > 0 else { throw EngineError("quantile of an empty matrix") }
        switch axis {
        case nil:
            let s = data.sorted(by: Matrix.ascending)
            return Matrix.scalar(Matrix.quantileOfSorted(s[...], q))
        case let ax?:
            if ax == .cols {
                let s = sorted(axis: .cols)
                return Matrix(rows: rows, cols: 1, data: (0..<rows).map {
                    Matrix.quantileOfSorted(s.data[($0 * cols)..<(($0 + 1) * cols)], q)
                })
            }
            let t = transposed().sorted(axis: .cols)
            return Matrix(rows: 1, cols: cols, data: (0..<cols).map {
                Matrix.quantileOfSorted(t.data[($0 * rows)..<(($0 + 1) * rows)], q)
            })
        }
    }
}
