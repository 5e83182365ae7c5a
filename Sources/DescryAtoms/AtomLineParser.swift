import Glibc

/// What the span parser does with each column of an atom line, decided once per frame from the
/// column names (`ITEM: ATOMS …` of a dump, `Properties=` of extxyz).
struct AtomColumnPlan {
    /// The role of one column.
    enum Role: Equatable {
        /// Counted, not read (a column the reader does not keep, or an extxyz string).
        case skip
        /// Coordinate 0, 1 or 2.
        case coordinate(Int)
        case id
        /// Integer type ≥ 1.
        case type
        /// A name numbered by first appearance (dump `element`, extxyz `species`).
        case name
        /// Image flag 0, 1 or 2.
        case image(Int)
        /// Numeric column kept as extra column e.
        case extra(Int)
    }

    let roles: [Role]
    /// Scaled (fractional) coordinates, converted with `box.cartesian`.
    let scaled: Bool
    let extraCount: Int
    let hasID: Bool
    let hasImages: Bool

    init(roles: [Role], scaled: Bool) {
        self.roles = roles
        self.scaled = scaled
        extraCount = roles.reduce(0) { if case .extra = $1 { return $0 + 1 } else { return $0 } }
        hasID = roles.contains(.id)
        hasImages = roles.contains(.image(0))
    }

    /// The role as one byte for the hot loop: 0 skip, 1–3 coordinates, 4 id, 5 type, 6 name,
    /// 7–9 image flags, 16 + e extra column e.
    var codes: [UInt32] {
        roles.map { role in
            switch role {
            case .skip: return 0
            case .coordinate(let k): return UInt32(1 + k)
            case .id: return 4
            case .type: return 5
            case .name: return 6
            case .image(let k): return UInt32(7 + k)
            case .extra(let e): return UInt32(16 + e)
            }
        }
    }
}

/// Parses the atom lines of a frame straight out of the read buffer on several threads
/// (issue 14: ingestion at disk speed). The span of complete lines is cut into chunks at line
/// boundaries and their lines counted (16 bytes at a time), so every line's slot is known before
/// parsing: workers write values straight to their final place (the frame's arrays, when the
/// reader gives them). Each worker scans its lines with `FieldScanner` (numbers read where they
/// lie, columns the reader does not keep skipped), with `FastFloat.parse`/`strtod` and
/// `parseInt`/`strtol` on any field the scanners leave, exactly as `LineReader.double`/`int` read
/// it, so values are bit-identical to the one-line-at-a-time reader and to any thread count. The
/// checks are the same too (column count, finite coordinates, type ≥ 1); a line that fails any
/// of them, or carries a name not seen before, ends the span: the caller re-reads it with the
/// line reader, which names the error or numbers the new name.
final class AtomSpanParser {
    /// Bytes per chunk handed to a worker.
    static let chunkBytes = 1 << 16

    private let plan: AtomColumnPlan
    private let codes: [UInt32]
    private let box: Box
    private let threads: Int

    /// The parser's own slots, for `parse` without a destination.
    var slots: AtomSlots.Pointers { storage.pointers }
    private let storage: AtomSlots

    /// What a worker found in one chunk: its byte range, its first line's number in the span,
    /// how many of its lines to parse, how many it accepted, where the last accepted line ended,
    /// whether it stopped at a refused line, and whether its ids rose.
    struct Chunk {
        var start = 0
        var end = 0
        var firstLine = 0
        var limit = 0
        var lines = 0
        var stop = 0
        var refused = false
        var firstID = 0
        var lastID = 0
        var ascending = true
    }

    private var chunks: [Chunk] = []
    /// Names known so far (bytes), numbered 1, 2, … in order.
    private var names: [[UInt8]] = []

    /// `storage` holds the values when `parse` is given no destination (kept by the reader
    /// from frame to frame, so its pages are not returned and faulted in again per frame).
    init(plan: AtomColumnPlan, box: Box, threads: Int, storage: AtomSlots) {
        self.storage = storage
        self.plan = plan
        codes = plan.codes
        self.box = box
        self.threads = max(1, threads)
    }

    /// How many names are known.
    var namesKnown: Int { names.count }

    /// Adds a name the line reader numbered (it is name number `names.count + 1`).
    func learn(name: [UInt8]) { names.append(name) }

    /// One result of `parse`: the first `lines` lines (`bytes` bytes) were accepted, in slots
    /// 0..<lines; `refused` when the line after them was refused (not merely beyond
    /// `maxLines` or the span).
    struct Result {
        var lines = 0
        var bytes = 0
        var refused = false
        /// The ids of the accepted lines rise strictly, and the first and last of them.
        var ascending = true
        var firstID = 0
        var lastID = 0
    }

    /// Parses up to `maxLines` lines of the span `base[0..<count]` (complete lines: it ends
    /// with a newline; 8 readable bytes follow it). Line k goes to slot k of
    /// `destination(n)` — pointers with room for n ≥ the lines to parse (on one thread a bound,
    /// see `cutChunks`) — or, without one, of the parser's own `slots`. Ids default to
    /// `firstAtom` + k + 1 without an id column.
    func parse(base: UnsafeMutablePointer<UInt8>, count: Int, maxLines: Int, firstAtom: Int,
               destination: ((Int) -> AtomSlots.Pointers)? = nil) -> Result {
        let lines = cutChunks(base, count, maxLines: maxLines)
        let out: AtomSlots.Pointers
        if let room = destination {
            out = room(lines)
        } else {
            storage.reserve(lines: lines, extraCount: plan.extraCount)
            out = storage.pointers
        }
        let tables = FastFloat.tables
        let chunkCount = chunks.count
        codes.withUnsafeBufferPointer { code in
            withNames { known in
                chunks.withUnsafeMutableBufferPointer { found in
                    ChunkQueue.perform(chunks: chunkCount, threads: threads) { queue in
                        while let c = queue.take() {
                            parseChunk(&found[c], base: base, firstAtom: firstAtom, code: code, known: known,
                                       out: out, tables: tables)
                        }
                    }
                }
            }
        }
        return gather()
    }

    /// The known names as (pointer, length) pairs for the workers.
    private func withNames<T>(_ body: (UnsafeBufferPointer<(UnsafePointer<UInt8>, Int)>) -> T) -> T {
        var list: [(UnsafePointer<UInt8>, Int)] = []
        var storage: [UnsafeMutablePointer<UInt8>] = []
        for n in names {
            let p = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, n.count))
            p.initialize(from: n, count: n.count)
            storage.append(p)
            list.append((UnsafePointer(p), n.count))
        }
        defer { storage.forEach { $0.deallocate() } }
        return list.withUnsafeBufferPointer(body)
    }

    /// Chunk boundaries every `chunkBytes`, moved to just after the next newline, and each
    /// chunk's lines counted, until `maxLines` lines: returns how many slots the lines may take.
    /// One thread parses the span as one chunk in order, so nothing needs counting: it stops at
    /// `maxLines` or the span's end, and the slots asked for are at most `maxLines` and the
    /// lines the span can hold (an accepted line has every column: two bytes or more each).
    private func cutChunks(_ base: UnsafeMutablePointer<UInt8>, _ count: Int, maxLines: Int) -> Int {
        chunks.removeAll(keepingCapacity: true)
        if threads == 1 {
            let room = min(maxLines, count / (2 * max(1, codes.count)) + 1)
            chunks.append(Chunk(start: 0, end: count, firstLine: 0, limit: room))
            return room
        }
        var at = 0
        var lines = 0
        while at < count && lines < maxLines {
            var stop = count
            let probe = at + AtomSpanParser.chunkBytes
            if probe < count, let nl = memchr(base + probe - 1, 10, count - probe + 1) {
                stop = nl.assumingMemoryBound(to: UInt8.self) - base + 1
            }
            let n = min(Self.countNewlines(base + at, stop - at), maxLines - lines)
            chunks.append(Chunk(start: at, end: stop, firstLine: lines, limit: n))
            lines += n
            at = stop
        }
        return lines
    }

    /// The newlines in p[0..<n], 16 bytes at a time.
    static func countNewlines(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
        var total = 0
        var i = 0
        let newline = SIMD16<UInt8>(repeating: 10)
        let one = SIMD16<UInt8>(repeating: 1)
        while n - i >= 16 {
            // at most 255 steps per byte counter
            var counts = SIMD16<UInt8>()
            var k = 0
            while k < 255 && n - i >= 16 {
                let v = UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<UInt8>.self)
                counts &+= one & unsafeBitCast(v .== newline, to: SIMD16<UInt8>.self)
                i += 16
                k += 1
            }
            for lane in 0..<16 { total += Int(counts[lane]) }
        }
        while i < n {
            if p[i] == 10 { total += 1 }
            i += 1
        }
        return total
    }

    /// Parses a chunk's lines (up to its limit) until a refused line.
    private func parseChunk(_ chunk: inout Chunk, base: UnsafeMutablePointer<UInt8>, firstAtom: Int,
                            code: UnsafeBufferPointer<UInt32>, known: UnsafeBufferPointer<(UnsafePointer<UInt8>, Int)>,
                            out: AtomSlots.Pointers, tables: FastFloat.Tables) {
        var at = chunk.start
        var lines = 0
        var ascending = true
        var previousID = Int.min
        var firstID = 0
        while lines < chunk.limit && at < chunk.end {
            let slot = chunk.firstLine + lines
            guard let n = parseLine(base + at, slot: slot, atom: firstAtom + slot, code: code, known: known,
                                    out: out, tables: tables) else {
                chunk.refused = true
                break
            }
            let id = out.ids[slot]
            if lines == 0 { firstID = id }
            if id <= previousID { ascending = false }
            previousID = id
            at += n
            lines += 1
        }
        chunk.lines = lines
        chunk.stop = at
        chunk.firstID = firstID
        chunk.lastID = previousID
        chunk.ascending = ascending
    }

    /// Joins the chunks in order up to the first refused line.
    private func gather() -> Result {
        var r = Result()
        for chunk in chunks {
            if chunk.lines > 0 {
                if r.lines == 0 {
                    r.firstID = chunk.firstID
                } else if chunk.firstID <= r.lastID {
                    r.ascending = false
                }
                r.ascending = r.ascending && chunk.ascending
                r.lastID = chunk.lastID
            }
            r.lines += chunk.lines
            r.bytes = chunk.stop
            if chunk.refused {
                r.refused = true
                break
            }
        }
        return r
    }

    /// One line (starting at `p`, ending with a newline) into `slot`: the bytes it takes with
    /// its newline, or nil when the line reader must read it.
    @inline(__always)
    private func parseLine(_ p: UnsafeMutablePointer<UInt8>, slot: Int, atom: Int, code: UnsafeBufferPointer<UInt32>,
                           known: UnsafeBufferPointer<(UnsafePointer<UInt8>, Int)>, out: AtomSlots.Pointers,
                           tables: FastFloat.Tables) -> Int? {
        var i = 0
        // scalars, not SIMD lanes: a store to a lane picked at run time followed by a load
        // of the whole vector stalls store forwarding (measured: 40 % of the line's time)
        var x = 0.0, y = 0.0, z = 0.0
        var id = atom + 1
        var type = 1
        var ix: Int32 = 0, iy: Int32 = 0, iz: Int32 = 0
        let extraBase = slot &* plan.extraCount
        for column in 0..<code.count {
            i = Self.skipBlanks(p, i)
            if FieldScanner.isLineEnd(p, i) { return nil }
            let role = code[column]
            switch role {
            case 0:
                i = FieldScanner.fieldEnd(p, i)
            case 4, 5, 7, 8, 9:
                guard let v = FieldScanner.int(p, &i) ?? Self.slowField(p, &i, Self.int) else { return nil }
                switch role {
                case 4: id = v
                case 5:
                    guard v >= 1 else { return nil }
                    type = v
                case 7: ix = Int32(truncatingIfNeeded: v)
                case 8: iy = Int32(truncatingIfNeeded: v)
                default: iz = Int32(truncatingIfNeeded: v)
                }
            case 6:
                let e = FieldScanner.fieldEnd(p, i)
                guard let t = Self.lookUp(p + i, e - i, known) else { return nil }
                type = t
                i = e
            default:
                var v = FieldScanner.double(p, &i, tables)
                if v.isNaN {
                    guard let slow = Self.slowField(p, &i, Self.double) else { return nil }
                    v = slow
                }
                switch role {
                case 1: x = v
                case 2: y = v
                case 3: z = v
                default: out.extras[extraBase + Int(role) - 16] = v
                }
            }
        }
        i = Self.skipBlanks(p, i)
        if p[i] == 13 { i += 1 }
        guard p[i] == 10 else { return nil }
        var position = SIMD3(x, y, z)
        if plan.scaled { position = box.cartesian(position) }
        guard position.x.isFinite && position.y.isFinite && position.z.isFinite else { return nil }
        out.positions[slot] = position
        out.ids[slot] = id
        out.types[slot] = type
        if plan.hasImages { out.images[slot] = SIMD3(ix, iy, iz) }
        return i + 1
    }

    /// The offset of the first byte at or after p[i] that is not a space or tab. Every byte that
    /// starts a field is above the space, so one comparison decides the common case (a switch
    /// over the blank bytes compiled to an indirect jump per field).
    @inline(__always)
    private static func skipBlanks(_ p: UnsafePointer<UInt8>, _ i: Int) -> Int {
        var i = i
        while true {
            let c = p[i]
            if c > 32 || (c != 32 && c != 9) { return i }
            i &+= 1
        }
    }

    /// The field at p[i...] as `LineReader.double` (or `.int`) reads it, moving `i` to its end
    /// (out of line: the rare fields the scanner leaves).
    @inline(never)
    private static func slowField<Value>(_ p: UnsafeMutablePointer<UInt8>, _ i: inout Int,
                                         _ read: (UnsafeMutablePointer<UInt8>, Int, Int) -> Value?) -> Value? {
        let e = FieldScanner.fieldEnd(p, i)
        guard let v = read(p, i, e) else { return nil }
        i = e
        return v
    }

    /// The number (1-based) of the known name equal to p[0..<n], or nil.
    @inline(__always)
    private static func lookUp(_ p: UnsafePointer<UInt8>, _ n: Int,
                               _ known: UnsafeBufferPointer<(UnsafePointer<UInt8>, Int)>) -> Int? {
        for k in 0..<known.count where known[k].1 == n && memcmp(known[k].0, p, n) == 0 { return k + 1 }
        return nil
    }

    /// The number in p[s..<e] as `LineReader.double` reads it (FastFloat, else strtod on the
    /// field NUL-terminated in place; the byte after a field belongs to the same line, so
    /// workers on other lines never touch it).
    @inline(__always)
    static func double(_ p: UnsafeMutablePointer<UInt8>, _ s: Int, _ e: Int) -> Double? {
        if let v = FastFloat.parse(p + s, count: e - s) { return v }
        return withTerminatedField(p, s, e) { field in
            var endp: UnsafeMutablePointer<CChar>? = nil
            let v = strtod(field, &endp)
            return endp == field + (e - s) && e > s ? v : nil
        }
    }

    /// The integer in p[s..<e] as `LineReader.int` reads it (FastFloat.parseInt, else strtol).
    @inline(__always)
    static func int(_ p: UnsafeMutablePointer<UInt8>, _ s: Int, _ e: Int) -> Int? {
        if let v = FastFloat.parseInt(p + s, count: e - s) { return v }
        return withTerminatedField(p, s, e) { field in
            var endp: UnsafeMutablePointer<CChar>? = nil
            let v = strtol(field, &endp, 10)
            return endp == field + (e - s) && e > s ? v : nil
        }
    }

    /// `body` on the field p[s..<e] NUL-terminated in place for a C parser; the byte after the
    /// field is restored afterwards.
    @inline(__always)
    static func withTerminatedField<T>(_ p: UnsafeMutablePointer<UInt8>, _ s: Int, _ e: Int,
                                       _ body: (UnsafeMutablePointer<CChar>) -> T) -> T {
        let saved = p[e]
        p[e] = 0
        defer { p[e] = saved }
        return UnsafeMutableRawPointer(p + s).withMemoryRebound(to: CChar.self, capacity: e - s + 1, body)
    }
}

/// Memory for the values of parsed atom lines, one slot per line, grown only (so memory follows
/// the largest span, about one read block of lines).
final class AtomSlots {
    /// The slot arrays as plain pointers, shared by the workers (each writes only its slots).
    /// `images` is written only when the plan has image flags, `extras` only when it has extra
    /// columns.
    struct Pointers {
        var capacity = 0
        var extraCapacity = 0
        var positions: UnsafeMutablePointer<SIMD3<Double>> = .allocate(capacity: 1)
        var ids: UnsafeMutablePointer<Int> = .allocate(capacity: 1)
        var types: UnsafeMutablePointer<Int> = .allocate(capacity: 1)
        var images: UnsafeMutablePointer<SIMD3<Int32>> = .allocate(capacity: 1)
        /// extras[slot · extraCount + e]
        var extras: UnsafeMutablePointer<Double> = .allocate(capacity: 1)
    }

    private(set) var pointers = Pointers()

    deinit { release() }

    private func release() {
        pointers.positions.deallocate()
        pointers.ids.deallocate()
        pointers.types.deallocate()
        pointers.images.deallocate()
        pointers.extras.deallocate()
    }

    /// Room for `lines` slots of `extraCount` extra values each.
    func reserve(lines: Int, extraCount: Int) {
        guard lines > pointers.capacity || lines * extraCount > pointers.extraCapacity else { return }
        let n = max(lines, pointers.capacity)
        let ne = max(1, n * extraCount, pointers.extraCapacity)
        release()
        pointers = Pointers(capacity: n, extraCapacity: ne, positions: .allocate(capacity: n),
                            ids: .allocate(capacity: n), types: .allocate(capacity: n),
                            images: .allocate(capacity: n), extras: .allocate(capacity: ne))
    }
}

extension AtomSlots.Pointers {
    /// The pointers moved `k` slots on (extras by k rows of `extraCount`).
    func advanced(by k: Int, extraCount: Int) -> AtomSlots.Pointers {
        AtomSlots.Pointers(capacity: capacity - k, extraCapacity: extraCapacity - k * extraCount,
                           positions: positions + k, ids: ids + k, types: types + k, images: images + k,
                           extras: extras + k * extraCount)
    }
}
