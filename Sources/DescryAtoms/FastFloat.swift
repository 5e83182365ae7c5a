/// Correctly rounded decimal-to-double conversion for the text readers, without `strtod` in the
/// common case: Clinger's fast path (Clinger, PLDI 1990: a ≤ 2^53 significand times an exactly
/// representable power of ten ≤ 10^22 is one correctly rounded IEEE operation) and the
/// Eisel–Lemire algorithm (Lemire, "Number parsing at a gigabyte per second", Softw. Pract. Exp.
/// 51, 1700, 2021): the ≤ 19-digit significand times a 128-bit truncated power of ten
/// (`PowersOfTen`), rounded from the 192-bit product when the truncation error provably cannot
/// move the result across a rounding midpoint.
///
/// `parse` returns nil — "use `strtod`" — for anything it does not decide: syntax other than
/// `[+-]digits[.digits][(e|E)[+-]digits]` (hex, inf, nan, stray characters), more than 19
/// significant digits, results that are subnormal or overflow, and products within the
/// truncation error of a midpoint. So callers that fall back to `strtod` accept exactly the
/// strings `strtod` accepts and return bit-identical values (tested against `strtod` on random
/// and adversarial strings, `FastFloatTests`, `scripts/check_fastfloat`).
public enum FastFloat {
    /// The conversion tables as plain memory: reading a global pointer costs no reference
    /// counting, reading a global array does (measured: a third of the time per number). Hot
    /// loops fetch `tables` once and pass it on (each access to a global costs a `swift_once`).
    struct Tables {
        /// 10^0 … 10^22, every one exactly representable (5^22 < 2^53).
        let exactPowers: UnsafePointer<Double>
        /// `PowersOfTen`.
        let high: UnsafePointer<UInt64>
        let low: UnsafePointer<UInt64>
        let binaryExponent: UnsafePointer<Int16>
        /// 10^0 … 10^19 as integers.
        let integerPowers: UnsafePointer<UInt64>
    }

    /// The tables, built once.
    static let tables = Tables(
        exactPowers: table([
            1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
            1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
        ]),
        high: table(PowersOfTen.high),
        low: table(PowersOfTen.low),
        binaryExponent: table(PowersOfTen.binaryExponent),
        integerPowers: table((0...19).map { k in (0..<k).reduce(UInt64(1)) { p, _ in p * 10 } }))

    /// A copy of `values` in memory that lives as long as the process (tables built once).
    private static func table<T>(_ values: [T]) -> UnsafePointer<T> {
        let p = UnsafeMutablePointer<T>.allocate(capacity: values.count)
        p.initialize(from: values, count: values.count)
        return UnsafePointer(p)
    }

    /// The decimal significand and exponent of a plain decimal literal.
    struct Decimal {
        var negative = false
        /// Significant digits as an integer (< 10^19).
        var significand: UInt64 = 0
        /// Value = significand · 10^exponent.
        var exponent = 0
    }

    /// The double nearest to the decimal literal in bytes `s[0..<count]` (ties to even), or nil
    /// when the caller must use `strtod` (see the type's comment).
    @inline(__always)
    public static func parse(_ s: UnsafePointer<UInt8>, count n: Int) -> Double? {
        guard let d = scan(s, count: n) else { return nil }
        guard let m = magnitude(significand: d.significand, exponent: d.exponent, tables) else { return nil }
        return d.negative ? -m : m
    }

    /// significand · 10^exponent correctly rounded (significand < 10^19), or nil when the
    /// caller must use `strtod`: Clinger's fast path, else Eisel–Lemire.
    @inline(__always)
    static func magnitude(significand w: UInt64, exponent q: Int, _ t: Tables) -> Double? {
        if w == 0 { return 0 }
        if w <= 1 << 53 && q >= -22 && q <= 22 {
            let v = Double(w)
            return q < 0 ? v / t.exactPowers[-q] : v * t.exactPowers[q]
        }
        return eiselLemire(significand: w, exponent: q, t)
    }

    /// Splits `[+-]digits[.digits][(e|E)[+-]digits]` into significand and exponent; nil for
    /// any other syntax and for more than 19 significant digits.
    @inline(__always)
    static func scan(_ s: UnsafePointer<UInt8>, count n: Int) -> Decimal? {
        var d = Decimal()
        var i = 0
        if i < n && (s[i] == 45 || s[i] == 43) {
            d.negative = s[i] == 45
            i += 1
        }
        let integerStart = i
        while i < n && s[i] == 48 { i += 1 }
        let significantStart = i
        var w: UInt64 = 0
        digits(s, n, &i, &w)
        var significant = i - significantStart
        var sawDigit = i > integerStart
        var exponent = 0
        if i < n && s[i] == 46 {
            i += 1
            let fractionStart = i
            if significant == 0 {
                // 0.000ddd: zeros after the point are not significant
                while i < n && s[i] == 48 { i += 1 }
            }
            let fractionSignificantStart = i
            digits(s, n, &i, &w)
            significant += i - fractionSignificantStart
            exponent = fractionStart - i
            sawDigit = sawDigit || i > fractionStart
        }
        guard sawDigit, significant <= 19 else { return nil }
        if i < n && (s[i] == 101 || s[i] == 69) {
            i += 1
            var negativeExponent = false
            if i < n && (s[i] == 45 || s[i] == 43) {
                negativeExponent = s[i] == 45
                i += 1
            }
            var e = 0
            let exponentStart = i
            while i < n {
                let c = s[i] &- 48
                if c >= 10 { break }
                if e < 100_000 { e = e &* 10 &+ Int(c) }
                i += 1
            }
            guard i > exponentStart else { return nil }
            exponent += negativeExponent ? -e : e
        }
        guard i == n else { return nil }
        d.significand = w
        d.exponent = exponent
        return d
    }

    /// Appends the decimal digits at s[i...] to `w` (wrapping: callers discard more than 19
    /// digits), eight at a time while eight digits remain (SWAR: pairs, quads, then the eight
    /// combined in one register), then one at a time; `i` ends at the first non-digit.
    @inline(__always)
    static func digits(_ s: UnsafePointer<UInt8>, _ n: Int, _ i: inout Int, _ w: inout UInt64) {
        while n - i >= 8 {
            let chunk = UnsafeRawPointer(s + i).loadUnaligned(as: UInt64.self)
            // every byte in 0x30...0x39: high nibble 3, and adding 6 does not carry out of it
            let allDigits = (chunk & 0xF0F0_F0F0_F0F0_F0F0) == 0x3030_3030_3030_3030
                && ((chunk &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0) == 0x3030_3030_3030_3030
            if !allDigits { break }
            var v = chunk &- 0x3030_3030_3030_3030        // byte k = digit k (first digit lowest)
            v = (v &* 10 &+ (v >> 8)) & 0x00FF_00FF_00FF_00FF
            v = (v &* 100 &+ (v >> 16)) & 0x0000_FFFF_0000_FFFF
            v = (v &* 10000 &+ (v >> 32)) & 0xFFFF_FFFF
            w = w &* 100_000_000 &+ v
            i += 8
        }
        while i < n {
            let c = s[i] &- 48
            if c >= 10 { break }
            w = w &* 10 &+ UInt64(c)
            i += 1
        }
    }

    /// Eisel–Lemire for a nonzero significand: nil when the result is not a normal double or
    /// the truncated power of ten leaves the rounding undecided.
    @_transparent
    static func eiselLemire(significand: UInt64, exponent q: Int, _ t: Tables) -> Double? {
        guard q >= PowersOfTen.minExponent, q <= PowersOfTen.maxExponent else { return nil }
        let index = q - PowersOfTen.minExponent
        let shiftIn = significand.leadingZeroBitCount
        let w = significand << UInt64(shiftIn)
        // P = w · T = upper · 2^128 + middle · 2^64 + lowest, with |w · 10^q-scaled − P| < w < 2^64
        let (h1, l1) = w.multipliedFullWidth(by: t.high[index])
        let (h2, lowest) = w.multipliedFullWidth(by: t.low[index])
        let (middle, carry) = l1.addingReportingOverflow(h2)
        let upper = h1 &+ (carry ? 1 : 0)
        // w ≥ 2^63 and T ≥ 2^127, so the product's leading bit is bit 62 + top of `upper`.
        // Nothing below branches on the value's bits: a rounding branch taken at random costs
        // more than the arithmetic.
        let top = upper >> 63
        let shift = 10 &+ top
        var mantissa = upper >> shift
        let roundBit = (upper >> (shift &- 1)) & 1
        let belowMask: UInt64 = (1 << (shift &- 1)) &- 1
        let below = upper & belowMask
        // The truncation error (< 2^64 in units of `lowest`) could cross the midpoint when the
        // bits under the mantissa, with `middle`, are the midpoint exactly (tail = half,
        // middle = 0) or one unit of `middle` below it (tail = half − 1, middle = 2^64 − 1):
        // exactly when that 128-bit value plus one has tail = half and middle ≤ 1. One rarely
        // true test, not a branch on the round bit.
        let half: UInt64 = 1 << (shift &- 1)
        let middlePlusOne = middle &+ 1
        let tailPlusCarry = (upper & (half | belowMask)) &+ (middlePlusOne == 0 ? 1 : 0)
        if tailPlusCarry == half && middlePlusOne <= 1 && !(q >= 0 && q <= PowersOfTen.maxExactExponent) {
            return nil
        }
        var exponent = 62 &+ Int(top) &+ 128 &+ Int(t.binaryExponent[index]) &- shiftIn
        guard exponent >= -1022 else { return nil }
        let sticky: UInt64 = (below | middle | lowest) != 0 ? 1 : 0
        mantissa &+= roundBit & (sticky | (mantissa & 1))
        // rounding up to 2^53 moves to the next binade (the stored mantissa bits become 0)
        let carried = mantissa >> 53
        mantissa >>= carried
        exponent &+= Int(carried)
        guard exponent <= 1023 else { return nil }
        let bits = UInt64(exponent + 1023) << 52 | (mantissa & ((1 << 52) - 1))
        return Double(bitPattern: bits)
    }

    /// The integer in `[+-]digits` (at most 18 digits), or nil when the caller must use
    /// `strtol` (other syntax, or a value that might overflow).
    @inline(__always)
    public static func parseInt(_ s: UnsafePointer<UInt8>, count n: Int) -> Int? {
        var i = 0
        var negative = false
        if i < n && (s[i] == 45 || s[i] == 43) {
            negative = s[i] == 45
            i += 1
        }
        let start = i
        var v = 0
        while i < n {
            let c = s[i] &- 48
            guard c < 10 else { return nil }
            v = v &* 10 &+ Int(c)
            i += 1
        }
        guard i > start, i - start <= 18 else { return nil }
        return negative ? -v : v
    }
}
