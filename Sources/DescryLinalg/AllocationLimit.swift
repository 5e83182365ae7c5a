import Glibc

/// The memory cap on matrices built from user input or file contents, so that an absurd size is
/// an error, not an allocation abort.
extension Matrix {
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
}
