/// Points (atoms and their periodic images) sorted into bins of fractional width ≥ r_c/width
/// over an `ImageRegion` (a counting sort by bin), for the neighbour search.
struct CellGrid {
    /// Bins per dimension.
    let nb: SIMD3<Int>
    let smin: SIMD3<Double>
    /// Bins per unit of fractional coordinate.
    let inv: SIMD3<Double>
    /// Points of bin b are binStart[b] ..< binStart[b+1] of the sorted arrays.
    let binStart: [Int]
    let sortedPos: [SIMD3<Double>]
    let sortedOwner: [Int32]
    let pointCount: Int

    init(atoms: WrappedAtoms, region: ImageRegion, cutoff rc: Double) {
        var owner: [Int32] = []
        var pos: [SIMD3<Double>] = []
        var frac: [SIMD3<Double>] = []
        owner.reserveCapacity(atoms.count * 2)
        pos.reserveCapacity(atoms.count * 2)
        frac.reserveCapacity(atoms.count * 2)
        region.forEachPoint(atoms) { i, x, s in
            owner.append(Int32(i))
            pos.append(x)
            frac.append(s)
        }
        pointCount = owner.count
        smin = region.smin
        nb = CellGrid.binCounts(region, widths: atoms.widths, cutoff: rc, points: owner.count)
        var inv = SIMD3<Double>.zero
        for d in 0..<3 { inv[d] = region.smax[d] > region.smin[d] ? Double(nb[d]) / (region.smax[d] - region.smin[d]) : 0 }
        self.inv = inv
        let nbins = nb.x * nb.y * nb.z
        var start = [Int](repeating: 0, count: nbins + 1)
        var pBin = [Int](repeating: 0, count: owner.count)
        for p in 0..<owner.count {
            let b = CellGrid.bin(frac[p], smin, inv, nb)
            pBin[p] = (b.x * nb.y + b.y) * nb.z + b.z
            start[pBin[p] + 1] += 1
        }
        for b in 0..<nbins { start[b + 1] += start[b] }
        var fill = start
        var sPos = [SIMD3<Double>](repeating: .zero, count: owner.count)
        var sOwner = [Int32](repeating: 0, count: owner.count)
        for p in 0..<owner.count {
            let k = fill[pBin[p]]
            fill[pBin[p]] += 1
            sPos[k] = pos[p]
            sOwner[k] = owner[p]
        }
        binStart = start
        sortedPos = sPos
        sortedOwner = sOwner
    }

    /// Bins per dimension: extent/r_c (1...1024), halved along the longest dimension while
    /// there are more than 8 bins per point (+27).
    static func binCounts(_ region: ImageRegion, widths: SIMD3<Double>, cutoff rc: Double, points: Int) -> SIMD3<Int> {
        var nb = SIMD3<Int>(1, 1, 1)
        for d in 0..<3 {
            let perBin = (region.smax[d] - region.smin[d]) * widths[d] / rc
            nb[d] = perBin >= 1024 ? 1024 : (perBin >= 1 ? Int(perBin) : 1)
        }
        while nb.x * nb.y * nb.z > 8 * Swift.max(points, 1) + 27 {
            let d = nb.x >= nb.y && nb.x >= nb.z ? 0 : (nb.y >= nb.z ? 1 : 2)
            nb[d] = Swift.max(1, nb[d] / 2)
        }
        return nb
    }

    /// The bin of fractional coordinates s (clamped to the grid).
    @inline(__always)
    static func bin(_ s: SIMD3<Double>, _ smin: SIMD3<Double>, _ inv: SIMD3<Double>, _ nb: SIMD3<Int>) -> SIMD3<Int> {
        var b = SIMD3<Int>.zero
        for d in 0..<3 { b[d] = Swift.min(Swift.max(Int((s[d] - smin[d]) * inv[d]), 0), nb[d] - 1) }
        return b
    }

    /// The neighbours of every atom (pairs with 1e-20 < r² < r_c² in the 27 bins around the
    /// atom's), chunks of 256 atoms searched by up to `threads` workers.
    func search(_ atoms: WrappedAtoms, cutoff rc: Double, threads: Int) -> PairChunks {
        let n = atoms.count
        let out = PairChunks(atoms: n, chunkSize: 256)
        let nbins = nb.x * nb.y * nb.z
        // expected entries per chunk (density of the extended region), to avoid regrowing
        let expected = Swift.max(16, Int(Double(out.chunkSize) * Double(pointCount) / Double(Swift.max(nbins, 1)) * 27.0 * 0.6))
        ChunkQueue.perform(chunks: out.chunks, threads: threads) { queue in
            while let c = queue.take() {
                out.indices[c].reserveCapacity(expected)
                out.vectors[c].reserveCapacity(expected)
                for i in (c * out.chunkSize)..<Swift.min(n, (c + 1) * out.chunkSize) {
                    let before = out.indices[c].count
                    neighbours(of: atoms.positions[i], atoms.fractional[i], rc * rc, &out.indices[c], &out.vectors[c])
                    out.counts[i] = out.indices[c].count - before
                }
            }
        }
        return out
    }

    /// Appends the points within r_c of xi (fractional s) to the outputs.
    @inline(__always)
    func neighbours(of xi: SIMD3<Double>, _ s: SIMD3<Double>, _ rc2: Double,
                    _ outIdx: inout [Int32], _ outVec: inout [SIMD3<Double>]) {
        let b = CellGrid.bin(s, smin, inv, nb)
        let xr = Swift.max(0, b.x - 1)...Swift.min(nb.x - 1, b.x + 1)
        let yr = Swift.max(0, b.y - 1)...Swift.min(nb.y - 1, b.y + 1)
        let zr = Swift.max(0, b.z - 1)...Swift.min(nb.z - 1, b.z + 1)
        for bx in xr {
            for by in yr {
                for bz in zr {
                    let bin = (bx * nb.y + by) * nb.z + bz
                    for k in binStart[bin]..<binStart[bin + 1] {
                        let d = sortedPos[k] - xi
                        let r2 = (d * d).sum()
                        if r2 < rc2 && r2 > 1e-20 {
                            outIdx.append(sortedOwner[k])
                            outVec.append(d)
                        }
                    }
                }
            }
        }
    }
}

/// Neighbour entries found per chunk of atoms (each chunk written by one worker), and the
/// neighbour count of each atom.
final class PairChunks {
    let chunkSize: Int
    let chunks: Int
    let atoms: Int
    let indices: UnsafeMutablePointer<[Int32]>
    let vectors: UnsafeMutablePointer<[SIMD3<Double>]>
    let counts: UnsafeMutablePointer<Int>

    init(atoms n: Int, chunkSize: Int) {
        self.chunkSize = chunkSize
        atoms = n
        chunks = (n + chunkSize - 1) / chunkSize
        indices = .allocate(capacity: chunks)
        indices.initialize(repeating: [], count: chunks)
        vectors = .allocate(capacity: chunks)
        vectors.initialize(repeating: [], count: chunks)
        counts = .allocate(capacity: n)
        counts.initialize(repeating: 0, count: n)
    }

    deinit {
        indices.deinitialize(count: chunks)
        indices.deallocate()
        vectors.deinitialize(count: chunks)
        vectors.deallocate()
        counts.deallocate()
    }

    /// Compressed rows in atom order: offsets, indices, vectors (chunks copied in parallel,
    /// each into its own range).
    func concatenated(threads: Int) -> ([Int], [Int32], [SIMD3<Double>]) {
        var offs = [Int](repeating: 0, count: atoms + 1)
        for i in 0..<atoms { offs[i + 1] = offs[i] + counts[i] }
        return (offs, gather(indices, offs, threads: threads), gather(vectors, offs, threads: threads))
    }

    /// The per-chunk arrays `parts` concatenated in chunk order.
    private func gather<T>(_ parts: UnsafeMutablePointer<[T]>, _ offs: [Int], threads: Int) -> [T] {
        let total = offs[atoms]
        return [T](unsafeUninitializedCapacity: total) { buffer, initialized in
            let base = buffer.baseAddress
            ChunkQueue.perform(chunks: chunks, threads: threads) { queue in
                while let c = queue.take() {
                    let start = offs[c * chunkSize]
                    parts[c].withUnsafeBufferPointer { src in
                        guard let s = src.baseAddress, let dst = base, src.count > 0 else { return }
                        (dst + start).initialize(from: s, count: src.count)
                    }
                }
            }
            initialized = total
        }
    }
}
