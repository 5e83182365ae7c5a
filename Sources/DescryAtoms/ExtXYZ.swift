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
        var periodic = [false, false, false]
        var box: Box
        var rotation: ((SIMD3<Double>) -> SIMD3<Double>)? = nil
        if let lat = kv["Lattice"] ?? kv["lattice"] {
            let v = lat.split(whereSeparator: { $0 == " " || $0 == "\t" }).compactMap { Double($0) }
            guard v.count == 9 else { throw r.error("Lattice needs 9 numbers, found \(v.count)") }
            let A = SIMD3(v[0], v[1], v[2]), B = SIMD3(v[3], v[4], v[5]), C = SIMD3(v[6], v[7], v[8])
            periodic = [true, true, true]
            if let pbc = kv["pbc"] {
                let f = pbc.split(separator: " ").map { $0 == "T" || $0 == "True" || $0 == "1" || $0 == "true" }
                if f.count == 3 { periodic = f }
            }
            guard let bx = Box.fromLattice(A, B, C, periodic: periodic) else {
                throw r.error("Lattice vectors are degenerate or left-handed")
            }
            box = bx
            // rotation: cartesian -> fractional in (A,B,C) -> LAMMPS cartesian
            let det = dot(A, cross(B, C))
            let ia = cross(B, C) / det, ib = cross(C, A) / det, ic = cross(A, B) / det
            if !(A.y == 0 && A.z == 0 && B.z == 0) {
                rotation = { x in bx.displacement(SIMD3(dot(x, ia), dot(x, ib), dot(x, ic))) }
            }
        } else {
            box = Box(lo: .zero, lengths: SIMD3(1, 1, 1), periodic: [false, false, false])
        }
        // properties
        var props: [Prop] = []
        let spec = kv["Properties"] ?? kv["properties"] ?? "species:S:1:pos:R:3"
        let parts = spec.split(separator: ":").map(String.init)
        guard parts.count % 3 == 0 else { throw r.error("malformed Properties '\(spec)'") }
        for k in stride(from: 0, to: parts.count, by: 3) {
            guard let c = Int(parts[k + 2]), c > 0, let kind = parts[k + 1].first else {
                throw r.error("malformed Properties '\(spec)'")
            }
            props.append(Prop(name: parts[k], kind: kind, count: c))
        }
        let ncol = props.reduce(0) { $0 + $1.count }
        guard props.contains(where: { $0.name == "pos" && $0.count == 3 }) else {
            throw r.error("Properties lacks pos:R:3")
        }
        var pos = [SIMD3<Double>](repeating: .zero, count: n)
        var types = [Int](repeating: 1, count: n)
        var ids = (0..<n).map { $0 + 1 }
        var names: [String] = []
        var index: [String: Int] = [:]
        var extra: [(name: String, values: [Double])] = []
        for p in props where p.name != "pos" && p.name != "species" && p.name != "id" && p.name != "type" && p.kind != "S" && p.kind != "L" {
            for c in 0..<p.count { extra.append((p.count == 1 ? p.name : "\(p.name)\(c + 1)", [Double](repeating: 0, count: n))) }
        }
        let hasType = props.contains { $0.name == "type" }
        for i in 0..<n {
            guard try r.readLine() else {
                throw EngineError("\(r.path):\(r.lineNumber): unexpected end of file: expected \(n) atoms, found \(i)")
            }
            guard r.fieldCount == ncol else { throw r.error("expected \(ncol) columns, found \(r.fieldCount)") }
            var col = 0
            var e = 0
            for p in props {
                switch (p.name, p.kind) {
                case ("pos", _):
                    pos[i] = SIMD3(try r.double(col, column: "pos"), try r.double(col + 1, column: "pos"),
                                   try r.double(col + 2, column: "pos"))
                case ("species", _):
                    let s = r.string(col)
                    if !hasType {
                        if let t = index[s] { types[i] = t } else { names.append(s); index[s] = names.count; types[i] = names.count }
                    }
                case ("id", _): ids[i] = try r.int(col, column: "id")
                case ("type", _):
                    types[i] = try r.int(col, column: "type")
                    if types[i] < 1 { throw r.error("column \(col + 1) ('type'): type must be ≥ 1") }
                case (_, "S"), (_, "L"): break
                default:
                    for c in 0..<p.count { extra[e + c].values[i] = try r.double(col + c, column: p.name) }
                    e += p.count
                }
                col += p.count
            }
        }
        if let rot = rotation { pos = pos.map(rot) }
        if kv["Lattice"] == nil && kv["lattice"] == nil && n > 0 {
            // free cluster: bounding box padded by 0.5 Å
            var lo = pos[0], hi = pos[0]
            for p in pos { lo = pointwiseMin(lo, p); hi = pointwiseMax(hi, p) }
            box = Box(lo: lo - 0.5, hi: hi + 0.5, periodic: [false, false, false])
        }
        let ts = Int(kv["Timestep"] ?? kv["timestep"] ?? kv["step"] ?? "") ?? frames
        frames += 1
        var f = Frame(timestep: ts, box: box, positions: pos, types: types, ids: ids,
                      typeNames: names, columns: extra)
        f.sortByID()
        return f
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
