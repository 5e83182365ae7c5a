import CLua
import DescryLinalg
import LuaBridge
import LuaShim

/// `descry.json`: JSON text ↔ Lua values (RFC 8259), for fitted models, manifests and results.
/// Arrays are tables with keys 1..n, objects tables with string keys (written sorted, so output
/// is deterministic); JSON null is `json.null`; an la.matrix is written as {rows, cols, data};
/// an empty table is an object `{}` unless marked by `json.array` (decoded arrays are marked).
public let jsonModule = LuaModule(
    name: "descry.json", shortName: "json",
    doc: """
        descry.json: read and write JSON (RFC 8259). decode, encode, load, save; json.null stands
        for JSON null. Numbers keep full precision (shortest round-trip form).
        """,
    functions: [
        LuaMethod("decode", """
            json.decode(text) -> value
            Parses JSON text into Lua values (objects and arrays become tables, null json.null).
            Errors give line and column.
            """) { call in
            let text = try call.string(1)
            let v: JSONValue
            do { v = try JSONValue.parse(text) } catch { throw call.error("\(error)") }
            try JsonConversion.push(call, v)
            return 1
        },
        LuaMethod("encode", """
            json.encode(v [, {indent = n}]) -> string
            JSON text of a Lua value: tables with keys 1..n are arrays, tables with string keys
            objects (keys sorted), la matrices {rows, cols, data}. NaN/Inf and cycles are errors.
            """) { call in
            let indent = try call.optionInteger(2, "indent") ?? 0
            let v = try JsonConversion.read(call, 1, path: "value", depth: 0)
            call.push(v.serialized(indent: indent))
            return 1
        },
        LuaMethod("array", """
            json.array([t]) -> t
            Marks table t (default: a new empty table) as a JSON array, so that it is written as
            [] even when empty. Decoded arrays carry the mark already.
            """) { call in
            if call.isNoneOrNil(1) { descry_newtable(call.L) } else { try call.checkTable(1); call.copyValue(1) }
            _ = descry_getmetatable_named(call.L, JsonConversion.arrayMetatable)
            lua_setmetatable(call.L, -2)
            return 1
        },
        LuaMethod("load", """
            json.load(path) -> value
            Reads and parses a JSON file; errors name the file, line and column.
            """) { call in
            let path = try call.string(1)
            let text = try readTextFile(path)
            let v: JSONValue
            do { v = try JSONValue.parse(text) } catch { throw call.error("\(path): \(error)") }
            try JsonConversion.push(call, v)
            return 1
        },
        LuaMethod("save", """
            json.save(path, v [, {indent = 2}]) -> nothing
            Writes v as JSON (pretty-printed, 2 spaces by default) atomically (temporary file + rename).
            """) { call in
            let path = try call.string(1)
            let indent = try call.optionInteger(3, "indent") ?? 2
            let v = try JsonConversion.read(call, 2, path: "value", depth: 0)
            try writeTextFileAtomically(path, v.serialized(indent: indent) + "\n")
            return 0
        },
    ],
    customize: { call in
        // The array marker metatable (shared by decoded arrays and json.array).
        if luaL_newmetatable(call.L, JsonConversion.arrayMetatable) != 0 {
            call.push("json.array")
            call.setField(-2, "__name")
        }
        descry_pop(call.L, 1)
        // json.null: a unique sentinel, printed as "json.null".
        descry_newtable(call.L)
        descry_newtable(call.L)
        call.push("json.null")
        call.setField(-2, "__name")
        SwiftFunctions.pushToString(call.L, "json.null")
        call.setField(-2, "__tostring")
        lua_setmetatable(call.L, -2)
        lua_pushvalue(call.L, -1)
        lua_setfield(call.L, descry_registryindex(), JsonConversion.nullKey)
        call.setField(-2, "null")
    }
)

/// Conversions between Lua values on the stack and `JSONValue` (raw table access only).
enum JsonConversion {
    static let nullKey = "descry.json.null"
    /// Metatable marking a table as a JSON array (so an empty one is written `[]`).
    static let arrayMetatable = "json.array"

    static func isMarkedArray(_ call: LuaCall, _ idx: Int32) -> Bool {
        guard lua_getmetatable(call.L, idx) != 0 else { return false }
        _ = descry_getmetatable_named(call.L, arrayMetatable)
        defer { descry_pop(call.L, 2) }
        return lua_rawequal(call.L, -1, -2) != 0
    }

    static func isNull(_ call: LuaCall, _ i: Int32) -> Bool {
        let idx = lua_absindex(call.L, i)
        lua_getfield(call.L, descry_registryindex(), nullKey)
        defer { descry_pop(call.L, 1) }
        return lua_rawequal(call.L, idx, -1) != 0
    }

    static func push(_ call: LuaCall, _ v: JSONValue) throws {
        let L = call.L
        try call.ensureStack(4)
        switch v {
        case .null: lua_getfield(L, descry_registryindex(), nullKey)
        case .bool(let b): call.push(b)
        case .number(let x):
            if x == x.rounded(), Swift.abs(x) < 9.0e15 { call.push(Int(x)) } else { call.push(x) }
        case .string(let s): call.push(s)
        case .array(let items):
            lua_createtable(L, Int32(clamping: items.count), 0)
            for (k, item) in items.enumerated() {
                try push(call, item)
                lua_rawseti(L, -2, lua_Integer(k + 1))
            }
            _ = descry_getmetatable_named(L, arrayMetatable)
            lua_setmetatable(L, -2)
        case .object(let members):
            lua_createtable(L, 0, Int32(clamping: members.count))
            for (k, item) in members {
                try push(call, item)
                call.setField(-2, k)
            }
        }
    }

    static func read(_ call: LuaCall, _ i: Int32, path: String, depth: Int) throws -> JSONValue {
        var visiting = Set<UnsafeRawPointer>()
        return try read(call, i, path: path, depth: depth, visiting: &visiting)
    }

    private static func read(_ call: LuaCall, _ i: Int32, path: String, depth: Int,
                             visiting: inout Set<UnsafeRawPointer>) throws -> JSONValue {
        let L = call.L
        let idx = lua_absindex(L, i)
        guard depth < 200 else { throw call.error("\(path): nesting too deep (a cycle?)") }
        try call.ensureStack(8)
        switch lua_type(L, idx) {
        case LUA_TNIL: return .null
        case LUA_TBOOLEAN: return .bool(lua_toboolean(L, idx) != 0)
        case LUA_TNUMBER:
            let x = descry_tonumberx(L, idx, nil)
            guard x.isFinite else { throw call.error("\(path): \(x.isNaN ? "NaN" : "\(x)") cannot be written as JSON") }
            return .number(x)
        case LUA_TSTRING: return .string(try call.string(idx))
        case LUA_TUSERDATA:
            if let m = call.testMatrix(idx) {
                guard m.m.data.allSatisfy({ $0.isFinite }) else {
                    throw call.error("\(path): matrix has NaN or Inf entries")
                }
                return JSONValue(matrix: m.m)
            }
            throw call.error("\(path): cannot write a \(call.typeName(idx)) as JSON")
        case LUA_TTABLE:
            if isNull(call, idx) { return .null }
            guard let identity = lua_topointer(L, idx), visiting.insert(identity).inserted else {
                throw call.error("\(path): table contains itself (a cycle cannot be written as JSON)")
            }
            defer { visiting.remove(identity) }
            var intKeys: [lua_Integer] = []
            var strKeys: [String] = []
            lua_pushnil(L)
            while lua_next(L, idx) != 0 {
                descry_pop(L, 1)
                if lua_type(L, -1) == LUA_TNUMBER && descry_isinteger_value(L, -1) != 0 {
                    intKeys.append(descry_tointegerx(L, -1, nil))
                } else if lua_type(L, -1) == LUA_TSTRING {
                    strKeys.append(String(cString: descry_tolstring(L, -1, nil)))
                } else {
                    descry_pop(L, 1)
                    throw call.error("\(path): table keys must be strings or integers 1..n")
                }
            }
            if !intKeys.isEmpty && !strKeys.isEmpty {
                throw call.error("\(path): table mixes array and object keys")
            }
            if !intKeys.isEmpty || (strKeys.isEmpty && isMarkedArray(call, idx)) {
                if intKeys.isEmpty { return .array([]) }
                intKeys.sort()
                guard intKeys.first == 1 && intKeys.last == lua_Integer(intKeys.count) else {
                    throw call.error("\(path): array has holes (keys must be 1..n)")
                }
                var items: [JSONValue] = []
                for k in 1...intKeys.count {
                    lua_rawgeti(L, idx, lua_Integer(k))
                    defer { descry_pop(L, 1) }
                    items.append(try read(call, -1, path: "\(path)[\(k)]", depth: depth + 1, visiting: &visiting))
                }
                return .array(items)
            }
            var members: [(String, JSONValue)] = []
            for k in strKeys.sorted() {
                call.rawField(idx, k)
                defer { descry_pop(L, 1) }
                members.append((k, try read(call, -1, path: "\(path).\(k)", depth: depth + 1, visiting: &visiting)))
            }
            return .object(members)
        default:
            throw call.error("\(path): cannot write a \(call.typeName(idx)) as JSON")
        }
    }
}
