import Glibc
import DescryLinalg

/// Per-column standardisation z = (x − mean) / scale, as scikit-learn `StandardScaler`
/// (population standard deviation, ddof = 0; constant columns get scale 1).
public struct Standardizer {
    public var mean: [Double]
    public var scale: [Double]

    /// Fits mean and scale to the columns of X.
    public init(fitting x: Matrix) throws {
        try requireNonEmpty(x, "X")
        try requireFiniteRows(x, "X")
        let m = x.columnMeans()
        mean = m
        var v = [Double](repeating: 0, count: x.cols)
        let c = x.cols
        x.data.withUnsafeBufferPointer { p in
            for i in 0..<x.rows { for j in 0..<c { let d = p[i * c + j] - m[j]; v[j] += d * d } }
        }
        scale = v.map { let s = ($0 / Double(x.rows)).squareRoot(); return s > 0 ? s : 1 }
    }

    public init(mean: [Double], scale: [Double]) { self.mean = mean; self.scale = scale }

    /// (X − mean) / scale.
    public func transform(_ x: Matrix) throws -> Matrix {
        guard x.cols == mean.count else { throw EngineError("standardize: X has \(x.cols) columns, fitted on \(mean.count)") }
        var out = x
        let c = x.cols
        out.data.withUnsafeMutableBufferPointer { p in
            for i in 0..<x.rows { for j in 0..<c { p[i * c + j] = (p[i * c + j] - mean[j]) / scale[j] } }
        }
        return out
    }

    /// Z · scale + mean.
    public func inverseTransform(_ z: Matrix) throws -> Matrix {
        guard z.cols == mean.count else { throw EngineError("standardize: Z has \(z.cols) columns, fitted on \(mean.count)") }
        var out = z
        let c = z.cols
        out.data.withUnsafeMutableBufferPointer { p in
            for i in 0..<z.rows { for j in 0..<c { p[i * c + j] = p[i * c + j] * scale[j] + mean[j] } }
        }
        return out
    }
}
