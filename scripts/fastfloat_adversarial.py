#!/usr/bin/env python3
"""Prints N adversarial decimal strings, one a line, for scripts/check_fastfloat (which compares
descry's FastFloat with strtod on each): exact and truncated midpoints between adjacent doubles
(ties, 17–40 digits, ±1 in the last digit), subnormals and the normal/subnormal boundary,
values near DBL_MAX and overflow, 19–30 significant digits, exponents at the limits
(e-342 … e-320, e307 … e310), long runs of zeros, and signs/case variants.
    python3 scripts/fastfloat_adversarial.py N [SEED]
Exact decimal expansions come from Python's fractions (integers, no rounding)."""
import random
import struct
import sys
from fractions import Fraction


def double_from_bits(b):
    return struct.unpack("<d", struct.pack("<Q", b))[0]


def exact_decimal(fr, digits):
    """fr (positive Fraction) as a decimal string with `digits` significant digits, truncated
    (not rounded), in d.ddd…e±x form."""
    num, den = fr.numerator, fr.denominator
    # find e with 10^e <= fr < 10^(e+1)
    e = len(str(num)) - len(str(den))
    if Fraction(10) ** e > fr:
        e -= 1
    if Fraction(10) ** (e + 1) <= fr:
        e += 1
    scaled = fr / (Fraction(10) ** (e - digits + 1))
    mant = scaled.numerator // scaled.denominator
    s = str(mant)
    return s[0] + ("." + s[1:] if len(s) > 1 else "") + "e%d" % e


def random_bits(rng, kind):
    if kind == "subnormal":
        return rng.randrange(1, 1 << 52)
    if kind == "boundary":
        return (1 << 52) + rng.randrange(-1000, 1000)
    if kind == "max":
        return 0x7FEFFFFFFFFFFFFF - rng.randrange(0, 1000)
    if kind == "small_int":
        return struct.unpack("<Q", struct.pack("<d", float(rng.randrange(1, 1 << 60))))[0]
    return rng.randrange(1, 0x7FF0000000000000)


def midpoint_strings(rng):
    kind = rng.choice(["normal", "normal", "subnormal", "boundary", "max", "small_int"])
    b = random_bits(rng, kind)
    x = Fraction(double_from_bits(b))
    y = Fraction(double_from_bits(b + 1)) if b + 1 < 0x7FF0000000000000 else x * 2
    m = (x + y) / 2
    out = []
    digits = rng.choice([17, 18, 19, 20, 21, 25, 30, 40])
    t = exact_decimal(m, digits)
    out.append(t)
    # the last digit nudged up (just above the truncated midpoint)
    mant, _, ex = t.partition("e")
    last = int(mant[-1])
    if last < 9:
        out.append(mant[:-1] + str(last + 1) + "e" + ex)
    # the exact midpoint when short enough (a tie)
    exact = exact_decimal(m, 800).rstrip("0")
    m2, _, e2 = exact.partition("e")
    m2 = m2.rstrip("0").rstrip(".")
    if len(m2) <= 60:
        out.append(m2 + "e" + e2)
    return out


def other_strings(rng):
    kind = rng.randrange(8)
    if kind == 0:   # 19-30 random significant digits, any exponent
        n = rng.randrange(19, 31)
        d = str(rng.randrange(1, 10)) + "".join(str(rng.randrange(10)) for _ in range(n - 1))
        return ["%s.%se%d" % (d[0], d[1:], rng.randrange(-330, 310))]
    if kind == 1:   # exponents at the limits
        e = rng.choice(list(range(-345, -318)) + list(range(305, 312)))
        return ["%d.%de%d" % (rng.randrange(1, 10), rng.randrange(10 ** 15), e)]
    if kind == 2:   # long zero runs, leading and trailing
        return ["0." + "0" * rng.randrange(0, 40) + str(rng.randrange(1, 10 ** 17)),
                str(rng.randrange(1, 10 ** 6)) + "0" * rng.randrange(0, 25) + ".000"]
    if kind == 3:   # powers of ten and of two, all exponents
        e = rng.randrange(-330, 310)
        return ["1e%d" % e, "1.0E+%d" % e if e >= 0 else "1.0e%d" % e,
                repr(2.0 ** rng.randrange(-1074, 1024))]
    if kind == 4:   # signs, case, odd but valid syntax
        v = repr(double_from_bits(random_bits(rng, "normal")))
        return ["-" + v, "+" + v, v.upper(), "." + str(rng.randrange(10 ** 10)), str(rng.randrange(10 ** 8)) + "."]
    if kind == 5:   # strings strtod rejects or reads partly (the fast path must leave them)
        return [rng.choice(["", "-", "+", ".", "e5", "1e", "1e+", "1.2.3", "--1", "1x", "0x1p3", "inf",
                            "-nan", "Infinity", "1,5", "1e5e5", "٣"])]
    if kind == 6:   # 17-digit shortest round trips of random doubles
        x = double_from_bits(random_bits(rng, rng.choice(["normal", "subnormal", "boundary", "max"])))
        return ["%.17g" % x, "%.16e" % x, repr(x)]
    # zeros and huge exponents
    return ["0e%d" % rng.randrange(-999999, 999999), "-0.0", "0.000e-400", "1e-99999", "1e99999", "9" * 25 + "e-350"]


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 14)
    count = 0
    out = sys.stdout
    while count < n:
        batch = midpoint_strings(rng) if rng.random() < 0.6 else other_strings(rng)
        for s in batch[: n - count]:
            out.write(s + "\n")
            count += 1


if __name__ == "__main__":
    main()
