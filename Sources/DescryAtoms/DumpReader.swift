import DescryLinalg
import Glibc

/// Streaming reader for LAMMPS text dumps (`dump atom` and `dump custom`, plain or .gz, LAMMPS
/// manual "dump" command): frames are read one at a time; a list of files (e.g. a glob) is read
/// as one trajectory. Columns may come in any order. Coordinates: x/y/z, xs/ys/zs (scaled),
/// xu/yu/zu (unwrapped), xsu/ysu/zsu (scaled unwrapped), with ix/iy/iz image flags; orthogonal
/// and triclinic `BOX BOUNDS` (tilt-extended bounds, see `Box(dumpBounds:)`). Atoms are returned
/// in ascending id order. Malformed input raises an `EngineError` "file:line: message".
public final class DumpReader: FrameSource {
    private let paths: [String]
    private var fileIndex = 0
    private var reader: LineReader?
    private var framesRead = 0
    /// Keep atoms in ascending id order (default true).
    public var sortByID = true

    /// Opens one path, a glob pattern, or several paths read in sequence.
    public init(paths: [String]) throws {
        let expanded = paths.flatMap { expandPaths($0) }
        guard !expanded.isEmpty else {
            throw EngineError("\(paths.joined(separator: ", ")): no such file")
        }
        self.paths = expanded
        reader = try LineReader(path: expanded[0])
    }

    /// Opens one dump file (plain or .gz) or glob pattern.
    public convenience init(path: String) throws { try self.init(paths: [path]) }

    public var name: String { paths.count == 1 ? paths[0] : "\(paths[0]) (+\(paths.count - 1) files)" }

    /// Reads the next frame, or nil after the last frame of the last file.
    public func next() throws -> Frame? {
        while let r = reader {
            if let f = try readFrame(r) {
                framesRead += 1
                return f
            }
            if r.lineNumber == 0 && framesRead == 0 && fileIndex == paths.count - 1 {
                throw EngineError("\(r.path): empty file (no frames)")
            }
            fileIndex += 1
            reader = fileIndex < paths.count ? try LineReader(path: paths[fileIndex]) : nil
        }
        return nil
    }

    private func expectLine(_ r: LineReader, _ what: String) throws {
        guard try r.readLine() else {
            throw EngineError("\(r.path):\(r.lineNumber): unexpected end of file, expected \(what)")
        }
    }

    private func readFrame(_ r: LineReader) throws -> Frame? {
        // skip blank lines between frames
        repeat {
            guard try r.readLine() else { return nil }
        } while r.isBlank
        var timestep = 0
        var natoms = -1
        var box: Box?
        while true {
            guard r.hasPrefix("ITEM:") else {
                throw r.error("expected 'ITEM:', found '\(r.line.prefix(40))'")
            }
            let item = r.strings(from: 1)
            let head = item.first ?? ""
            if head == "TIMESTEP" {
                try expectLine(r, "timestep")
                timestep = try r.int(0, column: "TIMESTEP")
            } else if item.starts(with: ["NUMBER", "OF", "ATOMS"]) {
                try expectLine(r, "number of atoms")
                natoms = try r.int(0, column: "NUMBER OF ATOMS")
                if natoms < 0 || natoms > Int(Int32.max) { throw r.error("invalid number of atoms \(natoms)") }
            } else if item.starts(with: ["BOX", "BOUNDS"]) {
                box = try readBox(r, Array(item.dropFirst(2)))
            } else if head == "ATOMS" {
                guard natoms >= 0 else { throw r.error("ITEM: ATOMS before ITEM: NUMBER OF ATOMS") }
                guard let b = box else { throw r.error("ITEM: ATOMS before ITEM: BOX BOUNDS") }
                var (f, idsRise) = try readAtoms(r, columns: Array(item.dropFirst()), natoms: natoms, box: b,
                                      timestep: timestep)
                // ids that rose strictly while read are sorted and unique already
                if !idsRise {
                    if sortByID { f.sortByID() }
                    try InputChecks.checkUniqueIDs(f.ids) { r.error("frame at timestep \(timestep): \($0)") }
                }
                return f
            } else {
                // unknown item (UNITS, TIME, ...): one value line
                try expectLine(r, "value of ITEM: \(head)")
            }
            try expectLine(r, "ITEM: line")
        }
    }

    private func readBox(_ r: LineReader, _ flags: [String]) throws -> Box {
        let triclinic = flags.first == "xy"
        let bflags = triclinic ? Array(flags.dropFirst(3)) : flags
        var periodic = [true, true, true]
        if bflags.count == 3 { periodic = bflags.map { $0 == "pp" } }
        var lo = SIMD3<Double>.zero, hi = SIMD3<Double>.zero, tilt = SIMD3<Double>.zero
        for d in 0..<3 {
            try expectLine(r, "box bounds")
            let need = triclinic ? 3 : 2
            guard r.fieldCount >= need else {
                throw r.error("expected \(need) columns, found \(r.fieldCount)")
            }
            lo[d] = try r.double(0, column: "lo")
            hi[d] = try r.double(1, column: "hi")
            if triclinic { tilt[d] = try r.double(2, column: "tilt") }
        }
        let box = triclinic
            ? Box(dumpBounds: lo, hi, xy: tilt[0], xz: tilt[1], yz: tilt[2], periodic: periodic)
            : Box(lo: lo, hi: hi, periodic: periodic)
        try InputChecks.checkBox(box) { r.error($0) }
        return box
    }

    private enum CoordKind: Int { case wrapped = 0, scaled, unwrapped, scaledUnwrapped }

    /// The layout of the ITEM: ATOMS columns: column names ("dump atom" without names: id type
    /// xs ys zs), the id/type/element columns (−1 when absent), the coordinate columns and their
    /// kind (x > xu > xs > xsu when several are present), image-flag columns and extra columns.
    private func atomColumns(_ r: LineReader, _ columns: [String]) throws
        -> ([String], Int, Int, Int, [Int], CoordKind, [Int], [(Int, String)]) {
        // "dump atom" without header names: id type xs ys zs
        let cols = columns.isEmpty ? ["id", "type", "xs", "ys", "zs"] : columns
        var idCol = -1, typeCol = -1, elemCol = -1
        var coord = [Int](repeating: -1, count: 3)
        var kind: CoordKind?
        var imgCol = [Int](repeating: -1, count: 3)
        var extra: [(Int, String)] = []
        let names: [[String]] = [["x", "y", "z"], ["xs", "ys", "zs"], ["xu", "yu", "zu"], ["xsu", "ysu", "zsu"]]
        // prefer x > xu > xs > xsu when several are present
        let pref: [CoordKind] = [.wrapped, .unwrapped, .scaled, .scaledUnwrapped]
        for k in pref {
            let idx = names[k.rawValue].map { n in cols.firstIndex(of: n) ?? -1 }
            if idx.allSatisfy({ $0 >= 0 }) { coord = idx; kind = k; break }
        }
        guard let ck = kind else {
            throw r.error("ITEM: ATOMS lacks coordinate columns (x y z, xs ys zs, xu yu zu or xsu ysu zsu)")
        }
        for (k, c) in cols.enumerated() {
            switch c {
            case "id": idCol = k
            case "type": typeCol = k
            case "element": elemCol = k
            case "ix": imgCol[0] = k
            case "iy": imgCol[1] = k
            case "iz": imgCol[2] = k
            default:
                if !coord.contains(k) && !names.joined().contains(c) { extra.append((k, c)) }
            }
        }
        return (cols, idCol, typeCol, elemCol, coord, ck, imgCol, extra)
    }

    /// Per-atom values of a frame as its lines arrive (grown line by line or batch by batch, so
    /// a corrupt header cannot allocate a huge frame up front).
    private struct AtomArrays {
        var pos: [SIMD3<Double>] = []
        var types: [Int] = []
        var ids: [Int] = []
        var imgs: [SIMD3<Int32>]?
        var extraVals: [[Double]]
        var elemNames: [String] = []
        var elemIndex: [String: Int] = [:]

        init(natoms: Int, hasImages: Bool, extraCount: Int) {
            let cap = min(natoms, 1 << 20)
            pos.reserveCapacity(cap)
            types.reserveCapacity(cap)
            ids.reserveCapacity(cap)
            imgs = hasImages ? [] : nil
            imgs?.reserveCapacity(cap)
            extraVals = [[Double]](repeating: [], count: extraCount)
        }

        /// Ids so far rise strictly (then they are sorted and unique).
        var idsRise = true

        /// Appends the lines `parser` accepted (`result`), atoms number `firstAtom` + 0, 1, …
        mutating func append(_ parser: AtomSpanParser, _ result: AtomSpanParser.Result, firstAtom: Int, hasID: Bool) {
            let out = parser.slots
            let before = ids.count
            for run in result.runs {
                let slot = run.slot
                pos.append(contentsOf: UnsafeBufferPointer(start: out.positions + slot, count: run.count))
                types.append(contentsOf: UnsafeBufferPointer(start: out.types + slot, count: run.count))
                if hasID {
                    ids.append(contentsOf: UnsafeBufferPointer(start: out.ids + slot, count: run.count))
                }
                imgs?.append(contentsOf: UnsafeBufferPointer(start: out.images + slot, count: run.count))
                for e in 0..<extraVals.count {
                    for k in slot..<slot + run.count { extraVals[e].append(out.extras[k * extraVals.count + e]) }
                }
            }
            if hasID {
                if !result.ascending || (before > 0 && result.firstID <= ids[before - 1]) { idsRise = false }
            } else {
                ids.append(contentsOf: (firstAtom + 1)..<(firstAtom + 1 + result.lines))
            }
        }
    }

    /// Threads parsing the atom lines of a frame (1: on the calling thread). Values are
    /// identical for any count.
    public var threads = availableCPUs()
    /// The mean atom-line length of the last frame, to cut the next frame's spans near its end.
    private var lineBytesHint: Int?
    /// The parsed values of a span, reused from frame to frame.
    private let slots = AtomSlots()

    /// The frame of the atom lines, and whether their ids rose strictly (sorted and unique).
    private func readAtoms(_ r: LineReader, columns: [String], natoms: Int, box: Box,
                           timestep: Int) throws -> (Frame, Bool) {
        let (cols, idCol, typeCol, elemCol, coord, ck, imgCol, extra) = try atomColumns(r, columns)
        let hasImages = imgCol.allSatisfy { $0 >= 0 }
        var a = AtomArrays(natoms: natoms, hasImages: hasImages, extraCount: extra.count)
        var roles = [AtomColumnPlan.Role](repeating: .skip, count: cols.count)
        for k in 0..<3 { roles[coord[k]] = .coordinate(k) }
        if idCol >= 0 { roles[idCol] = .id }
        if typeCol >= 0 { roles[typeCol] = .type } else if elemCol >= 0 { roles[elemCol] = .name }
        if hasImages { for k in 0..<3 { roles[imgCol[k]] = .image(k) } }
        for (e, (k, _)) in extra.enumerated() { roles[k] = .extra(e) }
        let plan = AtomColumnPlan(roles: roles, scaled: ck == .scaled || ck == .scaledUnwrapped)
        let parser = AtomSpanParser(plan: plan, box: box, threads: threads, storage: slots,
                                    averageLineBytes: lineBytesHint)
        var i = 0
        while i < natoms {
            // the lines already buffered, in parallel; then the line reader reads (and names the
            // error of) a line the fast path refused, a new element name, or a last line without
            // newline
            if let (base, count) = try r.completeLines() {
                let result = parser.parse(base: base, count: count, maxLines: natoms - i)
                a.append(parser, result, firstAtom: i, hasID: idCol >= 0)
                r.skipLines(result.lines, bytes: result.bytes)
                i += result.lines
                if result.lines > 0 && !result.refused { continue }
                if i == natoms { break }
            }
            guard try r.readLine() else {
                throw EngineError("\(r.path):\(r.lineNumber): unexpected end of file in frame at timestep \(timestep): expected \(natoms) atoms, found \(i)")
            }
            try appendAtomLine(r, &a, atom: i, natoms: natoms, timestep: timestep, box: box, cols: cols,
                               idCol: idCol, typeCol: typeCol, elemCol: elemCol, coord: coord, ck: ck,
                               imgCol: imgCol, extra: extra)
            if let id = a.ids.last, a.ids.count > 1, id <= a.ids[a.ids.count - 2] { a.idsRise = false }
            if a.elemNames.count > parser.namesKnown { parser.learn(name: Array(a.elemNames[a.elemNames.count - 1].utf8)) }
            i += 1
        }
        lineBytesHint = parser.averageLineBytes ?? lineBytesHint
        let unwrapped = ck == .unwrapped || ck == .scaledUnwrapped
        var columnsOut: [(name: String, values: [Double])] = []
        for (e, (k, name)) in extra.enumerated() where k != elemCol {
            columnsOut.append((name, a.extraVals[e]))
        }
        let frame = Frame(timestep: timestep, box: box, positions: a.pos, types: a.types, ids: a.ids,
                          images: unwrapped ? nil : a.imgs, unwrapped: unwrapped, typeNames: a.elemNames,
                          columns: columnsOut)
        return (frame, a.idsRise)
    }

    /// Reads the current line of `r` as atom number `atom` (0-based), appending its values.
    private func appendAtomLine(_ r: LineReader, _ a: inout AtomArrays, atom i: Int, natoms: Int, timestep: Int, box: Box,
                                cols: [String], idCol: Int, typeCol: Int, elemCol: Int, coord: [Int],
                                ck: CoordKind, imgCol: [Int], extra: [(Int, String)]) throws {
        if r.fieldCount != cols.count {
            if r.hasPrefix("ITEM:") {
                throw r.error("frame at timestep \(timestep) has \(i) atom lines, header says \(natoms)")
            }
            throw r.error("expected \(cols.count) columns, found \(r.fieldCount)")
        }
        var p = SIMD3<Double>(try r.double(coord[0], column: cols[coord[0]]),
                              try r.double(coord[1], column: cols[coord[1]]),
                              try r.double(coord[2], column: cols[coord[2]]))
        if ck == .scaled || ck == .scaledUnwrapped { p = box.cartesian(p) }
        try InputChecks.checkPosition(p, atom: i + 1) { r.error($0) }
        a.pos.append(p)
        a.ids.append(idCol >= 0 ? try r.int(idCol, column: "id") : i + 1)
        if typeCol >= 0 {
            let t = try r.int(typeCol, column: "type")
            if t < 1 { throw r.error("column \(typeCol + 1) ('type'): type must be ≥ 1") }
            a.types.append(t)
        } else if elemCol >= 0 {
            let e = r.string(elemCol)
            if let t = a.elemIndex[e] { a.types.append(t) } else {
                a.elemNames.append(e)
                a.elemIndex[e] = a.elemNames.count
                a.types.append(a.elemNames.count)
            }
        } else { a.types.append(1) }
        if a.imgs != nil {
            a.imgs!.append(SIMD3(Int32(truncatingIfNeeded: try r.int(imgCol[0], column: "ix")),
                                 Int32(truncatingIfNeeded: try r.int(imgCol[1], column: "iy")),
                                 Int32(truncatingIfNeeded: try r.int(imgCol[2], column: "iz"))))
        }
        for (e, (k, name)) in extra.enumerated() {
            a.extraVals[e].append(try r.double(k, column: name))
        }
    }
}
