import DescryAtoms
import DescryLinalg

/// The atom loop shared by every descriptor path (per-atom B, D̄, V̄, gradients), as LAMMPS
/// compute_sna_atom: the neighbour list, the per-type-pair cutoffs r_c = rcutfac·(R_i + R_j),
/// and for each atom the neighbours strictly inside r_c loaded into a kernel.
struct AtomLoop {
    let parameters: BispectrumParameters
    let types: [Int]
    let list: NeighborList
    /// Distinct radii: types beyond radelem's length share its last radius.
    let radii: Int
    /// Pair cutoff of types (a, b), a and b capped at `radii`, at a·(radii+1) + b.
    let rcut: [Double]

    /// Number of atom types of `frame` (at least 1); throws on types outside 1...10000.
    static func typeCount(_ frame: Frame) throws -> Int {
        for t in frame.types where t < 1 || t > 10_000 {
            throw EngineError("bispectrum: atom types must be in 1...10000, got \(t)")
        }
        return max(1, frame.typeCount)
    }

    /// Throws when an array of the product of `factors` doubles exceeds the matrix memory cap
    /// (`Matrix.maxElements`, half the machine's memory), e.g. V̄ by type for 10000 atom types,
    /// instead of an allocation abort.
    static func checkAllocation(_ factors: [Int], _ what: String) throws {
        var count = 1
        for f in factors {
            let (product, overflow) = count.multipliedReportingOverflow(by: max(f, 0))
            guard !overflow, product <= Matrix.maxElements else {
                throw EngineError("bispectrum: \(what) would need more than \(Matrix.maxElements) values (half of this machine's memory)")
            }
            count = product
        }
    }

    /// Builds the neighbour list of `frame` at the largest pair cutoff.
    init(frame: Frame, parameters p: BispectrumParameters, ntypes: Int, threads: Int) throws {
        parameters = p
        types = frame.types
        list = try NeighborList(frame: frame, cutoff: p.maxCutoff(types: ntypes), threads: threads)
        radii = min(ntypes, p.radelem.count)
        var rc = [Double](repeating: 0, count: (radii + 1) * (radii + 1))
        for a in 1...radii {
            for b in 1...radii { rc[a * (radii + 1) + b] = (p.radius(a) + p.radius(b)) * p.rcutfac }
        }
        rcut = rc
    }

    /// Loads atom i's neighbours with |r_ij| < r_c(type i, type j) into `kernel`.
    @inline(__always)
    func load(_ i: Int, into kernel: BispectrumKernel) {
        let p = parameters
        let ti = types[i]
        let row = min(ti, radii) * (radii + 1)
        kernel.beginAtom(element: p.element(ti))
        for k in list.offsets[i]..<list.offsets[i + 1] {
            let j = Int(list.indices[k])
            let tj = types[j]
            let rc = rcut[row + min(tj, radii)]
            let d = list.vectors[k]
            if (d * d).sum() < rc * rc {
                kernel.addNeighbor(d, cutoff: rc, weight: p.weight(tj), element: p.element(tj), atom: j)
            }
        }
    }

    /// Runs `body(kernel, scratch, chunk, atom)` for every atom of the chunks in `chunks`
    /// (chunk c holds atoms c·chunkSize ..< (c+1)·chunkSize), with the atom's neighbours loaded.
    /// Up to `threads` workers take chunks one at a time; each owns a kernel and a scratch value
    /// made by `scratch()`. Results are deterministic when each chunk writes its own slot.
    func forEachAtom<Scratch>(chunks: Range<Int>, chunkSize: Int, threads: Int, tables: SnapTables,
                              derivatives: Bool, scratch: () -> Scratch,
                              _ body: (BispectrumKernel, inout Scratch, Int, Int) -> Void) {
        let n = types.count
        ChunkQueue.perform(chunks: chunks.count, threads: threads) { queue in
            let kernel = BispectrumKernel(tables: tables, parameters: parameters, derivatives: derivatives)
            var s = scratch()
            while let q = queue.take() {
                let c = chunks.lowerBound + q
                for i in (c * chunkSize)..<min(n, (c + 1) * chunkSize) {
                    load(i, into: kernel)
                    body(kernel, &s, c, i)
                }
            }
        }
    }
}

/// One atom's output row: the K linear components, then with `quadratic` (LAMMPS
/// quadraticflag) ½B_a² and B_a B_b (a < b), K + K(K+1)/2 values.
@inline(__always)
func outputRow(_ b: UnsafePointer<Double>, _ K: Int, quadratic: Bool, _ out: UnsafeMutablePointer<Double>) {
    for k in 0..<K { out[k] = b[k] }
    guard quadratic else { return }
    var q = K
    for a in 0..<K {
        out[q] = 0.5 * b[a] * b[a]
        q += 1
        for c in (a + 1)..<max(a + 1, K) {
            out[q] = b[a] * b[c]
            q += 1
        }
    }
}

/// The derivative of an output row, `width` values per component: the linear dB, then with
/// `quadratic` the product rule B_a dB_a (for ½B_a²) and B_a dB_b + B_b dB_a.
@inline(__always)
func outputRowDerivative(_ b: UnsafePointer<Double>, _ d: UnsafePointer<Double>, _ K: Int,
                         quadratic: Bool, width w: Int, _ out: UnsafeMutablePointer<Double>) {
    for k in 0..<(K * w) { out[k] = d[k] }
    guard quadratic else { return }
    var q = K
    for a in 0..<K {
        for x in 0..<w { out[q * w + x] = b[a] * d[a * w + x] }
        q += 1
        for c in (a + 1)..<max(a + 1, K) {
            for x in 0..<w { out[q * w + x] = b[a] * d[c * w + x] + b[c] * d[a * w + x] }
            q += 1
        }
    }
}
