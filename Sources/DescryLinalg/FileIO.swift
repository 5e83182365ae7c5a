import Glibc

/// Whole-file reads and writes with Glibc stdio (the engine avoids Foundation); failures become
/// EngineError with the path and the system's reason (strerror).
public enum FileIO {
    /// The bytes of the file at `path`.
    public static func read(_ path: String) throws -> [UInt8] {
        guard let f = fopen(path, "rb") else { throw EngineError("cannot open '\(path)': \(reason())") }
        defer { fclose(f) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
            if n > 0 { out.append(contentsOf: chunk[0..<n]) }
            if n < chunk.count {
                if ferror(f) != 0 { throw EngineError("cannot read '\(path)': \(reason())") }
                break
            }
        }
        return out
    }

    /// Replaces `path` with `bytes` atomically (see `AtomicFile`): the old file survives a failure.
    public static func write(_ path: String, _ bytes: [UInt8]) throws {
        try AtomicFile.replace(path, bytes: bytes)
    }

    private static func reason() -> String { String(cString: strerror(errno)) }
}
