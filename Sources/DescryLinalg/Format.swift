import Glibc

/// numpy-style text for matrices (after numpy's `array2string` with its defaults:
/// precision 8, `floatmode='maxprec'`, summarisation above 1000 elements with 3 edge items).
/// All elements share one width; decimal points align; fixed notation unless
/// max|x| ≥ 1e8, min|x| < 1e-4 or max/min > 1e3 over the non-zero finite shown values, as numpy.
/// Summarised rows/columns are shown as `…`. Wide matrices (lines over `lineWidth`) are
/// summarised by columns even under the threshold (numpy would wrap them instead).
public struct MatrixFormatter {
    public var precision = 8
    public var threshold = 1000
    public var edgeItems = 3
    public var lineWidth = 120

    public init() {}

    /// The session's settings (`la.printoptions`), used by tostring and the REPL.
    nonisolated(unsafe) public static var session = MatrixFormatter()

    /// `la.matrix R×C` header line, then the body.
    public func string(_ m: Matrix) -> String {
        "la.matrix \(m.shapeDescription)\n" + body(m)
    }

    /// Body only: `[[a b]\n [c d]]`.
    public func body(_ m: Matrix) -> String {
        if m.count == 0 { return "[]" }
        let summarise = m.count > threshold
        let rowIdx = shown(m.rows, summarise)
        var colIdx = shown(m.cols, summarise)
        var texts = formatted(m, rowIdx, colIdx)
        var width = texts.values.map { $0.count }.max() ?? 0
        if !summarise && m.cols > 2 * edgeItems && (width + 1) * m.cols + 2 > lineWidth {
            colIdx = shown(m.cols, true)
            texts = formatted(m, rowIdx, colIdx)
            width = texts.values.map { $0.count }.max() ?? 0
        }
        func pad(_ s: String) -> String { String(repeating: " ", count: max(0, width - s.count)) + s }
        var lines: [String] = []
        for (ri, i) in rowIdx.enumerated() {
            let prefix = ri == 0 ? "[[" : " ["
            if i < 0 { lines.append(" …"); continue }
            var cells: [String] = []
            for j in colIdx {
                cells.append(j < 0 ? "…" : pad(texts[i * m.cols + j] ?? ""))
            }
            lines.append(prefix + cells.joined(separator: " ") + "]")
        }
        return lines.joined(separator: "\n") + "]"
    }

    /// Indices to show along a dimension of size n; -1 marks the `…` gap.
    func shown(_ n: Int, _ summarise: Bool) -> [Int] {
        if !summarise || n <= 2 * edgeItems { return Array(0..<n) }
        return Array(0..<edgeItems) + [-1] + Array((n - edgeItems)..<n)
    }

    /// Text of every shown element keyed by its row-major index, numpy `maxprec` rules.
    func formatted(_ m: Matrix, _ rows: [Int], _ cols: [Int]) -> [Int: String] {
        var keys: [Int] = []
        for i in rows where i >= 0 { for j in cols where j >= 0 { keys.append(i * m.cols + j) } }
        let finite = keys.map { Swift.abs(m.data[$0]) }.filter { $0.isFinite }
        let nonzero = finite.filter { $0 != 0 }
        let maxVal = finite.max() ?? 0
        let minVal = nonzero.min() ?? 0
        let exponential = maxVal >= 1e8 || (minVal != 0 && (minVal < 1e-4 || maxVal / minVal > 1e3))
        var out: [Int: String] = [:]
        if exponential {
            // mantissa digits trimmed, then padded to a common fraction length and exponent width
            var parts: [Int: (String, String, String)] = [:]   // int part, fraction, exponent digits with sign
            for k in keys where m.data[k].isFinite {
                let s = cFormat("%.\(precision)e", m.data[k])
                guard let e = s.firstIndex(of: "e") else { continue }
                let mant = trimZeros(String(s[..<e]))
                let dot = mant.firstIndex(of: ".")!
                parts[k] = (String(mant[..<dot]), String(mant[mant.index(after: dot)...]), String(s[s.index(after: e)...]))
            }
            let fracW = parts.values.map { $0.1.count }.max() ?? 0
            let expW = parts.values.map { $0.2.count }.max() ?? 3
            let intW = parts.values.map { $0.0.count }.max() ?? 1
            for k in keys {
                if let (ip, fr, ex) = parts[k] {
                    let sign = ex.first!, digits = ex.dropFirst()
                    let expText = String(sign) + String(repeating: "0", count: max(0, expW - ex.count)) + digits
                    out[k] = String(repeating: " ", count: intW - ip.count) + ip + "." + fr
                        + String(repeating: "0", count: fracW - fr.count) + "e" + expText
                } else {
                    out[k] = special(m.data[k])
                }
            }
        } else {
            var parts: [Int: (String, String)] = [:]
            for k in keys where m.data[k].isFinite {
                let s = trimZeros(cFormat("%.\(precision)f", m.data[k]))
                let dot = s.firstIndex(of: ".")!
                parts[k] = (String(s[..<dot]), String(s[s.index(after: dot)...]))
            }
            let intW = parts.values.map { $0.0.count }.max() ?? 1
            let fracW = parts.values.map { $0.1.count }.max() ?? 0
            for k in keys {
                if let (ip, fr) = parts[k] {
                    out[k] = String(repeating: " ", count: intW - ip.count) + ip + "." + fr
                        + String(repeating: " ", count: fracW - fr.count)
                } else {
                    out[k] = special(m.data[k])
                }
            }
        }
        return out
    }

    func special(_ v: Double) -> String { v.isNaN ? "nan" : (v > 0 ? "inf" : "-inf") }

    /// "1.50000000" -> "1.5", "2.00000000" -> "2." (numpy keeps the point).
    func trimZeros(_ s: String) -> String {
        guard s.contains(".") else { return s + "." }
        var t = Substring(s)
        while t.last == "0" { t = t.dropLast() }
        return String(t)
    }
}

/// `snprintf` of one double (the engine has no Foundation `String(format:)`).
public func cFormat(_ format: String, _ v: Double) -> String {
    var buf = [CChar](repeating: 0, count: 64)
    let n = withVaList([v]) { vsnprintf(&buf, buf.count, format, $0) }
    if n >= 64 {
        buf = [CChar](repeating: 0, count: Int(n) + 1)
        _ = withVaList([v]) { vsnprintf(&buf, buf.count, format, $0) }
    }
    return String(cString: buf)
}
