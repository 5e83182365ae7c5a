// Driver for scripts/check_fastfloat: compiled together with Sources/DescryAtoms/FastFloat.swift,
// FieldScanner.swift and PowersOfTen.swift. Checks FastFloat.parse and FieldScanner.double (the
// readers' in-line scanner, on the string as a field followed by " \n"), with strtod for what
// they leave as the readers use them, bit for bit against glibc strtod on N random strings and
// on the adversarial strings of a file (scripts/fastfloat_adversarial.py), and
// FastFloat.parseInt and FieldScanner.int against strtol.
//   fastfloat_check N_RANDOM ADVERSARIAL_FILE SEED
// Prints counts and the first mismatches; exits 1 on any mismatch.
#if canImport(Glibc)
import Glibc
#endif

struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

var checked = 0
var decidedFast = 0
var decidedScanner = 0
var mismatches = 0

/// `text` followed by a space, a newline and zeros, as a field lies in a reader's padded buffer.
func asField(_ text: [UInt8]) -> [UInt8] { text + [32, 10] + [UInt8](repeating: 0, count: 16) }

/// True when `text` holds a byte that ends a field (then it is not one field).
func hasFieldEnd(_ text: [UInt8]) -> Bool { text.contains { $0 == 32 || $0 == 9 || $0 == 10 || $0 == 13 } }

/// Compares one string: the fast path (when it decides) must agree with strtod bit for bit
/// and only decide strings strtod reads whole.
func check(_ text: [UInt8]) {
    checked += 1
    var z = text.map { CChar(bitPattern: $0) }
    z.append(0)
    var endp: UnsafeMutablePointer<CChar>? = nil
    let reference = z.withUnsafeMutableBufferPointer { p -> (Double, Bool) in
        let v = strtod(p.baseAddress!, &endp)
        return (v, endp == p.baseAddress! + text.count && !text.isEmpty)
    }
    if !hasFieldEnd(text) {
        var end = 0
        let scanned = asField(text).withUnsafeBufferPointer { FieldScanner.double($0.baseAddress!, &end, FastFloat.tables) }
        if !scanned.isNaN {
            decidedScanner += 1
            if !reference.1 || scanned.bitPattern != reference.0.bitPattern || end != text.count {
                mismatches += 1
                if mismatches <= 20 {
                    print("MISMATCH scanner '\(String(decoding: text, as: UTF8.self))': \(scanned) (0x\(String(scanned.bitPattern, radix: 16))) end \(end), strtod \(reference.0) (0x\(String(reference.0.bitPattern, radix: 16))) whole=\(reference.1)")
                }
            }
        }
    }
    let fast = text.withUnsafeBufferPointer { FastFloat.parse($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, count: text.count) }
    guard let v = fast else { return }
    decidedFast += 1
    if !reference.1 || v.bitPattern != reference.0.bitPattern {
        mismatches += 1
        if mismatches <= 20 {
            print("MISMATCH '\(String(decoding: text, as: UTF8.self))': fast \(v) (0x\(String(v.bitPattern, radix: 16))), strtod \(reference.0) (0x\(String(reference.0.bitPattern, radix: 16))) whole=\(reference.1)")
        }
    }
}

func checkInt(_ text: [UInt8]) {
    var z = text.map { CChar(bitPattern: $0) }
    z.append(0)
    var endp: UnsafeMutablePointer<CChar>? = nil
    let reference = z.withUnsafeMutableBufferPointer { p -> (Int, Bool) in
        let v = strtol(p.baseAddress!, &endp, 10)
        return (v, endp == p.baseAddress! + text.count && !text.isEmpty)
    }
    let fast = text.withUnsafeBufferPointer { FastFloat.parseInt($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, count: text.count) }
    if let v = fast, !reference.1 || v != reference.0 {
        mismatches += 1
        print("MISMATCH int '\(String(decoding: text, as: UTF8.self))': fast \(v), strtol \(reference.0)")
    }
    if !hasFieldEnd(text) {
        var end = 0
        let scanned = asField(text).withUnsafeBufferPointer { FieldScanner.int($0.baseAddress!, &end) }
        if let v = scanned, !reference.1 || v != reference.0 || end != text.count {
            mismatches += 1
            print("MISMATCH scanner int '\(String(decoding: text, as: UTF8.self))': \(v) end \(end), strtol \(reference.0)")
        }
    }
}

/// A random double from a random bit pattern (every binade equally likely), printed with a
/// random %g/%e/%f precision, or a random digit string with a random point and exponent.
func randomString(_ rng: inout SplitMix64) -> [UInt8] {
    var buffer = [CChar](repeating: 0, count: 512)
    let style = rng.below(4)
    if style == 3 {
        let ndigits = 1 + rng.below(24)
        var s: [UInt8] = rng.below(2) == 0 ? [] : [45]
        let point = rng.below(ndigits + 1)
        for k in 0..<ndigits {
            if k == point { s.append(46) }
            s.append(UInt8(48 + rng.below(10)))
        }
        if rng.below(2) == 0 {
            s.append(rng.below(2) == 0 ? 101 : 69)
            let e = rng.below(700) - 350
            s.append(contentsOf: Array(String(e).utf8))
        }
        return s
    }
    var bits = rng.next() & 0x7FFF_FFFF_FFFF_FFFF
    if bits >= 0x7FF0_0000_0000_0000 { bits &= 0x3FFF_FFFF_FFFF_FFFF }
    if rng.below(4) == 0 { bits |= 0x8000_0000_0000_0000 }
    let x = Double(bitPattern: bits)
    let precision = Int32(1 + rng.below(20))
    let n: Int32 = buffer.withUnsafeMutableBufferPointer { p in
        switch style {
        case 0: return withVaList([precision, x]) { vsnprintf(p.baseAddress!, 512, "%.*g", $0) }
        case 1: return withVaList([precision, x]) { vsnprintf(p.baseAddress!, 512, "%.*e", $0) }
        default:
            // %f of a moderate value (digits around the point, as in dumps)
            let y = Double(bitPattern: (bits & 0x800F_FFFF_FFFF_FFFF) | (UInt64(1023 - 30 + rng.below(60)) << 52))
            return withVaList([precision, y]) { vsnprintf(p.baseAddress!, 512, "%.*f", $0) }
        }
    }
    return buffer.prefix(Int(n)).map { UInt8(bitPattern: $0) }
}

let args = CommandLine.arguments
guard args.count == 4, let nRandom = Int(args[1]), let seed = UInt64(args[3]) else {
    print("usage: fastfloat_check N_RANDOM ADVERSARIAL_FILE SEED")
    exit(2)
}
var rng = SplitMix64(state: seed)
for _ in 0..<nRandom { check(randomString(&rng)) }
let randomChecked = checked
let randomFast = decidedFast
let randomScanner = decidedScanner
guard let file = fopen(args[2], "r") else { print("cannot open \(args[2])"); exit(2) }
var line: UnsafeMutablePointer<CChar>? = nil
var capacity = 0
while getline(&line, &capacity, file) > 0 {
    var bytes = Array(UnsafeBufferPointer(start: line!, count: strlen(line!))).map { UInt8(bitPattern: $0) }
    if bytes.last == 10 { bytes.removeLast() }
    check(bytes)
}
fclose(file)
for text in ["0", "-0", "+7", "123456789012345678", "-999999999999999999", "1234567890123456789",
             "9223372036854775807", "99999999999999999999", "", "-", "1.0", " 1", "0x10", "٣"] {
    checkInt(Array(text.utf8))
}
for _ in 0..<100_000 { checkInt(Array(String(Int(bitPattern: UInt(rng.next())) >> rng.below(64)).utf8)) }
print("random: \(randomChecked) strings, \(randomFast) decided by the fast path, the rest by strtod; \(randomScanner) by the in-line scanner")
print("adversarial: \(checked - randomChecked) strings, \(decidedFast - randomFast) decided by the fast path; \(decidedScanner - randomScanner) by the in-line scanner")
print("\(mismatches == 0 ? "bit-identical to strtod" : "\(mismatches) MISMATCHES")")
print("\(mismatches == 0 ? 1 : 0) passed, \(mismatches == 0 ? 0 : 1) failed")
exit(mismatches == 0 ? 0 : 1)
