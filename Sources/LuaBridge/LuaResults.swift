/// A Swift value that has one Lua form (a number, a string, an array, a matrix, ...), so a
/// binding can return several values in one statement: `return call.results(m, names)`.
public protocol LuaPushable {
    /// Pushes the Lua form of the value onto `call`'s stack.
    func push(to call: LuaCall)
}

extension Double: LuaPushable {
    public func push(to call: LuaCall) { call.push(self) }
}

extension Int: LuaPushable {
    public func push(to call: LuaCall) { call.push(self) }
}

extension Bool: LuaPushable {
    public func push(to call: LuaCall) { call.push(self) }
}

extension String: LuaPushable {
    public func push(to call: LuaCall) { call.push(self) }
}

extension Array: LuaPushable where Element: LuaPushable {
    /// A Lua array (1-based) of the elements' Lua forms.
    public func push(to call: LuaCall) {
        call.pushList(count) { k in self[k].push(to: call) }
    }
}

extension Optional: LuaPushable where Wrapped: LuaPushable {
    /// nil, or the wrapped value's Lua form.
    public func push(to call: LuaCall) {
        if let v = self { v.push(to: call) } else { call.pushNil() }
    }
}

extension LuaCall {
    /// Pushes each value and returns their count: the result count of a Lua function.
    public func results(_ values: any LuaPushable...) -> Int32 {
        for v in values { v.push(to: self) }
        return Int32(values.count)
    }
}
