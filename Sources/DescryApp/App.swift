import LuaBridge
import DescryBindings

/// Entry point of the descry command: parses arguments and dispatches to the script runner,
/// REPL, notebook runner or Lua test runner.
public enum DescryMain {
    public static func run(_ arguments: [String]) -> Int32 {
        let state = LuaState()
        DescryModules.registerAll(in: state)
        return 0
    }
}
