import Glibc

/// Norm kinds of numpy `linalg.norm`.
public enum NormOrder: Equatable {
    /// Vectors: p-norm (Σ|x|ᵖ)^(1/p); matrices: only p = 1 (max column sum) and p = 2 (largest
    /// singular value).
    case p(Double)
    /// Vectors: max |x|; matrices: max row sum.
    case infinity
    /// Vectors: min |x|; matrices: min row sum (numpy `-inf`).
    case negativeInfinity
    /// Frobenius √Σx² (the default; equals the 2-norm for vectors).
    case frobenius
    /// Nuclear norm Σσᵢ (matrices only).
    case nuclear
}

extension Matrix {
    /// numpy `linalg.norm(x, ord)`: vector norms when one dimension is 1, matrix norms otherwise.
    public func norm(_ ord: NormOrder = .frobenius) throws -> Double {
        let isVector = rows == 1 || cols == 1
        switch ord {
        case .frobenius:
            // scaled to avoid overflow/underflow, as LAPACK dnrm2
            let scale = data.reduce(0) { Swift.max($0, Swift.abs($1)) }
            if scale == 0 || !scale.isFinite { return scale }
            var s = 0.0
            for v in data { let x = v / scale; s += x * x }
            return scale * s.squareRoot()
        case .nuclear:
            return try Linalg.svd(self).s.reduce(0, +)
        case .infinity:
            if isVector { return data.reduce(0) { Swift.max($0, Swift.abs($1)) } }
            return try map { Swift.abs($0) }.sum(axis: .cols).max()
        case .negativeInfinity:
            if isVector { return data.reduce(Double.infinity) { Swift.min($0, Swift.abs($1)) } }
            return try map { Swift.abs($0) }.sum(axis: .cols).min()
        case .p(let p):
            if isVector {
                if p == 2 { return try norm(.frobenius) }
                if p == 1 { return data.reduce(0) { $0 + Swift.abs($1) } }
                if p == 0 { return Double(data.filter { $0 != 0 }.count) }
                let s = data.reduce(0) { $0 + Glibc.pow(Swift.abs($1), p) }
                return Glibc.pow(s, 1 / p)
            }
            if p == 1 { return try map { Swift.abs($0) }.sum(axis: .rows).max() }
            if p == -1 { return try map { Swift.abs($0) }.sum(axis: .rows).min() }
            if p == 2 { return try Linalg.svd(self).s.first ?? 0 }
            if p == -2 { return try Linalg.svd(self).s.last ?? 0 }
            throw EngineError("invalid norm order \(p) for a \(shapeDescription) matrix (use 1, 2, inf, 'fro' or 'nuc')")
        }
    }
}
