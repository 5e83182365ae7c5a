import Glibc

/// Where the numbers of a dump's atom lines are (0-based columns of `ITEM: ATOMS`). Plain
/// integers rather than arrays, so reading them per line costs no reference counting.
struct AtomLineLayout {
    let columnCount: Int
    /// x, y, z (or xs…, xu…, xsu…) columns.
    let x: Int, y: Int, z: Int
    /// Scaled (fractional) coordinates, converted with `box.cartesian`.
    let scaled: Bool
    /// −1 when absent.
    let idColumn: Int
    /// −1 when absent.
    let typeColumn: Int
    /// ix, iy, iz columns (all −1 when absent).
    let ix: Int, iy: Int, iz: Int
    /// Other numeric columns kept per atom.
    let extraColumns: [Int]

    init(columnCount: Int, coordinates c: [Int], scaled: Bool, idColumn: Int, typeColumn: Int,
         imageColumns: [Int]?, extraColumns: [Int]) {
        self.columnCount = columnCount
        (x, y, z) = (c[0], c[1], c[2])
        self.scaled = scaled
        self.idColumn = idColumn
        self.typeColumn = typeColumn
        (ix, iy, iz) = imageColumns.map { ($0[0], $0[1], $0[2]) } ?? (-1, -1, -1)
        self.extraColumns = extraColumns
    }
}

/// The values of a batch of atom lines, one slot per line.
final class ParsedAtomLines {
    let count: Int
    let positions: UnsafeMutablePointer<SIMD3<Double>>
    let ids: UnsafeMutablePointer<Int>
    let types: UnsafeMutablePointer<Int>
    let images: UnsafeMutablePointer<SIMD3<Int32>>
    /// extras[line · extraCount + e]
    let extras: UnsafeMutablePointer<Double>
    let extraCount: Int

    init(count: Int, extraCount: Int) {
        self.count = count
        self.extraCount = extraCount
        positions = .allocate(capacity: max(count, 1))
        ids = .allocate(capacity: max(count, 1))
        types = .allocate(capacity: max(count, 1))
        images = .allocate(capacity: max(count, 1))
        extras = .allocate(capacity: max(count * extraCount, 1))
    }

    deinit {
        positions.deallocate()
        ids.deallocate()
        types.deallocate()
        images.deallocate()
        extras.deallocate()
    }
}

/// Parses a batch of dump atom lines on several threads (issue 14: ingestion at disk speed).
/// Numbers go through `FastFloat` with strtod/strtol for what it leaves, exactly as
/// `LineReader.double`/`int` read them, so values are bit-identical to the one-line-at-a-time
/// reader; the checks are the same too (column count, finite coordinates, type ≥ 1). The
/// caller re-reads the first failing line with the line reader, which names the error.
enum AtomLineParser {
    /// Lines per chunk handed to a worker.
    static let chunkLines = 4096
    /// The most columns the fast path splits (wider lines go through the line reader).
    static let maxColumns = 64

    /// Parses lines 0..<count (line k: `lengths[k]` bytes at `base + offsets[k]`) into `out`;
    /// returns the index of the first line that fails any check, or nil when all parse. Atom
    /// numbers in ids default to `firstAtom + k + 1` when there is no id column.
    static func parse(base: UnsafeMutablePointer<UInt8>, offsets: [Int], lengths: [Int], count: Int,
                      layout: AtomLineLayout, box: Box, firstAtom: Int, threads: Int,
                      into out: ParsedAtomLines) -> Int? {
        let chunks = (count + chunkLines - 1) / chunkLines
        let failures = UnsafeMutablePointer<Int>.allocate(capacity: max(chunks, 1))
        failures.initialize(repeating: Int.max, count: max(chunks, 1))
        defer { failures.deallocate() }
        offsets.withUnsafeBufferPointer { offs in
            lengths.withUnsafeBufferPointer { lens in
                layout.extraColumns.withUnsafeBufferPointer { extra in
                    ChunkQueue.perform(chunks: chunks, threads: threads) { queue in
                        let fieldStarts = UnsafeMutablePointer<Int>.allocate(capacity: maxColumns + 1)
                        let fieldEnds = UnsafeMutablePointer<Int>.allocate(capacity: maxColumns + 1)
                        defer {
                            fieldStarts.deallocate()
                            fieldEnds.deallocate()
                        }
                        while let c = queue.take() {
                            for k in c * chunkLines..<min(count, (c + 1) * chunkLines) {
                                let ok = parseLine(base + offs[k], lens[k], layout: layout, extra: extra, box: box,
                                                   atom: firstAtom + k, slot: k, out: out,
                                                   fieldStarts: fieldStarts, fieldEnds: fieldEnds)
                                if !ok {
                                    failures[c] = k
                                    break
                                }
                            }
                        }
                    }
                }
            }
        }
        let first = (0..<chunks).map { failures[$0] }.min() ?? Int.max
        return first == Int.max ? nil : first
    }

    /// One line into slot `slot` of `out`; false when the line reader would refuse it.
    @inline(__always)
    static func parseLine(_ p: UnsafeMutablePointer<UInt8>, _ n: Int, layout: AtomLineLayout,
                          extra: UnsafeBufferPointer<Int>, box: Box,
                          atom: Int, slot: Int, out: ParsedAtomLines,
                          fieldStarts: UnsafeMutablePointer<Int>, fieldEnds: UnsafeMutablePointer<Int>) -> Bool {
        var fields = 0
        var i = 0
        while i < n {
            while i < n && (p[i] == 32 || p[i] == 9) { i += 1 }
            if i >= n { break }
            guard fields < layout.columnCount else { return false }
            fieldStarts[fields] = i
            while i < n && p[i] != 32 && p[i] != 9 { i += 1 }
            fieldEnds[fields] = i
            fields += 1
        }
        guard fields == layout.columnCount else { return false }
        guard let x = double(p, fieldStarts[layout.x], fieldEnds[layout.x]),
              let y = double(p, fieldStarts[layout.y], fieldEnds[layout.y]),
              let z = double(p, fieldStarts[layout.z], fieldEnds[layout.z]) else { return false }
        var position = SIMD3(x, y, z)
        if layout.scaled { position = box.cartesian(position) }
        guard position.x.isFinite && position.y.isFinite && position.z.isFinite else { return false }
        out.positions[slot] = position
        if layout.idColumn >= 0 {
            guard let id = int(p, fieldStarts[layout.idColumn], fieldEnds[layout.idColumn]) else { return false }
            out.ids[slot] = id
        } else {
            out.ids[slot] = atom + 1
        }
        if layout.typeColumn >= 0 {
            guard let t = int(p, fieldStarts[layout.typeColumn], fieldEnds[layout.typeColumn]), t >= 1 else { return false }
            out.types[slot] = t
        } else {
            out.types[slot] = 1
        }
        if layout.ix >= 0 {
            guard let ix = int(p, fieldStarts[layout.ix], fieldEnds[layout.ix]),
                  let iy = int(p, fieldStarts[layout.iy], fieldEnds[layout.iy]),
                  let iz = int(p, fieldStarts[layout.iz], fieldEnds[layout.iz]) else { return false }
            out.images[slot] = SIMD3(Int32(truncatingIfNeeded: ix), Int32(truncatingIfNeeded: iy),
                                     Int32(truncatingIfNeeded: iz))
        }
        for e in 0..<extra.count {
            guard let v = double(p, fieldStarts[extra[e]], fieldEnds[extra[e]]) else { return false }
            out.extras[slot * out.extraCount + e] = v
        }
        return true
    }

    /// The number in p[s..<e] as `LineReader.double` reads it (FastFloat, else strtod on the
    /// field NUL-terminated in place; the byte after a field belongs to the same line or is
    /// the buffer's spare byte, so workers on other lines never touch it).
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
