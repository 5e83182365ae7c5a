import CLua
import LuaShim
import LuaBridge
import CReadline
import DescryLinalg
#if canImport(Glibc)
import Glibc
#endif

/// Ctrl-C handling. While Lua runs, SIGINT sets a debug hook that raises "interrupted!" at the
/// next Lua instruction (as lua.c does), so a runaway loop returns to the prompt; long Swift
/// loops see the same request through `Interruption` and throw. The request stays armed until
/// the chunk runner has received it (`descry_interrupt_delivered`), so no pcall or collector
/// step in between can lose it. At the REPL prompt, SIGINT clears the line being edited
/// (readline's own signal catching is off).
enum Interrupts {
    /// 1 while readline waits for input; written by the REPL, read by the handler.
    nonisolated(unsafe) static var atPrompt: sig_atomic_t = 0
    /// Set by the handler when Ctrl-C cleared a line at the prompt (drops a pending chunk).
    nonisolated(unsafe) static var clearedAtPrompt: sig_atomic_t = 0
    nonisolated(unsafe) static var mainPrompt: UnsafeMutablePointer<CChar>? = strdup("> ")

    static func install(_ state: LuaState) {
        descry_interrupt_arm(state.L)
        signal(SIGINT, handler)
        Interruption.isRequested = { descry_interrupt_requested() != 0 }
    }

    private static let handler: @convention(c) (Int32) -> Void = { _ in
        if Interrupts.atPrompt != 0 {
            Interrupts.clearedAtPrompt = 1
            _ = write(1, "^C\n", 3)
            rl_set_prompt(Interrupts.mainPrompt)
            rl_on_new_line()
            rl_replace_line("", 0)
            rl_redisplay()
        } else {
            descry_interrupt_signal()
        }
    }
}
