import DescryParallel
#if canImport(Glibc)
import Glibc
#endif

/// Entry point of the `descry` command: sub-commands (`test`, `notebook`) or the lua-style
/// script runner / REPL.
public enum DescryMain {
    public static func run(_ arguments: [String]) -> Int32 {
        let status = dispatch(arguments)
        // Under mpirun, a rank that fails ends the whole job (its message is already on
        // stderr), so the other ranks never wait for it in a collective.
        if status != 0 && MPIRuntime.isActive {
            writeStderr("descry: \(MPIRuntime.rankLabel)exit status \(status): aborting the MPI job\n")
            MPIRuntime.abortJob(code: status)
        }
        MPIRuntime.finalize()
        return status
    }

    private static func dispatch(_ arguments: [String]) -> Int32 {
        setvbuf(stdout, nil, _IOLBF, 0)
        // A file-size limit (ulimit -f) makes write() fail with EFBIG, which the writers report
        // as a Lua error with the old file intact, instead of killing the process.
        signal(SIGXFSZ, SIG_IGN)
        let prog = "descry"
        if arguments.count >= 2 {
            switch arguments[1] {
            case "test":
                return LuaTestRunner(paths: Array(arguments.dropFirst(2))).run()
            case "notebook":
                return NotebookCommand(arguments: Array(arguments.dropFirst(2))).run()
            case "lammps-input":
                return LammpsInputCommand(arguments: Array(arguments.dropFirst(2))).run()
            case "kernel":
                return KernelCommand(arguments: Array(arguments.dropFirst(2))).run()
            case "analyse", "analyze":
                return StdlibCommand(name: "analyse", module: "descry.analysis", function: "command",
                                     arguments: Array(arguments.dropFirst(2))).run()
            case "desc":
                return StdlibCommand(name: "desc", module: "descry.shard", function: "command",
                                     arguments: Array(arguments.dropFirst(2))).run()
            case "merge":
                return StdlibCommand(name: "merge", module: "descry.shard", function: "merge_command",
                                     arguments: Array(arguments.dropFirst(2))).run()
            default:
                break
            }
        }
        return ScriptRunner(argv: arguments, progname: prog).run()
    }
}
