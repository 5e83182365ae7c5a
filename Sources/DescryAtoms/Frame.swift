import DescryLinalg

/// One atomic configuration (one frame of a trajectory): box, positions (Å), integer types
/// (1-based, as LAMMPS), ids, optional image flags and any further per-atom columns found in
/// the file, and the timestep. Atoms are kept in ascending id order when ids are present.
public struct Frame: Sendable {
    public var timestep: Int
    public var box: Box
    public var positions: [SIMD3<Double>]
    public var types: [Int]
    public var ids: [Int]
    /// Image flags n (true position = position + H n), when the file had ix/iy/iz.
    public var images: [SIMD3<Int32>]?
    /// True when `positions` are unwrapped coordinates (xu/xsu) rather than in-box ones.
    public var unwrapped: Bool
    /// Element names by type (index type−1), when known (extxyz species, dump `element`).
    public var typeNames: [String]
    /// Other per-atom numeric columns, by name, in file order.
    public var columns: [(name: String, values: [Double])]

    /// A frame; types default to 1 and ids to 1...N.
    public init(timestep: Int = 0, box: Box, positions: [SIMD3<Double>], types: [Int]? = nil,
                ids: [Int]? = nil, images: [SIMD3<Int32>]? = nil, unwrapped: Bool = false,
                typeNames: [String] = [], columns: [(name: String, values: [Double])] = []) {
        self.timestep = timestep
        self.box = box
        self.positions = positions
        self.types = types ?? [Int](repeating: 1, count: positions.count)
        self.ids = ids ?? (0..<positions.count).map { $0 + 1 }
        self.images = images
        self.unwrapped = unwrapped
        self.typeNames = typeNames
        self.columns = columns
    }

    public var count: Int { positions.count }
    /// Largest type number present (0 for an empty frame).
    public var typeCount: Int { max(types.max() ?? 0, typeNames.count) }

    /// A named per-atom column, if present.
    public func column(_ name: String) -> [Double]? {
        columns.first { $0.name == name }?.values
    }

    /// Unwrapped positions: position + H·image when image flags are present, else positions
    /// as stored (already unwrapped for xu/xsu dumps).
    public func unwrappedPositions() -> [SIMD3<Double>] {
        guard let img = images, !unwrapped else { return positions }
        var out = positions
        for i in 0..<out.count {
            let n = img[i]
            if n != .zero { out[i] += box.displacement(SIMD3(Double(n.x), Double(n.y), Double(n.z))) }
        }
        return out
    }

    /// The frame with positions wrapped into the box along periodic dimensions and image flags
    /// updated so that unwrapped positions are unchanged.
    public func wrapped() -> Frame {
        var f = self
        let base = unwrappedPositions()
        var imgs = [SIMD3<Int32>](repeating: .zero, count: count)
        for i in 0..<count {
            let (p, n) = box.wrap(base[i])
            f.positions[i] = p
            imgs[i] = n
        }
        f.images = imgs
        f.unwrapped = false
        return f
    }

    /// Positions as an N×3 matrix.
    public func positionMatrix() -> Matrix {
        var m = Matrix(rows: count, cols: 3)
        for i in 0..<count { m[i, 0] = positions[i].x; m[i, 1] = positions[i].y; m[i, 2] = positions[i].z }
        return m
    }

    /// Sorts atoms by id (all per-atom arrays permuted together); a no-op when already sorted.
    public mutating func sortByID() {
        var sorted = true
        for i in 1..<max(1, ids.count) where ids[i] < ids[i - 1] { sorted = false; break }
        if sorted { return }
        let order = ids.indices.sorted { ids[$0] < ids[$1] }
        positions = order.map { positions[$0] }
        types = order.map { types[$0] }
        ids = order.map { ids[$0] }
        if let img = images { images = order.map { img[$0] } }
        columns = columns.map { c in (c.name, order.map { c.values[$0] }) }
    }
}

/// A source of frames read one at a time (streamed), e.g. a dump or extxyz reader.
public protocol FrameSource: AnyObject {
    /// The next frame, or nil at the end of the trajectory.
    func next() throws -> Frame?
    /// Description for messages (file name).
    var name: String { get }
}

/// An in-memory list of frames as a `FrameSource`.
public final class FrameList: FrameSource {
    public let frames: [Frame]
    private var index = 0
    public let name: String
    /// Streams the given frames in order.
    public init(_ frames: [Frame], name: String = "frames") { self.frames = frames; self.name = name }
    public func next() throws -> Frame? {
        guard index < frames.count else { return nil }
        defer { index += 1 }
        return frames[index]
    }
}

/// Several files read in order as one trajectory: each is opened (by `open`) only when the
/// previous one is exhausted.
public final class ChainedSource: FrameSource {
    private let paths: [String]
    private let open: (String) throws -> FrameSource
    private var index = 0
    private var current: FrameSource?
    public var name: String { paths.count == 1 ? paths[0] : "\(paths[0]) (+\(paths.count - 1) files)" }

    /// Chains `paths` (globs expanded, in order), opening each with `open`.
    public init(paths: [String], open: @escaping (String) throws -> FrameSource) throws {
        let expanded = paths.flatMap { expandPaths($0) }
        guard !expanded.isEmpty else { throw EngineError("\(paths.joined(separator: ", ")): no such file") }
        self.paths = expanded
        self.open = open
    }

    public func next() throws -> Frame? {
        while index < paths.count {
            if current == nil { current = try open(paths[index]) }
            if let f = try current?.next() { return f }
            current = nil
            index += 1
        }
        return nil
    }
}
