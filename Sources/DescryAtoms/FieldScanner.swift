/// Reads numbers straight out of a text line, field by field, without splitting the line into
/// fields first (issue 14: ingestion at disk speed). A field ends at a space, tab or newline, or
/// at a carriage return right before the newline, exactly where `LineReader` splits fields.
///
/// The scanners decide only plain fields — `[+-]digits[.digits][(e|E)[+-]digits]` with at most
/// 19 digits, converted by `FastFloat.magnitude` (Clinger, else Eisel–Lemire) — and return nil
/// for anything else, so the caller falls back to `FastFloat.parse` and `strtod` on the whole
/// field and gets the bit-identical value (checked against `strtod` by `scripts/check_fastfloat`).
///
/// Digits are read eight bytes at a time, so at least 8 readable bytes must follow every byte of
/// the line, its newline included (`BlockReader` pads its buffer).
enum FieldScanner {
    /// True when p[i] ends a field: space, tab, newline, or carriage return before a newline.
    @inline(__always)
    static func isFieldEnd(_ p: UnsafePointer<UInt8>, _ i: Int) -> Bool {
        let c = p[i]
        return c == 32 || c == 9 || c == 10 || (c == 13 && p[i + 1] == 10)
    }

    /// True when p[i] ends the line: a newline, or a carriage return before one.
    @inline(__always)
    static func isLineEnd(_ p: UnsafePointer<UInt8>, _ i: Int) -> Bool {
        p[i] == 10 || (p[i] == 13 && p[i + 1] == 10)
    }

    /// The offset of the end of the field starting at p[i] (any bytes).
    @inline(__always)
    static func fieldEnd(_ p: UnsafePointer<UInt8>, _ i: Int) -> Int {
        var e = i
        while !isFieldEnd(p, e) { e += 1 }
        return e
    }

    /// The eight decimal digits in `d` (byte k = value of digit k, the first digit lowest) as an
    /// integer (SWAR, two multiplication levels): neighbouring digits first combine into pairs
    /// 10·d_k + d_{k+1} in bytes 0, 2, 4, 6; then pairs 0 and 4 (times 10^6 and 10^2) and pairs 2
    /// and 6 (times 10^4 and 1) are each weighted by one 64-bit multiplication whose upper half
    /// collects the sum (every partial sum stays below 2^32, so nothing carries across).
    @inline(__always)
    static func combine(_ d: UInt64) -> UInt64 {
        let pairs = d &* 10 &+ (d >> 8)
        let outer = (pairs & 0x0000_00FF_0000_00FF) &* (100 &+ (1_000_000 << 32))
        let inner = ((pairs >> 16) & 0x0000_00FF_0000_00FF) &* (1 &+ (10_000 << 32))
        return (outer &+ inner) >> 32
    }

    /// Appends the run of decimal digits at p[0...] to `w` (wrapping: callers refuse more than
    /// 19 digits) and returns its length. Eight bytes are tested at once: byte ^ '0' is a digit
    /// value exactly when it is < 10, found without carries between bytes.
    @inline(__always)
    static func digits(_ p: UnsafePointer<UInt8>, _ w: inout UInt64, _ t: FastFloat.Tables) -> Int {
        var n = 0
        while true {
            let d = digitBytes(p + n)
            let notDigit = notDigits(d)
            if notDigit == 0 {
                w = w &* 100_000_000 &+ combine(d)
                n += 8
                continue
            }
            let k = notDigit.trailingZeroBitCount >> 3
            w = w &* t.integerPowers[k] &+ combine(leading(d, k))
            return n + k
        }
    }

    /// Eight bytes from p on, each XOR '0': a digit byte becomes its value (first byte lowest).
    @inline(__always)
    static func digitBytes(_ p: UnsafePointer<UInt8>) -> UInt64 {
        UnsafeRawPointer(p).loadUnaligned(as: UInt64.self) ^ 0x3030_3030_3030_3030
    }

    /// Whether the field at p[at] starts with '-', and where its digits start (after one
    /// optional sign).
    @inline(__always)
    static func sign(_ p: UnsafePointer<UInt8>, _ at: Int) -> (negative: Bool, digitsAt: Int) {
        let c = p[at]
        let negative = c == 45
        return (negative, at &+ (negative || c == 43 ? 1 : 0))
    }

    /// The plain decimal field at p[i...], moving `i` to its end; NaN, with `i` unchanged,
    /// when this scanner does not decide it (see the type's comment: the caller then converts
    /// the whole field with `FastFloat.parse`/`strtod`). A decided value is never NaN.
    ///
    /// The shape of nearly every number in a dump — `[+-]`, at most 7 integer digits, `.` and at
    /// most 19 fraction digits, no exponent — is read from up to four 8-byte loads with no branch on
    /// the digits themselves (a digit-count branch taken at random costs more than the
    /// arithmetic); anything else goes to `generalDouble`, which reads any plain field.
    @_transparent
    static func double(_ p: UnsafePointer<UInt8>, _ at: inout Int, _ t: FastFloat.Tables) -> Double {
        let (negative, i) = sign(p, at)
        let a = digitBytes(p + i)
        let integerDigits = notDigits(a).trailingZeroBitCount >> 3
        guard integerDigits < 8 else { return generalDouble(p, &at, t) }
        var w = combine(leading(a, integerDigits))
        var j = i &+ integerDigits
        var fractionDigits = 0
        if p[j] == 46 {
            j &+= 1
            let b = digitBytes(p + j)
            let nb = notDigits(b)
            if nb == 0 {
                let c = digitBytes(p + j + 8)
                let nc = notDigits(c)
                w = w &* 100_000_000 &+ combine(b)
                if nc == 0 {
                    // 16 or more fraction digits (≤ 19 in all is still decided here)
                    let d = digitBytes(p + j + 16)
                    let k = notDigits(d).trailingZeroBitCount >> 3
                    guard k < 4 else { return generalDouble(p, &at, t) }
                    w = (w &* 100_000_000 &+ combine(c)) &* t.integerPowers[k] &+ combine(leading(d, k))
                    fractionDigits = 16 &+ k
                } else {
                    let k = nc.trailingZeroBitCount >> 3
                    w = w &* t.integerPowers[k] &+ combine(leading(c, k))
                    fractionDigits = 8 &+ k
                }
            } else {
                let k = nb.trailingZeroBitCount >> 3
                w = w &* t.integerPowers[k] &+ combine(leading(b, k))
                fractionDigits = k
            }
            j &+= fractionDigits
        }
        // an exponent or any other byte after the digits is not a field end: `generalDouble`
        let total = integerDigits &+ fractionDigits
        guard total > 0 && total <= 19 && isFieldEnd(p, j) else { return generalDouble(p, &at, t) }
        let exponent = -fractionDigits
        var m: Double
        if w <= 1 << 53 {
            // Clinger's fast path, as in `FastFloat.magnitude` (here 0 ≥ exponent ≥ -19)
            m = Double(w) / t.exactPowers[-exponent]
        } else {
            m = FastFloat.eiselLemire(significand: w, exponent: exponent, t) ?? .nan
            if m.isNaN { return generalDouble(p, &at, t) }
        }
        at = j
        return Double(bitPattern: m.bitPattern | (negative ? 1 << 63 : 0))
    }

    /// The high bit of each byte of `d` (a load XOR '0'…) that does not hold a digit value.
    @inline(__always)
    static func notDigits(_ d: UInt64) -> UInt64 {
        (((d & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7676_7676_7676_7676) | d) & 0x8080_8080_8080_8080
    }

    /// The first k < 8 digit bytes of `d` moved to the top bytes (the bytes below read as
    /// leading zeros for `combine`; k = 0 gives 0).
    @inline(__always)
    static func leading(_ d: UInt64, _ k: Int) -> UInt64 {
        (d &<< UInt64(63 &- 8 &* k)) &<< 1
    }

    /// `double` for every plain field (digit runs of any length, an exponent), out of line:
    /// what `double`'s fixed-shape path leaves.
    @inline(never)
    static func generalDouble(_ p: UnsafePointer<UInt8>, _ at: inout Int, _ t: FastFloat.Tables) -> Double {
        let (negative, digitsAt) = sign(p, at)
        var i = digitsAt
        var w: UInt64 = 0
        let integerDigits = digits(p + i, &w, t)
        i += integerDigits
        var fractionDigits = 0
        if p[i] == 46 {
            i += 1
            fractionDigits = digits(p + i, &w, t)
            i += fractionDigits
        }
        let total = integerDigits + fractionDigits
        guard total > 0 && total <= 19 else { return .nan }
        var exponent = -fractionDigits
        if p[i] | 0x20 == 101 {
            i += 1
            let negativeExponent = p[i] == 45
            if negativeExponent || p[i] == 43 { i += 1 }
            let start = i
            var e = 0
            while true {
                let c = p[i] &- 48
                if c >= 10 { break }
                if e < 100_000 { e = e &* 10 &+ Int(c) }
                i += 1
            }
            guard i > start else { return .nan }
            exponent += negativeExponent ? -e : e
        }
        guard isFieldEnd(p, i) else { return .nan }
        var m: Double
        if w <= 1 << 53 && exponent >= -22 && exponent <= 22 {
            // Clinger's fast path, as in `FastFloat.magnitude`
            m = Double(w)
            m = exponent < 0 ? m / t.exactPowers[-exponent] : m * t.exactPowers[exponent]
        } else {
            m = longMagnitude(w, exponent, t)
            if m.isNaN { return .nan }
        }
        at = i
        return negative ? -m : m
    }

    /// `FastFloat.magnitude` outside Clinger's range (Eisel–Lemire), NaN when undecided; kept
    /// out of line so the scanning loop stays small.
    @inline(never)
    static func longMagnitude(_ w: UInt64, _ q: Int, _ t: FastFloat.Tables) -> Double {
        FastFloat.magnitude(significand: w, exponent: q, t) ?? .nan
    }

    /// The integer field `[+-]digits` (at most 18 digits) at p[i...], moving `i` to its end; nil,
    /// with `i` unchanged, when the caller must use `FastFloat.parseInt`/`strtol` on the field.
    /// Up to 7 digits are read from one 8-byte load; longer fields go to `generalInt`.
    @inline(__always)
    static func int(_ p: UnsafePointer<UInt8>, _ at: inout Int) -> Int? {
        let (negative, i) = sign(p, at)
        let a = digitBytes(p + i)
        let n = notDigits(a).trailingZeroBitCount >> 3
        guard n < 8 else { return generalInt(p, &at) }
        guard n > 0 && isFieldEnd(p, i &+ n) else { return nil }
        at = i &+ n
        let v = Int(truncatingIfNeeded: combine(leading(a, n)))
        return negative ? -v : v
    }

    /// `int` for fields of any length, out of line.
    @inline(never)
    static func generalInt(_ p: UnsafePointer<UInt8>, _ at: inout Int) -> Int? {
        let (negative, i) = sign(p, at)
        var w: UInt64 = 0
        let n = digits(p + i, &w, FastFloat.tables)
        guard n > 0 && n <= 18 && isFieldEnd(p, i + n) else { return nil }
        at = i + n
        let v = Int(truncatingIfNeeded: w)
        return negative ? -v : v
    }
}
