import DescryLinalg
import DescryTestSupport

/// The JSON fixtures of scripts/gen_stats_fixtures.py (Fixtures/NAME.json).
let fixtures = FixtureDirectory(bundle: .module)

/// Column j of a matrix.
func column(_ m: Matrix, _ j: Int) -> [Double] { (0..<m.rows).map { m[$0, j] } }
