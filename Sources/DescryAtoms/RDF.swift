import DescryLinalg

/// Radial distribution function g(r) as LAMMPS `compute rdf` (all pairs, one type group):
/// bins of width Δ = r_max/nbins, g(r_b) = V·h_b / (N (N−1) · 4π/3 (r_{b+1}³ − r_b³)), where
/// h_b counts ordered pairs (every periodic image separately) with r in bin b and V is the box
/// volume (for a free cluster: the volume of its box, e.g. LAMMPS' shrink-wrapped box, unless
/// `volume` is given). Also returns the running coordination number
/// n(r_b) = Σ_{b' ≤ b} h_b'/N as LAMMPS' third column.
public struct RadialDistribution {
    public let r: [Double]
    public let g: [Double]
    public let coordination: [Double]

    /// g(r) of `frame` on `bins` bins over [0, rmax) Å.
    public init(frame: Frame, rmax: Double, bins: Int, volume: Double? = nil, threads: Int = 1) throws {
        guard bins > 0, bins <= 10_000_000 else { throw EngineError("rdf: bins must be in 1...10000000") }
        let n = frame.count
        guard n > 1 else { throw EngineError("rdf: needs at least two atoms") }
        if let v = volume, !(v > 0 && v.isFinite) { throw EngineError("rdf: volume must be > 0 and finite, got \(v)") }
        let nl = try NeighborList(frame: frame, cutoff: rmax, threads: threads)
        let delr = rmax / Double(bins)
        var hist = [Double](repeating: 0, count: bins)
        for v in nl.vectors {
            let x = (v * v).sum().squareRoot() / delr
            if x < Double(bins) { hist[Int(x)] += 1 }
        }
        let vol = volume ?? frame.box.volume
        let norm = Double(n) * Double(n - 1) / vol
        var rr = [Double](), gg = [Double](), cc = [Double]()
        var ncoord = 0.0
        for b in 0..<bins {
            let lo = Double(b) * delr, hi = Double(b + 1) * delr
            let shell = 4.0 / 3.0 * Double.pi * (hi * hi * hi - lo * lo * lo)
            rr.append((Double(b) + 0.5) * delr)
            gg.append(hist[b] / (norm * shell))
            ncoord += hist[b] / Double(n)
            cc.append(ncoord)
        }
        r = rr; g = gg; coordination = cc
    }
}
