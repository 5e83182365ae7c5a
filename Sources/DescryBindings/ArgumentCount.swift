import LuaBridge

extension LuaCall {
    /// Throws "bad argument #k … (unexpected extra argument …)" when more than `n` arguments were
    /// passed, so that e.g. `la.zeros(2, 3, 4, 5)` is an error instead of a silent 2×3 matrix.
    /// Trailing nils are no arguments (`f(a, b, opt)` with `opt = nil`).
    func checkArgumentCount(atMost n: Int32) throws {
        var last = argumentCount
        while last > n && isNoneOrNil(last) { last -= 1 }
        guard last > n else { return }
        let shown = isMethod ? n - 1 : n
        throw argumentError(n + 1, "unexpected extra argument (at most \(shown) expected, got \(isMethod ? last - 1 : last))")
    }
}
