import DescryLinalg
import DescryTestSupport

/// The numpy-written fixtures of scripts/gen_la_fixtures.py (Fixtures/la/NAME.npy, .csv, .txt).
let fixtures = FixtureDirectory(bundle: .module, subdirectory: "Fixtures/la")

/// Flips the sign of each column of `a` to match `ref` (eigen/singular vectors are defined up to sign).
func alignColumnSigns(_ a: Matrix, to ref: Matrix) -> Matrix {
    var out = a
    for j in 0..<a.cols {
        var dot = 0.0
        for i in 0..<a.rows { dot += a[i, j] * ref[i, j] }
        if dot < 0 { for i in 0..<a.rows { out[i, j] = -a[i, j] } }
    }
    return out
}
