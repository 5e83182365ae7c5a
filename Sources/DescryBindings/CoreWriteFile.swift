import CLua
import DescryLinalg
import LuaBridge
import LuaShim

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
        var len = 0
        guard lua_type(call.L, 2) == LUA_TSTRING, let p = descry_tolstring(call.L, 2, &len) else {
            throw call.typeError(2, expected: "string")
        }
        let bytes = Array(UnsafeRawBufferPointer(start: p, count: len).bindMemory(to: UInt8.self))
        do { try AtomicFile.replace(path, bytes: bytes) } catch let e as EngineError { throw call.error(e.message) }
        return 0
    }
}
