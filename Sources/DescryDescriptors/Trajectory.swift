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
        var avg = TimeAverager()
        var index = 0
        while let frame = try source.next() {
            try Interruption.check()
            defer { index += 1 }
            if index % options.every != 0 { continue }
            try avg.add(frame)
            if avg.frameCount < options.average { continue }
            guard let x = avg.average() else { continue }
            avg.reset()
            let r = try compute(x, perAtom: false, virial: options.virial, threads: options.threads)
            steps.append(x.timestep)
            dRows.append(contentsOf: r.sum)
            if let v = r.virial { vRows.append(contentsOf: v.data) }
            if let m = options.maxRows, steps.count >= m { break }
        }
        return TrajectoryDescriptors(timesteps: steps, D: Matrix(rows: steps.count, cols: ncols, data: dRows),
                                     V: options.virial ? Matrix(rows: steps.count, cols: ncols * 6, data: vRows) : nil)
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
