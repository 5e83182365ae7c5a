import DescryLinalg

/// Reduction operators of `descry.mpi` (MPI_SUM, MPI_MIN, MPI_MAX semantics, element by element).
public enum ReductionOperator: String, CaseIterable {
    case sum, min, max
}

/// Reductions taken in rank order (((v₀ ∘ v₁) ∘ v₂) …) on the gathered values, never in the
/// order an MPI library's tree happens to use: a sum of doubles is then the same bits for a
/// given rank count on any machine and MPI. Numbers, lists and matrices reduce element by
/// element (NaN propagates through min and max); integers sum with wrap-around as Lua's `+`;
/// strings concatenate (sum) or compare bytewise (min, max).
public enum RankOrderReduction {
    /// Reduces `values` (one per rank, rank order). Throws when kinds or sizes differ,
    /// naming the first rank that disagrees with rank 0.
    public static func reduce(_ values: [ParallelValue], _ op: ReductionOperator) throws -> ParallelValue {
        guard var acc = values.first else { throw EngineError("nothing to reduce") }
        try checkAgree(values)
        let mixed = values.contains { if case .number = $0 { return true } else { return false } }
        if mixed, case .integer(let i) = acc { acc = .number(Double(i)) }
        for v in values.dropFirst() {
            var next = v
            if mixed, case .integer(let i) = v { next = .number(Double(i)) }
            acc = combine(acc, next, op)
        }
        return acc
    }

    /// Checks that every value has rank 0's kind and size (integers and floats agree).
    public static func checkAgree(_ values: [ParallelValue]) throws {
        guard let first = values.first else { return }
        for (r, v) in values.enumerated().dropFirst() where !sameShape(first, v) {
            throw EngineError("mismatched values across ranks: rank 0 gives \(first.shapeText), rank \(r) gives \(v.shapeText)")
        }
    }

    static func sameShape(_ a: ParallelValue, _ b: ParallelValue) -> Bool {
        switch (a, b) {
        case (.integer, .integer), (.integer, .number), (.number, .integer), (.number, .number): return true
        case (.string, .string): return true
        case (.numbers(let x), .numbers(let y)): return x.count == y.count
        case (.matrix(let x), .matrix(let y)): return x.rows == y.rows && x.cols == y.cols
        default: return false
        }
    }

    static func combine(_ a: ParallelValue, _ b: ParallelValue, _ op: ReductionOperator) -> ParallelValue {
        switch (a, b) {
        case (.integer(let x), .integer(let y)):
            switch op {
            case .sum: return .integer(x &+ y)
            case .min: return .integer(Swift.min(x, y))
            case .max: return .integer(Swift.max(x, y))
            }
        case (.number(let x), .number(let y)):
            return .number(apply(x, y, op))
        case (.string(let x), .string(let y)):
            switch op {
            case .sum: return .string(x + y)
            case .min: return .string(y.lexicographicallyPrecedes(x) ? y : x)
            case .max: return .string(x.lexicographicallyPrecedes(y) ? y : x)
            }
        case (.numbers(let x), .numbers(let y)):
            return .numbers(zip(x, y).map { apply($0, $1, op) })
        case (.matrix(var x), .matrix(let y)):
            for k in 0..<x.data.count { x.data[k] = apply(x.data[k], y.data[k], op) }
            return .matrix(x)
        default:
            return a
        }
    }

    @inline(__always) static func apply(_ x: Double, _ y: Double, _ op: ReductionOperator) -> Double {
        switch op {
        case .sum: return x + y
        case .min: return x.isNaN || y.isNaN ? .nan : Swift.min(x, y)
        case .max: return x.isNaN || y.isNaN ? .nan : Swift.max(x, y)
        }
    }
}
