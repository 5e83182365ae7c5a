import DescryLinalg

/// Settings of the LAMMPS input that reproduces descry's global descriptors in situ
/// (`descry lammps-input`): the bispectrum parameters, D̄ as a sum or a mean over atoms, V̄ on
/// or off, the `fix ave/time` sampling, and an optional `fix ave/atom` window of unwrapped
/// positions dumped for D̄ of time-averaged positions (Swinburne, PRL 131, 236101 (2023), eq. 1).
public struct LammpsInputOptions {
    public var parameters: BispectrumParameters
    /// Number of atom types in the LAMMPS run (radii and weights are listed for each).
    public var types = 1
    public var virial = false
    /// "sum" (descry's D̄, the paper's eq. 1) or "ave" (D̄ / N).
    public var reduce = "sum"
    public var nevery = 1
    public var nrepeat = 1
    public var nfreq = 100
    public var output = "dbar.dat"
    public var virialOutput = "vbar.dat"
    /// Steps per position-averaging window (nil: no fix ave/atom) and the sampling interval.
    public var averageWindow: Int? = nil
    public var averageEvery = 1
    public var dumpOutput = "xavg.lammpstrj"
    /// Prefix of every compute/fix/dump ID, so the lines paste into any input.
    public var prefix = "descry"
    public var group = "all"

    public init(parameters: BispectrumParameters) { self.parameters = parameters }

    /// Checks the settings against LAMMPS' rules (fix ave/time, fix ave/atom) and descry's.
    public func validate() throws {
        try parameters.validate()
        guard types >= 1 && types <= 1000 else { throw EngineError("types must be in 1...1000, got \(types)") }
        guard parameters.radelem.count <= types && parameters.wj.count <= types else {
            throw EngineError("radelem/wj list more values (\(max(parameters.radelem.count, parameters.wj.count))) than types (\(types))")
        }
        guard reduce == "sum" || reduce == "ave" else { throw EngineError("reduce must be sum or ave, got \(reduce)") }
        try checkSampling(nevery, nrepeat, nfreq, what: "fix ave/time")
        if let w = averageWindow {
            guard averageEvery >= 1, w >= 1, w % averageEvery == 0 else {
                throw EngineError("the position-averaging window (\(w)) must be a positive multiple of its sampling interval (\(averageEvery))")
            }
        }
        for name in [prefix, group, output, virialOutput, dumpOutput] where !isPlainWord(name) {
            throw EngineError("'\(name)' must be a non-empty word without spaces, quotes, '#', '$' or '&'")
        }
    }

    private func checkSampling(_ e: Int, _ r: Int, _ f: Int, what: String) throws {
        guard e >= 1, r >= 1, f >= 1, f % e == 0, r <= f / e else {
            throw EngineError("\(what): Nevery (\(e)), Nrepeat (\(r)), Nfreq (\(f)) must be positive, Nfreq a multiple of Nevery and Nrepeat·Nevery ≤ Nfreq")
        }
    }

    /// A LAMMPS word that is safe to paste (no whitespace, quotes, comments or variables).
    private func isPlainWord(_ s: String) -> Bool {
        !s.isEmpty && s.allSatisfy { !$0.isWhitespace && !"\"'#$&".contains($0) }
    }
}

/// The LAMMPS input lines (LAMMPS manual: compute sna/atom, snav/atom, reduce, fix ave/time,
/// fix ave/atom, dump custom) whose output equals descry's D̄ (and V̄) for `o`.
public func lammpsInputText(_ o: LammpsInputOptions) throws -> String {
    try o.validate()
    var lines = lammpsInputHeader(o)
    let sna = snaArguments(o)
    let p = o.prefix
    let fmt = "format \" %.17g\""
    lines.append("compute \(p)_sna \(o.group) sna/atom \(sna)")
    lines.append("compute \(p)_dbar \(o.group) reduce \(o.reduce) c_\(p)_sna[*]")
    lines.append("fix \(p)_dbar \(o.group) ave/time \(o.nevery) \(o.nrepeat) \(o.nfreq) c_\(p)_dbar[*] file \(o.output) \(fmt)")
    if o.virial {
        lines.append("compute \(p)_snav \(o.group) snav/atom \(sna)")
        lines.append("compute \(p)_vbar \(o.group) reduce \(o.reduce) c_\(p)_snav[*]")
        lines.append("fix \(p)_vbar \(o.group) ave/time \(o.nevery) \(o.nrepeat) \(o.nfreq) c_\(p)_vbar[*] file \(o.virialOutput) \(fmt)")
    }
    if let w = o.averageWindow {
        lines += positionAveragingLines(o, window: w)
    }
    return lines.joined(separator: "\n") + "\n"
}

/// The `sna/atom` argument list: rcutfac rfac0 twojmax R_1..R_n w_1..w_n and every keyword.
func snaArguments(_ o: LammpsInputOptions) -> String {
    let q = o.parameters
    var words = [num(q.rcutfac), num(q.rfac0), String(q.twojmax)]
    words += (1...o.types).map { num(q.radius($0)) }
    words += (1...o.types).map { num(q.weight($0)) }
    words += ["rmin0", num(q.rmin0), "switchflag", flag(q.switchflag), "bzeroflag", flag(q.bzeroflag),
              "quadraticflag", flag(q.quadraticflag)]
    if q.bnormflag { words += ["bnormflag", "1"] }
    if q.wselfallflag { words += ["wselfallflag", "1"] }
    if let chem = q.chem {
        words += ["chem", String(q.elementCount)] + (1...o.types).map { String(chem[min($0, chem.count) - 1]) }
    }
    return words.joined(separator: " ")
}

private func num(_ v: Double) -> String { "\(v)" }
private func flag(_ b: Bool) -> String { b ? "1" : "0" }
