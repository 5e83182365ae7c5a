import Glibc

/// The bispectrum stages of the kernel: U, Z, B (LAMMPS SNA::compute_ui, compute_zi, compute_bi).
extension BispectrumKernel {
    /// Accumulates U_tot^e = δ·wself + Σ_{j of element e} f_c(r_ij) w_j U(r_ij) for every element
    /// e (LAMMPS compute_ui: zero_uarraytot, compute_uarray, add_uarraytot); keeps each
    /// neighbour's U in ulist when derivatives follow.
    func computeUi() {
        zeroUarraytot()
        for n in 0..<ninside {
            let d = rij[n]
            let r = (d.x * d.x + d.y * d.y + d.z * d.z).squareRoot()
            let theta0 = (r - p.rmin0) * p.rfac0 * Double.pi / (rcutij[n] - p.rmin0)
            let z0 = r / tan(theta0)
            let offset = derivatives ? n * usize : 0
            let ur = ulistR + offset
            let ui = ulistI + offset
            computeUarray(d.x, d.y, d.z, z0, r, ur, ui)
            addUarraytot(sfac(r, rcutij[n]) * wj[n], element[n], ur, ui)
        }
        for e in 0..<nel where t.twojmax >= 1 {
            for j in 1...t.twojmax { mirrorLayer(j, ulisttotR + e * usize, ulisttotI + e * usize) }
        }
    }

    /// Sets U totals to the self term: 1 on the diagonal for the atom's own element (every
    /// element with wselfallflag), 0 elsewhere (LAMMPS zero_uarraytot, wself = 1).
    func zeroUarraytot() {
        for k in 0..<(nel * usize) {
            ulisttotR[k] = 0
            ulisttotI[k] = 0
        }
        for e in 0..<nel where e == ielem || p.wselfallflag {
            for j in 0...t.twojmax {
                let base = e * usize + ublock[j]
                for ma in 0...j { ulisttotR[base + ma * (j + 1) + ma] = 1 }
            }
        }
    }

    /// Adds s·U of one neighbour to the totals of its element, rows 2mb ≤ j only (the others are
    /// mirrored at the end; LAMMPS add_uarraytot).
    @inline(__always)
    func addUarraytot(_ s: Double, _ e: Int, _ ur: UnsafeMutablePointer<Double>, _ ui: UnsafeMutablePointer<Double>) {
        let utr = ulisttotR + e * usize
        let uti = ulisttotI + e * usize
        for j in 0...t.twojmax {
            let base = ublock[j]
            let cnt = (j / 2 + 1) * (j + 1)
            for k in base..<(base + cnt) {
                utr[k] += s * ur[k]
                uti[k] += s * ui[k]
            }
        }
    }

    /// Wigner U layers of one pair by the VMK 4.8.2 recursion (LAMMPS compute_uarray), into u.
    @inline(__always)
    func computeUarray(_ x: Double, _ y: Double, _ z: Double, _ z0: Double, _ r: Double,
                       _ ur: UnsafeMutablePointer<Double>, _ ui: UnsafeMutablePointer<Double>) {
        let r0inv = 1 / (r * r + z0 * z0).squareRoot()
        let ar = r0inv * z0, ai = -r0inv * z, br = r0inv * y, bi = -r0inv * x
        let J = t.twojmax
        let stride = J + 2
        ur[0] = 1
        ui[0] = 0
        if J == 0 { return }
        for j in 1...J {
            var jju = ublock[j]
            var jjup = ublock[j - 1]
            var mb = 0
            while 2 * mb <= j {
                ur[jju] = 0
                ui[jju] = 0
                for ma in 0..<j {
                    var rootpq = self.rootpq[(j - ma) * stride + (j - mb)]
                    let pr = ur[jjup], pi = ui[jjup]
                    ur[jju] += rootpq * (ar * pr + ai * pi)
                    ui[jju] += rootpq * (ar * pi - ai * pr)
                    rootpq = self.rootpq[(ma + 1) * stride + (j - mb)]
                    ur[jju + 1] = -rootpq * (br * pr + bi * pi)
                    ui[jju + 1] = -rootpq * (br * pi - bi * pr)
                    jju += 1
                    jjup += 1
                }
                jju += 1
                mb += 1
            }
            mirrorLayer(j, ur, ui)
        }
    }

    /// Builds Z^{e1 e2}_{j1 j2 j} = Σ C C u^{e1}_{j1} u^{e2}_{j2} on the half rows 2mb ≤ j for
    /// every element pair and needed triple (LAMMPS compute_zi), divided by j+1 with bnormflag.
    func computeZi() {
        for e1 in 0..<nel {
            for e2 in 0..<nel {
                let u1r = ulisttotR + e1 * usize, u1i = ulisttotI + e1 * usize
                let u2r = ulisttotR + e2 * usize, u2i = ulisttotI + e2 * usize
                let zr = zlistR + (e1 * nel + e2) * zsize, zi = zlistI + (e1 * nel + e2) * zsize
                for zt in t.ztriples {
                    let zr0 = zr + zt.zOffset, zi0 = zi + zt.zOffset
                    let nelem = (zt.j / 2 + 1) * (zt.j + 1)
                    for q in 0..<nelem {
                        zr0[q] = 0
                        zi0[q] = 0
                    }
                    addZTriple(zt, symmetric: zt.j1 == zt.j2 && e1 == e2, u1r, u1i, u2r, u2i, zr0, zi0)
                    if p.bnormflag {
                        let f = 1 / Double(zt.j + 1)
                        for q in 0..<nelem {
                            zr0[q] *= f
                            zi0[q] *= f
                        }
                    }
                }
            }
        }
    }

    /// One Z block: for each half row mb and each (mb1, mb2) pair, accumulates
    /// cb·C(ma1,ma2)·u1[mb1][ma1]·u2[mb2][ma2] into Z[mb][ma1+ma2+off]. The innermost loop writes
    /// independent outputs (no serial add chain), with the same terms as LAMMPS' (ma, ma1)
    /// order. With j1 = j2 and one element (`symmetric`) the term of (mb1,ma1; mb2,ma2) equals
    /// that of (mb2,ma2; mb1,ma1) (both Clebsch–Gordan factors change by the same sign): mb1 < mb2
    /// is summed twice, and for mb1 = mb2 the pairs ma1 < ma2 twice.
    @inline(__always)
    func addZTriple(_ zt: SnapTables.ZTriple, symmetric: Bool,
                    _ utr1: UnsafeMutablePointer<Double>, _ uti1: UnsafeMutablePointer<Double>,
                    _ utr2: UnsafeMutablePointer<Double>, _ uti2: UnsafeMutablePointer<Double>,
                    _ zr0: UnsafeMutablePointer<Double>, _ zi0: UnsafeMutablePointer<Double>) {
        let j1 = zt.j1, j2 = zt.j2, j = zt.j
        let cgblock = cg + zt.cgOffset
        let u1base = ublock[j1], u2base = ublock[j2]
        let off = (j - j1 - j2) / 2
        var mb = 0
        while 2 * mb <= j {
            let zrow = zr0 + mb * (j + 1), zirow = zi0 + mb * (j + 1)
            let mb1min = max(0, (2 * mb - j - j2 + j1) / 2)
            let mb2max = (2 * mb - j - (2 * mb1min - j1) + j2) / 2
            let nb = min(j1, (2 * mb - j + j2 + j1) / 2) - mb1min + 1
            var ib = 0
            while ib < nb {
                let mb1 = mb1min &+ ib, mb2 = mb2max &- ib
                if symmetric && mb1 > mb2 { break }
                let diagRow = symmetric && mb1 == mb2
                let cb = cgblock[mb1 &* (j2 &+ 1) &+ mb2] * (symmetric && !diagRow ? 2 : 1)
                let o1 = u1base &+ mb1 &* (j1 &+ 1), o2 = u2base &+ mb2 &* (j2 &+ 1)
                let u1r = utr1 + o1, u1i = uti1 + o1
                let u2r = utr2 + o2, u2i = uti2 + o2
                var ma1 = 0
                while ma1 <= j1 {
                    var lo = max(0, -off &- ma1)
                    let hi = min(j2, j &- off &- ma1)
                    if diagRow {
                        if lo <= ma1 && ma1 <= hi {
                            let c = cgblock[ma1 &* (j2 &+ 1) &+ ma1] * cb
                            let pr = u1r[ma1] * u2r[ma1] - u1i[ma1] * u2i[ma1]
                            let pi = 2 * u1r[ma1] * u2i[ma1]
                            zrow[ma1 &+ ma1 &+ off] += c * pr
                            zirow[ma1 &+ ma1 &+ off] += c * pi
                        }
                        lo = max(lo, ma1 &+ 1)
                    }
                    let cbf = diagRow ? 2 * cb : cb
                    if lo <= hi {
                        let ar = cbf * u1r[ma1], ai = cbf * u1i[ma1]
                        let cgrow = cgblock + ma1 &* (j2 &+ 1)
                        let base = ma1 &+ off
                        var ma2 = lo
                        while ma2 <= hi {
                            let c = cgrow[ma2]
                            let pr = ar * u2r[ma2] - ai * u2i[ma2]
                            let pi = ar * u2i[ma2] + ai * u2r[ma2]
                            zrow[base &+ ma2] += c * pr
                            zirow[base &+ ma2] += c * pi
                            ma2 &+= 1
                        }
                    }
                    ma1 &+= 1
                }
                ib &+= 1
            }
            mb += 1
        }
    }

    /// B(e1,e2,e3)_{j1 j2 j} = 2 Σ_half Re(conj(u^{e3}_j) Z^{e1 e2}_{j1 j2 j}), minus the
    /// isolated-atom value with bzeroflag, into blist (LAMMPS compute_bi).
    func computeBi() {
        let K = t.btriples.count
        for e1 in 0..<nel {
            for e2 in 0..<nel {
                for e3 in 0..<nel {
                    let it = (e1 * nel + e2) * nel + e3
                    let zr = zlistR + (e1 * nel + e2) * zsize, zi = zlistI + (e1 * nel + e2) * zsize
                    let ur = ulisttotR + e3 * usize, ui = ulisttotI + e3 * usize
                    let sub = p.bzeroflag && (p.wselfallflag || (e1 == ielem && e2 == ielem && e3 == ielem))
                    for (k, tr) in t.btriples.enumerated() {
                        let j = tr.j
                        var bk = 2 * halfDot(ur + ublock[j], ui + ublock[j], zr + t.bz[k].0, zi + t.bz[k].0, j)
                        if sub { bk -= p.bnormflag ? 1 : Double(j + 1) }
                        blist[it * K + k] = bk
                    }
                }
            }
        }
    }
}
