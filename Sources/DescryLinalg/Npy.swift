/// numpy `.npy` files (format spec: numpy/lib/format.py, "NEP 1 — A simple file format for
/// NumPy arrays"): magic `\x93NUMPY`, version (1.0 / 2.0 / 3.0), little-endian header length
/// (u16 for v1, u32 for v2/v3), a Python-literal dict header `{'descr': '<f8', 'fortran_order':
/// False, 'shape': (r, c), }` padded with spaces to a multiple of 64 bytes and ended by '\n', then
/// the raw data. Read: dtypes `<f8 <f4 <i8 <i4 |b1` (others, including big-endian, give a clear
/// error), C or Fortran order, 0-, 1- and 2-D (1-D of length
/// n loads as an n×1 column, 0-D as 1×1). Written: `<f8`, C order, version 1.0, 2-D (or 1-D).
public enum Npy {
    /// Result of decoding: the matrix, the number of dimensions in the file and its shape.
    public struct Loaded {
        public let matrix: Matrix
        public let ndim: Int
        public let dtype: String
        /// The array's shape as stored (for a flattened N-D array, the original shape).
        public var shape: [Int] = []
    }

    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]   // \x93NUMPY

    /// Decodes an in-memory `.npy` file. With `flatten`, an array of 3 or more dimensions
    /// (d₁, …, d_k) loads as a (d₁·…·d_{k−1}) × d_k matrix in C order (numpy
    /// `a.reshape(-1, a.shape[-1])`), e.g. (M, T, D) descriptor trajectories as M·T rows.
    public static func decode(_ b: [UInt8], flatten: Bool = false) throws -> Loaded {
        guard b.count >= 10, Array(b[0..<6]) == magic else {
            throw EngineError("not a .npy file (missing \\x93NUMPY magic)")
        }
        let major = Int(b[6])
        let headerStart: Int, headerLen: Int
        switch major {
        case 1:
            headerStart = 10
            headerLen = Int(b[8]) | Int(b[9]) << 8
        case 2, 3:
            guard b.count >= 12 else { throw EngineError("truncated .npy file (header length missing)") }
            headerStart = 12
            headerLen = Int(b[8]) | Int(b[9]) << 8 | Int(b[10]) << 16 | Int(b[11]) << 24
        default:
            throw EngineError("unsupported .npy format version \(major).\(b[7]) (supported: 1.0, 2.0, 3.0)")
        }
        guard headerStart + headerLen <= b.count else {
            throw EngineError("truncated .npy file (header of \(headerLen) bytes, file has \(b.count - headerStart))")
        }
        let header = String(decoding: b[headerStart..<(headerStart + headerLen)], as: UTF8.self)
        let (descr, fortran, shape) = try parseHeader(header)
        guard shape.count <= 2 || flatten else {
            throw EngineError("unsupported .npy array with \(shape.count) dimensions \(shapeText(shape)) (only 0-, 1- and 2-D; flatten = true loads it as rows × last dimension)")
        }
        if shape.count > 2 && fortran {
            throw EngineError("unsupported Fortran-order .npy array with \(shape.count) dimensions \(shapeText(shape))")
        }
        var rows = shape.count >= 1 ? shape[0] : 1
        let cols = shape.count >= 2 ? shape[shape.count - 1] : 1
        if shape.count > 2 {
            for d in shape[1..<(shape.count - 1)] {
                let (r, o) = rows.multipliedReportingOverflow(by: d)
                guard !o else { throw EngineError("unsupported .npy shape \(shapeText(shape)) (too many elements)") }
                rows = r
            }
        }
        let (n, overflow) = rows.multipliedReportingOverflow(by: cols)
        guard !overflow, n <= Int.max / 8 else {
            throw EngineError("unsupported .npy shape \(shapeText(shape)) (too many elements)")
        }
        do { try Matrix.checkAllocation(rows, cols) } catch let e as EngineError {
            throw EngineError(".npy shape \(shapeText(shape)): \(e.message)")
        }
        let width: Int
        switch descr {
        case "<f8", "<i8": width = 8
        case "<f4", "<i4": width = 4
        case "|b1": width = 1
        default:
            throw EngineError("unsupported .npy dtype '\(descr)' (supported: <f8, <f4, <i8, <i4, |b1)")
        }
        let start = headerStart + headerLen
        guard b.count - start >= n * width else {
            throw EngineError("truncated .npy file: shape \(shapeText(shape)) of \(descr) needs \(n * width) data bytes, found \(b.count - start)")
        }
        var data = [Double](repeating: 0, count: n)
        b.withUnsafeBytes { raw in
            let p = raw.baseAddress! + start
            data.withUnsafeMutableBufferPointer { d in
                switch descr {
                case "<f8": for k in 0..<n { d[k] = Double(bitPattern: UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 8 * k, as: UInt64.self))) }
                case "<i8": for k in 0..<n { d[k] = Double(Int64(littleEndian: p.loadUnaligned(fromByteOffset: 8 * k, as: Int64.self))) }
                case "<f4": for k in 0..<n { d[k] = Double(Float(bitPattern: UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 4 * k, as: UInt32.self)))) }
                case "<i4": for k in 0..<n { d[k] = Double(Int32(littleEndian: p.loadUnaligned(fromByteOffset: 4 * k, as: Int32.self))) }
                default: for k in 0..<n { d[k] = p.load(fromByteOffset: k, as: UInt8.self) != 0 ? 1 : 0 }
                }
            }
        }
        var m = Matrix(rows: rows, cols: cols, data: data)
        if fortran && shape.count == 2 {
            // Fortran order: the buffer is the C-order buffer of the transpose.
            m = Matrix(rows: cols, cols: rows, data: data).transposed()
        }
        return Loaded(matrix: m, ndim: shape.count, dtype: descr, shape: shape)
    }

    /// Encodes `m` as a version-1.0 `<f8` C-order `.npy` file; `vector: true` writes a 1-D array
    /// (numpy shape `(n,)`) of the matrix's elements in row-major order.
    public static func encode(_ m: Matrix, vector: Bool = false) -> [UInt8] {
        let shape = vector ? "(\(m.count),)" : "(\(m.rows), \(m.cols))"
        var header = "{'descr': '<f8', 'fortran_order': False, 'shape': \(shape), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var out = magic + [1, 0]
        let hl = header.utf8.count
        out += [UInt8(hl & 0xff), UInt8(hl >> 8)]
        out += Array(header.utf8)
        out.reserveCapacity(out.count + 8 * m.count)
        for v in m.data {
            let bits = v.bitPattern.littleEndian
            withUnsafeBytes(of: bits) { out.append(contentsOf: $0) }
        }
        return out
    }

    /// Reads a `.npy` file (`flatten`: see `decode`).
    public static func load(_ path: String, flatten: Bool = false) throws -> Loaded {
        do { return try decode(try FileIO.read(path), flatten: flatten) } catch let e as EngineError {
            if e.message.hasPrefix("cannot ") { throw e }
            throw EngineError("'\(path)': \(e.message)")
        }
    }

    /// Writes a `.npy` file (see `encode`).
    public static func save(_ path: String, _ m: Matrix, vector: Bool = false) throws {
        try FileIO.write(path, encode(m, vector: vector))
    }

    static func shapeText(_ s: [Int]) -> String {
        s.count == 1 ? "(\(s[0]),)" : "(" + s.map(String.init).joined(separator: ", ") + ")"
    }

    /// Parses the Python dict literal of the header: 'descr', 'fortran_order', 'shape'.
    static func parseHeader(_ h: String) throws -> (String, Bool, [Int]) {
        let bad = EngineError("malformed .npy header: \(h.trimmingSpaces)")
        func valueAfter(_ key: String) -> Substring? {
            guard let end = h.endIndexOf("'\(key)'") ?? h.endIndexOf("\"\(key)\"") else { return nil }
            var rest = h[end...].drop { $0 == " " }
            guard rest.first == ":" else { return nil }
            rest = rest.dropFirst().drop { $0 == " " }
            return rest
        }
        guard let d = valueAfter("descr"), let q = d.first, q == "'" || q == "\"" else { throw bad }
        let dBody = d.dropFirst()
        guard let dEnd = dBody.firstIndex(of: q) else { throw bad }
        let descr = String(dBody[..<dEnd])
        guard let f = valueAfter("fortran_order") else { throw bad }
        let fortran: Bool
        if f.hasPrefix("True") { fortran = true } else if f.hasPrefix("False") { fortran = false } else { throw bad }
        guard let s = valueAfter("shape"), s.first == "(", let close = s.firstIndex(of: ")") else { throw bad }
        var shape: [Int] = []
        for part in s[s.index(after: s.startIndex)..<close].split(separator: ",") {
            let t = part.filter { $0 != " " && $0 != "L" }
            if t.isEmpty { continue }
            guard let v = Int(t), v >= 0 else { throw bad }
            shape.append(v)
        }
        return (descr, fortran, shape)
    }
}

extension String {
    /// The index just past the first occurrence of `needle` (a tiny Foundation-free `range(of:)`).
    func endIndexOf(_ needle: String) -> String.Index? {
        let n = Array(needle)
        guard !n.isEmpty else { return startIndex }
        var i = startIndex
        while i < endIndex {
            var j = i, k = 0
            while k < n.count, j < endIndex, self[j] == n[k] { j = index(after: j); k += 1 }
            if k == n.count { return j }
            i = index(after: i)
        }
        return nil
    }

    var trimmingSpaces: String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\n" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\n" { s = s.dropLast() }
        return String(s)
    }
}
