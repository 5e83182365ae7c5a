import CMPIShim
import DescryLinalg
#if canImport(Glibc)
import Glibc
#endif

/// MPI as descry reaches it: loaded with dlopen when `descry.mpi` is first required (never
/// linked, so start-up and MPI-less machines are unaffected), initialised only when a launcher
/// (mpirun/mpiexec/srun) started the process. Speaks the MPICH ABI (MPICH, Intel MPI, MVAPICH,
/// Cray MPICH); Open MPI libraries are refused with a message (`descry_mpi.h`).
public enum MPIRuntime {
    /// What `start()` found.
    public struct Status {
        /// The library loaded (nil: none found or loading disabled; the world is then one rank).
        public let library: String?
        /// MPI_Get_library_version's first line (nil without a library).
        public let version: String?
        /// True when MPI_Init ran (under a launcher, or DESCRY_MPI=1).
        public let initialized: Bool
        /// Why there is no MPI world (nil when initialized).
        public let note: String?
    }

    private static var cached: Status?

    /// Library names tried in order when DESCRY_MPI_LIBRARY is not set: MPICH's soname, then
    /// libmpi.so.12 (the ABI-compatible name of Intel MPI, MVAPICH and Cray MPICH).
    public static let defaultLibraries = ["libmpich.so.12", "libmpi.so.12"]

    /// Environment variables a process manager sets (Hydra/PMI-1, PMI-2, PMIx, Slurm PMI).
    public static let launcherVariables = ["PMI_RANK", "PMI_FD", "PMI_SIZE", "PMIX_RANK", "MPI_LOCALNRANKS"]

    /// Loads and (under a launcher) initialises MPI, once. DESCRY_MPI=0 disables MPI;
    /// DESCRY_MPI=1 initialises it even without a launcher (an MPI singleton);
    /// DESCRY_MPI_LIBRARY names the library (a path or soname) instead of the defaults.
    /// Throws when DESCRY_MPI_LIBRARY cannot be loaded, or when MPI_Init fails.
    public static func start() throws -> Status {
        if let s = cached { return s }
        let mode = environment("DESCRY_MPI")
        if mode == "0" {
            return remember(Status(library: nil, version: nil, initialized: false, note: "MPI disabled by DESCRY_MPI=0"))
        }
        var loaded: String? = nil
        var reasons: [String] = []
        let explicit = environment("DESCRY_MPI_LIBRARY").flatMap { $0.isEmpty ? nil : $0 }
        for name in explicit.map({ [$0] }) ?? defaultLibraries {
            if let why = open(name) { reasons.append(why) } else { loaded = name; break }
        }
        guard let library = loaded else {
            if let name = explicit {
                throw EngineError("mpi: cannot load DESCRY_MPI_LIBRARY=\(name): \(reasons.joined(separator: "; "))")
            }
            return remember(Status(library: nil, version: nil, initialized: false,
                                   note: "no MPI library found (\(defaultLibraries.joined(separator: ", "))): one rank"))
        }
        let version = libraryVersion()
        let launched = mode == "1" || launcherVariables.contains { environment($0) != nil }
        guard launched else {
            return remember(Status(library: library, version: version, initialized: false,
                                   note: "not started by an MPI launcher (mpirun, srun): one rank"))
        }
        try check(descry_mpi_init(), "MPI_Init")
        atexit { _ = descry_mpi_finalize() }
        return remember(Status(library: library, version: version, initialized: true, note: nil))
    }

    /// True when MPI is initialised and not finalised.
    public static var isActive: Bool { descry_mpi_active() != 0 }

    /// "rank R of N: " when MPI is active with more than one rank, else "" (prefix for messages).
    public static var rankLabel: String {
        guard isActive else { return "" }
        var r: Int32 = 0
        var n: Int32 = 0
        guard descry_mpi_rank(DESCRY_MPI_COMM_WORLD, &r) == 0, descry_mpi_size(DESCRY_MPI_COMM_WORLD, &n) == 0, n > 1 else { return "" }
        return "rank \(r) of \(n): "
    }

    /// Ends the whole job (MPI_Abort on MPI_COMM_WORLD) when MPI is active; returns otherwise.
    /// Used after an uncaught error on one rank, so the others do not wait in a collective.
    /// The launcher tears the job down as soon as MPI_Abort reaches it, and may drop output its
    /// I/O forwarding has not read yet: a half-second pause first lets the rank's message out.
    public static func abortJob(code: Int32) {
        guard isActive else { return }
        fflush(stdout)
        fflush(stderr)
        usleep(500_000)
        _ = descry_mpi_abort(code == 0 ? 1 : code)
    }

    /// MPI_Finalize when active (also registered with atexit).
    public static func finalize() {
        _ = descry_mpi_finalize()
    }

    /// Throws the MPI error text (MPI_Error_string) of a failed call.
    static func check(_ rc: Int32, _ what: String) throws {
        guard rc != 0 else { return }
        throw EngineError("\(what) failed: \(errorString(rc))")
    }

    static func errorString(_ rc: Int32) -> String {
        var buf = [CChar](repeating: 0, count: 1100)
        descry_mpi_error_string(rc, &buf, buf.count)
        return String(cString: buf).trimmingTrailingSpace()
    }

    private static func remember(_ s: Status) -> Status {
        cached = s
        return s
    }

    private static func open(_ name: String) -> String? {
        var err = [CChar](repeating: 0, count: 1024)
        return descry_mpi_open(name, &err, err.count) == 0 ? nil : String(cString: err)
    }

    private static func libraryVersion() -> String? {
        var buf = [CChar](repeating: 0, count: 8200)
        guard descry_mpi_library_version(&buf, buf.count) == 0 else { return nil }
        let text = String(cString: buf)
        return text.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init)
    }

    private static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}

extension String {
    func trimmingTrailingSpace() -> String {
        var s = Substring(self)
        while let c = s.last, c == " " || c == "\n" || c == "\t" { s = s.dropLast() }
        return String(s)
    }
}
