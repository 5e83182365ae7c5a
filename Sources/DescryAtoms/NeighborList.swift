import DescryLinalg

/// A full neighbour list (each pair stored from both sides) in compressed-row form, built with
/// cell lists over the wrapped atoms and their periodic images. Correct for any periodicity
/// subset, triclinic boxes and cutoffs larger than half the box: every image within the cutoff
/// is a separate neighbour, including images of the atom itself. The pair criterion is LAMMPS'
/// (compute sna/atom): 1e-20 < |r_ij|² < r_c² (strict), so coincident atoms are skipped.
///
/// Construction stages (as LAMMPS' Neighbor: setup_bins, binning, the half/full build):
/// `WrappedAtoms` (wrap and check), `ImageRegion` (periodic images within the cutoff),
/// `CellGrid` (bin the points), `CellGrid.search` (pairs per chunk of atoms, in parallel),
/// `PairChunks.concatenated` (compressed rows in atom order).
public struct NeighborList: Sendable {
    public let cutoff: Double
    /// Neighbours of atom i are entries offsets[i] ..< offsets[i+1].
    public var offsets: [Int]
    /// Atom index (0-based) of each neighbour entry.
    public var indices: [Int32]
    /// Pair vector r_j(image) − r_i of each entry (Å).
    public var vectors: [SIMD3<Double>]

    public var atomCount: Int { offsets.count - 1 }
    public func count(of i: Int) -> Int { offsets[i + 1] - offsets[i] }

    /// Builds the list for `frame` with cutoff `rc` (Å); threads > 1 splits atoms over threads
    /// (result identical to the serial build). Throws on a non-finite or degenerate box, a
    /// non-finite position, or a cutoff needing too many periodic images.
    public init(frame: Frame, cutoff rc: Double, threads: Int = 1) throws {
        guard rc > 0, rc.isFinite else { throw EngineError("neighbour list: cutoff must be > 0, got \(rc)") }
        let atoms = try WrappedAtoms(frame: frame)
        let region = try ImageRegion(atoms: atoms, cutoff: rc)
        let grid = CellGrid(atoms: atoms, region: region, cutoff: rc)
        let pairs = grid.search(atoms, cutoff: rc, threads: threads)
        cutoff = rc
        (offsets, indices, vectors) = pairs.concatenated(threads: threads)
    }

    /// Coordination numbers: neighbours of each atom with |r| < r (r ≤ cutoff).
    public func coordination(within r: Double? = nil) -> [Int] {
        let r2 = (r ?? cutoff) * (r ?? cutoff)
        return (0..<atomCount).map { i in
            var c = 0
            for k in offsets[i]..<offsets[i + 1] where (vectors[k] * vectors[k]).sum() < r2 { c += 1 }
            return c
        }
    }
}

/// The atoms of a frame wrapped into its box along periodic dimensions, with fractional
/// coordinates (clamped to [0, 1] along periodic dimensions), after checking that the box and
/// the positions are finite and the box can be searched.
struct WrappedAtoms {
    let box: Box
    /// Distances between opposite box faces.
    let widths: SIMD3<Double>
    let positions: [SIMD3<Double>]
    let fractional: [SIMD3<Double>]
    var count: Int { positions.count }

    init(frame: Frame) throws {
        box = frame.box
        widths = try WrappedAtoms.checkedWidths(box)
        let n = frame.count
        var wpos = [SIMD3<Double>](repeating: .zero, count: n)
        var frac = [SIMD3<Double>](repeating: .zero, count: n)
        for i in 0..<n {
            let p = frame.positions[i]
            guard p.x.isFinite && p.y.isFinite && p.z.isFinite else {
                throw EngineError("neighbour list: atom \(frame.ids[i]) has a non-finite position")
            }
            let (w, _) = box.wrap(p)
            wpos[i] = w
            var s = box.fractional(w)
            for d in 0..<3 where box.periodic[d] { s[d] = Swift.min(Swift.max(s[d], 0), 1) }
            guard abs(s.x) < 1e12 && abs(s.y) < 1e12 && abs(s.z) < 1e12 else {
                throw EngineError("neighbour list: atom \(frame.ids[i]) lies absurdly far outside the box")
            }
            frac[i] = s
        }
        positions = wpos
        fractional = frac
    }

    /// The box's perpendicular widths, after checking lengths, origin and tilts are finite and
    /// the widths representable (a box of lengths 1e300 overflows its volume).
    static func checkedWidths(_ box: Box) throws -> SIMD3<Double> {
        let axes = ["x", "y", "z"]
        for d in 0..<3 where !(box.lengths[d] > 0 && box.lengths[d].isFinite) {
            throw EngineError("neighbour list: box length along \(axes[d]) must be > 0 and finite, got \(box.lengths[d])")
        }
        guard box.lo.x.isFinite && box.lo.y.isFinite && box.lo.z.isFinite else {
            throw EngineError("neighbour list: box origin must be finite, got \(box.lo)")
        }
        guard box.xy.isFinite && box.xz.isFinite && box.yz.isFinite else {
            throw EngineError("neighbour list: box tilts must be finite, got xy \(box.xy), xz \(box.xz), yz \(box.yz)")
        }
        let widths = box.perpendicularWidths
        for d in 0..<3 where !(widths[d] > 0 && widths[d].isFinite) {
            throw EngineError("neighbour list: box of lengths \(box.lengths.x), \(box.lengths.y), \(box.lengths.z) is too large or too flat to search (width along \(axes[d]): \(widths[d]))")
        }
        return widths
    }
}

/// The fractional region holding the atoms and every periodic image within the cutoff:
/// [−r_c/w, 1 + r_c/w] along periodic dimensions (images up to `kmax` boxes away), the atoms'
/// range otherwise.
struct ImageRegion {
    var smin = SIMD3<Double>.zero
    var smax = SIMD3<Double>.zero
    var kmax = SIMD3<Int>.zero
    /// Most points (atoms and images) a search may create.
    static let maxPoints = 2e8

    init(atoms: WrappedAtoms, cutoff rc: Double) throws {
        let box = atoms.box
        var margin = SIMD3<Double>.zero
        var imagesPerAtom = 1.0
        for d in 0..<3 {
            margin[d] = rc / atoms.widths[d]
            if box.periodic[d] { imagesPerAtom *= 2 * margin[d] + 1 }
        }
        guard imagesPerAtom * Double(max(atoms.count, 1)) < ImageRegion.maxPoints else {
            throw EngineError("neighbour list: cutoff \(rc) Å needs about \(ImageRegion.describe(imagesPerAtom)) periodic images per atom for this box; too many")
        }
        for d in 0..<3 {
            if box.periodic[d] {
                smin[d] = -margin[d]
                smax[d] = 1 + margin[d]
                kmax[d] = Int(margin[d].rounded(.up)) + 1
            } else {
                smin[d] = atoms.fractional.map { $0[d] }.min() ?? 0
                smax[d] = atoms.fractional.map { $0[d] }.max() ?? 0
            }
        }
    }

    /// A count for a message: an integer when representable, else the number as is.
    static func describe(_ x: Double) -> String {
        x < 1e15 ? "\(Int(x))" : "\(x)"
    }

    /// Calls `body(owner, position, fractional)` for each atom and each of its periodic images
    /// inside the region, atoms in order.
    func forEachPoint(_ atoms: WrappedAtoms, _ body: (Int, SIMD3<Double>, SIMD3<Double>) -> Void) {
        for i in 0..<atoms.count {
            let s = atoms.fractional[i]
            for ka in -kmax.x...kmax.x {
                let sa = s.x + Double(ka)
                if sa < smin.x || sa > smax.x { continue }
                for kb in -kmax.y...kmax.y {
                    let sb = s.y + Double(kb)
                    if sb < smin.y || sb > smax.y { continue }
                    for kc in -kmax.z...kmax.z {
                        let sc = s.z + Double(kc)
                        if sc < smin.z || sc > smax.z { continue }
                        let shift = SIMD3(Double(ka), Double(kb), Double(kc))
                        let w = atoms.positions[i]
                        body(i, shift == .zero ? w : w + atoms.box.displacement(shift), SIMD3(sa, sb, sc))
                    }
                }
            }
        }
    }
}
