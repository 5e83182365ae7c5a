import Glibc

/// The derivative stages of the kernel: dU, ∂B/∂r_ij (LAMMPS SNA::compute_duidrj,
/// compute_dbidrj) and descry's in-atom virial contraction.
extension BispectrumKernel {
    /// d(f_c w U)/dr_ij of neighbour n into dulist, 3 × usize component-major (LAMMPS
    /// compute_duidrj / compute_duarray); needs the neighbour's U from computeUi.
    func computeDuidrj(_ n: Int) {
        let d = rij[n]
        let x = d.x, y = d.y, z = d.z
        let rsq = x * x + y * y + z * z
        let r = rsq.squareRoot()
        let rc = rcutij[n]
        let rscale0 = p.rfac0 * Double.pi / (rc - p.rmin0)
        let theta0 = (r - p.rmin0) * rscale0
        let cs = cos(theta0), sn = sin(theta0)
        let z0 = r * cs / sn
        let dz0dr = z0 / r - (r * rscale0) * (rsq + z0 * z0) / rsq
        let rinv = 1 / r
        let u = SIMD3(x * rinv, y * rinv, z * rinv)
        let r0inv = 1 / (r * r + z0 * z0).squareRoot()
        let a = SIMD2(z0 * r0inv, -z * r0inv)
        let b = SIMD2(y * r0inv, -x * r0inv)
        let dr0invdr = -(r0inv * r0inv * r0inv) * (r + z0 * dz0dr)
        let dr0inv = u * dr0invdr
        let dz0 = u * dz0dr
        let dar = dz0 * r0inv + z0 * dr0inv
        var dai = -z * dr0inv
        dai.z += -r0inv
        var dbr = y * dr0inv
        var dbi = -x * dr0inv
        dbi.x += -r0inv
        dbr.y += r0inv
        let offset = derivatives ? n * usize : 0
        let ur = ulistR + offset, ui = ulistI + offset
        computeDuarray(a, b, dar, dai, dbr, dbi, ur, ui)
        let sf = sfac(r, rc) * wj[n]
        let dsf = dsfac(r, rc) * wj[n]
        for c in 0..<3 {
            let dr = dulistR + c * usize, di = dulistI + c * usize
            let uc = u[c]
            for j in 0...t.twojmax {
                let base = ublock[j]
                let cnt = (j / 2 + 1) * (j + 1)
                for q in base..<(base + cnt) {
                    dr[q] = dsf * ur[q] * uc + sf * dr[q]
                    di[q] = dsf * ui[q] * uc + sf * di[q]
                }
            }
        }
    }

    /// dU/dr of one pair by differentiating the U recursion (LAMMPS compute_duarray), into
    /// dulist: a = (ar, ai), b = (br, bi) and their Cartesian derivatives.
    @inline(__always)
    func computeDuarray(_ a: SIMD2<Double>, _ b: SIMD2<Double>,
                        _ dar: SIMD3<Double>, _ dai: SIMD3<Double>, _ dbr: SIMD3<Double>, _ dbi: SIMD3<Double>,
                        _ ur: UnsafeMutablePointer<Double>, _ ui: UnsafeMutablePointer<Double>) {
        let ar = a.x, ai = a.y, br = b.x, bi = b.y
        let J = t.twojmax
        let stride = J + 2
        let dr = dulistR, di = dulistI
        for c in 0..<3 {
            dr[c * usize] = 0
            di[c * usize] = 0
        }
        if J == 0 { return }
        for j in 1...J {
            var jju = ublock[j]
            var jjup = ublock[j - 1]
            var mb = 0
            while 2 * mb <= j {
                for c in 0..<3 {
                    dr[c * usize + jju] = 0
                    di[c * usize + jju] = 0
                }
                for ma in 0..<j {
                    var rootpq = self.rootpq[(j - ma) * stride + (j - mb)]
                    let pr = ur[jjup], pi = ui[jjup]
                    for c in 0..<3 {
                        let o = c * usize
                        let dpr = dr[o + jjup], dpi = di[o + jjup]
                        dr[o + jju] += rootpq * (dar[c] * pr + dai[c] * pi + ar * dpr + ai * dpi)
                        di[o + jju] += rootpq * (dar[c] * pi - dai[c] * pr + ar * dpi - ai * dpr)
                    }
                    rootpq = self.rootpq[(ma + 1) * stride + (j - mb)]
                    for c in 0..<3 {
                        let o = c * usize
                        let dpr = dr[o + jjup], dpi = di[o + jjup]
                        dr[o + jju + 1] = -rootpq * (dbr[c] * pr + dbi[c] * pi + br * dpr + bi * dpi)
                        di[o + jju + 1] = -rootpq * (dbr[c] * pi - dbi[c] * pr + br * dpi - bi * dpr)
                    }
                    jju += 1
                    jjup += 1
                }
                jju += 1
                mb += 1
            }
            mirrorLayer(j, dr, di, components: 3)
        }
    }

    /// ∂B/∂r_ij of neighbour n for every component into dblist[(n·ncoeff + c)·3 + α] (LAMMPS
    /// compute_dbidrj, pair vector r_j − r_i), from dulist and Z.
    func computeDbidrj(_ n: Int) {
        let gn = dblist + n * ncoeff * 3
        for q in 0..<(ncoeff * 3) { gn[q] = 0 }
        contractDu(dulistR, dulistI, e3: element[n], width: 3, sign: 1, into: gn)
    }

    /// Zeroes the virial-weighted dU arrays G (start of an atom).
    func zeroVirialDu() {
        for k in 0..<(nel * 6 * usize) {
            virialDuR[k] = 0
            virialDuI[k] = 0
        }
    }

    /// Accumulates G^e_{αβ} += dU_α(r_n)·r_n,β for neighbour n of element e (Voigt αβ), rows
    /// 2mb ≤ j, from dulist.
    func addVirialDu(_ n: Int) {
        let d = rij[n]
        let ge = element[n] * 6 * usize
        for vi in 0..<6 {
            let (al, be) = BispectrumKernel.voigtPair(vi)
            let rb = d[be]
            let gR = virialDuR + ge + vi * usize, gI = virialDuI + ge + vi * usize
            let dR = dulistR + al * usize, dI = dulistI + al * usize
            for j in 0...t.twojmax {
                let base = ublock[j]
                let cnt = (j / 2 + 1) * (j + 1)
                for q in base..<(base + cnt) {
                    gR[q] += dR[q] * rb
                    gI[q] += dI[q] * rb
                }
            }
        }
    }

    /// The atom's virial contribution vlist = −Σ_j (∂B/∂r_ij) ⊗ r_ij (ncoeff × 6) from G and Z,
    /// exactly the pair terms of compute_dbidrj summed with r_ij (descry's contraction).
    func contractVirial() {
        for q in 0..<(ncoeff * 6) { vlist[q] = 0 }
        for e3 in 0..<nel {
            contractDu(virialDuR + e3 * 6 * usize, virialDuI + e3 * 6 * usize, e3: e3, width: 6,
                       sign: -1, into: vlist)
        }
    }

    /// For derivative arrays dU^{e3} with `width` components (stride usize), adds
    /// sign·2·Σ_half Re(conj(dU) Z) for the three places B(j1,j2,j) depends on U (the j layer with
    /// Z^{e1e2}(j1,j2,j), the j1 layer with Z^{e1e2}(j,j2,j1), the j2 layer with
    /// Z^{e2e1}(j,j1,j2)) into out[(triple·K + k)·width + c] (LAMMPS compute_dbidrj).
    @inline(__always)
    func contractDu(_ dR: UnsafeMutablePointer<Double>, _ dI: UnsafeMutablePointer<Double>, e3: Int,
                    width: Int, sign: Double, into out: UnsafeMutablePointer<Double>) {
        let K = t.btriples.count
        for e1 in 0..<nel {
            for e2 in 0..<nel {
                let z12r = zlistR + (e1 * nel + e2) * zsize, z12i = zlistI + (e1 * nel + e2) * zsize
                let z21r = zlistR + (e2 * nel + e1) * zsize, z21i = zlistI + (e2 * nel + e1) * zsize
                let t1 = ((e1 * nel + e2) * nel + e3) * K
                let t2 = ((e3 * nel + e2) * nel + e1) * K
                let t3 = ((e1 * nel + e3) * nel + e2) * K
                for (k, tr) in t.btriples.enumerated() {
                    let (z0, z1, z2) = t.bz[k]
                    let f1 = p.bnormflag ? 1 : Double(tr.j + 1) / Double(tr.j1 + 1)
                    let f2 = p.bnormflag ? 1 : Double(tr.j + 1) / Double(tr.j2 + 1)
                    let u0 = ublock[tr.j], u1 = ublock[tr.j1], u2 = ublock[tr.j2]
                    for c in 0..<width {
                        let cR = dR + c * usize, cI = dI + c * usize
                        out[(t1 + k) * width + c] += sign * (2 * halfDot(cR + u0, cI + u0, z12r + z0, z12i + z0, tr.j))
                        out[(t2 + k) * width + c] += sign * (2 * f1 * halfDot(cR + u1, cI + u1, z12r + z1, z12i + z1, tr.j1))
                        out[(t3 + k) * width + c] += sign * (2 * f2 * halfDot(cR + u2, cI + u2, z21r + z2, z21i + z2, tr.j2))
                    }
                }
            }
        }
    }
}
