#if canImport(Glibc)
import Glibc
#endif

/// Locating descry's Lua standard library (`stdlib/`): `DESCRY_PATH` when set, else relative to
/// the executable — `<bin>/../share/descry/stdlib` when installed, or the `stdlib/` of the source
/// tree when run from `.build/<config>/descry`.
enum Paths {
    /// Absolute path of the running executable (`/proc/self/exe`).
    static func executable() -> String? {
        var buf = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buf, buf.count - 1)
        guard n > 0 else { return nil }
        buf[n] = 0
        return String(cString: buf)
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    static func isFile(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
    }

    static func environment(_ name: String) -> String? {
        guard let p = getenv(name) else { return nil }
        let s = String(cString: p)
        return s.isEmpty ? nil : s
    }

    /// Directories holding `descry/*.lua`, in search order.
    static func stdlibDirectories() -> [String] {
        if let override = environment("DESCRY_PATH") {
            return override.split(separator: ":").map(String.init)
        }
        guard let exe = executable() else { return [] }
        let bin = directory(of: exe)
        let installed = "\(bin)/../share/descry/stdlib"
        if isDirectory(installed + "/descry") { return [installed] }
        // Build tree: walk up from .build/<triple>/<config>/ to the package root.
        var dir = bin
        for _ in 0..<6 {
            if isDirectory(dir + "/stdlib/descry") { return [dir + "/stdlib"] }
            dir = directory(of: dir)
        }
        return []
    }
}
