import DescryAtoms
import DescryDescriptors
import DescryLinalg
import DescryTestSupport
import Foundation
import XCTest

/// Descriptors of frames read from every format (data file, extxyz with a general lattice),
/// the streaming trajectory pipeline, voxels and parameter errors, against LAMMPS fixtures.
final class DescriptorPipelineTests: XCTestCase {
    let traj = fixtures.path("desc/traj/traj.lammpstrj")

    func frame(_ s: String) throws -> Frame {
        try XCTUnwrap(DumpReader(path: fixtures.path("desc/\(s)/structure.lammpstrj")).next())
    }

    func testTriclinicDumpBoxMatchesDataFile() throws {
        let f = try XCTUnwrap(DumpReader(path: fixtures.path("desc/triclinic2/structure.lammpstrj")).next())
        let d = try readLammpsData(path: fixtures.path("desc/triclinic2/structure.data"))
        XCTAssertEqual(f.box.lo, SIMD3(0, 0, 0))
        XCTAssertEqual(f.box.lengths.x, 12, accuracy: 1e-12)
        XCTAssertEqual(f.box.xy, 6, accuracy: 1e-12)
        XCTAssertEqual(f.box.xz, -4, accuracy: 1e-12)
        XCTAssertEqual(f.box.yz, 3.2, accuracy: 1e-12)
        XCTAssertLessThan(norm3(d.box.lengths - f.box.lengths), 1e-12)
        XCTAssertEqual(d.ids, f.ids)
        XCTAssertEqual(d.types, f.types)
        // write_data positions are the same atoms (possibly another image): minimum image ~ 0
        for i in 0..<f.count { XCTAssertLessThan(norm3(f.box.minimumImage(d.positions[i] - f.positions[i])), 1e-9) }
        // and give LAMMPS' descriptors
        let bs = try Bispectrum(BispectrumParameters(twojmax: 6, rcutfac: 4.6, radelem: [0.5, 0.42], wj: [1.0, 0.7]))
        let B = try fixtures.npy("desc/triclinic2/j6_B.npy")
        assertClose(try bs.compute(d).perAtom!.data, B.data, rtol: 1e-10, atol: 1e-12, "data-file B")
    }

    /// D̄ of every dumped frame equals LAMMPS' in-situ `compute reduce sum` of sna/atom written
    /// by fix ave/time; the trajectory pipeline streams the dump.
    func testTrajectoryPipelineMatchesFixAveTime() throws {
        let at = try AveTimeFile(path: fixtures.path("desc/traj/avetime.txt"))
        XCTAssertEqual(at.names.first, "TimeStep")
        XCTAssertEqual(at.data.rows, 7)
        XCTAssertEqual(at.data.cols, 31)
        let bs = try Bispectrum(BispectrumParameters(twojmax: 6, rcutfac: 4.7))
        for path in [traj, traj + ".gz"] {
            let res = try bs.trajectory(DumpReader(path: path), options: TrajectoryOptions(threads: 2))
            XCTAssertEqual(res.timesteps, [0, 5, 10, 15, 20, 25, 30])
            for t in 0..<7 {
                XCTAssertEqual(Double(res.timesteps[t]), at.data[t, 0])
                assertClose(Array(res.D.data[(t * 30)..<((t + 1) * 30)]), Array(at.data.data[(t * 31 + 1)..<((t + 1) * 31)]), rtol: 1e-10, atol: 1e-12, "frame \(t) D̄ vs fix ave/time")
            }
        }
        // every / average / virial shapes
        let r2 = try bs.trajectory(DumpReader(path: traj), options: TrajectoryOptions(average: 2, every: 2, virial: true))
        XCTAssertEqual(r2.timesteps, [0, 20])   // kept frames 0,10,20,30 → blocks (0,10) (20,30)
        XCTAssertEqual(r2.V?.cols, 180)
    }

    func testExtXYZRoundTripAndGeneralLattice() throws {
        let f = try XCTUnwrap(DumpReader(path: fixtures.path("desc/triclinic2/structure.lammpstrj")).next())
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("descry-xyz-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let p1 = dir.appendingPathComponent("a.extxyz").path
        try writeText(extXYZText(f) + extXYZText(f), to: p1)
        let source = try ExtXYZReader(path: p1)
        var g: [Frame] = []
        while let frame = try source.next() { g.append(frame) }
        XCTAssertEqual(g.count, 2)
        XCTAssertEqual(g[0].types, f.types)
        for i in 0..<f.count { XCTAssertLessThan(norm3(g[0].positions[i] - f.positions[i]), 1e-12) }
        // a rotated (general) lattice: descriptors are rotation invariant, so equal LAMMPS'
        let c = cos(0.7), s = sin(0.7)
        func rot(_ v: SIMD3<Double>) -> SIMD3<Double> { SIMD3(c * v.x - s * v.y, s * v.x + c * v.y, v.z) }
        let A = rot(f.box.a), B = rot(f.box.b), C = rot(f.box.c)
        var txt = "\(f.count)\nLattice=\"\([A.x, A.y, A.z, B.x, B.y, B.z, C.x, C.y, C.z].map { "\($0)" }.joined(separator: " "))\" Properties=species:S:1:pos:R:3 pbc=\"T T T\"\n"
        for i in 0..<f.count { let p = rot(f.positions[i]); txt += "\(f.types[i] == 1 ? "Ni" : "Al") \(p.x) \(p.y) \(p.z)\n" }
        let p2 = dir.appendingPathComponent("rot.xyz").path
        try writeText(txt, to: p2)
        let h = try XCTUnwrap(ExtXYZReader(path: p2).next())
        XCTAssertEqual(h.typeNames, f.types[0] == 1 ? ["Ni", "Al"] : ["Al", "Ni"])
        XCTAssertEqual(h.box.xy, f.box.xy, accuracy: 1e-12)
        let bs = try Bispectrum(BispectrumParameters(twojmax: 6, rcutfac: 4.6, radelem: [0.5, 0.42], wj: [1.0, 0.7]))
        var hh = h
        hh.types = h.types.map { h.typeNames[$0 - 1] == "Ni" ? 1 : 2 }
        assertClose(try bs.compute(hh).perAtom!.data, try fixtures.npy("desc/triclinic2/j6_B.npy").data, rtol: 1e-9, atol: 1e-10, "rotated extxyz B")
    }

    func testVoxelsSumToDbar() throws {
        let f = try frame("triclinic2")
        let bs = try Bispectrum(BispectrumParameters(twojmax: 6, rcutfac: 4.6, radelem: [0.5, 0.42], wj: [1.0, 0.7]))
        let v = try bs.voxels(f, grid: (3, 2, 2))
        XCTAssertEqual(v.rows, 12)
        let d = try bs.compute(f).sum
        var s = [Double](repeating: 0, count: 30)
        for r in 0..<12 { for k in 0..<30 { s[k] += v[r, k] } }
        assertClose(s, d, rtol: 1e-12, atol: 1e-12, "voxel sum")
        XCTAssertGreaterThan(v.data.filter { $0 != 0 }.count, 30 * 6)
    }

    func testParameterErrors() throws {
        XCTAssertThrowsError(try Bispectrum(BispectrumParameters(twojmax: -2, rcutfac: 4)))
        XCTAssertThrowsError(try Bispectrum(BispectrumParameters(twojmax: 6, rcutfac: 4, rmin0: 10)))
    }
}
