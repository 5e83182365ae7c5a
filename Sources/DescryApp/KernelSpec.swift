import DescryLinalg
#if canImport(Glibc)
import Glibc
#endif

/// `descry kernel install [--user | --prefix P]`: writes the kernelspec `kernels/descry/`
/// (kernel.json and the 64×64 logo) where Jupyter looks for kernels (jupyter_client's
/// KernelSpecManager): `--user` in the user's data directory ($JUPYTER_DATA_DIR, else
/// $XDG_DATA_HOME/jupyter, else ~/.local/share/jupyter), `--prefix P` in P/share/jupyter (a
/// virtual environment or conda prefix), neither in /usr/local/share/jupyter (system-wide).
/// kernel.json starts the `descry-kernel` launcher built next to this executable (absolute path),
/// which listens on the kernel's ports at once and then runs `descry kernel -f FILE`
/// (`kernel_listen.h`); without the launcher, this very executable as `descry kernel -f FILE`.
enum KernelSpec {
    static let logoName = "jupyter-logo-64x64.png"

    /// The kernels directory chosen by the options, or an error message.
    static func kernelsDirectory(_ options: [String]) throws -> String {
        switch options.count {
        case 0:
            return "/usr/local/share/jupyter/kernels"
        case 1 where options[0] == "--user":
            if let d = Paths.environment("JUPYTER_DATA_DIR") { return d + "/kernels" }
            if let d = Paths.environment("XDG_DATA_HOME") { return d + "/jupyter/kernels" }
            guard let home = Paths.environment("HOME") else { throw KernelError("--user: HOME is not set") }
            return home + "/.local/share/jupyter/kernels"
        case 2 where options[0] == "--prefix":
            return options[1] + "/share/jupyter/kernels"
        default:
            throw KernelError("usage: descry kernel install [--user | --prefix PREFIX]")
        }
    }

    /// The command kernel.json runs for the descry executable at `executable`.
    static func command(executable: String) -> [String] {
        let launcher = Paths.directory(of: executable) + "/descry-kernel"
        if access(launcher, X_OK) == 0 {
            return [launcher, "-f", "{connection_file}"]
        }
        return [executable, "kernel", "-f", "{connection_file}"]
    }

    /// The kernel.json text for the executable at `executable`.
    static func kernelJSON(executable: String) -> String {
        var env: [(String, JSONValue)] = []
        if let path = Paths.environment("DESCRY_PATH") { env.append(("DESCRY_PATH", .string(path))) }
        let spec = JSONValue.object([
            ("argv", .array(command(executable: executable).map { .string($0) })),
            ("display_name", .string("descry (Lua 5.4)")),
            ("language", .string("lua")),
            ("interrupt_mode", .string("signal")),
            ("env", .object(env)),
            ("metadata", .object([("debugger", .bool(false))])),
        ])
        return spec.serialized(indent: 1) + "\n"
    }

    /// Installs the kernelspec; returns the directory written.
    static func install(_ options: [String]) throws -> String {
        guard let executable = Paths.executable() else { throw KernelError("cannot locate the descry executable") }
        let dir = try kernelsDirectory(options) + "/descry"
        do {
            try FileSystem.makeDirectories(dir)
            try writeTextFileAtomically(dir + "/kernel.json", kernelJSON(executable: executable))
            if let logo = Paths.stdlibDirectories().map({ $0 + "/descry/" + logoName }).first(where: Paths.isFile) {
                try AtomicFile.replace(dir + "/logo-64x64.png", bytes: try readFileBytes(logo))
            }
        } catch let e as KernelError {
            throw e
        } catch {
            throw KernelError("cannot write the kernelspec in \(dir): \(error)")
        }
        return dir
    }
}
