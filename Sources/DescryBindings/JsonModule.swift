import DescryLinalg
import LuaBridge
import LuaLinalgBridge

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
            let bytes = try call.bytes(1)
            let v: JSONValue
            do { v = try JSONValue.parse(bytes: bytes) } catch { throw call.error("\(error)") }
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
            if call.isNoneOrNil(1) {
                call.newTable()
            } else {
                try call.checkTable(1)
                call.copyValue(1)
            }
            JsonConversion.markArray(call)
            return 1
        },
        LuaMethod("load", """
            json.load(path) -> value
            Reads and parses a JSON file; errors name the file, line and column.
            """) { call in
            let path = try call.string(1)
            let bytes = try readFileBytes(path)
            let v: JSONValue
            do { v = try JSONValue.parse(bytes: bytes) } catch { throw call.error("\(path): \(error)") }
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
        // json.null: a unique sentinel, printed as "json.null"; and the array marker metatable.
        JsonConversion.pushNullInstallingMarkers(call)
        call.setField(-2, "null")
    }
)
