import Glibc

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

    /// Largest number of elements a matrix built from user input or file contents may have: the
    /// environment variable `DESCRY_MAX_ALLOC` (bytes, with an optional K/M/G/T suffix, powers of
    /// 1024) divided by 8, else half of the physical memory in Float64s. Swift aborts on a failed
    /// allocation, so sizes are checked against this cap first and refused with an error.
    public static let maxElements: Int = {
        if let env = getenv("DESCRY_MAX_ALLOC"), let bytes = parseByteSize(String(cString: env)) {
            return Swift.max(1, bytes / 8)
        }
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), size = sysconf(Int32(_SC_PAGESIZE))
        guard pages > 0, size > 0 else { return 1 << 31 }
        return pages * size / 16
    }()

    /// Parses "4096", "512M", "2G", "1.5T" (bytes; suffixes are powers of 1024); nil if malformed.
    public static func parseByteSize(_ text: String) -> Int? {
        var t = text.trimmingSpaces.uppercased()
        if t.hasSuffix("B") { t.removeLast() }
        let units: [Character: Double] = ["K": 1024, "M": 1_048_576, "G": 1_073_741_824, "T": 1_099_511_627_776]
        var scale = 1.0
        if let u = t.last, let f = units[u] { scale = f; t.removeLast() }
        guard let v = Double(t), v.isFinite, v > 0, v * scale < 9e18 else { return nil }
        return Int(v * scale)
    }

    /// Throws when an r×c result could not be allocated: more than `maxElements` elements, or a
    /// single dimension above it (a 0×10¹⁵ array holds nothing, but summing its rows would
    /// allocate 10¹⁵ numbers), so that e.g. an outer product of two long vectors is an error
    /// rather than an abort.
    public static func checkAllocation(_ r: Int, _ c: Int) throws {
        let (n, overflow) = r.multipliedReportingOverflow(by: c)
        guard r >= 0, c >= 0, !overflow, n <= maxElements, r <= maxElements, c <= maxElements else {
            throw EngineError("shape \(r)×\(c) is too large for memory (at most \(maxElements) elements, \(maxElements / (1 << 17)) MiB; set DESCRY_MAX_ALLOC to change the cap)")
        }
    }

    /// True when the matrix has as many rows as columns.
    @inline(__always) public var isSquare: Bool { rows == cols }
}
