import DescryLinalg
import LuaBridge

/// `core.writefile(path, bytes)`: the engine's atomic writer (`AtomicFile`) for Lua code that
/// produces files itself (plot figures): temporary file in the same folder, fsync, rename.
enum CoreWriteFile {
    static let method = LuaMethod("writefile", """
        core.writefile(path, bytes) -> nothing
        Replaces file `path` with the string `bytes` atomically: a temporary file in the same
        folder, flushed to disk (fsync), then renamed over `path`. On failure (full disk,
        ulimit -f, no permission) an error names the file; the old file is intact and no
        temporary file is left. The file keeps the old file's permissions.
        """) { call in
        let path = try call.string(1)
        let bytes = try call.bytes(2)
        do { try AtomicFile.replace(path, bytes: bytes) } catch let e as EngineError { throw call.error(e.message) }
        return 0
    }
}
