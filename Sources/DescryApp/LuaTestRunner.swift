#if canImport(Glibc)
import Glibc
#endif
import LuaBridge

/// `descry test [paths]`: runs every `*_test.lua` file found under `paths` (default
/// `Tests/lua`), each in a fresh Lua state, with the assertion library `descry.test`; prints
/// each failure with file:line and ends with the line `N passed, N failed`.
struct LuaTestRunner {
    let paths: [String]

    func run() -> Int32 {
        let roots = paths.isEmpty ? ["Tests/lua"] : paths
        var files: [String] = []
        for r in roots {
            if Paths.isDirectory(r) {
                files += Self.findTests(in: r)
            } else if Paths.isFile(r) {
                files.append(r)
            } else {
                writeStderr("descry test: no such file or directory: \(r)\n")
                writeStdout("0 passed, 1 failed\n")
                return 1
            }
        }
        var passed = 0, failed = 0
        for file in files {
            let (p, f) = runFile(file)
            passed += p
            failed += f
        }
        writeStdout("\(passed) passed, \(failed) failed\n")
        return failed == 0 ? 0 : 1
    }

    /// Runs one test file in a fresh state; returns (passed, failed).
    private func runFile(_ file: String) -> (Int, Int) {
        let state = Environment.makeState(scriptDirectory: Paths.directory(of: file))
        Environment.preloadGlobals(state)
        Interrupts.install(state)
        let escaped = file.replacingBackslashesAndQuotes()
        let outcome = state.run(source: "return require('descry.test')._run_file(\"\(escaped)\")",
                                chunkName: "=descry test", nresults: 2)
        switch outcome {
        case .ok:
            let L = state.L
            let p = Int(lua_tointegerx_safe(L, -2)), f = Int(lua_tointegerx_safe(L, -1))
            return (p, f)
        case .syntaxError(let m), .runtimeError(let m):
            writeStdout("FAIL \(file)\n    \(m)\n")
            return (0, 1)
        }
    }

    /// `*_test.lua` files below `dir`, sorted.
    static func findTests(in dir: String) -> [String] {
        var out: [String] = []
        guard let d = opendir(dir) else { return out }
        defer { closedir(d) }
        var entries: [String] = []
        while let e = readdir(d) {
            let name = withUnsafePointer(to: e.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            entries.append(name)
        }
        for name in entries.sorted() {
            let path = dir + "/" + name
            if Paths.isDirectory(path) { out += findTests(in: path) }
            else if name.hasSuffix("_test.lua") { out.append(path) }
        }
        return out
    }
}

extension String {
    /// Escapes `\` and `"` for a Lua string literal.
    func replacingBackslashesAndQuotes() -> String {
        var s = ""
        for c in self {
            if c == "\\" || c == "\"" { s.append("\\") }
            s.append(c)
        }
        return s
    }
}
