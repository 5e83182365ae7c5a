import DescryLinalg

// Input validation shared by the estimators: every failure reachable from user input becomes an
// EngineError naming the offending argument (and row, for non-finite data).

/// Throws when any element of `m` is NaN or ±∞, naming the first offending row.
func requireFiniteRows(_ m: Matrix, _ what: String) throws {
    let c = m.cols
    try m.data.withUnsafeBufferPointer { p in
        for i in 0..<(m.rows * c) where !p[i].isFinite {
            throw EngineError("\(what): row \(i / c + 1) contains NaN or Inf (column \(i % c + 1))")
        }
    }
}

/// Throws when `values` contains NaN or ±∞.
func requireFinite(_ values: [Double], _ what: String) throws {
    for (i, v) in values.enumerated() where !v.isFinite {
        throw EngineError("\(what): element \(i + 1) is NaN or Inf")
    }
}

/// Throws unless `x` and `y` have the same number of rows (samples).
func requireSameRows(_ x: Matrix, _ y: Matrix, _ xs: String = "X", _ ys: String = "Y") throws {
    guard x.rows == y.rows else {
        throw EngineError("\(xs) has \(x.rows) rows but \(ys) has \(y.rows): one row per sample is required")
    }
}

/// Throws unless there is at least one sample and one feature.
func requireNonEmpty(_ x: Matrix, _ what: String) throws {
    guard x.rows > 0 && x.cols > 0 else { throw EngineError("\(what) is empty (\(x.shapeDescription))") }
}
