import DescryLinalg

/// Data splitting and k-fold cross-validation for the estimators of eq. 2.
public enum CrossValidation {
    /// Random train/test split of n samples (test size = round(testFraction·n), at least 1 each).
    /// Largest sample count the index helpers accept (index arrays must fit in memory).
    public static let maxIndexCount = 1 << 31

    public static func trainTestSplit(_ n: Int, testFraction: Double = 0.25, seed: UInt64 = 0) throws -> (train: [Int], test: [Int]) {
        guard testFraction > 0 && testFraction < 1 else { throw EngineError("split: test fraction must be in (0, 1), got \(testFraction)") }
        guard n >= 2 && n <= maxIndexCount else { throw EngineError("split: number of samples must be in 2...\(maxIndexCount), got \(n)") }
        let nt = Int((testFraction * Double(n)).rounded())
        guard nt >= 1 && nt < n else { throw EngineError("split: \(n) samples cannot be split with test fraction \(testFraction)") }
        var rng = StatsRNG(seed: seed)
        let perm = rng.permutation(n)
        return (Array(perm[nt...]).sorted(), Array(perm[..<nt]).sorted())
    }

    /// k folds of 0..<n (scikit-learn `KFold`: the first n mod k folds get one extra sample);
    /// shuffled with `seed` unless nil. Each fold is (train, test).
    public static func kFold(_ n: Int, k: Int, seed: UInt64? = nil) throws -> [(train: [Int], test: [Int])] {
        guard k >= 2 && k <= n else { throw EngineError("k-fold: need 2 ≤ k ≤ n (n = \(n)), got k = \(k)") }
        guard n <= maxIndexCount else { throw EngineError("k-fold: number of samples must be ≤ \(maxIndexCount), got \(n)") }
        var order = Array(0..<n)
        if let s = seed { var rng = StatsRNG(seed: s); order = rng.permutation(n) }
        var folds: [(train: [Int], test: [Int])] = []
        var start = 0
        for f in 0..<k {
            let size = n / k + (f < n % k ? 1 : 0)
            let test = Array(order[start..<(start + size)])
            let train = Array(order[..<start]) + Array(order[(start + size)...])
            folds.append((train.sorted(), test.sorted()))
            start += size
        }
        return folds
    }

    /// Per-fold R², RMSE, MAE (averaged over outputs) of `fit` trained on each fold's
    /// complement and evaluated on the fold.
    public static func crossValidate(_ x: Matrix, _ y: Matrix, k: Int = 5, seed: UInt64? = 0,
                                     fit: (Matrix, Matrix) throws -> LinearModel) throws -> [(r2: Double, rmse: Double, mae: Double)] {
        try requireSameRows(x, y)
        return try kFold(x.rows, k: k, seed: seed).map { fold in
            let m = try fit(x.gatherRows(fold.train), y.gatherRows(fold.train))
            let yt = y.gatherRows(fold.test)
            let p = try m.predict(x.gatherRows(fold.test))
            func avg(_ v: [Double]) -> Double { v.reduce(0, +) / Double(v.count) }
            return (avg(try Metrics.r2(yt, p)), avg(try Metrics.rmse(yt, p)), avg(try Metrics.mae(yt, p)))
        }
    }
}
