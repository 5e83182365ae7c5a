import DescryAtoms
import DescryLinalg

/// Options of the streaming descriptor pipeline.
public struct TrajectoryOptions {
    /// Frames averaged per output row (the paper's X̄_n: positions averaged over n frames).
    public var average = 1
    /// Use every k-th input frame.
    public var every = 1
    /// Also compute V̄ (row of ncols·6, component-major: k·6 + Voigt index).
    public var virial = false
    public var threads = 1
    /// Stop after this many output rows (nil: whole trajectory).
    public var maxRows: Int? = nil
    /// Compute only the blocks b with b % parts == part (the other frames are read, not
    /// averaged): one rank's share of a distributed run, merged by `TrajectoryDescriptors.merged`.
    public var part = 0
    public var parts = 1
    public init(average: Int = 1, every: Int = 1, virial: Bool = false, threads: Int = 1, maxRows: Int? = nil) {
        self.average = average; self.every = every; self.virial = virial; self.threads = threads; self.maxRows = maxRows
    }
}

/// Output of `Bispectrum.trajectory`: one row per averaged block.
public struct TrajectoryDescriptors {
    /// Timestep of the first frame of each block.
    public var timesteps: [Int]
    /// T × ncols: D̄ of each block's time-averaged positions.
    public var D: Matrix
    /// T × (6·ncols), when asked: V̄ flattened component-major (k·6 + v, Voigt xx yy zz yz xz xy).
    public var V: Matrix?
    /// Index of each row's block in the whole trajectory (0, 1, 2, ... for a whole run).
    public var blocks: [Int] = []
    public init(timesteps: [Int], D: Matrix, V: Matrix?, blocks: [Int]) {
        self.timesteps = timesteps
        self.D = D
        self.V = V
        self.blocks = blocks
    }
}

extension Bispectrum {
    /// Streams `source` frame by frame (O(atoms) memory, never all frames): keeps every
    /// `every`-th frame, averages positions over blocks of `average` kept frames (unwrapping
    /// across periodic boundaries, `TimeAverager`), and computes D̄ (and V̄) of each block's
    /// averaged configuration (Swinburne, PRL 131, 236101 (2023), X̄_n and D̄(X̄_n)). A final
    /// incomplete block is dropped.
    public func trajectory(_ source: FrameSource, options: TrajectoryOptions = TrajectoryOptions()) throws -> TrajectoryDescriptors {
        guard options.average >= 1 else { throw EngineError("trajectory: average must be ≥ 1, got \(options.average)") }
        guard options.every >= 1 else { throw EngineError("trajectory: every must be ≥ 1, got \(options.every)") }
        let ncols = componentCount
        var dRows: [Double] = []
        var vRows: [Double] = []
        var steps: [Int] = []
        guard options.parts >= 1, options.part >= 0, options.part < options.parts else {
            throw EngineError("trajectory: part \(options.part) of \(options.parts) does not exist")
        }
        var blocks: [Int] = []
        var avg = TimeAverager()
        var index = 0
        var kept = 0
        while let frame = try source.next() {
            try Interruption.check()
            defer { index += 1 }
            if index % options.every != 0 { continue }
            let block = kept / options.average
            kept += 1
            let blockEnds = kept % options.average == 0
            if block % options.parts == options.part {
                try avg.add(frame)
                if blockEnds, let x = avg.average() {
                    avg.reset()
                    let r = try compute(x, perAtom: false, virial: options.virial, threads: options.threads)
                    steps.append(x.timestep)
                    blocks.append(block)
                    dRows.append(contentsOf: r.sum)
                    if let v = r.virial { vRows.append(contentsOf: v.data) }
                }
            }
            if blockEnds, let m = options.maxRows, block + 1 >= m { break }
        }
        return TrajectoryDescriptors(timesteps: steps, D: Matrix(rows: steps.count, cols: ncols, data: dRows),
                                     V: options.virial ? Matrix(rows: steps.count, cols: ncols * 6, data: vRows) : nil,
                                     blocks: blocks)
    }

    /// Voxelised D̄: the box is divided into a grid of nx × ny × nz cells in fractional
    /// coordinates (atoms wrapped along periodic dimensions, clamped otherwise), and B_i summed
    /// per cell. Returns (nx·ny·nz) × ncols, cell (a, b, c) at row (a·ny + b)·nz + c. The rows
    /// sum to D̄.
    public func voxels(_ frame: Frame, grid: (Int, Int, Int), threads: Int = 1) throws -> Matrix {
        let (nx, ny, nz) = grid
        guard nx > 0, ny > 0, nz > 0, nx <= 4096, ny <= 4096, nz <= 4096, nx * ny * nz <= 1 << 24 else {
            throw EngineError("voxels: grid sizes must be in 1...4096 with at most 2^24 cells")
        }
        let r = try compute(frame, perAtom: true, virial: false, threads: threads)
        guard let pa = r.perAtom else { return Matrix(rows: nx * ny * nz, cols: componentCount) }
        let nc = componentCount
        var out = Matrix(rows: nx * ny * nz, cols: nc)
        let dims = [nx, ny, nz]
        for i in 0..<frame.count {
            let (w, _) = frame.box.wrap(frame.positions[i])
            let s = frame.box.fractional(w)
            var cell = [0, 0, 0]
            for d in 0..<3 {
                let x = (s[d] * Double(dims[d])).rounded(.down)
                guard x.isFinite else { throw EngineError("voxels: atom \(frame.ids[i]) has a non-finite position") }
                cell[d] = Int(min(max(x, 0), Double(dims[d] - 1)))
            }
            let row = (cell[0] * ny + cell[1]) * nz + cell[2]
            for k in 0..<nc { out.data[row * nc + k] += pa.data[i * nc + k] }
        }
        return out
    }
}

extension TrajectoryDescriptors {
    /// The whole-trajectory result from the parts of a distributed run (each made with
    /// `TrajectoryOptions.part`/`parts`): rows put back in block order. Every row was computed
    /// exactly as in a serial run, so the result is the serial one bit for bit. Throws unless
    /// the parts cover blocks 0 ..< n exactly once with the same columns.
    public static func merged(_ parts: [TrajectoryDescriptors]) throws -> TrajectoryDescriptors {
        guard let first = parts.first else { throw EngineError("trajectory: no parts to merge") }
        let n = parts.reduce(0) { $0 + $1.blocks.count }
        var source = [(part: Int, row: Int)?](repeating: nil, count: n)
        for (p, part) in parts.enumerated() {
            guard part.D.cols == first.D.cols, (part.V == nil) == (first.V == nil), part.D.rows == part.blocks.count else {
                throw EngineError("trajectory: part \(p) does not match part 0 (columns or virials)")
            }
            for (row, b) in part.blocks.enumerated() {
                guard b >= 0, b < n, source[b] == nil else { throw EngineError("trajectory: block \(b) is missing or repeated in the parts") }
                source[b] = (p, row)
            }
        }
        let nd = first.D.cols
        let nv = first.V?.cols ?? 0
        var d = [Double]()
        var v = [Double]()
        var steps = [Int]()
        d.reserveCapacity(n * nd)
        v.reserveCapacity(n * nv)
        for b in 0..<n {
            guard let (p, row) = source[b] else { throw EngineError("trajectory: block \(b) is missing from the parts") }
            let part = parts[p]
            steps.append(part.timesteps[row])
            d.append(contentsOf: part.D.data[(row * nd)..<((row + 1) * nd)])
            if let pv = part.V { v.append(contentsOf: pv.data[(row * nv)..<((row + 1) * nv)]) }
        }
        return TrajectoryDescriptors(timesteps: steps, D: Matrix(rows: n, cols: nd, data: d),
                                     V: first.V == nil ? nil : Matrix(rows: n, cols: nv, data: v), blocks: Array(0..<n))
    }
}
