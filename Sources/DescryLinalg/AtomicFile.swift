import Glibc

/// Crash- and disk-full-safe file output, shared by every writer (la.save npy/CSV, atoms.write,
/// json.save, plot files). A replacing write goes to a temporary file created with `mkstemp` in
/// the destination's folder, is flushed to disk with `fsync` and then `rename`d over the
/// destination (atomic on POSIX file systems); an appending write remembers the old length and
/// truncates back to it on failure. On any error (ENOSPC, EFBIG from `RLIMIT_FSIZE` — descry
/// ignores SIGXFSZ so that it is an error, not a signal —, EIO, …) the old file is intact, no
/// temporary file is left, and an `EngineError` naming the file and the system's reason is thrown.
public enum AtomicFile {
    /// Replaces `path` with the output of `body`, which writes through the given descriptor.
    public static func replace(_ path: String, _ body: (Int32) throws -> Void) throws {
        let (dir, base) = split(path)
        var template = Array("\(dir)/.\(base).tmp-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw failure(path, "cannot write") }
        let tmp = String(cString: template)
        do {
            fchmod(fd, modeFor(path))
            try body(fd)
            guard fsync(fd) == 0 else { throw failure(path, "cannot write") }
            let closed = close(fd)
            guard closed == 0 else {
                unlink(tmp)
                throw failure(path, "cannot write")
            }
            guard rename(tmp, path) == 0 else {
                let e = failure(path, "cannot replace")
                unlink(tmp)
                throw e
            }
        } catch {
            close(fd)
            unlink(tmp)
            throw error
        }
        syncFolder(dir)
    }

    /// Replaces `path` with `bytes`.
    public static func replace(_ path: String, bytes: [UInt8]) throws {
        try replace(path) { fd in try writeAll(fd, bytes, path: path) }
    }

    /// Appends the output of `body` to `path` (created when missing); on failure the file is
    /// truncated back to its old length.
    public static func append(_ path: String, _ body: (Int32) throws -> Void) throws {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw failure(path, "cannot open for writing") }
        var st = stat()
        let oldLength = fstat(fd, &st) == 0 ? st.st_size : 0
        do {
            try body(fd)
            guard fsync(fd) == 0 else { throw failure(path, "cannot write") }
        } catch {
            _ = ftruncate(fd, oldLength)
            close(fd)
            throw error
        }
        guard close(fd) == 0 else { throw failure(path, "cannot write") }
    }

    /// Writes all of `bytes` to `fd` (retrying short writes and EINTR); throws on failure.
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
        var done = 0
        try bytes.withUnsafeBytes { raw in
            while done < raw.count {
                let n = write(fd, raw.baseAddress! + done, raw.count - done)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw failure(path, "cannot write") }
                done += n
            }
        }
    }

    /// An error naming `path`, `what` failed and the system's reason (strerror(errno)).
    public static func failure(_ path: String, _ what: String) -> EngineError {
        let code = errno
        var reason = String(cString: strerror(code))
        if code == EFBIG { reason += " (the file size limit, ulimit -f, was reached)" }
        return EngineError("\(what) '\(path)': \(reason)")
    }

    /// (folder, file name) of `path`; the folder is "." for a bare name.
    static func split(_ path: String) -> (String, String) {
        let u = Array(path.utf8)
        guard let slash = u.lastIndex(of: UInt8(ascii: "/")) else { return (".", path) }
        let dir = slash == 0 ? "/" : String(decoding: u[..<slash], as: UTF8.self)
        return (dir, String(decoding: u[(slash + 1)...], as: UTF8.self))
    }

    /// The permissions of the existing file, else 0666 less the process umask.
    static func modeFor(_ path: String) -> mode_t {
        var st = stat()
        if stat(path, &st) == 0 { return st.st_mode & 0o7777 }
        let mask = umask(0)
        umask(mask)
        return 0o666 & ~mask
    }

    /// Makes the rename durable (best effort: some file systems refuse fsync on a folder).
    static func syncFolder(_ dir: String) {
        let fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }
}
