import CLua
import LuaShim

extension LuaCall {
    /// Pushes `bytes` as a Lua string, embedded NULs and invalid UTF-8 kept (the inverse of
    /// `bytes(_:)`).
    public func push(bytes: [UInt8]) {
        bytes.withUnsafeBytes { p in
            if let base = p.baseAddress, p.count > 0 {
                _ = lua_pushlstring(L, base.assumingMemoryBound(to: CChar.self), p.count)
            } else {
                _ = lua_pushlstring(L, "", 0)
            }
        }
    }
}
