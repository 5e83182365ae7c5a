import CLua
import LuaShim
import LuaBridge
import DescryBindings
import DescryParallel
#if canImport(Glibc)
import Glibc
#endif

/// The `lua`-compatible command line: `descry [options] [script [args]]` with `-e`, `-i`, `-l`,
/// `-v`, `-`, `--`, and the global `arg` table laid out as lua.c does (arg[0] is the script,
/// negative indices the interpreter and options, positive ones the script's arguments).
struct ScriptRunner {
    let argv: [String]
    let progname: String

    static let usage = """
        usage: descry [options] [script [args]]
               descry test [paths...]           run *_test.lua files (default: Tests/lua)
               descry notebook run FILE...      execute notebooks, write outputs back
               descry notebook check FILE...    re-run notebooks, fail on any difference
               descry lammps-input [options]    LAMMPS input lines giving descry's D̄/V̄ in situ
               descry analyse ENSEMBLE.lua [--out DIR] [--only STEP...]
                                                the paper's analysis of an ensemble (docs/ensemble.md)
               descry kernel install [--user|--prefix P]   the Jupyter kernel (descry kernel -f FILE)
        Options:
          -e stat   execute string 'stat'
          -i        enter interactive mode after executing 'script'
          -l mod    require library 'mod' into global 'mod' (as lua5.4: -l g=mod sets g)
          -v, --version   show version information
          -h, --help      show this help
          --        stop handling options
          -         stop handling options and execute stdin
        With no script and a terminal on stdin, starts the REPL; otherwise runs stdin.
        Environment: DESCRY_PATH (stdlib directories, ':'-separated), DESCRY_HISTORY
        (REPL history file, default ~/.descry_history).
        """

    enum Action { case exec(String), require(String) }

    func run() -> Int32 {
        var actions: [Action] = []
        var interactive = false
        var showVersion = false
        var i = 1
        var scriptIndex: Int? = nil
        var stdinScript = false
        while i < argv.count {
            let a = argv[i]
            if a == "--" { i += 1; if i < argv.count { scriptIndex = i }; break }
            if a == "-" { stdinScript = true; scriptIndex = i; break }
            if !a.hasPrefix("-") { scriptIndex = i; break }
            switch a {
            case "-h", "--help":
                writeStdout(Self.usage + "\n"); return 0
            case "-v", "--version":
                showVersion = true
            case "-i":
                interactive = true; showVersion = true
            case "-e", "-l":
                guard i + 1 < argv.count else {
                    writeStderr("\(progname): '\(a)' needs argument\n\(Self.usage)\n"); return 1
                }
                actions.append(a == "-e" ? .exec(argv[i + 1]) : .require(argv[i + 1]))
                i += 1
            case "-W":
                break
            default:
                if a.hasPrefix("-e") { actions.append(.exec(String(a.dropFirst(2)))); break }
                if a.hasPrefix("-l") { actions.append(.require(String(a.dropFirst(2)))); break }
                writeStderr("\(progname): unrecognized option '\(a)'\n\(Self.usage)\n")
                return 1
            }
            i += 1
        }
        if showVersion { writeStdout("descry \(descryVersion) (Lua 5.4, Swift)\n") }

        let scriptPath = scriptIndex.map { argv[$0] }
        let scriptDir = (scriptPath != nil && !stdinScript) ? Paths.directory(of: scriptPath!) : nil
        let state = Environment.makeState(scriptDirectory: scriptDir)
        Environment.preloadGlobals(state)
        createArgTable(state, scriptIndex: scriptIndex)
        Interrupts.install(state)

        for action in actions {
            let outcome: LuaState.Outcome
            switch action {
            case .exec(let code):
                outcome = state.run(source: code, chunkName: "=(command line)")
            case .require(let mod):
                outcome = requireIntoGlobal(state, mod)
            }
            if !report(outcome, state) { return 1 }
        }

        if let idx = scriptIndex {
            if !report(runScript(state, index: idx, fromStdin: stdinScript), state) { return 1 }
        } else if actions.isEmpty && !interactive && !showVersion {
            if isatty(0) != 0 {
                writeStdout("descry \(descryVersion) (Lua 5.4, Swift) — help(), ?name for docs, Ctrl-D to quit\n")
                return Repl(state: state).run()
            }
            if !report(runScript(state, index: nil, fromStdin: true), state) { return 1 }
        }
        if interactive { return Repl(state: state).run() }
        return 0
    }

    /// `-l mod` / `-l g=mod` as lua5.4 (5.4.4) does: `_G[g] = require(mod)`, where g is the
    /// text before `=` or else the whole module name, dots included (`-l descry.la` sets the
    /// global named "descry.la", reachable as _G["descry.la"]).
    private func requireIntoGlobal(_ state: LuaState, _ spec: String) -> LuaState.Outcome {
        let parts = spec.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let global = parts[0]
        let module = parts.count == 2 ? parts[1] : spec
        let code = "local g, m = ...\n_G[g] = require(m)"
        let L = state.L
        let base = lua_gettop(L)
        let status = code.withCString { p in descry_loadbuffer(L, p, strlen(p), "=(command line)") }
        if status != LUA_OK { return .syntaxError(state.popMessage()) }
        lua_pushstring(L, global)
        lua_pushstring(L, module)
        return state.callTop(base: base, nargs: 2, nresults: 0)
    }

    /// Runs the script at `argv[index]` (or stdin) with its arguments as `...`.
    private func runScript(_ state: LuaState, index: Int?, fromStdin: Bool) -> LuaState.Outcome {
        let L = state.L
        let base = lua_gettop(L)
        let status: Int32
        if fromStdin {
            status = descry_loadfile(L, nil)  // stdin, chunk name "=stdin"
        } else {
            status = descry_loadfile(L, argv[index!])
        }
        if status != LUA_OK { return .syntaxError(state.popMessage()) }
        var nargs: Int32 = 0
        if let index {
            for a in argv[(index + 1)...] { lua_pushstring(L, a); nargs += 1 }
        }
        return state.callTop(base: base, nargs: nargs, nresults: 0)
    }

    /// Prints an error as lua.c does (`descry: msg` + traceback on stderr). Returns success.
    private func report(_ outcome: LuaState.Outcome, _ state: LuaState) -> Bool {
        switch outcome {
        case .ok: return true
        case .syntaxError(let m), .runtimeError(let m):
            writeStderr("\(progname): \(MPIRuntime.rankLabel)\(m)\n")
            return false
        }
    }

    private func createArgTable(_ state: LuaState, scriptIndex: Int?) {
        let L = state.L
        let zero = scriptIndex ?? 0
        lua_createtable(L, Int32(argv.count - zero), Int32(zero + 1))
        for (k, a) in argv.enumerated() {
            lua_pushstring(L, a)
            lua_rawseti(L, -2, lua_Integer(k - zero))
        }
        lua_setglobal(L, "arg")
    }
}
