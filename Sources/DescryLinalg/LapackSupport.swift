import CBLAS

// Internal helpers shared by the BLAS/LAPACK wrappers.
//
// Storage convention (documented for every wrapper): `Matrix` is row-major, LAPACK is
// column-major. A row-major buffer of an `m × n` matrix A *is* the column-major buffer of Aᵀ
// (`n × m`, leading dimension n). The wrappers exploit this to avoid copies: they call the
// LAPACKE column-major entry points (which do no transposition internally) on Aᵀ and rewrite
// the problem accordingly (e.g. SVD of Aᵀ = U'SV'ᵀ gives A = V'SU'ᵀ). Where LAPACK has no
// transposed variant (dgelsd, right-hand sides of dgetrs/dposv) the operand is transposed
// explicitly (an O(mn) copy, negligible next to the O(mn²) factorisation).

/// LAPACKE's `lapack_int` (a macro, not imported): 32-bit on Debian's liblapacke (LP64).
typealias lapack_int = Int32

let colMajor = Int32(LAPACK_COL_MAJOR)

@inline(__always) func lapackChar(_ c: Unicode.Scalar) -> CChar { CChar(UInt8(ascii: c)) }

/// Converts a dimension to LAPACK's 32-bit integer, or throws for absurd sizes.
@inline(__always) func lapackInt(_ x: Int, _ what: String = "dimension") throws -> lapack_int {
    guard x >= 0 && x <= Int(Int32.max) else {
        throw EngineError("\(what) \(x) is too large for LAPACK (32-bit indices)")
    }
    return lapack_int(x)
}

func requireSquare(_ a: Matrix, _ what: String = "matrix") throws {
    guard a.rows == a.cols else {
        throw EngineError("\(what) must be square, got \(a.shapeDescription)")
    }
}

func requireFinite(_ a: Matrix, _ what: String = "matrix") throws {
    guard a.isFinite else { throw EngineError("\(what) contains NaN or infinite values") }
}

/// Maps a negative LAPACK `info` (illegal argument; LAPACKE also reports NaN input this way).
func lapackArgumentError(_ routine: String, _ info: lapack_int) -> EngineError {
    EngineError("\(routine): illegal value in argument \(-info) (internal error or NaN input)")
}
