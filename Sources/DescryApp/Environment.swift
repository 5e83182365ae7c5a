import CLua
import LuaShim
import LuaBridge
import DescryBindings

/// Builds a ready-to-use descry Lua state: standard libraries, every Swift module registered for
/// `require`, `package.path` with the stdlib (and the script's own directory), and the globals
/// every mode shares (`help`, `time`, `pp`) from `stdlib/descry/repl.lua`.
enum Environment {
    /// Modules preloaded as globals in the REPL and notebooks: (global name, module name), from
    /// the module registry (`DescryModules.registry`).
    static let replGlobals: [(String, String)] = DescryModules.registry.compactMap { entry in
        entry.global.map { ($0, entry.name) }
    }

    static func makeState(scriptDirectory: String? = nil) -> LuaState {
        let state = LuaState()
        DescryModules.registerAll(in: state)
        if let d = scriptDirectory { state.prependPackagePath(d) }
        for dir in Paths.stdlibDirectories().reversed() { state.prependPackagePath(dir) }
        // Shared globals (help, time, pp). A missing stdlib is reported, not fatal.
        if case .runtimeError(let msg) = state.run(source: "require 'descry.repl'.install(_G)",
                                                    chunkName: "=descry") {
            writeStderr("descry: warning: cannot load the stdlib (\(firstLine(msg))); set DESCRY_PATH\n")
        }
        return state
    }

    /// Requires the engine modules that exist and sets them as globals (REPL, notebooks).
    static func preloadGlobals(_ state: LuaState) {
        for (global, module) in replGlobals {
            _ = state.run(source: """
                local ok, m = pcall(require, "\(module)")
                if ok then _G["\(global)"] = m end
                """, chunkName: "=descry")
        }
    }
}

func firstLine(_ s: String) -> String {
    s.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? s
}

func writeStderr(_ s: String) {
    s.withCString { p in _ = fputs(p, stderr) }
}

func writeStdout(_ s: String) {
    s.withCString { p in _ = fputs(p, stdout) }
}
