import Glibc

// Elementwise arithmetic with numpy broadcasting restricted to 2-D: two shapes are compatible
// when, in each dimension, the sizes are equal or one of them is 1 (scalar 1×1, row 1×n, column
// m×1, and row ⊗ column giving m×n). numpy reference: "Broadcasting" in the numpy user guide.

extension Matrix {
    /// The broadcast shape of `a` and `b`, or an error naming both shapes.
    public static func broadcastShape(_ a: Matrix, _ b: Matrix) throws -> (Int, Int) {
        func dim(_ x: Int, _ y: Int) -> Int? { x == y ? x : (x == 1 ? y : (y == 1 ? x : nil)) }
        guard let r = dim(a.rows, b.rows), let c = dim(a.cols, b.cols) else {
            throw EngineError("shapes \(a.shapeDescription) and \(b.shapeDescription) cannot be broadcast together")
        }
        try checkAllocation(r, c)
        return (r, c)
    }

    /// `op(a[i,j], b[i,j])` with broadcasting. Fast paths for equal shapes and scalars.
    @inlinable
    public static func combine(_ a: Matrix, _ b: Matrix, _ op: (Double, Double) -> Double) throws -> Matrix {
        if a.rows == b.rows && a.cols == b.cols {
            var out = a.data
            b.data.withUnsafeBufferPointer { pb in
                out.withUnsafeMutableBufferPointer { po in
                    for k in 0..<po.count { po[k] = op(po[k], pb[k]) }
                }
            }
            return Matrix(rows: a.rows, cols: a.cols, data: out)
        }
        let (r, c) = try broadcastShape(a, b)
        if b.count == 1 { let s = b.data[0]; return a.map { op($0, s) } }
        if a.count == 1 { let s = a.data[0]; return b.map { op(s, $0) } }
        var out = [Double](repeating: 0, count: r * c)
        let ars = a.rows == 1 ? 0 : a.cols, acs = a.cols == 1 ? 0 : 1
        let brs = b.rows == 1 ? 0 : b.cols, bcs = b.cols == 1 ? 0 : 1
        a.data.withUnsafeBufferPointer { pa in
            b.data.withUnsafeBufferPointer { pb in
                out.withUnsafeMutableBufferPointer { po in
                    for i in 0..<r {
                        let ia = i * ars, ib = i * brs, io = i * c
                        for j in 0..<c { po[io + j] = op(pa[ia + j * acs], pb[ib + j * bcs]) }
                    }
                }
            }
        }
        return Matrix(rows: r, cols: c, data: out)
    }

    /// `f` applied to every element (a new matrix of the same shape).
    @inlinable
    public func map(_ f: (Double) -> Double) -> Matrix {
        var out = data
        out.withUnsafeMutableBufferPointer { p in
            for k in 0..<p.count { p[k] = f(p[k]) }
        }
        return Matrix(rows: rows, cols: cols, data: out)
    }

    /// Elementwise `a + b` (broadcasting).
    public static func add(_ a: Matrix, _ b: Matrix) throws -> Matrix { try combine(a, b, +) }
    /// Elementwise `a − b` (broadcasting).
    public static func subtract(_ a: Matrix, _ b: Matrix) throws -> Matrix { try combine(a, b, -) }
    /// Elementwise (Hadamard) product `a ∘ b` (broadcasting; numpy `a * b`).
    public static func multiply(_ a: Matrix, _ b: Matrix) throws -> Matrix { try combine(a, b, *) }
    /// Elementwise `a / b` (broadcasting; IEEE division, x/0 = ±inf as numpy).
    public static func divide(_ a: Matrix, _ b: Matrix) throws -> Matrix { try combine(a, b, /) }
    /// Elementwise power `a^b` (broadcasting; C `pow`, numpy `a ** b`).
    public static func power(_ a: Matrix, _ b: Matrix) throws -> Matrix {
        try combine(a, b) { x, y in y == 2 ? x * x : Glibc.pow(x, y) }
    }

    /// `a op b` with broadcasting, each operator compiled to its own loop (vectorisable; no
    /// per-element closure call). Either side may be a scalar (1×1).
    public static func apply(_ op: ArithmeticOp, _ a: Matrix, _ b: Matrix) throws -> Matrix {
        switch op {
        case .add: return try combine(a, b) { $0 + $1 }
        case .subtract: return try combine(a, b) { $0 - $1 }
        case .multiply: return try combine(a, b) { $0 * $1 }
        case .divide: return try combine(a, b) { $0 / $1 }
        case .power: return try power(a, b)
        }
    }

    /// `m op s` for a scalar s.
    public static func apply(_ op: ArithmeticOp, _ m: Matrix, scalar s: Double) -> Matrix {
        switch op {
        case .add: return m.map { $0 + s }
        case .subtract: return m.map { $0 - s }
        case .multiply: return m.map { $0 * s }
        case .divide: return m.map { $0 / s }
        case .power: return s == 2 ? m.map { $0 * $0 } : m.map { Glibc.pow($0, s) }
        }
    }

    /// `s op m` for a scalar s.
    public static func apply(_ op: ArithmeticOp, scalar s: Double, _ m: Matrix) -> Matrix {
        switch op {
        case .add: return m.map { s + $0 }
        case .subtract: return m.map { s - $0 }
        case .multiply: return m.map { s * $0 }
        case .divide: return m.map { s / $0 }
        case .power: return m.map { Glibc.pow(s, $0) }
        }
    }

    /// A 1×1 matrix holding `v` (scalars broadcast as 1×1 matrices).
    public static func scalar(_ v: Double) -> Matrix { Matrix(rows: 1, cols: 1, data: [v]) }

    /// `m + s` for a scalar s.
    public func adding(_ s: Double) -> Matrix { map { $0 + s } }
    /// `m · s` for a scalar s.
    public func scaled(_ s: Double) -> Matrix { map { $0 * s } }

    /// Elementwise comparison giving 1 where `pred(a, b)` holds, else 0 (broadcasting).
    public static func compare(_ a: Matrix, _ b: Matrix, _ pred: (Double, Double) -> Bool) throws -> Matrix {
        try combine(a, b) { pred($0, $1) ? 1 : 0 }
    }

    /// Elements limited to [lo, hi] (numpy `clip`); NaN stays NaN.
    public func clamped(_ lo: Double, _ hi: Double) throws -> Matrix {
        guard !(lo > hi) else { throw EngineError("lower bound \(lo) exceeds upper bound \(hi)") }
        return map { $0.isNaN ? $0 : Swift.min(Swift.max($0, lo), hi) }
    }

    /// numpy `allclose`: |a − b| ≤ atol + rtol·|b| elementwise (broadcasting); NaN never equal
    /// unless `equalNaN`.
    public static func allClose(_ a: Matrix, _ b: Matrix, rtol: Double = 1e-5, atol: Double = 1e-8,
                                equalNaN: Bool = false) throws -> Bool {
        let c = try combine(a, b) { x, y in
            if x.isNaN || y.isNaN { return (equalNaN && x.isNaN && y.isNaN) ? 1 : 0 }
            if x == y { return 1 }   // equal infinities
            return Swift.abs(x - y) <= atol + rtol * Swift.abs(y) ? 1 : 0
        }
        return !c.data.contains(0)
    }
}

/// Elementwise arithmetic operators (numpy `+ - * / **`).
public enum ArithmeticOp {
    case add, subtract, multiply, divide, power
}

/// The named elementwise functions exposed by `descry.la` (computed in Swift with Glibc libm).
public enum ElementwiseFunction: String, CaseIterable {
    case exp, log, log2, log10, log1p, expm1, sqrt, abs, sin, cos, tan, tanh, floor, ceil, round, sign

    /// The scalar function (log of a negative number is NaN, of 0 is −inf, as numpy).
    public var function: (Double) -> Double {
        switch self {
        case .exp: return { Glibc.exp($0) }
        case .log: return { Glibc.log($0) }
        case .log2: return { Glibc.log2($0) }
        case .log10: return { Glibc.log10($0) }
        case .log1p: return { Glibc.log1p($0) }
        case .expm1: return { Glibc.expm1($0) }
        case .sqrt: return { $0.squareRoot() }
        case .abs: return { Swift.abs($0) }
        case .sin: return { Glibc.sin($0) }
        case .cos: return { Glibc.cos($0) }
        case .tan: return { Glibc.tan($0) }
        case .tanh: return { Glibc.tanh($0) }
        case .floor: return { $0.rounded(.down) }
        case .ceil: return { $0.rounded(.up) }
        case .round: return { $0.rounded(.toNearestOrEven) }   // numpy rounds half to even
        case .sign: return { $0 > 0 ? 1 : ($0 < 0 ? -1 : ($0.isNaN ? .nan : 0)) }
        }
    }

    /// One-line description for docstrings.
    public var summary: String {
        switch self {
        case .exp: return "eˣ"
        case .log: return "natural logarithm (NaN for x < 0, −inf at 0)"
        case .log2: return "base-2 logarithm"
        case .log10: return "base-10 logarithm"
        case .log1p: return "log(1 + x), accurate for small x"
        case .expm1: return "eˣ − 1, accurate for small x"
        case .sqrt: return "square root (NaN for x < 0)"
        case .abs: return "absolute value"
        case .sin: return "sine"
        case .cos: return "cosine"
        case .tan: return "tangent"
        case .tanh: return "hyperbolic tangent"
        case .floor: return "largest integer ≤ x"
        case .ceil: return "smallest integer ≥ x"
        case .round: return "nearest integer, halves to even (numpy.round)"
        case .sign: return "−1, 0 or 1"
        }
    }
}
