#if canImport(Glibc)
import Glibc
#endif

/// `descry kernel -f CONNECTION_FILE` runs the Jupyter kernel (what kernel.json starts);
/// `descry kernel install [--user | --prefix P]` writes the kernelspec (`KernelSpec`).
struct KernelCommand {
    let arguments: [String]

    static let usage = """
        usage: descry kernel -f CONNECTION_FILE         run as a Jupyter kernel (started by Jupyter)
               descry kernel install [--user | --prefix P]   make Jupyter list the descry kernel
        """

    func run() -> Int32 {
        if arguments.first == "install" {
            do {
                let dir = try KernelSpec.install(Array(arguments.dropFirst()))
                writeStdout("installed the descry kernelspec in \(dir)\n")
                return 0
            } catch {
                writeStderr("descry kernel install: \(error)\n")
                return 1
            }
        }
        guard arguments.count == 2, arguments[0] == "-f" || arguments[0] == "--connection-file" else {
            writeStderr(Self.usage + "\n")
            return 2
        }
        do {
            return try Kernel(connectionFile: arguments[1]).run()
        } catch {
            writeStderr("descry kernel: \(error)\n")
            return 1
        }
    }
}
