import DescryLinalg

/// Streaming reader for extended XYZ (ASE / libAtoms convention): line 1 the atom count, line 2
/// key=value pairs (`Lattice="ax ay az bx by bz cx cy cz"`, `Properties=species:S:1:pos:R:3:...`,
/// `pbc="T T F"`, `Timestep=`), then one line per atom; many frames per file. General lattices
/// are rotated into LAMMPS' upper-triangular form (`Box.fromLattice`), positions with them.
/// Species become types 1, 2, … in order of first appearance (names in `typeNames`); a
/// `type` property, if present, is used instead. Errors name file and line.
public final class ExtXYZReader: FrameSource {
    private let r: LineReader
    private var frames = 0
    public var name: String { r.path }

    /// Opens an extended XYZ file (plain or .gz).
    public init(path: String) throws { r = try LineReader(path: path) }

    struct Prop { let name: String; let kind: Character; let count: Int }

    /// Parses `key=value` / `key="quoted value"` pairs of a comment line.
    static func keyValues(_ line: String) -> [String: String] {
        var out: [String: String] = [:]
        var chars = Array(line)
        chars.append(" ")
        var i = 0
        while i < chars.count {
            while i < chars.count && chars[i].isWhitespace { i += 1 }
            let ks = i
            while i < chars.count && chars[i] != "=" && !chars[i].isWhitespace { i += 1 }
            let key = String(chars[ks..<i])
            if i < chars.count && chars[i] == "=" {
                i += 1
                var val = ""
                if i < chars.count && (chars[i] == "\"" || chars[i] == "'") {
                    let q = chars[i]; i += 1
                    let vs = i
                    while i < chars.count && chars[i] != q { i += 1 }
                    val = String(chars[vs..<min(i, chars.count)]); i += 1
                } else {
                    let vs = i
                    while i < chars.count && !chars[i].isWhitespace { i += 1 }
                    val = String(chars[vs..<i])
                }
                if !key.isEmpty { out[key] = val; out[key.lowercased()] = out[key.lowercased()] ?? val }
            } else if !key.isEmpty {
                out[key] = "T"
            }
        }
        return out
    }

    /// The next frame, or nil at the end of the file.
    public func next() throws -> Frame? {
        repeat { guard try r.readLine() else {
            if frames == 0 { throw EngineError("\(r.path): empty file (no frames)") }
            return nil
        } } while r.isBlank
        let n = try r.int(0, column: "atom count")
        guard n >= 0, n <= 50_000_000 else { throw r.error("invalid atom count \(n)") }
        guard try r.readLine() else { throw r.error("unexpected end of file, expected the comment line") }
        let kv = ExtXYZReader.keyValues(r.line)
        let lattice = try readLattice(kv)
        let props = try readProperties(kv)
        try checkDeclaredSize(atoms: n, columns: props.reduce(0) { $0 + $1.count })
        var atoms = try readAtoms(n, props)
        if let rot = lattice?.rotation { atoms.pos = atoms.pos.map(rot) }
        var box = lattice?.box ?? Box(lo: .zero, lengths: SIMD3(1, 1, 1), periodic: [false, false, false])
        if lattice == nil && n > 0 {
            // free cluster: bounding box padded by 0.5 Å
            var lo = atoms.pos[0], hi = atoms.pos[0]
            for p in atoms.pos { lo = pointwiseMin(lo, p); hi = pointwiseMax(hi, p) }
            box = Box(lo: lo - 0.5, hi: hi + 0.5, periodic: [false, false, false])
        }
        let ts = Int(kv["Timestep"] ?? kv["timestep"] ?? kv["step"] ?? "") ?? frames
        frames += 1
        var f = Frame(timestep: ts, box: box, positions: atoms.pos, types: atoms.types, ids: atoms.ids,
                      typeNames: atoms.names, columns: atoms.extra)
        // ids that rose strictly while read are sorted and unique already
        if !atoms.idsRise {
            f.sortByID()
            try InputChecks.checkUniqueIDs(f.ids) { r.error("frame \(frames): \($0)") }
        }
        return f
    }

    /// The box of a `Lattice="…"` comment (nil without one) and the rotation taking the file's
    /// cartesian coordinates into the LAMMPS upper-triangular frame (nil when not needed).
    private func readLattice(_ kv: [String: String]) throws -> (box: Box, rotation: ((SIMD3<Double>) -> SIMD3<Double>)?)? {
        guard let lat = kv["Lattice"] ?? kv["lattice"] else { return nil }
        let v = lat.split(whereSeparator: { $0 == " " || $0 == "\t" }).compactMap { Double($0) }
        guard v.count == 9 else { throw r.error("Lattice needs 9 numbers, found \(v.count)") }
        guard v.allSatisfy({ $0.isFinite }) else { throw r.error("Lattice has a non-finite number") }
        let A = SIMD3(v[0], v[1], v[2]), B = SIMD3(v[3], v[4], v[5]), C = SIMD3(v[6], v[7], v[8])
        var periodic = [true, true, true]
        if let pbc = kv["pbc"] {
            let f = pbc.split(separator: " ").map { $0 == "T" || $0 == "True" || $0 == "1" || $0 == "true" }
            if f.count == 3 { periodic = f }
        }
        guard let bx = Box.fromLattice(A, B, C, periodic: periodic) else {
            throw r.error("Lattice vectors are degenerate or left-handed")
        }
        try InputChecks.checkBox(bx) { r.error($0) }
        // rotation: cartesian -> fractional in (A,B,C) -> LAMMPS cartesian
        let det = dot(A, cross(B, C))
        let ia = cross(B, C) / det, ib = cross(C, A) / det, ic = cross(A, B) / det
        if A.y == 0 && A.z == 0 && B.z == 0 { return (bx, nil) }
        return (bx, { x in bx.displacement(SIMD3(dot(x, ia), dot(x, ib), dot(x, ic))) })
    }

    /// The `Properties=name:kind:count:…` columns (default species:S:1:pos:R:3).
    private func readProperties(_ kv: [String: String]) throws -> [Prop] {
        var props: [Prop] = []
        let spec = kv["Properties"] ?? kv["properties"] ?? "species:S:1:pos:R:3"
        let parts = spec.split(separator: ":").map(String.init)
        guard parts.count % 3 == 0 else { throw r.error("malformed Properties '\(spec)'") }
        var total = 0
        for k in stride(from: 0, to: parts.count, by: 3) {
            guard let c = Int(parts[k + 2]), c > 0, let kind = parts[k + 1].first else {
                throw r.error("malformed Properties '\(spec)'")
            }
            let (t, overflow) = total.addingReportingOverflow(c)
            guard !overflow, t <= Int(Int32.max) else { throw r.error("Properties declares too many columns") }
            total = t
            guard !props.contains(where: { $0.name == parts[k] }) else {
                throw r.error("Properties names '\(parts[k])' twice")
            }
            props.append(Prop(name: parts[k], kind: kind, count: c))
        }
        guard props.contains(where: { $0.name == "pos" && $0.count == 3 }) else {
            throw r.error("Properties lacks pos:R:3")
        }
        return props
    }

    /// Refuses a header whose atom lines (each at least 2 bytes per column) cannot fit in what is
    /// left of the file, before anything is allocated for them.
    private func checkDeclaredSize(atoms n: Int, columns ncol: Int) throws {
        guard n > 0, let left = r.remainingBytesBound else { return }
        let (need, overflow) = n.multipliedReportingOverflow(by: 2 * ncol)
        if overflow || need - 1 > left {
            throw r.error("header declares \(n) atoms of \(ncol) columns (at least \(overflow ? "∞" : String(need)) bytes) but only \(left) bytes remain in the file")
        }
    }

    private struct Atoms {
        var pos: [SIMD3<Double>] = [], types: [Int] = [], ids: [Int] = []
        var names: [String] = []
        var extra: [(name: String, values: [Double])] = []
        /// Ids so far rise strictly (then they are sorted and unique).
        var idsRise = true

        /// Appends the lines `parser` accepted (its slots 0..<lines).
        mutating func append(_ parser: AtomSpanParser, _ result: AtomSpanParser.Result) {
            let out = parser.slots
            let before = ids.count
            let n = result.lines
            pos.append(contentsOf: UnsafeBufferPointer(start: out.positions, count: n))
            types.append(contentsOf: UnsafeBufferPointer(start: out.types, count: n))
            ids.append(contentsOf: UnsafeBufferPointer(start: out.ids, count: n))
            for e in 0..<extra.count {
                for k in 0..<n { extra[e].values.append(out.extras[k * extra.count + e]) }
            }
            if n > 0 && (!result.ascending || (before > 0 && result.firstID <= ids[before - 1])) { idsRise = false }
        }
    }

    /// Threads parsing the atom lines of a frame (1: on the calling thread). Values are
    /// identical for any count.
    public var threads = availableCPUs()
    /// The parsed values of a span, reused from frame to frame.
    private let slots = AtomSlots()

    /// What the span parser does with each column (as `readAtomLine` reads them).
    private static func plan(_ props: [Prop]) -> AtomColumnPlan {
        let hasType = props.contains { $0.name == "type" }
        var roles: [AtomColumnPlan.Role] = []
        var e = 0
        for p in props {
            var r = [AtomColumnPlan.Role](repeating: .skip, count: p.count)
            switch (p.name, p.kind) {
            case ("pos", _): r = (0..<p.count).map { .coordinate($0) }
            case ("species", _) where !hasType: r[0] = .name
            case ("id", _): r[0] = .id
            case ("type", _): r[0] = .type
            case ("species", _), (_, "S"), (_, "L"): break
            default:
                r = (0..<p.count).map { .extra(e + $0) }
                e += p.count
            }
            roles += r
        }
        return AtomColumnPlan(roles: roles, scaled: false)
    }

    /// Reads the `n` atom lines of a frame; arrays grow as lines arrive.
    private func readAtoms(_ n: Int, _ props: [Prop]) throws -> Atoms {
        var a = Atoms()
        let cap = min(n, 1 << 16)
        a.pos.reserveCapacity(cap); a.types.reserveCapacity(cap); a.ids.reserveCapacity(cap)
        var index: [String: Int] = [:]
        for p in props where p.name != "pos" && p.name != "species" && p.name != "id" && p.name != "type" && p.kind != "S" && p.kind != "L" && n > 0 {
            for c in 0..<p.count { a.extra.append((p.count == 1 ? p.name : "\(p.name)\(c + 1)", [])) }
        }
        let hasType = props.contains { $0.name == "type" }
        let ncol = props.reduce(0) { $0 + $1.count }
        let plan = ExtXYZReader.plan(props)
        let unitBox = Box(lo: .zero, lengths: SIMD3(1, 1, 1), periodic: [false, false, false])
        let parser = AtomSpanParser(plan: plan, box: unitBox, threads: threads, storage: slots)
        var i = 0
        while i < n {
            // the lines already buffered, in parallel; then the line reader reads (and names the
            // error of) a line the fast path refused, a new species, or a last line without newline
            if let (base, count) = try r.completeLines() {
                let result = parser.parse(base: base, count: count, maxLines: n - i, firstAtom: i)
                a.append(parser, result)
                r.skipLines(result.lines, bytes: result.bytes)
                i += result.lines
                if result.lines > 0 && !result.refused { continue }
                if i == n { break }
            }
            guard try r.readLine() else {
                throw EngineError("\(r.path):\(r.lineNumber): unexpected end of file: expected \(n) atoms, found \(i)")
            }
            try readAtomLine(&a, atom: i, props: props, ncol: ncol, hasType: hasType, index: &index)
            if a.ids.count > 1 && a.ids[a.ids.count - 1] <= a.ids[a.ids.count - 2] { a.idsRise = false }
            if a.names.count > parser.namesKnown { parser.learn(name: Array(a.names[a.names.count - 1].utf8)) }
            i += 1
        }
        return a
    }

    /// Reads the current line as atom number `i` (0-based), appending its values.
    private func readAtomLine(_ a: inout Atoms, atom i: Int, props: [Prop], ncol: Int, hasType: Bool,
                              index: inout [String: Int]) throws {
        guard r.fieldCount == ncol else { throw r.error("expected \(ncol) columns, found \(r.fieldCount)") }
        var col = 0, e = 0
        var type = 1, id = i + 1
        for p in props {
            switch (p.name, p.kind) {
            case ("pos", _):
                let x = SIMD3(try r.double(col, column: "pos"), try r.double(col + 1, column: "pos"),
                              try r.double(col + 2, column: "pos"))
                try InputChecks.checkPosition(x, atom: i + 1) { r.error($0) }
                a.pos.append(x)
            case ("species", _) where !hasType:
                let s = r.string(col)
                if let t = index[s] { type = t } else { a.names.append(s); index[s] = a.names.count; type = a.names.count }
            case ("id", _): id = try r.int(col, column: "id")
            case ("type", _):
                type = try r.int(col, column: "type")
                if type < 1 { throw r.error("column \(col + 1) ('type'): type must be ≥ 1") }
            case ("species", _), (_, "S"), (_, "L"): break
            default:
                for c in 0..<p.count { a.extra[e + c].values.append(try r.double(col + c, column: p.name)) }
                e += p.count
            }
            col += p.count
        }
        a.types.append(type)
        a.ids.append(id)
    }
}

/// Writes frames as extended XYZ (`Lattice`, `Properties=species:S:1:pos:R:3:id:I:1:type:I:1`,
/// `pbc`, `Timestep`); species are `typeNames` or the type numbers.
public func extXYZText(_ f: Frame) -> String {
    var s = "\(f.count)\n"
    let a = f.box.a, b = f.box.b, c = f.box.c
    let lat = [a.x, a.y, a.z, b.x, b.y, b.z, c.x, c.y, c.z].map { fmt($0) }.joined(separator: " ")
    let pbc = f.box.periodic.map { $0 ? "T" : "F" }.joined(separator: " ")
    s += "Lattice=\"\(lat)\" Properties=species:S:1:pos:R:3:id:I:1:type:I:1 pbc=\"\(pbc)\" Timestep=\(f.timestep)\n"
    for i in 0..<f.count {
        let t = f.types[i]
        let sp = t - 1 < f.typeNames.count ? f.typeNames[t - 1] : "\(t)"
        let p = f.positions[i] - f.box.lo
        s += "\(sp) \(fmt(p.x)) \(fmt(p.y)) \(fmt(p.z)) \(f.ids[i]) \(t)\n"
    }
    return s
}

/// Shortest round-trip decimal form of a Double.
@inline(__always) func fmt(_ x: Double) -> String { "\(x)" }
