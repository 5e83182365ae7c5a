import DescryLinalg
import DescryStats
import LuaBridge
import LuaLinalgBridge

// Argument helpers shared by the descry.regress / stats / var / idim bindings (no numerics;
// lists of matrices and matrix fields are read by LuaLinalgBridge).

extension LuaCall {
    /// The "seed" option (an integer, any sign) or `def`.
    func seedOption(_ i: Int32, default def: UInt64 = 0) throws -> UInt64 {
        guard let s = try optionInteger(i, "seed") else { return def }
        return UInt64(bitPattern: Int64(s))
    }

    /// A covariance estimator name: "empirical", "lw" (Ledoit–Wolf), "oas" (scikit-learn
    /// formula, default) or "oas_chen" (Chen et al. 2010 eq. 23).
    func covarianceMethod(_ name: String?, arg i: Int32) throws -> CovarianceMethod {
        switch name ?? "oas" {
        case "empirical": return .empirical
        case "lw", "ledoit_wolf": return .ledoitWolf
        case "oas", "oas_sklearn": return .oas(.sklearn)
        case "oas_chen", "chen": return .oas(.chen2010)
        default: throw argumentError(i, "unknown covariance method '\(name!)'; known: empirical, lw, oas, oas_chen")
        }
    }

    /// A Double that must be an integer (as Lua would accept for an index), else nil.
    func exactInt(_ v: Double) -> Int? {
        guard v.isFinite, v == v.rounded(), abs(v) < 1e15 else { return nil }
        return Int(v)
    }
}
