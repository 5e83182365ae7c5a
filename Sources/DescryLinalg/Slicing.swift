/// Sub-matrices, selection and assembly. Indices here are 0-based; the Lua bindings convert
/// from 1-based (and negative, counted from the end) indices and check ranges first.
extension Matrix {
    /// Rows `lo..<hi` (a contiguous copy).
    public func rowRange(_ lo: Int, _ hi: Int) -> Matrix {
        precondition(0 <= lo && lo <= hi && hi <= rows)
        return Matrix(rows: hi - lo, cols: cols, data: Array(data[(lo * cols)..<(hi * cols)]))
    }

    /// Columns `lo..<hi`.
    public func colRange(_ lo: Int, _ hi: Int) -> Matrix {
        precondition(0 <= lo && lo <= hi && hi <= cols)
        let w = hi - lo
        var out = [Double](repeating: 0, count: rows * w)
        for i in 0..<rows {
            for j in 0..<w { out[i * w + j] = data[i * cols + lo + j] }
        }
        return Matrix(rows: rows, cols: w, data: out)
    }

    /// Rows picked by 0-based `indices` (repeats allowed; numpy `a[idx, :]`).
    public func selectRows(_ indices: [Int]) -> Matrix {
        var out = [Double]()
        out.reserveCapacity(indices.count * cols)
        for i in indices {
            precondition(i >= 0 && i < rows)
            out.append(contentsOf: data[(i * cols)..<((i + 1) * cols)])
        }
        return Matrix(rows: indices.count, cols: cols, data: out)
    }

    /// Columns picked by 0-based `indices` (numpy `a[:, idx]`).
    public func selectCols(_ indices: [Int]) -> Matrix {
        let w = indices.count
        var out = [Double](repeating: 0, count: rows * w)
        for i in 0..<rows {
            for (k, j) in indices.enumerated() {
                precondition(j >= 0 && j < cols)
                out[i * w + k] = data[i * cols + j]
            }
        }
        return Matrix(rows: rows, cols: w, data: out)
    }

    /// Block `rows r0..<r1`, `cols c0..<c1`.
    public func block(_ r0: Int, _ r1: Int, _ c0: Int, _ c1: Int) -> Matrix {
        rowRange(r0, r1).colRange(c0, c1)
    }

    /// Writes `src` into this matrix with its top-left corner at (r0, c0).
    public mutating func setBlock(_ r0: Int, _ c0: Int, _ src: Matrix) {
        precondition(r0 >= 0 && c0 >= 0 && r0 + src.rows <= rows && c0 + src.cols <= cols)
        for i in 0..<src.rows {
            for j in 0..<src.cols { data[(r0 + i) * cols + c0 + j] = src.data[i * src.cols + j] }
        }
    }

    /// Matrices side by side (numpy `hstack`); row counts must agree.
    public static func hcat(_ ms: [Matrix]) throws -> Matrix {
        guard let first = ms.first else { return Matrix(rows: 0, cols: 0) }
        for m in ms where m.rows != first.rows {
            throw EngineError("row counts differ (\(first.shapeDescription) and \(m.shapeDescription))")
        }
        let c = ms.reduce(0) { $0 + $1.cols }
        var out = Matrix(rows: first.rows, cols: c)
        var at = 0
        for m in ms { out.setBlock(0, at, m); at += m.cols }
        return out
    }

    /// Matrices stacked vertically (numpy `vstack`); column counts must agree.
    public static func vcat(_ ms: [Matrix]) throws -> Matrix {
        guard let first = ms.first else { return Matrix(rows: 0, cols: 0) }
        for m in ms where m.cols != first.cols {
            throw EngineError("column counts differ (\(first.shapeDescription) and \(m.shapeDescription))")
        }
        var data = [Double]()
        data.reserveCapacity(ms.reduce(0) { $0 + $1.count })
        for m in ms { data.append(contentsOf: m.data) }
        return Matrix(rows: ms.reduce(0) { $0 + $1.rows }, cols: first.cols, data: data)
    }

    /// The same elements (row-major order) in shape r×c; one of them may be −1 (inferred).
    public func reshaped(_ r: Int, _ c: Int) throws -> Matrix {
        var r = r, c = c
        if r == -1 && c > 0 && count % c == 0 { r = count / c }
        if c == -1 && r > 0 && count % r == 0 { c = count / r }
        let (n, overflow) = r.multipliedReportingOverflow(by: c)
        guard r >= 0, c >= 0, !overflow, n == count else {
            throw EngineError("cannot reshape \(shapeDescription) (\(count) elements) into \(r)×\(c)")
        }
        return Matrix(rows: r, cols: c, data: data)
    }

    /// numpy `diag`: the diagonal of a matrix as a column, or a square diagonal matrix from a
    /// vector (either orientation).
    public func diag() throws -> Matrix {
        if rows == 1 || cols == 1 {
            let n = count
            try Matrix.checkAllocation(n, n)
            var out = Matrix(rows: n, cols: n)
            for k in 0..<n { out.data[k * n + k] = data[k] }
            return out
        }
        let n = Swift.min(rows, cols)
        return Matrix(rows: n, cols: 1, data: (0..<n).map { data[$0 * cols + $0] })
    }

    /// `n` evenly spaced numbers from `start` to `stop` inclusive, as an n×1 column
    /// (numpy `linspace(start, stop, n)`; endpoints exact).
    public static func linspace(_ start: Double, _ stop: Double, _ n: Int) throws -> Matrix {
        guard n >= 0 else { throw EngineError("number of points must be ≥ 0, got \(n)") }
        guard n <= maxElements else { throw EngineError("\(n) points do not fit in memory") }
        if n == 1 { return Matrix(rows: 1, cols: 1, data: [start]) }
        let step = (stop - start) / Double(Swift.max(n - 1, 1))
        var d = (0..<n).map { start + Double($0) * step }
        if n > 1 { d[n - 1] = stop }
        return Matrix(rows: n, cols: 1, data: d)
    }

    /// numpy `arange(start, stop, step)`: start, start+step, … while < stop (> stop for a
    /// negative step), as a column; ceil((stop − start)/step) elements.
    public static func arange(_ start: Double, _ stop: Double, _ step: Double = 1) throws -> Matrix {
        guard step != 0, step.isFinite, start.isFinite, stop.isFinite else {
            throw EngineError("step must be finite and non-zero and bounds finite")
        }
        let count = ((stop - start) / step).rounded(.up)
        guard count < Double(maxElements) else { throw EngineError("\(count) elements do not fit in memory") }
        let n = count > 0 ? Int(count) : 0   // count may be hugely negative: empty range
        guard n <= maxElements else { throw EngineError("\(n) elements do not fit in memory") }
        return Matrix(rows: n, cols: 1, data: (0..<n).map { start + Double($0) * step })
    }
}
