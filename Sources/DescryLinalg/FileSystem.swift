#if canImport(Glibc)
import Glibc
#endif

/// Small POSIX file-system services for analyses that write a whole output folder atomically:
/// globbing, directory creation (temporary and permanent), listing, recursive removal, and an
/// exchange of a finished folder into place. Errors name the path and the system's reason.
public enum FileSystem {
    static func failure(_ path: String, _ what: String) -> EngineError {
        EngineError("\(path): \(what) (\(String(cString: strerror(errno))))")
    }

    /// Paths matching a shell pattern (`*`, `?`, `[...]`), sorted; empty when none match.
    public static func glob(_ pattern: String) throws -> [String] {
        var g = glob_t()
        defer { globfree(&g) }
        let rc = Glibc.glob(pattern, 0, nil, &g)
        if rc == GLOB_NOMATCH { return [] }
        guard rc == 0 else { throw EngineError("\(pattern): glob failed (code \(rc))") }
        var out: [String] = []
        for i in 0..<Int(g.gl_pathc) {
            if let p = g.gl_pathv[i] { out.append(String(cString: p)) }
        }
        return out.sorted()
    }

    /// Kind of the object at `path`: "file", "directory", "other", or nil when absent.
    public static func kind(_ path: String) -> String? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return "file"
        case S_IFDIR: return "directory"
        default: return "other"
        }
    }

    /// Size of a regular file in bytes.
    public static func size(_ path: String) throws -> Int {
        var st = stat()
        guard stat(path, &st) == 0 else { throw failure(path, "cannot stat") }
        return Int(st.st_size)
    }

    /// Creates `path` and its missing parents (mkdir -p).
    public static func makeDirectories(_ path: String) throws {
        if kind(path) == "directory" { return }
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            prefix += part
            if kind(prefix) == nil && mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw failure(prefix, "cannot create the directory")
            }
            prefix += "/"
        }
        guard kind(path) == "directory" else { throw EngineError("\(path): not a directory") }
    }

    /// Creates a fresh, uniquely named directory `prefix` + six random characters (mkdtemp).
    public static func makeTemporaryDirectory(prefix: String) throws -> String {
        var template = Array((prefix + "XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer -> Bool in
            guard let base = buffer.baseAddress else { return false }
            return mkdtemp(base) != nil
        }
        guard made else { throw failure(prefix, "cannot create a temporary directory") }
        return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Names in a directory (without "." and ".."), sorted.
    public static func list(_ path: String) throws -> [String] {
        guard let d = opendir(path) else { throw failure(path, "cannot list the directory") }
        defer { closedir(d) }
        var out: [String] = []
        while let e = readdir(d) {
            let name = withUnsafePointer(to: e.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { out.append(name) }
        }
        return out.sorted()
    }

    /// Removes a file or a directory tree (rm -rf); absent paths are fine. Symbolic links are
    /// removed, never followed.
    public static func removeTree(_ path: String) throws {
        let last = path.split(separator: "/").last.map(String.init) ?? ""
        guard !path.isEmpty, last != ".", last != "..", path.contains(where: { $0 != "/" }) else {
            throw EngineError("'\(path)': refusing to remove this path (/, ., .. or empty)")
        }
        var st = stat()
        guard lstat(path, &st) == 0 else { return }
        if st.st_mode & S_IFMT == S_IFDIR {
            for name in try list(path) { try removeTree(path + "/" + name) }
            guard rmdir(path) == 0 else { throw failure(path, "cannot remove the directory") }
        } else {
            guard unlink(path) == 0 else { throw failure(path, "cannot remove") }
        }
    }

    /// Moves the finished directory `source` to `destination` (same file system). An existing
    /// destination is first renamed aside and removed only after the move succeeded, so at
    /// every moment `destination` is either the old complete folder or the new one.
    public static func replaceDirectory(_ destination: String, with source: String) throws {
        var aside: String? = nil
        if kind(destination) != nil {
            let parked = destination + ".old-\(getpid())"
            guard rename(destination, parked) == 0 else { throw failure(destination, "cannot move the old folder aside") }
            aside = parked
        }
        guard rename(source, destination) == 0 else {
            let err = failure(destination, "cannot move the new folder into place")
            if let a = aside { _ = rename(a, destination) }
            throw err
        }
        if let a = aside { try removeTree(a) }
    }
}
