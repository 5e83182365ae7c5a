import DescryLinalg
import LuaBridge

/// `descry.fs`: file-system services for analyses (DescryLinalg/FileSystem.swift, SHA256.swift):
/// SHA-256 of files and strings (FIPS 180-4), globbing, directories, and the atomic exchange of a
/// finished output folder.
public let fsModule = LuaModule(
    name: "descry.fs", shortName: "fs",
    doc: """
        descry.fs: files for analyses. sha256(path) -> hex, size; sha256_string(s); glob(pattern);
        kind(path); size(path); mkdir(path); mkdtemp(prefix); list(dir); remove_tree(path);
        replace_dir(dest, src).
        """,
    functions: [
        LuaMethod("sha256", """
            fs.sha256(path) -> hex, size
            SHA-256 (FIPS 180-4) of a file's bytes as 64 lower-case hex digits, and its size in
            bytes (streamed; equals Python's hashlib.sha256(open(path,'rb').read()).hexdigest()).
            """) { call in
            let r = try SHA256.hexDigest(file: try call.string(1))
            call.push(r.hex)
            call.push(r.size)
            return 2
        },
        LuaMethod("sha256_string", """
            fs.sha256_string(s) -> hex
            SHA-256 (FIPS 180-4) of the bytes of a Lua string, as 64 lower-case hex digits.
            """) { call in
            call.push(SHA256.hexDigest(Array(try call.string(1).utf8)))
            return 1
        },
        LuaMethod("glob", """
            fs.glob(pattern) -> {paths...}
            Paths matching a shell pattern (*, ?, [...]), sorted; an empty table when none match.
            """) { call in
            call.push(try FileSystem.glob(try call.string(1)))
            return 1
        },
        LuaMethod("kind", """
            fs.kind(path) -> "file" | "directory" | "other" | nil
            What exists at path (nil when nothing does).
            """) { call in
            if let k = FileSystem.kind(try call.string(1)) { call.push(k) } else { call.pushNil() }
            return 1
        },
        LuaMethod("size", """
            fs.size(path) -> integer
            Size of a file in bytes; errors name the file.
            """) { call in
            call.push(try FileSystem.size(try call.string(1)))
            return 1
        },
        LuaMethod("mkdir", """
            fs.mkdir(path) -> nothing
            Creates a directory and its missing parents (mkdir -p).
            """) { call in
            try FileSystem.makeDirectories(try call.string(1))
            return 0
        },
        LuaMethod("mkdtemp", """
            fs.mkdtemp(prefix) -> path
            Creates a new uniquely named directory prefix..XXXXXX (POSIX mkdtemp) and returns it.
            """) { call in
            call.push(try FileSystem.makeTemporaryDirectory(prefix: try call.string(1)))
            return 1
        },
        LuaMethod("list", """
            fs.list(dir) -> {names...}
            Entries of a directory, sorted, without . and ..
            """) { call in
            call.push(try FileSystem.list(try call.string(1)))
            return 1
        },
        LuaMethod("remove_tree", """
            fs.remove_tree(path) -> nothing
            Removes a file or a whole directory tree (symbolic links are not followed); a missing
            path is not an error.
            """) { call in
            try FileSystem.removeTree(try call.string(1))
            return 0
        },
        LuaMethod("replace_dir", """
            fs.replace_dir(dest, src) -> nothing
            Moves the finished directory src to dest (same file system); an existing dest is moved
            aside first and removed only after the move, so dest is always complete.
            """) { call in
            try FileSystem.replaceDirectory(try call.string(1), with: try call.string(2))
            return 0
        },
    ]
)
