import CLua
import LuaBridge

extension LuaCall {
    /// Throws "bad argument #k … (no argument expected here …)" when more than `n` arguments were
    /// passed, so that e.g. `la.zeros(2, 3, 4, 5)` is an error instead of a silent 2×3 matrix.
    func checkArgumentCount(atMost n: Int32) throws {
        let top = lua_gettop(L)
        guard top > n else { return }
        var last = top
        while last > n && lua_type(L, last) <= LUA_TNIL { last -= 1 }
        guard last > n else { return }   // trailing nils are harmless (e.g. f(a, b, opt) with opt = nil)
        throw argumentError(n + 1, "unexpected extra argument (at most \(isMethod ? n - 1 : n) expected, got \(isMethod ? last - 1 : last))")
    }
}
