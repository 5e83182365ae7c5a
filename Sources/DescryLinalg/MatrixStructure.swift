/// The structure of a matrix: transpose, identity, squareness, finiteness.
extension Matrix {
    /// The transpose Aᵀ (a new row-major matrix); cache-blocked copy.
    public func transposed() -> Matrix {
        let r = rows, c = cols
        if r == 0 || c == 0 { return Matrix(rows: c, cols: r) }
        if r == 1 || c == 1 { return Matrix(rows: c, cols: r, data: data) }
        var out = [Double](repeating: 0, count: r * c)
        let block = 32
        data.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                var i0 = 0
                while i0 < r {
                    let i1 = Swift.min(i0 + block, r)
                    var j0 = 0
                    while j0 < c {
                        let j1 = Swift.min(j0 + block, c)
                        for i in i0..<i1 {
                            for j in j0..<j1 { dst[j * r + i] = src[i * c + j] }
                        }
                        j0 = j1
                    }
                    i0 = i1
                }
            }
        }
        return Matrix(rows: c, cols: r, data: out)
    }

    /// The `n × n` identity matrix (numpy `eye(n)`).
    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, cols: n)
        for i in 0..<n { m.data[i * n + i] = 1 }
        return m
    }

    /// True when every element is finite (no NaN, no ±inf).
    public var isFinite: Bool {
        data.withUnsafeBufferPointer { p in
            for v in p where !v.isFinite { return false }
            return true
        }
    }

    /// True when the matrix has as many rows as columns.
    @inline(__always) public var isSquare: Bool { rows == cols }
}
