import DescryAtoms
import DescryDescriptors
import XCTest
import Foundation
final class TmpPerf: XCTestCase {
    func testPerf() throws {
        let frame = try XCTUnwrap(DumpReader(path: "/tmp/descry-bench/Pt_NP_4013.lammpstrj").next())
        for tj in [6, 8] { for vir in [false, true] { for th in [1, 2] {
            let bs = try Bispectrum(BispectrumParameters(twojmax: tj, rcutfac: 4.7))
            _ = try bs.compute(frame, perAtom: false, virial: vir, threads: th)
            var ts: [Double] = []
            for _ in 0..<3 {
                let t0 = Date()
                _ = try bs.compute(frame, perAtom: false, virial: vir, threads: th)
                ts.append(Date().timeIntervalSince(t0))
            }
            ts.sort()
            print("PERF 2J=\(tj) virial=\(vir) threads=\(th): \(ts[1] / Double(frame.count) * 1e6) us/atom")
        } } }
        let t0 = Date()
        _ = try NeighborList(frame: frame, cutoff: 4.7)
        print("PERF nlist \(Date().timeIntervalSince(t0) / Double(frame.count) * 1e6) us/atom")
    }
}
