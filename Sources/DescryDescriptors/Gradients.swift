import DescryAtoms
import DescryLinalg
import Dispatch

extension Bispectrum {
    /// Per-atom descriptor gradients as LAMMPS `compute snad/atom`: row i holds, for each type
    /// block t (type of the central atom whose B is differentiated), the x, y, z sub-blocks of
    /// ncols values Σ_{pairs (i→j), type(i)=t} ∂B_i/∂r_ij − Σ_{pairs (j→i), type(j)=t} ∂B_j/∂r_ji
    /// with r_ij = r_j − r_i (LAMMPS: snad[i] += dB_i/dr_j, snad[j] −= dB_i/dr_j), i.e. minus the
    /// derivative of the type-t block of D̄ with respect to r_i. N × (ntypes·3·ncols).
    /// Pairs are computed by threads in waves of chunks and scattered serially in atom order, so
    /// results do not depend on the thread count.
    public func gradients(_ frame: Frame, threads: Int = 1) throws -> Matrix {
        let p = parameters
        let n = frame.count
        let ntypes = max(1, frame.typeCount)
        for t in frame.types where t < 1 || t > 10_000 { throw EngineError("bispectrum: atom types must be in 1...10000, got \(t)") }
        let ncols = p.componentCount
        let K = p.linearCount
        let width = ntypes * 3 * ncols
        var out = Matrix(rows: n, cols: width)
        if n == 0 { return out }
        let nl = try NeighborList(frame: frame, cutoff: p.maxCutoff(types: ntypes), threads: threads)
        var rcutT = [Double](repeating: 0, count: (ntypes + 1) * (ntypes + 1))
        for a in 1...ntypes { for b in 1...ntypes { rcutT[a * (ntypes + 1) + b] = (p.radius(a) + p.radius(b)) * p.rcutfac } }
        let types = frame.types
        let chunk = 16
        let nchunks = (n + chunk - 1) / chunk
        let nt = max(1, min(threads, nchunks))
        // per chunk: (i, j, dB/dr_ij: ncols × 3) for every kept pair, in order
        final class ChunkOut { var pairs: [(Int, Int)] = []; var d: [Double] = [] }
        var wave = 0
        while wave < nchunks {
            let outs = (0..<nt).map { _ in ChunkOut() }
            func run(_ w: Int) {
                let c = wave + w
                guard c < nchunks else { return }
                let ker = BispectrumKernel(tables: dtables, parameters: p, derivatives: true)
                let o = outs[w]
                var bl = [Double](repeating: 0, count: K)
                var gl: [Double] = []
                for i in (c * chunk)..<min(n, (c + 1) * chunk) {
                    let ti = types[i]
                    ker.rij.removeAll(keepingCapacity: true); ker.rcut.removeAll(keepingCapacity: true)
                    ker.wgt.removeAll(keepingCapacity: true); ker.elem.removeAll(keepingCapacity: true)
                    ker.ielem = p.element(ti)
                    var js: [Int] = []
                    for k in nl.offsets[i]..<nl.offsets[i + 1] {
                        let j = Int(nl.indices[k])
                        let rc = rcutT[ti * (ntypes + 1) + types[j]]
                        let d = nl.vectors[k]
                        if (d * d).sum() < rc * rc {
                            ker.rij.append(d); ker.rcut.append(rc); ker.wgt.append(p.weight(types[j]))
                            ker.elem.append(p.element(types[j])); js.append(j)
                        }
                    }
                    if gl.count < js.count * K * 3 { gl = [Double](repeating: 0, count: js.count * K * 3) }
                    bl.withUnsafeMutableBufferPointer { bp in
                        gl.withUnsafeMutableBufferPointer { gp in ker.atom(b: bp.baseAddress!, v: nil, g: gp.baseAddress!) }
                    }
                    for (m, j) in js.enumerated() {
                        o.pairs.append((i, j))
                        let base = m * K * 3
                        var q = [Double](repeating: 0, count: ncols * 3)
                        for k in 0..<K { for a in 0..<3 { q[k * 3 + a] = gl[base + k * 3 + a] } }
                        if p.quadraticflag {
                            var c2 = K
                            for a in 0..<K {
                                for x in 0..<3 { q[c2 * 3 + x] = bl[a] * gl[base + a * 3 + x] }
                                c2 += 1
                                for b in (a + 1)..<max(a + 1, K) {
                                    for x in 0..<3 { q[c2 * 3 + x] = bl[a] * gl[base + b * 3 + x] + bl[b] * gl[base + a * 3 + x] }
                                    c2 += 1
                                }
                            }
                        }
                        o.d.append(contentsOf: q)
                    }
                }
            }
            if nt == 1 { run(0) } else { DispatchQueue.concurrentPerform(iterations: nt) { w in run(w) } }
            // serial scatter, chunk order
            out.data.withUnsafeMutableBufferPointer { ob in
                let op = ob.baseAddress!
                for o in outs {
                    for (m, (i, j)) in o.pairs.enumerated() {
                        let off = (types[i] - 1) * 3 * ncols
                        let pi = op + i * width + off, pj = op + j * width + off
                        for k in 0..<ncols {
                            for a in 0..<3 {
                                let v = o.d[(m * ncols + k) * 3 + a]
                                pi[a * ncols + k] += v
                                pj[a * ncols + k] -= v
                            }
                        }
                    }
                }
            }
            wave += nt
        }
        return out
    }
}
