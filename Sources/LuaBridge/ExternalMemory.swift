import CLua
import LuaShim

/// Bytes allocated outside Lua (Swift arrays behind userdata) since the collector was last
/// charged. Lua states are used from one thread at a time.
nonisolated(unsafe) private var uncharged = 0

extension LuaCall {
    /// Lua's collector only sees the few bytes of a userdata, not the Swift memory behind it,
    /// so a loop making temporary objects would grow without bound before a collection. Like
    /// `collectgarbage("step", kb)`, this charges the collector for memory allocated outside
    /// Lua: once 256 KiB have accumulated, one incremental GC step "as if that many KiB were
    /// allocated" runs. It calls `lua_gc` directly: no Lua function runs, no debug hook fires
    /// (finalizers run with hooks off), so nothing here can raise or swallow an error.
    public func reportExternalAllocation(bytes: Int) {
        uncharged &+= max(0, bytes)
        guard uncharged >= 256 << 10 else { return }
        let kb = uncharged >> 10
        uncharged = 0
        _ = descry_gc_step(L, Int32(clamping: kb))
    }
}
