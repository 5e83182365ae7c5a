import DescryAtoms
import DescryLinalg
import XCTest
import DescryTestSupport

/// Neighbour lists vs LAMMPS compute coord/atom, g(r) vs LAMMPS compute rdf, voxels.
final class NeighborTests: XCTestCase {
    let structures = ["fcc_noise", "cluster", "triclinic2", "vacancy_interstitial", "small_box", "isolated"]

    func frame(_ s: String) throws -> Frame {
        try XCTUnwrap(DumpReader(path: fixtures.path("desc/\(s)/structure.lammpstrj")).next())
    }

    func testCoordinationMatchesLAMMPS() throws {
        for s in structures {
            let f = try frame(s)
            let ref = try fixtures.npy("desc/\(s)/coord4.2.npy").data
            for th in [1, 2] {
                let nl = try NeighborList(frame: f, cutoff: 4.2, threads: th)
                XCTAssertEqual(nl.coordination().map(Double.init), ref, "\(s) threads \(th)")
            }
            // a longer list filtered down gives the same counts
            let nl = try NeighborList(frame: f, cutoff: 6.3)
            XCTAssertEqual(nl.coordination(within: 4.2).map(Double.init), ref, s)
        }
    }

    /// small_box (4.05 × 4.05 × 8.1 Å) with a 9 Å cutoff: many images, including the atom's own.
    func testSelfImagesAndSymmetry() throws {
        let f = try frame("small_box")
        let nl = try NeighborList(frame: f, cutoff: 9)
        var selfImages = 0
        for i in 0..<f.count {
            for k in nl.offsets[i]..<nl.offsets[i + 1] where Int(nl.indices[k]) == i { selfImages += 1 }
        }
        XCTAssertGreaterThan(selfImages, 0)
        // pair symmetry: the multiset of |r| seen from i to j equals that from j to i
        var fw: [String: Int] = [:]
        for i in 0..<f.count { for k in nl.offsets[i]..<nl.offsets[i + 1] {
            let j = Int(nl.indices[k]); let key = "\(min(i, j))-\(max(i, j))-\(Int((norm3(nl.vectors[k]) * 1e6).rounded()))"
            fw[key, default: 0] += 1
        } }
        for (k, v) in fw where !k.hasPrefix("\(k.split(separator: "-")[1])-") { XCTAssertEqual(v % 2, 0, k) }
        // brute-force count over explicit images
        var brute = 0
        for i in 0..<f.count { for j in 0..<f.count { for a in -4...4 { for b in -4...4 { for c in -3...3 {
            let d = f.positions[j] + f.box.displacement(SIMD3(Double(a), Double(b), Double(c))) - f.positions[i]
            let r2 = (d * d).sum()
            if r2 < 81 && r2 > 1e-20 { brute += 1 }
        } } } } }
        XCTAssertEqual(nl.indices.count, brute)
    }

    func testRDFMatchesLAMMPS() throws {
        for s in ["fcc_noise", "cluster", "triclinic2"] {
            let f = try frame(s)
            let ref = try fixtures.npy("desc/\(s)/rdf.npy")   // 50 × 3: r, g, coord
            let rc = s == "triclinic2" ? 5.1 : 5.2
            let g = try RadialDistribution(frame: f, rmax: rc, bins: 50)
            for b in 0..<50 {
                XCTAssertEqual(g.r[b], ref.data[b * 3], accuracy: 1e-12, "\(s) r")
                XCTAssertEqual(g.g[b], ref.data[b * 3 + 1], accuracy: 1e-9 * max(1, ref.data[b * 3 + 1]), "\(s) g bin \(b)")
                XCTAssertEqual(g.coordination[b], ref.data[b * 3 + 2], accuracy: 1e-9 * max(1, ref.data[b * 3 + 2]), "\(s) coord bin \(b)")
            }
        }
    }

    /// g(r) of every frame of the trajectory vs LAMMPS compute rdf run in situ and written by
    /// fix ave/time in mode vector (which also exercises the vector-mode reader).
    func testRDFPerFrameMatchesInSituLAMMPS() throws {
        let at = try AveTimeFile(path: fixtures.path("desc/traj/rdf_vector.txt"))
        XCTAssertEqual(at.names, ["TimeStep", "Row", "c_rdf[1]", "c_rdf[2]", "c_rdf[3]"])
        XCTAssertEqual([at.data.rows, at.data.cols], [140, 5])
        let src = try DumpReader(path: fixtures.path("desc/traj/traj.lammpstrj.gz"))
        var t = 0
        while let f = try src.next() {
            let g = try RadialDistribution(frame: f, rmax: 5.0, bins: 20)
            for b in 0..<20 {
                let row = t * 20 + b
                XCTAssertEqual(at.data[row, 0], Double(f.timestep))
                XCTAssertEqual(g.r[b], at.data[row, 2], accuracy: 1e-12)
                XCTAssertEqual(g.g[b], at.data[row, 3], accuracy: 1e-10 * max(1, at.data[row, 3]), "frame \(t) bin \(b)")
                XCTAssertEqual(g.coordination[b], at.data[row, 4], accuracy: 1e-10 * max(1, at.data[row, 4]))
            }
            t += 1
        }
        XCTAssertEqual(t, 7)
    }

    func testBoxAndErrors() throws {
        let b = Box(lo: SIMD3(1, 2, 3), lengths: SIMD3(10, 8, 6), xy: 2, xz: -1, yz: 0.5)
        let x = SIMD3(3.3, 4.1, 7.9)
        XCTAssertLessThan(norm3(b.cartesian(b.fractional(x)) - x), 1e-14)
        let (w, n) = b.wrap(SIMD3(25, -3, 4))
        XCTAssertLessThan(norm3(w + b.displacement(SIMD3(Double(n.x), Double(n.y), Double(n.z))) - SIMD3(25, -3, 4)), 1e-12)
        let s = b.fractional(w)
        for d in 0..<3 { XCTAssert(s[d] >= 0 && s[d] < 1) }
        XCTAssertThrowsError(try NeighborList(frame: Frame(box: b, positions: [x]), cutoff: -1))
        // absurd coordinates: errors, never traps
        let cube = Box(lo: .zero, lengths: SIMD3(2, 2, 2))
        let bad = Frame(box: cube, positions: [SIMD3(1e300, 0, 0), SIMD3(.nan, 1, 1)])
        _ = bad.wrapped()
        XCTAssertThrowsError(try NeighborList(frame: bad, cutoff: 1))
        var free = cube
        free.periodic = [false, false, false]
        XCTAssertThrowsError(try NeighborList(frame: Frame(box: free, positions: [SIMD3(1e300, 0, 0), SIMD3(-1e300, 0, 0)]), cutoff: 1))
        XCTAssertThrowsError(try NeighborList(frame: Frame(box: cube, positions: [x]), cutoff: 1e6))
    }
}
