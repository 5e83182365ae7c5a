import DescryLinalg

/// Checks every reader applies to what it read, so that a corrupt or hostile file is a clear
/// error rather than a silent NaN or a later trap (issue "hostile inputs"): a box must have
/// finite bounds with hi > lo and finite tilts; coordinates must be finite; atom ids unique.
enum InputChecks {
    /// Throws unless `box` has finite origin and tilts and finite, positive edge lengths.
    static func checkBox(_ box: Box, _ at: (String) -> EngineError) throws {
        let names = ["x", "y", "z"]
        for d in 0..<3 {
            let lo = box.lo[d], len = box.lengths[d]
            guard lo.isFinite, (lo + len).isFinite, len.isFinite else {
                throw at("box bounds in \(names[d]) are not finite (\(lo) \(lo + len))")
            }
            guard len > 0 else {
                throw at("box bounds in \(names[d]) are empty or inverted (lo \(lo) ≥ hi \(lo + len))")
            }
        }
        guard box.xy.isFinite, box.xz.isFinite, box.yz.isFinite else {
            throw at("box tilt factors are not finite (xy \(box.xy), xz \(box.xz), yz \(box.yz))")
        }
    }

    /// Throws unless position `p` (of atom number `atom`, 1-based) is finite; values that
    /// overflow (e.g. 1e400, read as inf) are refused too.
    @inline(__always)
    static func checkPosition(_ p: SIMD3<Double>, atom: Int, _ at: (String) -> EngineError) throws {
        guard p.x.isFinite && p.y.isFinite && p.z.isFinite else {
            throw at("atom \(atom) has a non-finite coordinate (\(p.x) \(p.y) \(p.z))")
        }
    }

    /// The first id that occurs twice in `ids` (ascending order expected, else sorted here).
    static func duplicateID(_ ids: [Int]) -> Int? {
        var ascending = true
        for i in 1..<max(1, ids.count) where ids[i] < ids[i - 1] { ascending = false; break }
        let s = ascending ? ids : ids.sorted()
        for i in 1..<max(1, s.count) where s[i] == s[i - 1] { return s[i] }
        return nil
    }

    /// Throws when an atom id occurs twice (LAMMPS requires unique atom ids).
    static func checkUniqueIDs(_ ids: [Int], _ at: (String) -> EngineError) throws {
        if let d = duplicateID(ids) { throw at("atom id \(d) occurs more than once (atom ids must be unique)") }
    }
}
