import Glibc

/// A simulation box in the LAMMPS convention (LAMMPS manual, "Triclinic (non-orthogonal)
/// simulation boxes"): origin `lo`, edge vectors a = (lx, 0, 0), b = (xy, ly, 0),
/// c = (xz, yz, lz), and per-dimension periodicity. Orthogonal when xy = xz = yz = 0.
/// Fractional (LAMMPS "lamda") coordinates s satisfy x = lo + H s, H = [a b c] upper triangular.
public struct Box: Equatable, Sendable {
    public var lo: SIMD3<Double>
    /// Edge lengths lx, ly, lz (xhi − xlo etc.).
    public var lengths: SIMD3<Double>
    public var xy: Double
    public var xz: Double
    public var yz: Double
    /// Periodicity of x, y, z.
    public var periodic: [Bool]

    /// A box from its origin, edge lengths, LAMMPS tilts and periodicity (three flags).
    public init(lo: SIMD3<Double> = .zero, lengths: SIMD3<Double>, xy: Double = 0, xz: Double = 0,
                yz: Double = 0, periodic: [Bool] = [true, true, true]) {
        self.lo = lo
        self.lengths = lengths
        self.xy = xy
        self.xz = xz
        self.yz = yz
        self.periodic = periodic.count == 3 ? periodic : [true, true, true]
    }

    /// Builds a box from `lo` and `hi` corners (orthogonal unless tilts are given).
    public init(lo: SIMD3<Double>, hi: SIMD3<Double>, xy: Double = 0, xz: Double = 0, yz: Double = 0,
                periodic: [Bool] = [true, true, true]) {
        self.init(lo: lo, lengths: hi - lo, xy: xy, xz: xz, yz: yz, periodic: periodic)
    }

    public var hi: SIMD3<Double> { lo + lengths }
    public var isTriclinic: Bool { xy != 0 || xz != 0 || yz != 0 }
    /// Volume lx·ly·lz.
    public var volume: Double { lengths.x * lengths.y * lengths.z }

    /// Edge vectors a, b, c (rows of the LAMMPS cell).
    public var a: SIMD3<Double> { SIMD3(lengths.x, 0, 0) }
    public var b: SIMD3<Double> { SIMD3(xy, lengths.y, 0) }
    public var c: SIMD3<Double> { SIMD3(xz, yz, lengths.z) }

    /// Distances between opposite faces (the widths perpendicular to b×c, c×a, a×b); a sphere of
    /// radius r fits inside one cell iff 2r ≤ each width.
    public var perpendicularWidths: SIMD3<Double> {
        let v = volume
        return SIMD3(v / norm(cross(b, c)), v / norm(cross(c, a)), v / norm(cross(a, b)))
    }

    /// Fractional coordinates s = H⁻¹ (x − lo) (LAMMPS `Domain::x2lamda`).
    @inline(__always) public func fractional(_ x: SIMD3<Double>) -> SIMD3<Double> {
        let d = x - lo
        let sz = d.z / lengths.z
        let sy = (d.y - yz * sz) / lengths.y
        let sx = (d.x - xy * sy - xz * sz) / lengths.x
        return SIMD3(sx, sy, sz)
    }

    /// Cartesian coordinates x = lo + H s (LAMMPS `Domain::lamda2x`).
    @inline(__always) public func cartesian(_ s: SIMD3<Double>) -> SIMD3<Double> {
        lo + displacement(s)
    }

    /// H s: the Cartesian vector of a fractional displacement (e.g. an integer image shift).
    @inline(__always) public func displacement(_ s: SIMD3<Double>) -> SIMD3<Double> {
        SIMD3(lengths.x * s.x + xy * s.y + xz * s.z, lengths.y * s.y + yz * s.z, lengths.z * s.z)
    }

    /// Wraps a position into the box along periodic dimensions; returns the wrapped position and
    /// the image shift n such that x = wrapped + H n.
    public func wrap(_ x: SIMD3<Double>) -> (position: SIMD3<Double>, image: SIMD3<Int32>) {
        let s = fractional(x)
        var n = SIMD3<Double>.zero
        for d in 0..<3 where periodic[d] {
            var f = (s[d]).rounded(.down)
            guard f.isFinite else { continue }   // NaN/inf positions or a degenerate box: leave as is
            if s[d] - f >= 1 { f += 1 }
            n[d] = f
        }
        if n == .zero { return (x, .zero) }
        // image flags saturate at the Int32 range (absurd coordinates must not trap)
        let img = SIMD3(Int32(clamping: Int(max(-2e9, min(2e9, n.x)))), Int32(clamping: Int(max(-2e9, min(2e9, n.y)))),
                        Int32(clamping: Int(max(-2e9, min(2e9, n.z)))))
        return (x - displacement(n), img)
    }

    /// The minimum-image convention: the periodic image of displacement `d` of smallest
    /// fractional components (|s| ≤ ½ along periodic dims). Exact shortest vector for orthogonal
    /// boxes and for triclinic boxes within LAMMPS' tilt limits when |d| < half the widths.
    public func minimumImage(_ d: SIMD3<Double>) -> SIMD3<Double> {
        var s = SIMD3(0, 0, 0) as SIMD3<Double>
        let sz = d.z / lengths.z
        let sy = (d.y - yz * sz) / lengths.y
        let sx = (d.x - xy * sy - xz * sz) / lengths.x
        s = SIMD3(sx, sy, sz)
        var n = SIMD3<Double>.zero
        for k in 0..<3 where periodic[k] { n[k] = s[k].rounded(.toNearestOrEven) }
        return d - displacement(n)
    }

    /// Minimum-image distance between two positions.
    public func distance(_ x: SIMD3<Double>, _ y: SIMD3<Double>) -> Double {
        norm(minimumImage(y - x))
    }

    /// Box from a LAMMPS dump header: triclinic dumps give the tilt-extended bounds
    /// xlo_bound/xhi_bound/ylo_bound/yhi_bound (LAMMPS manual, `dump` command).
    public init(dumpBounds lo: SIMD3<Double>, _ hi: SIMD3<Double>, xy: Double, xz: Double, yz: Double,
                periodic: [Bool]) {
        let xlo = lo.x - Swift.min(0, xy, xz, xy + xz)
        let xhi = hi.x - Swift.max(0, xy, xz, xy + xz)
        let ylo = lo.y - Swift.min(0, yz)
        let yhi = hi.y - Swift.max(0, yz)
        self.init(lo: SIMD3(xlo, ylo, lo.z), hi: SIMD3(xhi, yhi, hi.z), xy: xy, xz: xz, yz: yz,
                  periodic: periodic)
    }

    /// The bounds a LAMMPS dump header writes (tilt-extended for triclinic boxes).
    public var dumpBounds: (lo: SIMD3<Double>, hi: SIMD3<Double>) {
        let h = hi
        return (SIMD3(lo.x + Swift.min(0, xy, xz, xy + xz), lo.y + Swift.min(0, yz), lo.z),
                SIMD3(h.x + Swift.max(0, xy, xz, xy + xz), h.y + Swift.max(0, yz), h.z))
    }

    /// Box from three general lattice vectors (rows, as extended XYZ `Lattice`), rotated into
    /// LAMMPS' upper-triangular form (LAMMPS manual, "Triclinic boxes", general → restricted):
    /// lx = |A|, xy = B·Â, ly = |Â×B|, xz = C·Â, yz = (B·C − xy·xz)/ly, lz = √(|C|² − xz² − yz²).
    /// Returns nil when the vectors are degenerate or left-handed.
    public static func fromLattice(_ A: SIMD3<Double>, _ B: SIMD3<Double>, _ C: SIMD3<Double>,
                                   periodic: [Bool] = [true, true, true]) -> Box? {
        let lx = norm(A)
        guard lx > 0 else { return nil }
        let ah = A / lx
        let xy = dot(B, ah)
        let ly = norm(cross(ah, B))
        guard ly > 0 else { return nil }
        let xz = dot(C, ah)
        let yz = (dot(B, C) - xy * xz) / ly
        let lz2 = dot(C, C) - xz * xz - yz * yz
        guard lz2 > 0, dot(cross(A, B), C) > 0 else { return nil }
        return Box(lo: .zero, lengths: SIMD3(lx, ly, lz2.squareRoot()), xy: xy, xz: xz, yz: yz,
                   periodic: periodic)
    }
}

@inline(__always) func dot(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double { (a * b).sum() }
@inline(__always) func norm(_ a: SIMD3<Double>) -> Double { dot(a, a).squareRoot() }
@inline(__always) func cross(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> SIMD3<Double> {
    SIMD3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
}
