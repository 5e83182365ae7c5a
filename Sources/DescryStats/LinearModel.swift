import DescryLinalg

/// A fitted linear estimator Ô(D̄) = Θ·D̄ + Θ⁰ (eq. 2 of Swinburne, PRL 131, 236101, 2023), for
/// q outputs at once: `coef` is p × q (column j holds Θ for output j), `intercept` has q entries.
public struct LinearModel {
    public var coef: Matrix
    public var intercept: [Double]

    public init(coef: Matrix, intercept: [Double]) {
        self.coef = coef
        self.intercept = intercept
    }

    public var nFeatures: Int { coef.rows }
    public var nOutputs: Int { coef.cols }

    /// Predictions X·Θ + Θ⁰ (n × q).
    public func predict(_ x: Matrix) throws -> Matrix {
        guard x.cols == coef.rows else {
            throw EngineError("predict: X has \(x.cols) columns but the model has \(coef.rows) features")
        }
        try requireFiniteRows(x, "X")
        var y = Blas.mul(x, coef)
        let q = coef.cols
        y.data.withUnsafeMutableBufferPointer { p in
            for i in 0..<x.rows { for j in 0..<q { p[i * q + j] += intercept[j] } }
        }
        return y
    }

    /// Re-expresses a model fitted on standardised features z = (x − m)/s in original units:
    /// Θ_x = Θ_z / s, Θ⁰_x = Θ⁰_z − Σ m Θ_z / s.
    func unstandardized(_ st: Standardizer) -> LinearModel {
        var c = coef
        var b = intercept
        for i in 0..<c.rows {
            for j in 0..<c.cols {
                c[i, j] /= st.scale[i]
                b[j] -= st.mean[i] * c[i, j]
            }
        }
        return LinearModel(coef: c, intercept: b)
    }
}

/// Centred copies of X and Y and their column means (zeros when no intercept is fitted), the
/// preprocessing of scikit-learn's linear models (`_preprocess_data`).
struct CentredData {
    let x: Matrix, y: Matrix
    let xMean: [Double], yMean: [Double]

    init(_ x: Matrix, _ y: Matrix, fitIntercept: Bool) throws {
        try requireNonEmpty(x, "X")
        try requireSameRows(x, y)
        try requireFiniteRows(x, "X")
        try requireFiniteRows(y, "Y")
        guard y.cols > 0 else { throw EngineError("Y has no columns") }
        if fitIntercept {
            xMean = x.columnMeans(); yMean = y.columnMeans()
            self.x = x.subtractingRow(xMean); self.y = y.subtractingRow(yMean)
        } else {
            xMean = [Double](repeating: 0, count: x.cols); yMean = [Double](repeating: 0, count: y.cols)
            self.x = x; self.y = y
        }
    }

    /// Intercept Θ⁰ = ȳ − x̄·Θ for coefficients fitted on the centred data.
    func model(_ coef: Matrix) -> LinearModel {
        var b = yMean
        for j in 0..<coef.cols { for i in 0..<coef.rows { b[j] -= xMean[i] * coef[i, j] } }
        return LinearModel(coef: coef, intercept: b)
    }
}
