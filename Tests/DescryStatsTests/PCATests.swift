import XCTest
import DescryLinalg
@testable import DescryStats
import DescryTestSupport

/// PCA against scikit-learn (fixtures/pca.json), up to the sign of each component.
final class PCATests: XCTestCase {
    func testPCAMatchesSklearnUpToSign() throws {
        let fx = try fixtures.json("pca.json")
        let x = mat(fx["X"])
        let k = fx["n_components"] as! Int
        for solver in [PCA.Solver.full, .covarianceEigh] {
        let p = try PCA(fitting: x, nComponents: k, solver: solver)
        assertRelativeClose(p.mean, vec(fx["mean"]), rtol: 1e-8, "mean")
        assertRelativeClose(p.explainedVariance, vec(fx["explained_variance"]), rtol: 1e-8, "explained variance")
        assertRelativeClose(p.explainedVarianceRatio, vec(fx["explained_variance_ratio"]), rtol: 1e-8, "ratio")
        assertRelativeClose(p.singularValues, vec(fx["singular_values"]), rtol: 1e-8, "singular values")
        assertRelativeClose([p.noiseVariance], [num(fx["noise_variance"])], rtol: 1e-8, "noise variance")
        let want = mat(fx["components"])
        let tw = mat(fx["transformed"])
        let t = try p.transform(x.gatherRows([0, 1, 2, 3, 4]))
        for i in 0..<k {
            let s: Double = (p.components[i, 0] * want[i, 0]) < 0 ? -1 : 1
            assertRelativeClose((0..<x.cols).map { s * p.components[i, $0] }, (0..<x.cols).map { want[i, $0] }, rtol: 1e-8, "component \(i)")
            assertRelativeClose((0..<5).map { s * t[$0, i] }, (0..<5).map { tw[$0, i] }, rtol: 1e-8, "scores \(i)")
            // Deterministic sign: largest-magnitude entry positive.
            let row = (0..<x.cols).map { p.components[i, $0] }
            XCTAssertGreaterThan(row.max(by: { abs($0) < abs($1) })!, 0)
        }
        }
        // inverse(transform(x)) reproduces x in the full-rank case
        let full = try PCA(fitting: x)
        assertRelativeClose(try full.inverseTransform(try full.transform(x)), x, rtol: 1e-9, "round trip")
    }
}
