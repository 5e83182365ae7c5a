/// A failure reported by Swift code to Lua. The C trampoline (`descry_trampoline`) turns it
/// into a Lua error after the Swift frame has returned, so no longjmp crosses Swift.
public struct LuaError: Error, CustomStringConvertible {
    /// The message, without position.
    public var message: String
    /// Prefix the message with the Lua caller's `chunk:line:` as `luaL_error` does.
    public var withPosition: Bool

    public init(_ message: String, withPosition: Bool = true) {
        self.message = message
        self.withPosition = withPosition
    }

    public var description: String { message }

    /// `bad argument #n to 'f' (detail)`, the lauxlib wording.
    public static func badArgument(_ index: Int32, function: String, _ detail: String) -> LuaError {
        LuaError("bad argument #\(index) to '\(function)' (\(detail))")
    }
}
