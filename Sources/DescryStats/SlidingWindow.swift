import DescryLinalg

extension IntrinsicDimension {
    /// Intrinsic dimension over sliding time windows of an ensemble (Swinburne, PRL 131, 236101,
    /// 2023, Fig. 3j): for each window [t, t + width) (moved by `step`), the states of every
    /// trajectory inside it are pooled into one point cloud and `estimator` is applied. Returns
    /// the first step of each window and the estimates. Trajectories may differ in length; a
    /// window uses whatever steps each trajectory has in it.
    public static func slidingWindow(_ trajectories: [Matrix], width: Int, step: Int = 1,
                                     estimator: (Matrix) throws -> Double) throws -> (starts: [Int], values: [Double]) {
        guard width >= 1 && step >= 1 else { throw EngineError("sliding window: width and step must be ≥ 1") }
        guard let f = trajectories.first else { throw EngineError("sliding window: no trajectories") }
        let d = f.cols
        for (i, t) in trajectories.enumerated() where t.cols != d {
            throw EngineError("sliding window: trajectory \(i + 1) has \(t.cols) columns, trajectory 1 has \(d)")
        }
        let longest = trajectories.map { $0.rows }.max() ?? 0
        var starts: [Int] = [], values: [Double] = []
        var t0 = 0
        while t0 + width <= longest {
            var pts: [Double] = []
            var n = 0
            for t in trajectories {
                let hi = min(t.rows, t0 + width)
                if hi > t0 { pts.append(contentsOf: t.data[(t0 * d)..<(hi * d)]); n += hi - t0 }
            }
            do {
                values.append(try estimator(Matrix(rows: n, cols: d, data: pts)))
            } catch {
                throw EngineError("sliding window starting at step \(t0 + 1): \(error)")
            }
            starts.append(t0)
            t0 += step
        }
        return (starts, values)
    }
}
