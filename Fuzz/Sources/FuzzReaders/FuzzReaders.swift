import CFuzzDriver
import DescryAtoms
import DescryLinalg
import Glibc

/// libFuzzer entry point for every descry file reader. The reader is chosen by the environment
/// variable DESCRY_FUZZ_TARGET: dump, data, extxyz, avetime, log (path-based readers: the input is
/// written to a file in /dev/shm first), npy, csv, json (in-memory decoders). Every error must be
/// a thrown EngineError; a trap, an abort, an ASan report, a timeout or an allocation above
/// libFuzzer's -malloc_limit_mb is a finding. Frames that read successfully are also written
/// back as dump and extxyz text, so the writers see whatever the readers accept.
enum FuzzTarget: String, CaseIterable {
    case dump, data, extxyz, avetime, log, npy, csv, json
}

let target: FuzzTarget = {
    let name = getenv("DESCRY_FUZZ_TARGET").map { String(cString: $0) } ?? ""
    guard let t = FuzzTarget(rawValue: name) else {
        let known = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
        fputs("FuzzReaders: set DESCRY_FUZZ_TARGET to one of \(known)\n", stderr)
        exit(2)
    }
    return t
}()

let scratch: String = {
    let dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
    return "\(dir)/descry-fuzz-\(getpid())-input"
}()

/// Writes the input to the scratch file read by the path-based readers.
func writeScratch(_ bytes: [UInt8]) -> Bool {
    guard let f = fopen(scratch, "wb") else { return false }
    let n = fwrite(bytes, 1, bytes.count, f)
    fclose(f)
    return n == bytes.count
}

/// Reads up to 64 frames from `source`, writing each back as text.
func drain(_ source: FrameSource) {
    for _ in 0..<64 {
        guard let f = try? source.next() else { return }
        _ = dumpText(f)
        _ = extXYZText(f)
    }
}

/// The executable's entry point (SwiftPM calls the module's main `FuzzReaders_main`): hands
/// control to libFuzzer's driver with `fuzzOne` as the target.
@_cdecl("FuzzReaders_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var c = argc
    var v = argv
    _ = target
    return LLVMFuzzerRunDriver(&c, &v, fuzzOne)
}

/// One input: run the chosen reader; only thrown errors are acceptable failures.
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data!, count: size))
    switch target {
    case .npy:
        _ = try? Npy.decode(bytes)
        _ = try? Npy.decode(bytes, flatten: true)
    case .csv:
        _ = try? Csv.parse(bytes)
        _ = try? Csv.parse(bytes, delimiter: 9, header: true)
    case .json:
        if let v = try? JSONValue.parse(bytes: bytes) { _ = v.serialized(indent: 2) }
    case .dump:
        guard writeScratch(bytes) else { return 0 }
        if let r = try? DumpReader(path: scratch) { drain(r) }
    case .extxyz:
        guard writeScratch(bytes) else { return 0 }
        if let r = try? ExtXYZReader(path: scratch) { drain(r) }
    case .data:
        guard writeScratch(bytes) else { return 0 }
        if let f = try? readLammpsData(path: scratch) { _ = dumpText(f) }
    case .avetime:
        guard writeScratch(bytes) else { return 0 }
        _ = try? AveTimeFile(path: scratch)
    case .log:
        guard writeScratch(bytes) else { return 0 }
        for policy in [TruncatedLinePolicy.drop, .error] {
            guard let log = try? LammpsLog(path: scratch, options: LammpsLogOptions(truncated: policy)) else { continue }
            let names = log.commonColumns
            _ = try? log.series(names, duplicates: .first)
            _ = try? log.series(names, duplicates: .last)
        }
    }
    return 0
}
