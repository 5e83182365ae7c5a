import DescryLinalg

/// Regression metrics per output column (scikit-learn `r2_score`, `mean_squared_error`
/// (root), `mean_absolute_error` with `multioutput="raw_values"`).
public enum Metrics {
    static func check(_ y: Matrix, _ p: Matrix) throws {
        guard y.rows == p.rows && y.cols == p.cols else {
            throw EngineError("metrics: truth \(y.shapeDescription) and prediction \(p.shapeDescription) differ in shape")
        }
        guard y.rows > 0 else { throw EngineError("metrics: no samples") }
    }

    /// R² = 1 − SS_res/SS_tot per output (1 if both are 0, 0 if only SS_tot is 0, as sklearn).
    public static func r2(_ y: Matrix, _ p: Matrix) throws -> [Double] {
        try check(y, p)
        let m = y.columnMeans()
        return (0..<y.cols).map { j in
            var res = 0.0, tot = 0.0
            for i in 0..<y.rows { let e = y[i, j] - p[i, j], t = y[i, j] - m[j]; res += e * e; tot += t * t }
            if tot == 0 { return res == 0 ? 1 : 0 }
            return 1 - res / tot
        }
    }

    /// Root-mean-square error per output.
    public static func rmse(_ y: Matrix, _ p: Matrix) throws -> [Double] {
        try check(y, p)
        return (0..<y.cols).map { j in
            var s = 0.0
            for i in 0..<y.rows { let e = y[i, j] - p[i, j]; s += e * e }
            return (s / Double(y.rows)).squareRoot()
        }
    }

    /// Mean absolute error per output.
    public static func mae(_ y: Matrix, _ p: Matrix) throws -> [Double] {
        try check(y, p)
        return (0..<y.cols).map { j in
            var s = 0.0
            for i in 0..<y.rows { s += abs(y[i, j] - p[i, j]) }
            return s / Double(y.rows)
        }
    }

    /// Parity data (Fig. 1 of Swinburne 2023): truth and prediction of output j as two arrays
    /// plus R², RMSE, MAE of that output.
    public static func parity(_ y: Matrix, _ p: Matrix, output j: Int = 0)
        throws -> (truth: [Double], predicted: [Double], r2: Double, rmse: Double, mae: Double) {
        try check(y, p)
        guard j >= 0 && j < y.cols else { throw EngineError("parity: output \(j + 1) out of range 1…\(y.cols)") }
        return ((0..<y.rows).map { y[$0, j] }, (0..<y.rows).map { p[$0, j] },
                try r2(y, p)[j], try rmse(y, p)[j], try mae(y, p)[j])
    }
}
