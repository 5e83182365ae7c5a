import DescryLinalg

/// Reads a LAMMPS data file (`read_data` format, LAMMPS manual "read_data"): header counts,
/// `xlo xhi`/`ylo yhi`/`zlo zhi`, optional `xy xz yz` tilts, `Masses`, and an `Atoms` section in
/// atomic style (`id type x y z [ix iy iz]`); other sections are skipped. The box is taken as
/// periodic in all dimensions (a data file does not record the boundary).
public func readLammpsData(path: String) throws -> Frame {
    let r = try LineReader(path: path)
    guard try r.readLine() else { throw EngineError("\(path): empty file") }   // title line
    var natoms = -1
    var lo = SIMD3<Double>.zero, hi = SIMD3<Double>.zero
    var tilt = SIMD3<Double>.zero
    var ntypes = 0
    var pos: [SIMD3<Double>] = [], types: [Int] = [], ids: [Int] = []
    var imgs: [SIMD3<Int32>] = []
    var hasImages = false
    var section = ""
    var sawAtoms = false
    func strip(_ r: LineReader) -> Int {   // field count before a '#' comment
        for k in 0..<r.fieldCount where r.string(k).hasPrefix("#") { return k }
        return r.fieldCount
    }
    while try r.readLine() {
        let nf = strip(r)
        if nf == 0 { continue }
        let first = r.string(0)
        if Double(first) == nil {   // a section keyword
            section = r.strings(from: 0).prefix(nf).joined(separator: " ")
            if section.hasPrefix("Atoms") {
                if r.fieldCount > nf + 1, r.string(nf + 1) != "atomic" {
                    throw r.error("only atom_style atomic is supported, found '\(r.string(nf + 1))'")
                }
                guard natoms >= 0 else { throw r.error("Atoms section before the 'atoms' header line") }
                sawAtoms = true
                for i in 0..<natoms {
                    repeat {
                        guard try r.readLine() else {
                            throw EngineError("\(path):\(r.lineNumber): unexpected end of file in Atoms: expected \(natoms) atoms, found \(i)")
                        }
                    } while r.isBlank
                    let n = strip(r)
                    guard n == 5 || n == 8 else { throw r.error("expected 5 or 8 columns (atomic style), found \(n)") }
                    ids.append(try r.int(0, column: "id"))
                    types.append(try r.int(1, column: "type"))
                    pos.append(SIMD3(try r.double(2, column: "x"), try r.double(3, column: "y"), try r.double(4, column: "z")))
                    try InputChecks.checkPosition(pos[pos.count - 1], atom: i + 1) { r.error($0) }
                    if n == 8 {
                        hasImages = true
                        imgs.append(SIMD3(Int32(truncatingIfNeeded: try r.int(5, column: "ix")),
                                          Int32(truncatingIfNeeded: try r.int(6, column: "iy")),
                                          Int32(truncatingIfNeeded: try r.int(7, column: "iz"))))
                    } else { imgs.append(.zero) }
                }
            }
            continue
        }
        if section.isEmpty {   // header
            let words = r.strings(from: 0).prefix(nf)
            if words.last == "atoms" { natoms = try r.int(0, column: "atoms") }
            else if words.suffix(2) == ["atom", "types"] { ntypes = try r.int(0, column: "atom types") }
            else if words.suffix(2) == ["xlo", "xhi"] { lo.x = try r.double(0); hi.x = try r.double(1) }
            else if words.suffix(2) == ["ylo", "yhi"] { lo.y = try r.double(0); hi.y = try r.double(1) }
            else if words.suffix(2) == ["zlo", "zhi"] { lo.z = try r.double(0); hi.z = try r.double(1) }
            else if words.suffix(3) == ["xy", "xz", "yz"] {
                tilt = SIMD3(try r.double(0), try r.double(1), try r.double(2))
            }
        }
    }
    guard sawAtoms else { throw EngineError("\(path): no Atoms section") }
    let box = Box(lo: lo, hi: hi, xy: tilt.x, xz: tilt.y, yz: tilt.z)
    try InputChecks.checkBox(box) { EngineError("\(path): \($0)") }
    try InputChecks.checkUniqueIDs(ids) { EngineError("\(path): \($0)") }
    var f = Frame(timestep: 0, box: box, positions: pos, types: types, ids: ids,
                  images: hasImages ? imgs : nil)
    if ntypes > 0 && f.typeNames.isEmpty { f.typeNames = [] }
    f.sortByID()
    return f
}

/// A LAMMPS `fix ave/time` output file (LAMMPS manual "fix ave/time"): `mode scalar` files give
/// one row per output step (first column TimeStep); `mode vector` files give, per step, a
/// "TimeStep Nrows" line followed by Nrows rows, returned stacked with the step prepended.
public struct AveTimeFile {
    /// Column names from the last header comment (e.g. TimeStep c_sum[1] ...).
    public let names: [String]
    /// Rows × columns, first column the timestep.
    public let data: Matrix

    /// Reads a fix ave/time file; errors name file and line.
    public init(path: String) throws {
        let r = try LineReader(path: path)
        var comments: [String] = []
        var rows: [Double] = []
        var ncol = -1
        var pendingVector = 0
        var vectorStep = 0.0
        while try r.readLine() {
            if r.isBlank { continue }
            if r.hasPrefix("#") { comments.append(r.line); continue }
            if pendingVector > 0 {
                // vector mode row: Row c1 c2 ... (prepend step)
                if ncol < 0 { ncol = r.fieldCount + 1 }
                guard r.fieldCount + 1 == ncol else { throw r.error("expected \(ncol - 1) columns, found \(r.fieldCount)") }
                rows.append(vectorStep)
                for k in 0..<r.fieldCount { rows.append(try r.double(k)) }
                pendingVector -= 1
                continue
            }
            let isVectorHeader = comments.count >= 3 && comments[comments.count - 2].contains("Number-of-rows")
                || (comments.last?.contains("Number-of-rows") ?? false)
            if isVectorHeader && r.fieldCount == 2 {
                vectorStep = try r.double(0, column: "TimeStep")
                pendingVector = try r.int(1, column: "Number-of-rows")
                continue
            }
            if ncol < 0 { ncol = r.fieldCount }
            guard r.fieldCount == ncol else { throw r.error("expected \(ncol) columns, found \(r.fieldCount)") }
            for k in 0..<ncol { rows.append(try r.double(k)) }
        }
        if pendingVector > 0 { throw EngineError("\(path):\(r.lineNumber): unexpected end of file: \(pendingVector) rows missing") }
        guard ncol > 0 else { throw EngineError("\(path): empty file (no data rows)") }
        var nm: [String] = []
        if let last = comments.last {
            nm = last.dropFirst().split(separator: " ").map(String.init)
            if comments.count >= 2, last.contains("Row") || last.hasPrefix("# Row") {
                nm = ["TimeStep"] + nm
            }
        }
        names = nm
        data = Matrix(rows: rows.count / ncol, cols: ncol, data: rows)
    }
}
