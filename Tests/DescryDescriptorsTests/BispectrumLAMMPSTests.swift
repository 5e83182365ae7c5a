import DescryAtoms
import DescryDescriptors
import DescryLinalg
import XCTest
import DescryTestSupport

/// descry vs LAMMPS `compute sna/atom` / `snav/atom` on every fixture and configuration written
/// by scripts/gen_desc_fixtures.py: per-atom B, D̄ = Σ B_i, and V̄ (per central-atom type),
/// to 1e-10 relative or 1e-12 absolute.
final class BispectrumLAMMPSTests: XCTestCase {
    func parameters(_ s: [String: Any], _ c: [String: Any]) -> BispectrumParameters { fixtureParameters(s, c) }
}

/// The BispectrumParameters of a manifest structure `s` and configuration `c`.
func fixtureParameters(_ s: [String: Any], _ c: [String: Any]) -> BispectrumParameters {
    // LAMMPS "chem nel map_1 .. map_ntypes"
    let chem = (c["chem"] as? String).map { Array($0.split(separator: " ").compactMap { Int($0) }.dropFirst()) }
    return BispectrumParameters(twojmax: c["twojmax"] as! Int, rcutfac: s["rcutfac"] as! Double,
                             rfac0: s["rfac0"] as! Double, rmin0: (c["rmin0"] as! NSNumber).doubleValue,
                             radelem: (s["radelem"] as! [NSNumber]).map { $0.doubleValue },
                             wj: (s["wj"] as! [NSNumber]).map { $0.doubleValue },
                             switchflag: c["switchflag"] as! Int == 1, bzeroflag: c["bzeroflag"] as! Int == 1,
                             quadraticflag: c["quadraticflag"] as! Int == 1,
                             wselfallflag: (c["wselfallflag"] as? Int ?? 0) == 1,
                             bnormflag: (c["bnormflag"] as? Int ?? 0) == 1, chem: chem)
}

extension BispectrumLAMMPSTests {

    func check(structure name: String, threads: Int = 1) throws {
        let m = try fixtures.json("desc/manifest.json")
        let s = m[name] as! [String: Any]
        let frame = try XCTUnwrap(DumpReader(path: fixtures.path("desc/\(name)/structure.lammpstrj")).next())
        XCTAssertEqual(frame.count, s["natoms"] as! Int)
        let configs = s["configs"] as! [String: Any]
        XCTAssertGreaterThanOrEqual(configs.count, 5)
        for (cname, cAny) in configs.sorted(by: { $0.key < $1.key }) {
            let c = cAny as! [String: Any]
            let bs = try Bispectrum(parameters(s, c))
            let res = try bs.compute(frame, perAtom: true, virial: true, threads: threads)
            let B = try fixtures.npy("desc/\(name)/\(cname)_B.npy")
            XCTAssertEqual(B.shape, [frame.count, bs.componentCount], "\(name)/\(cname) shape")
            assertClose(res.perAtom!.data, B.data, rtol: 1e-10, atol: 1e-12, "\(name)/\(cname) per-atom B")
            var dbar = [Double](repeating: 0, count: bs.componentCount)
            for i in 0..<frame.count { for k in 0..<bs.componentCount { dbar[k] += B.data[i * bs.componentCount + k] } }
            assertClose(res.sum, dbar, rtol: 1e-10, atol: 1e-12, "\(name)/\(cname) D̄")
            let V = try fixtures.npy("desc/\(name)/\(cname)_V.npy")   // ntypes × 6 × ncols
            let nt = V.shape[0], nc = V.shape[2]
            XCTAssertEqual(nc, bs.componentCount)
            var total = [Double](repeating: 0, count: nc * 6)
            for t in 0..<nt {
                var ref = [Double](repeating: 0, count: nc * 6)   // ncols × 6
                for v in 0..<6 { for k in 0..<nc {
                    ref[k * 6 + v] = V.data[(t * 6 + v) * nc + k]; total[k * 6 + v] += V.data[(t * 6 + v) * nc + k]
                } }
                // V̄ sums cancel strongly: absolute floor scaled to the magnitude of the block
                let scale = ref.map { abs($0) }.max() ?? 1
                if t < (res.virialByType?.count ?? 0) {
                    assertClose(res.virialByType![t].data, ref, rtol: 1e-10, atol: 1e-12 * max(1, scale), "\(name)/\(cname) V̄ type \(t + 1)")
                }
            }
            let scale = total.map { abs($0) }.max() ?? 1
            assertClose(res.virial!.data, total, rtol: 1e-10, atol: 1e-12 * max(1, scale), "\(name)/\(cname) V̄")
        }
    }

    func testFCCNoise() throws { try check(structure: "fcc_noise") }
    func testCluster() throws { try check(structure: "cluster") }
    func testTriclinicTwoElements() throws { try check(structure: "triclinic2") }
    func testVacancyInterstitial() throws { try check(structure: "vacancy_interstitial") }
    func testBoxSmallerThanTwiceCutoff() throws { try check(structure: "small_box") }
    func testIsolatedAtom() throws { try check(structure: "isolated") }
    func testThreadsGiveIdenticalResults() throws {
        try check(structure: "fcc_noise", threads: 2)
        let f = try XCTUnwrap(DumpReader(path: fixtures.path("desc/fcc_noise/structure.lammpstrj")).next())
        let bs = try Bispectrum(BispectrumParameters(twojmax: 6, rcutfac: 4.7))
        let a = try bs.compute(f, virial: true, threads: 1)
        let b = try bs.compute(f, virial: true, threads: 3)
        XCTAssertEqual(a.sum, b.sum)
        XCTAssertEqual(a.virial!.data, b.virial!.data)
    }
}

/// descry's per-atom gradients vs LAMMPS `compute snad/atom` (j5_rmin on every structure, and the
/// quadratic configurations of small_box).
final class GradientLAMMPSTests: XCTestCase {
    func testGradientsMatchSnadAtom() throws {
        let m = try fixtures.json("desc/manifest.json")
        var checked = 0
        for (name, sAny) in m where name != "traj" {
            let s = sAny as! [String: Any]
            let configs = s["configs"] as! [String: Any]
            let frame = try XCTUnwrap(DumpReader(path: fixtures.path("desc/\(name)/structure.lammpstrj")).next())
            for (cname, cAny) in configs {
                let path = fixtures.path("desc/\(name)/\(cname)_dB.npy")
                guard FileManager.default.fileExists(atPath: path) else { continue }
                let c = cAny as! [String: Any]
                let bs = try Bispectrum(fixtureParameters(s, c))
                let ref = try fixtures.npy("desc/\(name)/\(cname)_dB.npy")
                for th in [1, 2] {
                    let g = try bs.gradients(frame, threads: th)
                    XCTAssertEqual([g.rows, g.cols], ref.shape, "\(name)/\(cname)")
                    let scale = ref.data.map { abs($0) }.max() ?? 1
                    assertClose(g.data, ref.data, rtol: 1e-10, atol: 1e-12 * max(1, scale), "\(name)/\(cname) snad/atom threads \(th)")
                }
                checked += 1
            }
        }
        XCTAssertGreaterThanOrEqual(checked, 8)
    }
}
