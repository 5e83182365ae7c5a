import DescryLinalg

/// Comment lines stating what the printed input computes and how it maps onto descry.
func lammpsInputHeader(_ o: LammpsInputOptions) -> [String] {
    let q = o.parameters
    let k = q.componentCount
    let cutoff = q.maxCutoff(types: o.types)
    let list = { (v: [Double]) in "{" + v.map { "\($0)" }.joined(separator: ", ") + "}" }
    var h = [
        "# descry lammps-input: in-situ global bispectrum descriptors equal to descry's",
        "#   desc.bispectrum{twojmax = \(q.twojmax), rcutfac = \(q.rcutfac), rfac0 = \(q.rfac0), rmin0 = \(q.rmin0),",
        "#     radelem = \(list(q.radelem)), wj = \(list(q.wj)), switchflag = \(q.switchflag), bzeroflag = \(q.bzeroflag),",
        "#     quadraticflag = \(q.quadraticflag)\(q.bnormflag ? ", bnormflag = true" : "")}",
        "# \(o.reduce == "sum" ? "D̄ = Σ_i B_i (compute reduce sum; descry's D̄, the paper's eq. 1)" : "D̄/N = mean_i B_i (compute reduce ave; descry's D̄ divided by the atom count)")",
        "#   over group \(o.group): \(k) columns after TimeStep in \(o.output), LAMMPS component order. Units: metal (Å).",
        "# Largest pair cutoff rcutfac·(R_i + R_j) = \(cutoff) Å: the pair style's cutoff must be at least that.",
        "# \(o.output): each row (steps Nfreq = \(o.nfreq), 2·\(o.nfreq), ...) is the mean of D̄ over Nrepeat = \(o.nrepeat) samples",
        "#   Nevery = \(o.nevery) steps apart on INSTANTANEOUS positions. With Nevery = Nrepeat = 1 a row equals descry's",
        "#   D̄ of the positions at that step; otherwise it is a time average of D̄, not D̄ of time-averaged positions.",
    ]
    if o.virial {
        h += [
            "# \(o.virialOutput): V̄ from compute snav/atom, \(o.types) type block(s) × 6 Voigt (xx yy zz yz xz xy) × \(k) columns;",
            "#   descry's V̄ (bs:compute(f, {virial = true}).virial, K×6) is the sum over the type blocks:",
            "#   V̄[k][v] = Σ_t column 1 + (t·6 + v)·\(k) + k (0-based t, v, k). Units: Å (B is dimensionless).",
        ]
    }
    return h
}

/// fix ave/atom of unwrapped positions over windows of `window` steps and a dump of them,
/// whose frames give descry's D̄ of time-averaged positions (the paper's X̄_n).
func positionAveragingLines(_ o: LammpsInputOptions, window: Int) -> [String] {
    let p = o.prefix
    let e = o.averageEvery
    let avg = "f_\(p)_xavg"
    return [
        "# Time-averaged positions: each frame of \(o.dumpOutput) (steps \(window), 2·\(window), ...) holds the unwrapped",
        "#   positions averaged over the \(window / e) samples \(e) step(s) apart ending at that step (fix ave/atom), named",
        "#   xu yu zu. descry then computes D̄ of time-averaged positions post hoc: bs:trajectory(\"\(o.dumpOutput)\").",
        "#   This equals bs:trajectory(dump, {average = \(window / e)}) of a dump every \(e) step(s) starting at step \(e)",
        "#   (dump_modify delay \(e)). Boxes that change during a window (NPT) make averaged positions ill-defined.",
        "compute \(p)_xu \(o.group) property/atom xu yu zu",
        "fix \(p)_xavg \(o.group) ave/atom \(e) \(window / e) \(window) c_\(p)_xu[*]",
        "dump \(p)_xavg \(o.group) custom \(window) \(o.dumpOutput) id type \(avg)[1] \(avg)[2] \(avg)[3]",
        "dump_modify \(p)_xavg sort id format float %.17g colname 3 xu colname 4 yu colname 5 zu delay \(window)",
    ]
}
