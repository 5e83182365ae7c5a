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

    /// Threads parsing the atom lines of a frame (1: on the calling thread). Values are
    /// identical for any count.
    public var threads = availableCPUs()
    /// The parsed values of a span, reused from frame to frame.
    private let slots = AtomSlots()

    /// The frame of the atom lines, and whether their ids rose strictly (sorted and unique).
    /// Atom line k is written to slot k: in place in the frame's arrays when the header's count
    /// is plausible (a plain file with room for that many lines of at least 2 bytes per column),
    /// else in buffers grown as lines arrive (gzip), so a corrupt header cannot allocate a
    /// huge frame up front.
    private func readAtoms(_ r: LineReader, columns: [String], natoms: Int, box: Box,
                           timestep: Int) throws -> (Frame, Bool) {
        let (cols, idCol, typeCol, elemCol, coord, ck, imgCol, extra) = try atomColumns(r, columns)
        let hasImages = imgCol.allSatisfy { $0 >= 0 }
        var roles = [AtomColumnPlan.Role](repeating: .skip, count: cols.count)
        for k in 0..<3 { roles[coord[k]] = .coordinate(k) }
        if idCol >= 0 { roles[idCol] = .id }
        if typeCol >= 0 { roles[typeCol] = .type } else if elemCol >= 0 { roles[elemCol] = .name }
        if hasImages { for k in 0..<3 { roles[imgCol[k]] = .image(k) } }
        for (e, (k, _)) in extra.enumerated() { roles[k] = .extra(e) }
        let plan = AtomColumnPlan(roles: roles, scaled: ck == .scaled || ck == .scaledUnwrapped)
        let lines = AtomLines(columns: cols, idCol: idCol, typeCol: typeCol, elemCol: elemCol, coord: coord,
                              kind: ck, imgCol: imgCol, extra: extra, natoms: natoms, timestep: timestep, box: box,
                              parser: AtomSpanParser(plan: plan, box: box, threads: threads, storage: slots))
        let (need, overflow) = natoms.multipliedReportingOverflow(by: 2 * cols.count)
        let plausible = natoms > 0 && r.isPlainFile && !overflow && need <= (r.remainingBytesBound ?? 0)
        let slotsOut: FrameSlots
        var pos: [SIMD3<Double>], types: [Int], ids: [Int], imgs: [SIMD3<Int32>]
        if plausible {
            (slotsOut, pos, ids, types, imgs) = try FrameSlots.withNewArrays(natoms, images: hasImages,
                                                                              extraCount: extra.count) { frame in
                try read(r, lines, into: frame)
            }
        } else {
            slotsOut = FrameSlots(growingFrom: min(natoms, 1 << 16), extraCount: extra.count)
            try read(r, lines, into: slotsOut)
            (pos, ids, types, imgs) = slotsOut.arrays(natoms, images: hasImages)
        }
        let unwrapped = ck == .unwrapped || ck == .scaledUnwrapped
        var columnsOut: [(name: String, values: [Double])] = []
        for (e, (k, name)) in extra.enumerated() where k != elemCol {
            columnsOut.append((name, slotsOut.extraColumn(e, count: natoms)))
        }
        let frame = Frame(timestep: timestep, box: box, positions: pos, types: types, ids: ids,
                          images: unwrapped || !hasImages ? nil : imgs, unwrapped: unwrapped,
                          typeNames: slotsOut.elemNames, columns: columnsOut)
        return (frame, slotsOut.idsRise)
    }

    /// What `readAtoms` knows about a frame's atom lines.
    private struct AtomLines {
        let columns: [String]
        let idCol: Int, typeCol: Int, elemCol: Int
        let coord: [Int]
        let kind: CoordKind
        let imgCol: [Int]
        let extra: [(Int, String)]
        let natoms: Int
        let timestep: Int
        let box: Box
        let parser: AtomSpanParser
    }

    /// Reads the frame's atom lines into slots 0..<natoms of `frame`: the lines already
    /// buffered in parallel; the line reader reads (and names the error of) a line the span
    /// parser refused, a new element name, or a last line without newline.
    private func read(_ r: LineReader, _ l: AtomLines, into frame: FrameSlots) throws {
        var i = 0
        while i < l.natoms {
            if let (base, count) = try r.completeLines() {
                let first = i
                let result = l.parser.parse(base: base, count: count, maxLines: l.natoms - i, firstAtom: i) { n in
                    frame.room(at: first, n)
                }
                frame.note(result, at: i)
                r.skipLines(result.lines, bytes: result.bytes)
                i += result.lines
                if result.lines > 0 && !result.refused { continue }
                if i == l.natoms { break }
            }
            guard try r.readLine() else {
                throw EngineError("\(r.path):\(r.lineNumber): unexpected end of file in frame at timestep \(l.timestep): expected \(l.natoms) atoms, found \(i)")
            }
            try readAtomLine(r, l, frame, atom: i)
            if i > 0 && frame.pointers.ids[i] <= frame.pointers.ids[i - 1] { frame.idsRise = false }
            if frame.elemNames.count > l.parser.namesKnown {
                l.parser.learn(name: Array(frame.elemNames[frame.elemNames.count - 1].utf8))
            }
            i += 1
        }
    }

    /// Reads the current line of `r` as atom number `atom` (0-based) into its slot.
    private func readAtomLine(_ r: LineReader, _ l: AtomLines, _ frame: FrameSlots, atom i: Int) throws {
        let cols = l.columns
        if r.fieldCount != cols.count {
            if r.hasPrefix("ITEM:") {
                throw r.error("frame at timestep \(l.timestep) has \(i) atom lines, header says \(l.natoms)")
            }
            throw r.error("expected \(cols.count) columns, found \(r.fieldCount)")
        }
        let slot = frame.room(at: i, 1)
        let coord = l.coord
        var p = SIMD3<Double>(try r.double(coord[0], column: cols[coord[0]]),
                              try r.double(coord[1], column: cols[coord[1]]),
                              try r.double(coord[2], column: cols[coord[2]]))
        if l.kind == .scaled || l.kind == .scaledUnwrapped { p = l.box.cartesian(p) }
        try InputChecks.checkPosition(p, atom: i + 1) { r.error($0) }
        slot.positions[0] = p
        slot.ids[0] = l.idCol >= 0 ? try r.int(l.idCol, column: "id") : i + 1
        if l.typeCol >= 0 {
            let t = try r.int(l.typeCol, column: "type")
            if t < 1 { throw r.error("column \(l.typeCol + 1) ('type'): type must be ≥ 1") }
            slot.types[0] = t
        } else if l.elemCol >= 0 {
            let e = r.string(l.elemCol)
            if let t = frame.elemIndex[e] { slot.types[0] = t } else {
                frame.elemNames.append(e)
                frame.elemIndex[e] = frame.elemNames.count
                slot.types[0] = frame.elemNames.count
            }
        } else { slot.types[0] = 1 }
        if l.imgCol.allSatisfy({ $0 >= 0 }) {
            slot.images[0] = SIMD3(Int32(truncatingIfNeeded: try r.int(l.imgCol[0], column: "ix")),
                                   Int32(truncatingIfNeeded: try r.int(l.imgCol[1], column: "iy")),
                                   Int32(truncatingIfNeeded: try r.int(l.imgCol[2], column: "iz")))
        }
        for (e, (k, name)) in l.extra.enumerated() {
            slot.extras[e] = try r.double(k, column: name)
        }
    }
}

/// A frame's per-atom values while its atom lines are read: slot k holds atom line k. The
/// slots are either the storage of the frame's own arrays (`withNewArrays`, sized by a plausible
/// header), or buffers that grow as lines arrive and are copied into arrays at the end
/// (`arrays`). Extra columns always go to a buffer of rows.
private final class FrameSlots {
    private(set) var pointers: AtomSlots.Pointers
    private let extraCount: Int
    /// The buffers are this object's (else the arrays' storage, but for `extras`).
    private let growable: Bool
    /// Element names numbered by first appearance.
    var elemNames: [String] = []
    var elemIndex: [String: Int] = [:]
    /// Ids so far rise strictly (then they are sorted and unique).
    var idsRise = true

    private init(_ pointers: AtomSlots.Pointers, extraCount: Int, growable: Bool) {
        self.pointers = pointers
        self.extraCount = extraCount
        self.growable = growable
    }

    /// Buffers for `n` slots (grown as lines arrive).
    convenience init(growingFrom n: Int, extraCount: Int) {
        self.init(FrameSlots.allocate(max(1, n), extraCount: extraCount), extraCount: extraCount, growable: true)
    }

    private static func allocate(_ n: Int, extraCount: Int) -> AtomSlots.Pointers {
        AtomSlots.Pointers(capacity: n, extraCapacity: max(1, n * extraCount), positions: .allocate(capacity: n),
                           ids: .allocate(capacity: n), types: .allocate(capacity: n), images: .allocate(capacity: n),
                           extras: .allocate(capacity: max(1, n * extraCount)))
    }

    deinit {
        if growable {
            pointers.positions.deallocate()
            pointers.ids.deallocate()
            pointers.types.deallocate()
            pointers.images.deallocate()
        }
        pointers.extras.deallocate()
    }

    /// Calls `body` with slots in the storage of new arrays of `n` positions, ids, types and
    /// image flags (kept only with `images`), uninitialised until `body` fills every slot; the
    /// arrays hold n values when `body` returns, none when it throws. Returns them with the slots
    /// (for the extra columns, names and id order).
    static func withNewArrays(_ n: Int, images: Bool, extraCount: Int, _ body: (FrameSlots) throws -> Void) throws
        -> (FrameSlots, [SIMD3<Double>], [Int], [Int], [SIMD3<Int32>]) {
        var ids: [Int] = []
        var types: [Int] = []
        var imgs: [SIMD3<Int32>] = []
        var slots: FrameSlots?
        let pos = try [SIMD3<Double>](unsafeUninitializedCapacity: n) { posBuffer, posCount in
            ids = try [Int](unsafeUninitializedCapacity: n) { idBuffer, idCount in
                types = try [Int](unsafeUninitializedCapacity: n) { typeBuffer, typeCount in
                    imgs = try [SIMD3<Int32>](unsafeUninitializedCapacity: n) { imageBuffer, imageCount in
                        let frame = FrameSlots(AtomSlots.Pointers(
                            capacity: n, extraCapacity: max(1, n * extraCount), positions: posBuffer.baseAddress!,
                            ids: idBuffer.baseAddress!, types: typeBuffer.baseAddress!, images: imageBuffer.baseAddress!,
                            extras: .allocate(capacity: max(1, n * extraCount))), extraCount: extraCount, growable: false)
                        slots = frame
                        try body(frame)
                        imageCount = images ? n : 0
                    }
                    typeCount = n
                }
                idCount = n
            }
            posCount = n
        }
        return (slots!, pos, ids, types, imgs)
    }

    /// Pointers from slot `at` on with room for `n` slots. Array storage is never asked past
    /// its atom count (the readers read at most that many lines); buffers grow.
    func room(at: Int, _ n: Int) -> AtomSlots.Pointers {
        if growable && at + n > pointers.capacity {
            let q = FrameSlots.allocate(max(at + n, 2 * pointers.capacity), extraCount: extraCount)
            q.positions.update(from: pointers.positions, count: at)
            q.ids.update(from: pointers.ids, count: at)
            q.types.update(from: pointers.types, count: at)
            q.images.update(from: pointers.images, count: at)
            q.extras.update(from: pointers.extras, count: at * extraCount)
            pointers.positions.deallocate()
            pointers.ids.deallocate()
            pointers.types.deallocate()
            pointers.images.deallocate()
            pointers.extras.deallocate()
            pointers = q
        }
        return pointers.advanced(by: at, extraCount: extraCount)
    }

    /// Notes the ids of `result`'s lines, written from slot `at` on.
    func note(_ result: AtomSpanParser.Result, at: Int) {
        guard result.lines > 0 else { return }
        if !result.ascending || (at > 0 && result.firstID <= pointers.ids[at - 1]) { idsRise = false }
    }

    /// The first `n` slots as arrays (grown buffers).
    func arrays(_ n: Int, images: Bool) -> ([SIMD3<Double>], [Int], [Int], [SIMD3<Int32>]) {
        (Array(UnsafeBufferPointer(start: pointers.positions, count: n)),
         Array(UnsafeBufferPointer(start: pointers.ids, count: n)),
         Array(UnsafeBufferPointer(start: pointers.types, count: n)),
         images ? Array(UnsafeBufferPointer(start: pointers.images, count: n)) : [])
    }

    /// Extra column e of the first `n` slots.
    func extraColumn(_ e: Int, count n: Int) -> [Double] {
        (0..<n).map { pointers.extras[$0 * extraCount + e] }
    }
}
