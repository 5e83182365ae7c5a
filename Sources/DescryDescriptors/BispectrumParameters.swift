import DescryLinalg

/// Parameters of the bispectrum descriptor, with LAMMPS `compute sna/atom` names and defaults
/// (LAMMPS manual, compute sna/atom; Thompson et al., J. Comput. Phys. 285, 316 (2015)):
/// pair cutoff r_c(i,j) = rcutfac·(radelem[type i] + radelem[type j]) (Å), angular map
/// θ0 = rfac0·π·(r − rmin0)/(r_c − rmin0), neighbour weights wj[type j], self weight 1.
/// `chem`: explicit multi-element densities (LAMMPS `chem nel map_1..map_ntypes`, elements
/// 0-based), K·nel³ linear components ordered by element triple; `bnormflag`: Z and bzero
/// normalised by 2j+1 (LAMMPS' bnormflag).
public struct BispectrumParameters: Sendable, Equatable {
    public var twojmax: Int
    public var rcutfac: Double
    public var rfac0: Double = 0.99363
    public var rmin0: Double = 0
    /// Per-type radii R_t (index type−1); a single value applies to every type.
    public var radelem: [Double] = [0.5]
    /// Per-type neighbour weights w_t (index type−1); a single value applies to every type.
    public var wj: [Double] = [1.0]
    public var switchflag = true
    public var bzeroflag = true
    public var quadraticflag = false
    /// Self term in every element density (with chem; without chem it has no effect).
    public var wselfallflag = false
    public var bnormflag = false
    /// Element (0-based) of each type (index type−1); nil: one element (no chem).
    public var chem: [Int]? = nil

    public init(twojmax: Int, rcutfac: Double, rfac0: Double = 0.99363, rmin0: Double = 0,
                radelem: [Double] = [0.5], wj: [Double] = [1.0], switchflag: Bool = true,
                bzeroflag: Bool = true, quadraticflag: Bool = false, wselfallflag: Bool = false,
                bnormflag: Bool = false, chem: [Int]? = nil) {
        self.bnormflag = bnormflag; self.chem = chem
        self.twojmax = twojmax; self.rcutfac = rcutfac; self.rfac0 = rfac0; self.rmin0 = rmin0
        self.radelem = radelem; self.wj = wj; self.switchflag = switchflag
        self.bzeroflag = bzeroflag; self.quadraticflag = quadraticflag; self.wselfallflag = wselfallflag
    }

    /// Checks ranges; throws an `EngineError` naming the offending parameter.
    public func validate() throws {
        guard twojmax >= 0 && twojmax <= 20 else { throw EngineError("twojmax must be in 0...20, got \(twojmax)") }
        guard rcutfac > 0, rcutfac.isFinite else { throw EngineError("rcutfac must be > 0, got \(rcutfac)") }
        guard rfac0 > 0, rfac0 <= 1 else { throw EngineError("rfac0 must be in (0, 1], got \(rfac0)") }
        guard rmin0 >= 0, rmin0.isFinite else { throw EngineError("rmin0 must be ≥ 0, got \(rmin0)") }
        guard !radelem.isEmpty, radelem.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw EngineError("radelem must be a non-empty list of positive radii")
        }
        guard !wj.isEmpty, wj.allSatisfy({ $0.isFinite }) else { throw EngineError("wj must be a non-empty list of numbers") }
        if let c = chem {
            guard !c.isEmpty, c.allSatisfy({ $0 >= 0 && $0 < 64 }) else {
                throw EngineError("chem: element map must list one element index (0-based, < 64) per type")
            }
        }
        for t in 0..<max(radelem.count, wj.count) where rmin0 >= rcutfac * 2 * radius(t + 1) {
            throw EngineError("rmin0 (\(rmin0)) must be smaller than the cutoff of type \(t + 1)")
        }
    }

    /// R of a type (1-based); the last value repeats for larger types.
    @inline(__always) public func radius(_ type: Int) -> Double { radelem[min(type, radelem.count) - 1] }
    /// w of a type (1-based); the last value repeats for larger types.
    @inline(__always) public func weight(_ type: Int) -> Double { wj[min(type, wj.count) - 1] }

    /// Number of elements: 1 without chem, else max(map) + 1.
    public var elementCount: Int { chem.map { ($0.max() ?? 0) + 1 } ?? 1 }

    /// Element (0-based) of a type (1-based); the last map entry repeats for larger types.
    @inline(__always) public func element(_ type: Int) -> Int {
        guard let c = chem else { return 0 }
        return c[min(type, c.count) - 1]
    }

    /// Number of (j1, j2, j) triples K.
    public var tripleCount: Int {
        var n = 0
        for j1 in 0...twojmax { for j2 in 0...j1 {
            var j = j1 - j2
            while j <= min(twojmax, j1 + j2) { if j >= j1 { n += 1 }; j += 2 }
        } }
        return n
    }

    /// Number of linear components: K, times nel³ with chem (LAMMPS ncoeff).
    public var linearCount: Int { tripleCount * elementCount * elementCount * elementCount }

    /// Number of output columns: K, or K + K(K+1)/2 with quadraticflag.
    public var componentCount: Int {
        let k = linearCount
        return quadraticflag ? k + k * (k + 1) / 2 : k
    }

    /// Largest pair cutoff over the given number of types.
    public func maxCutoff(types: Int) -> Double {
        var r = 0.0
        for t in 1...max(1, types) { r = max(r, (radius(t) + radius(t)) * rcutfac) }
        return r
    }
}
