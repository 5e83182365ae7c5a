import DescryLinalg
import LuaBridge

/// Conversions between Lua values on the stack and `JSONValue` (raw table access only):
/// arrays are tables with keys 1..n (marked with the `json.array` metatable when decoded, so an
/// empty one is written `[]`), objects tables with string keys, JSON null the `json.null`
/// sentinel, an la.matrix `{rows, cols, data}`.
public enum JsonConversion {
    static let nullKey = "descry.json.null"
    /// Metatable marking a table as a JSON array (so an empty one is written `[]`).
    public static let arrayMetatable = "json.array"

    /// Creates the array marker metatable and pushes the `json.null` sentinel (a unique table
    /// printed as "json.null", also kept in the registry).
    public static func pushNullInstallingMarkers(_ call: LuaCall) {
        if call.pushNewMetatable(arrayMetatable) {
            call.push("json.array")
            call.setField(-2, "__name")
        }
        call.pop()
        call.newTable()
        call.newTable()
        call.push("json.null")
        call.setField(-2, "__name")
        SwiftFunctions.pushToString(call.L, "json.null")
        call.setField(-2, "__tostring")
        call.setMetatableFromTop()
        call.copyValue(-1)
        call.setRegistryValue(nullKey)
    }

    /// Marks the table on top of the stack as a JSON array.
    public static func markArray(_ call: LuaCall) {
        call.setMetatable(named: arrayMetatable)
    }

    static func isNull(_ call: LuaCall, _ i: Int32) -> Bool {
        let idx = call.absolute(i)
        call.pushRegistryValue(nullKey)
        defer { call.pop() }
        return call.rawEqual(idx, -1)
    }

    /// Pushes the Lua form of `v`.
    public static func push(_ call: LuaCall, _ v: JSONValue) throws {
        try call.ensureStack(4)
        switch v {
        case .null:
            call.pushRegistryValue(nullKey)
        case .bool(let b):
            call.push(b)
        case .number(let x):
            if x == x.rounded(), Swift.abs(x) < 9.0e15 { call.push(Int(x)) } else { call.push(x) }
        case .string(let s):
            call.push(s)
        case .array(let items):
            try call.pushList(items.count) { k in try push(call, items[k]) }
            markArray(call)
        case .object(let members):
            call.newTable(record: members.count)
            for (k, item) in members {
                try push(call, item)
                call.setField(-2, k)
            }
        }
    }

    /// The JSON value of the Lua value at `i`; `path` names it in errors (`value.a[2]`).
    public static func read(_ call: LuaCall, _ i: Int32, path: String, depth: Int) throws -> JSONValue {
        var visiting = Set<UnsafeRawPointer>()
        return try read(call, i, path: path, depth: depth, visiting: &visiting)
    }

    private static func read(_ call: LuaCall, _ i: Int32, path: String, depth: Int,
                             visiting: inout Set<UnsafeRawPointer>) throws -> JSONValue {
        let idx = call.absolute(i)
        guard depth < 200 else { throw call.error("\(path): nesting too deep (a cycle?)") }
        try call.ensureStack(8)
        switch call.type(idx) {
        case LUA_TNIL_VALUE:
            return .null
        case LUA_TBOOLEAN_VALUE:
            return .bool(call.boolean(idx))
        case LUA_TNUMBER_VALUE:
            let x = try call.number(idx)
            guard x.isFinite else { throw call.error("\(path): \(x.isNaN ? "NaN" : "\(x)") cannot be written as JSON") }
            return .number(x)
        case LUA_TSTRING_VALUE:
            return .string(try call.string(idx))
        case LUA_TUSERDATA_VALUE:
            if let m = call.testMatrix(idx) {
                guard m.m.data.allSatisfy({ $0.isFinite }) else {
                    throw call.error("\(path): matrix has NaN or Inf entries")
                }
                return JSONValue(matrix: m.m)
            }
            throw call.error("\(path): cannot write a \(call.typeName(idx)) as JSON")
        case LUA_TTABLE_VALUE:
            if isNull(call, idx) { return .null }
            guard let identity = call.identity(idx), visiting.insert(identity).inserted else {
                throw call.error("\(path): table contains itself (a cycle cannot be written as JSON)")
            }
            defer { visiting.remove(identity) }
            return try readTable(call, idx, path: path, depth: depth, visiting: &visiting)
        default:
            throw call.error("\(path): cannot write a \(call.typeName(idx)) as JSON")
        }
    }

    private static func readTable(_ call: LuaCall, _ idx: Int32, path: String, depth: Int,
                                  visiting: inout Set<UnsafeRawPointer>) throws -> JSONValue {
        var intKeys: [Int] = []
        var strKeys: [String] = []
        for key in call.tableKeys(idx) {
            switch key {
            case .integer(let k): intKeys.append(k)
            case .string(let s): strKeys.append(s)
            case .other: throw call.error("\(path): table keys must be strings or integers 1..n")
            }
        }
        if !intKeys.isEmpty && !strKeys.isEmpty {
            throw call.error("\(path): table mixes array and object keys")
        }
        if !intKeys.isEmpty || (strKeys.isEmpty && call.hasMetatable(idx, named: arrayMetatable)) {
            if intKeys.isEmpty { return .array([]) }
            intKeys.sort()
            guard intKeys.first == 1 && intKeys.last == intKeys.count else {
                throw call.error("\(path): array has holes (keys must be 1..n)")
            }
            var items: [JSONValue] = []
            for k in 1...intKeys.count {
                call.rawIndex(idx, k)
                defer { call.pop() }
                items.append(try read(call, -1, path: "\(path)[\(k)]", depth: depth + 1, visiting: &visiting))
            }
            return .array(items)
        }
        var members: [(String, JSONValue)] = []
        for k in strKeys.sorted() {
            call.rawField(idx, k)
            defer { call.pop() }
            members.append((k, try read(call, -1, path: "\(path).\(k)", depth: depth + 1, visiting: &visiting)))
        }
        return .object(members)
    }
}
