import DescryLinalg

/// Averages positions over consecutive frames, unwrapping across periodic boundaries: the
/// time-averaged configuration X̄_n of Swinburne, PRL 131, 236101 (2023). Continuity comes from
/// image flags or unwrapped (xu/xsu) coordinates when the file has them, otherwise from the
/// minimum-image displacement between successive frames (valid while atoms move less than
/// half a box per frame). Memory: O(atoms).
public struct TimeAverager {
    private var sum: [SIMD3<Double>] = []
    private var last: [SIMD3<Double>] = []
    private var first: Frame?
    public private(set) var frameCount = 0

    /// An empty accumulator.
    public init() {}

    /// Adds a frame (same atoms, same order as the first frame of the block).
    public mutating func add(_ frame: Frame) throws {
        let useFlags = frame.images != nil || frame.unwrapped
        let pos = useFlags ? frame.unwrappedPositions() : frame.positions
        guard let f0 = first else {
            first = frame
            sum = pos
            last = pos
            frameCount = 1
            return
        }
        guard frame.count == f0.count else {
            throw EngineError("time average: frame at timestep \(frame.timestep) has \(frame.count) atoms, the first frame of the block has \(f0.count)")
        }
        for i in 0..<pos.count {
            var p = pos[i]
            if !useFlags { p = last[i] + frame.box.minimumImage(pos[i] - last[i]) }
            last[i] = p
            sum[i] += p
        }
        frameCount += 1
    }

    /// The averaged frame (box, types and ids of the first frame; timestep of the last added
    /// frame is not tracked: the first frame's timestep is kept), or nil when empty.
    public func average() -> Frame? {
        guard var f = first, frameCount > 0 else { return nil }
        let inv = 1 / Double(frameCount)
        f.positions = sum.map { $0 * inv }
        f.images = nil
        f.unwrapped = true
        return f
    }

    /// Clears the accumulator for the next block.
    public mutating func reset() {
        sum.removeAll(keepingCapacity: true)
        last.removeAll(keepingCapacity: true)
        first = nil
        frameCount = 0
    }
}
