import DescryDescriptors
import DescryLinalg
#if canImport(Glibc)
import Glibc
#endif

/// `descry lammps-input [options]`: prints the LAMMPS input lines (compute sna/atom, snav/atom,
/// compute reduce, fix ave/time, fix ave/atom + dump) whose outputs equal descry's D̄/V̄ for a
/// parameter set, so in-situ and post-hoc descriptors are interchangeable. The text comes from
/// the engine (`lammpsInputText`); this file only parses the command line.
struct LammpsInputCommand {
    let arguments: [String]

    static let usage = """
        usage: descry lammps-input [options]
        Prints LAMMPS input lines that make LAMMPS write descry's global descriptors in situ:
        D̄ = Σ_i B_i (compute sna/atom + compute reduce sum + fix ave/time), optionally V̄
        (snav/atom) and time-averaged unwrapped positions (fix ave/atom + dump) from which
        descry computes D̄ of time-averaged positions post hoc. Paste after the pair style and
        before `run`. Numbers use LAMMPS metal units (Å). Defaults are LAMMPS' and descry's.
        Bispectrum (as desc.bispectrum and compute sna/atom):
          --twojmax N          2J_max (default 8)
          --rcutfac X          pair cutoff rcutfac·(R_i + R_j) (default 4.7)
          --rfac0 X            angular map factor (default 0.99363)
          --rmin0 X            inner radius of the map (default 0)
          --radelem R[,R...]   radius per atom type (default 0.5)
          --wj W[,W...]        neighbour weight per atom type (default 1)
          --types N            atom types in the run (default: longest of radelem/wj)
          --switchflag 0|1     smooth cutoff (default 1)
          --bzeroflag 0|1      subtract B of an isolated atom (default 1)
          --quadraticflag 0|1  add the B_i·B_k products (default 0)
          --bnormflag 0|1      normalise by 2j+1 (default 0)
        Outputs:
          --reduce sum|ave     D̄ summed over atoms (descry, paper eq. 1) or averaged (D̄/N) (default sum)
          --virial             also V̄ (compute snav/atom)
          --nevery N --nrepeat N --nfreq N
                               fix ave/time sampling (default 1 1 100): a row every Nfreq steps,
                               the mean of Nrepeat samples Nevery apart, on instantaneous positions
          --output FILE        D̄ file (default dbar.dat)
          --virial-output FILE V̄ file (default vbar.dat)
          --average-positions W  also average unwrapped positions over windows of W steps
                               (fix ave/atom) and dump them every W steps
          --average-every N    sampling interval inside the window (default 1)
          --dump-output FILE   averaged-position dump (default xavg.lammpstrj)
          --prefix WORD        prefix of compute/fix/dump IDs (default descry)
          --group WORD         LAMMPS group of the central atoms (default all)
          -h, --help           this help
        Exit status: 0, or 2 for a bad option (message on stderr).
        """

    func run() -> Int32 {
        if arguments.contains("-h") || arguments.contains("--help") {
            print(Self.usage)
            return 0
        }
        do {
            let options = try parse()
            let text = try lammpsInputText(options)
            fputs(text, stdout)
            return 0
        } catch {
            writeStderr("descry lammps-input: \(error)\n")
            return 2
        }
    }

    /// The options, from `--key value` pairs (and the `--virial` switch).
    func parse() throws -> LammpsInputOptions {
        var values: [String: String] = [:]
        var virial = false
        var i = 0
        while i < arguments.count {
            let a = arguments[i]
            guard a.hasPrefix("--") else { throw EngineError("unexpected argument '\(a)' (see --help)") }
            let key = String(a.dropFirst(2))
            if key == "virial" {
                virial = true
                i += 1
                continue
            }
            guard Self.valueKeys.contains(key) else { throw EngineError("unknown option '\(a)' (see --help)") }
            guard i + 1 < arguments.count else { throw EngineError("option '\(a)' needs a value") }
            values[key] = arguments[i + 1]
            i += 2
        }
        var o = LammpsInputOptions(parameters: try parameters(values))
        o.virial = virial
        o.types = try values["types"].map { try integer($0, "types") }
            ?? max(o.parameters.radelem.count, o.parameters.wj.count)
        try applyOutputs(values, &o)
        return o
    }

    static let valueKeys: Set<String> = [
        "twojmax", "rcutfac", "rfac0", "rmin0", "radelem", "wj", "types", "switchflag", "bzeroflag",
        "quadraticflag", "bnormflag", "reduce", "nevery", "nrepeat", "nfreq", "output", "virial-output",
        "average-positions", "average-every", "dump-output", "prefix", "group",
    ]

    private func parameters(_ v: [String: String]) throws -> BispectrumParameters {
        var q = BispectrumParameters(twojmax: try v["twojmax"].map { try integer($0, "twojmax") } ?? 8,
                                     rcutfac: try v["rcutfac"].map { try number($0, "rcutfac") } ?? 4.7)
        if let s = v["rfac0"] { q.rfac0 = try number(s, "rfac0") }
        if let s = v["rmin0"] { q.rmin0 = try number(s, "rmin0") }
        if let s = v["radelem"] { q.radelem = try s.split(separator: ",").map { try number(String($0), "radelem") } }
        if let s = v["wj"] { q.wj = try s.split(separator: ",").map { try number(String($0), "wj") } }
        if let s = v["switchflag"] { q.switchflag = try flag(s, "switchflag") }
        if let s = v["bzeroflag"] { q.bzeroflag = try flag(s, "bzeroflag") }
        if let s = v["quadraticflag"] { q.quadraticflag = try flag(s, "quadraticflag") }
        if let s = v["bnormflag"] { q.bnormflag = try flag(s, "bnormflag") }
        return q
    }

    private func applyOutputs(_ v: [String: String], _ o: inout LammpsInputOptions) throws {
        if let s = v["reduce"] { o.reduce = s }
        if let s = v["nevery"] { o.nevery = try integer(s, "nevery") }
        if let s = v["nrepeat"] { o.nrepeat = try integer(s, "nrepeat") }
        if let s = v["nfreq"] { o.nfreq = try integer(s, "nfreq") }
        if let s = v["output"] { o.output = s }
        if let s = v["virial-output"] { o.virialOutput = s }
        if let s = v["average-positions"] { o.averageWindow = try integer(s, "average-positions") }
        if let s = v["average-every"] { o.averageEvery = try integer(s, "average-every") }
        if let s = v["dump-output"] { o.dumpOutput = s }
        if let s = v["prefix"] { o.prefix = s }
        if let s = v["group"] { o.group = s }
    }

    private func number(_ s: String, _ key: String) throws -> Double {
        guard let x = Double(s), x.isFinite else { throw EngineError("--\(key): '\(s)' is not a finite number") }
        return x
    }

    private func integer(_ s: String, _ key: String) throws -> Int {
        guard let x = Int(s) else { throw EngineError("--\(key): '\(s)' is not an integer") }
        return x
    }

    private func flag(_ s: String, _ key: String) throws -> Bool {
        guard s == "0" || s == "1" else { throw EngineError("--\(key): expected 0 or 1, got '\(s)'") }
        return s == "1"
    }
}
