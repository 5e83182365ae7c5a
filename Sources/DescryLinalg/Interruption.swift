/// Cooperative cancellation of long engine computations (Ctrl-C in the REPL). The engine knows
/// nothing of signals or Lua: the host installs `Interruption.isRequested`, and long loops call
/// `try Interruption.check()` between units of work (a frame, a bagged fit, a block of rows).
public enum Interruption {
    /// Set by the host (descry installs a reader of its SIGINT flag). Default: never.
    nonisolated(unsafe) public static var isRequested: () -> Bool = { false }

    /// Throws `EngineError("interrupted")` when the user asked to stop.
    @inline(__always)
    public static func check() throws {
        if isRequested() { throw EngineError("interrupted") }
    }
}
