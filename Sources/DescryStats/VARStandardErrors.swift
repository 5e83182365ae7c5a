import CBLAS
import DescryLinalg

/// Divisor of the VAR residual covariance S = RᵀR/divisor (R the nobs × D residuals).
/// `unbiased`: nobs − k with k = 1 + P·D parameters per equation (statsmodels `sigma_u`,
/// Lütkepohl 2005 eq. 3.2.19; unbiased for the least-squares fit of a Gaussian VAR);
/// `mle`: nobs (maximum likelihood, statsmodels `sigma_u_mle`).
public enum VARNoiseDivisor: String, Sendable {
    case unbiased, mle

    /// The divisor for `nobs` lag pairs and `k` parameters per equation; throws when ≤ 0.
    public func value(nobs: Int, parameters k: Int) throws -> Double {
        switch self {
        case .mle:
            guard nobs > 0 else { throw EngineError("VAR noise covariance: no lag pairs") }
            return Double(nobs)
        case .unbiased:
            guard nobs > k else {
                throw EngineError("VAR noise covariance: \(nobs) lag pairs for \(k) parameters per equation leave no degrees of freedom for the unbiased divisor nobs − k; use the 'mle' divisor")
            }
            return Double(nobs - k)
        }
    }
}

/// Standard errors of the least-squares VAR coefficients as statsmodels `VARResults.stderr`
/// (Lütkepohl 2005 §3.2.2): Cov(vec B) = (ZᵀZ)⁻¹ ⊗ S_u with Z = [1, lags] and S_u the
/// unbiased residual covariance, so SE(B_ij) = √([(ZᵀZ)⁻¹]_ii · [S_u]_jj). (ZᵀZ)⁻¹ = R⁻¹R⁻ᵀ
/// from the Householder QR of Z (LAPACK `dgeqrf` + `dtrtri`): Z is never squared.
enum VARStandardErrors {
    /// Standard errors as values, or as the ingredients to compute them (see `VARModel`).
    enum Source {
        case values(lag: Matrix, intercept: [Double])
        /// R of [1, Z] = QR (k × k column-major upper triangle) and diag(S_u).
        case factor(r: [Double], parameters: Int, variances: [Double])

        /// SE(B_ij) = √([(ZᵀZ)⁻¹]_ii · [S_u]_jj) from diag((ZᵀZ)⁻¹) (row 0: the intercept).
        static func fromInverseGram(_ g: [Double], variances: [Double]) -> Source {
            let d = variances.count
            var lag = Matrix(rows: g.count - 1, cols: d)
            for i in 1..<g.count {
                for j in 0..<d { lag[i - 1, j] = (g[i] * variances[j]).squareRoot() }
            }
            return .values(lag: lag, intercept: (0..<d).map { (g[0] * variances[$0]).squareRoot() })
        }

        /// The standard errors; throws when R is (nearly) singular.
        func values(dimension d: Int) throws -> (lag: Matrix, intercept: [Double]) {
            switch self {
            case let .values(lag, intercept):
                return (lag, intercept)
            case let .factor(r, k, variances):
                let g = try VARStandardErrors.inverseGramDiagonal(upperTriangular: r, cols: k)
                return try Source.fromInverseGram(g, variances: variances).values(dimension: d)
            }
        }
    }

    /// diag((ZᵀZ)⁻¹) for Z given column-major (n × k); throws when Z is rank-deficient.
    static func inverseGramDiagonal(columnMajor z: [Double], rows n: Int, cols k: Int) throws -> [Double] {
        guard n >= k && k > 0 else { throw EngineError("VAR standard errors: \(n) lag pairs for \(k) parameters") }
        var a = z
        var tau = [Double](repeating: 0, count: k)
        let info = a.withUnsafeMutableBufferPointer { p in
            LAPACKE_dgeqrf(Int32(LAPACK_COL_MAJOR), Int32(n), Int32(k), p.baseAddress, Int32(n), &tau)
        }
        guard info == 0 else { throw EngineError("VAR standard errors: QR (dgeqrf) failed (info \(info))") }
        var r = [Double](repeating: 0, count: k * k)          // column-major upper triangle
        for j in 0..<k {
            for i in 0...j { r[j * k + i] = a[j * n + i] }
        }
        return try inverseGramDiagonal(upperTriangular: r, cols: k)
    }

    /// diag((ZᵀZ)⁻¹) = squared row norms of R⁻¹ from the triangular factor R of Z = QR (k × k,
    /// column-major upper triangle); throws when R is (nearly) singular.
    static func inverseGramDiagonal(upperTriangular triangle: [Double], cols k: Int) throws -> [Double] {
        var r = triangle
        var hi = 0.0, lo = Double.infinity
        for j in 0..<k {
            hi = max(hi, abs(r[j * k + j]))
            lo = min(lo, abs(r[j * k + j]))
        }
        guard lo > 1e-12 * hi else {
            throw EngineError("VAR standard errors: the lag design is (nearly) rank-deficient; coefficient standard errors are undefined")
        }
        let inv = r.withUnsafeMutableBufferPointer { p in
            LAPACKE_dtrtri(Int32(LAPACK_COL_MAJOR), CChar(UInt8(ascii: "U")), CChar(UInt8(ascii: "N")), Int32(k), p.baseAddress, Int32(k))
        }
        guard inv == 0 else { throw EngineError("VAR standard errors: triangular inverse failed (info \(inv))") }
        // (ZᵀZ)⁻¹ = R⁻¹R⁻ᵀ: diagonal entry i is the squared norm of row i of R⁻¹.
        var d = [Double](repeating: 0, count: k)
        for j in 0..<k { for i in 0...j { d[i] += r[j * k + i] * r[j * k + i] } }
        return d
    }
}
