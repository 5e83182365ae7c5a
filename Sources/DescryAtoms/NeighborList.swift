import DescryLinalg
import Dispatch

/// A full neighbour list (each pair stored from both sides) in compressed-row form, built with
/// cell lists over the wrapped atoms and their periodic images. Correct for any periodicity
/// subset, triclinic boxes and cutoffs larger than half the box: every image within the cutoff
/// is a separate neighbour, including images of the atom itself. The pair criterion is LAMMPS'
/// (compute sna/atom): 1e-20 < |r_ij|² < r_c² (strict), so coincident atoms are skipped.
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
    /// (result identical to the serial build).
    public init(frame: Frame, cutoff rc: Double, threads: Int = 1) throws {
        guard rc > 0, rc.isFinite else { throw EngineError("neighbour list: cutoff must be > 0, got \(rc)") }
        let box = frame.box
        for d in 0..<3 where !(box.lengths[d] > 0) {
            throw EngineError("neighbour list: box length along \("xyz".map { $0 }[d]) must be > 0")
        }
        cutoff = rc
        let n = frame.count
        let widths = box.perpendicularWidths
        // wrapped positions (periodic dims) and fractional coordinates
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
        // fractional range covered by atoms + images, per dimension
        var smin = SIMD3<Double>.zero, smax = SIMD3<Double>.zero, margin = SIMD3<Double>.zero
        var kmax = SIMD3<Int>.zero
        for d in 0..<3 {
            margin[d] = rc / widths[d]
            if box.periodic[d] {
                smin[d] = -margin[d]; smax[d] = 1 + margin[d]
                kmax[d] = Int(margin[d].rounded(.up)) + 1
            } else {
                smin[d] = frac.map { $0[d] }.min() ?? 0
                smax[d] = frac.map { $0[d] }.max() ?? 0
            }
        }
        var imagesPerAtom = 1.0
        for d in 0..<3 where box.periodic[d] { imagesPerAtom *= 2 * margin[d] + 1 }
        guard imagesPerAtom * Double(max(n, 1)) < 2e8 else {
            throw EngineError("neighbour list: cutoff \(rc) Å needs about \(Int(imagesPerAtom)) periodic images per atom for this box; too many")
        }
        // points: originals and images inside the extended region
        var pOwner: [Int32] = []
        var pPos: [SIMD3<Double>] = []
        var pFrac: [SIMD3<Double>] = []
        pOwner.reserveCapacity(n * 2); pPos.reserveCapacity(n * 2); pFrac.reserveCapacity(n * 2)
        for i in 0..<n {
            let s = frac[i]
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
                        pOwner.append(Int32(i))
                        pPos.append(shift == .zero ? wpos[i] : wpos[i] + box.displacement(shift))
                        pFrac.append(SIMD3(sa, sb, sc))
                    }
                }
            }
        }
        // bins of fractional width >= rc / width
        var nb = SIMD3<Int>(1, 1, 1)
        for d in 0..<3 {
            let extent = (smax[d] - smin[d]) * widths[d]
            nb[d] = Swift.max(1, Swift.min(Int(extent / rc), 1024))
        }
        while nb.x * nb.y * nb.z > 8 * Swift.max(pOwner.count, 1) + 27 {
            let d = nb.x >= nb.y && nb.x >= nb.z ? 0 : (nb.y >= nb.z ? 1 : 2)
            nb[d] = Swift.max(1, nb[d] / 2)
        }
        var inv = SIMD3<Double>.zero
        for d in 0..<3 { inv[d] = smax[d] > smin[d] ? Double(nb[d]) / (smax[d] - smin[d]) : 0 }
        @inline(__always) func binOf(_ s: SIMD3<Double>) -> SIMD3<Int> {
            var b = SIMD3<Int>.zero
            for d in 0..<3 { b[d] = Swift.min(Swift.max(Int((s[d] - smin[d]) * inv[d]), 0), nb[d] - 1) }
            return b
        }
        let nbins = nb.x * nb.y * nb.z
        var binStart = [Int](repeating: 0, count: nbins + 1)
        var pBin = [Int](repeating: 0, count: pOwner.count)
        for p in 0..<pOwner.count {
            let b = binOf(pFrac[p])
            pBin[p] = (b.x * nb.y + b.y) * nb.z + b.z
            binStart[pBin[p] + 1] += 1
        }
        for b in 0..<nbins { binStart[b + 1] += binStart[b] }
        var fill = binStart
        var sortedPos = [SIMD3<Double>](repeating: .zero, count: pOwner.count)
        var sortedOwner = [Int32](repeating: 0, count: pOwner.count)
        for p in 0..<pOwner.count {
            let k = fill[pBin[p]]; fill[pBin[p]] += 1
            sortedPos[k] = pPos[p]; sortedOwner[k] = pOwner[p]
        }
        let rc2 = rc * rc
        // per-chunk search, concatenated in atom order (deterministic)
        let chunk = 256
        let nchunks = (n + chunk - 1) / chunk
        var chunkIdx = [[Int32]](repeating: [], count: nchunks)
        var chunkVec = [[SIMD3<Double>]](repeating: [], count: nchunks)
        var counts = [Int](repeating: 0, count: n)
        let nbc = nb
        let queue = ChunkQueue(total: nchunks)
        func work(_ c: Int, _ outIdx: inout [Int32], _ outVec: inout [SIMD3<Double>], _ cnt: UnsafeMutablePointer<Int>) {
            for i in (c * chunk)..<Swift.min(n, (c + 1) * chunk) {
                let xi = wpos[i]
                let b = binOf(frac[i])
                var before = outIdx.count
                let xr = Swift.max(0, b.x - 1)...Swift.min(nbc.x - 1, b.x + 1)
                let yr = Swift.max(0, b.y - 1)...Swift.min(nbc.y - 1, b.y + 1)
                let zr = Swift.max(0, b.z - 1)...Swift.min(nbc.z - 1, b.z + 1)
                for bx in xr { for by in yr { for bz in zr {
                    let bin = (bx * nbc.y + by) * nbc.z + bz
                    for k in binStart[bin]..<binStart[bin + 1] {
                        let d = sortedPos[k] - xi
                        let r2 = (d * d).sum()
                        if r2 < rc2 && r2 > 1e-20 {
                            outIdx.append(sortedOwner[k]); outVec.append(d)
                        }
                    }
                } } }
                cnt[i] = outIdx.count - before
                before = outIdx.count
            }
        }
        // expected entries per chunk (density of the extended region), to avoid regrowing
        let expected = Swift.max(16, Int(Double(chunk) * Double(pOwner.count) / Double(Swift.max(nbins, 1)) * 27.0 * 0.6))
        let t = Swift.max(1, Swift.min(threads, nchunks))
        counts.withUnsafeMutableBufferPointer { cp in
            let cnt = cp.baseAddress!
            chunkIdx.withUnsafeMutableBufferPointer { ip in
                chunkVec.withUnsafeMutableBufferPointer { vp in
                    let ipb = ip.baseAddress!, vpb = vp.baseAddress!
                    func run() {
                        while let c = queue.take() {
                            ipb[c].reserveCapacity(expected); vpb[c].reserveCapacity(expected)
                            work(c, &ipb[c], &vpb[c], cnt)
                        }
                    }
                    if t == 1 { run() } else { DispatchQueue.concurrentPerform(iterations: t) { _ in run() } }
                }
            }
        }
        var offs = [Int](repeating: 0, count: n + 1)
        for i in 0..<n { offs[i + 1] = offs[i] + counts[i] }
        // concatenate the chunks in atom order, each copied into its own range (in parallel)
        let total = offs[n]
        var idxOut = [Int32](repeating: 0, count: total)
        var vecOut = [SIMD3<Double>](repeating: .zero, count: total)
        idxOut.withUnsafeMutableBufferPointer { ib in
            vecOut.withUnsafeMutableBufferPointer { vb in
                let ibase = ib.baseAddress!, vbase = vb.baseAddress!
                let copyQueue = ChunkQueue(total: nchunks)
                func copy() {
                    while let c = copyQueue.take() {
                        let start = offs[c * chunk]
                        chunkIdx[c].withUnsafeBufferPointer { (ibase + start).update(from: $0.baseAddress!, count: $0.count) }
                        chunkVec[c].withUnsafeBufferPointer { (vbase + start).update(from: $0.baseAddress!, count: $0.count) }
                    }
                }
                if t == 1 { copy() } else { DispatchQueue.concurrentPerform(iterations: t) { _ in copy() } }
            }
        }
        offsets = offs
        indices = idxOut
        vectors = vecOut
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
