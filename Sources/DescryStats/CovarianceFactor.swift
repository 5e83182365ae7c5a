import DescryLinalg

/// A factor L with L Lᵀ = S for drawing correlated normal noise from a covariance S
/// (x = μ + L ξ). Cholesky when S is positive definite; otherwise, for a positive
/// *semi*-definite S (a residual covariance estimated from fewer samples than dimensions, as in
/// small bagging subsets of the paper's VAR), the symmetric square root V √Λ from S = V Λ Vᵀ
/// with eigenvalues below zero from rounding clipped to 0. An S with clearly negative
/// eigenvalues (below −1e-8 of the largest) is not a covariance and is an error.
public func covarianceFactor(_ s: Matrix, _ what: String) throws -> Matrix {
    guard s.rows == s.cols else { throw EngineError("\(what): covariance must be square, got \(s.shapeDescription)") }
    try requireFiniteRows(s, what)
    if let l = try? Linalg.cholesky(s) { return l }
    let (values, vectors) = try Linalg.eigh(s)
    let largest = values.map { Swift.abs($0) }.max() ?? 0
    if let smallest = values.first, smallest < -1e-8 * Swift.max(largest, Double.leastNormalMagnitude) {
        throw EngineError("\(what): covariance is not positive semi-definite (eigenvalue \(smallest), largest \(largest))")
    }
    let n = s.rows
    var l = vectors
    for j in 0..<n {
        let root = values[j] > 0 ? values[j].squareRoot() : 0
        for i in 0..<n { l[i, j] *= root }
    }
    return l
}
