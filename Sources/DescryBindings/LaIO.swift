import DescryLinalg
import LuaBridge
import LuaLinalgBridge

/// File I/O of descry.la: numpy .npy (DescryLinalg/Npy.swift) and delimited text
/// (DescryLinalg/Csv.swift).
extension LaBindings {
    static func isNpy(_ path: String) -> Bool { path.lowercased().hasSuffix(".npy") }

    static func csvDelimiter(_ call: LuaCall, _ opts: Int32, path: String) throws -> String {
        if let d = try call.optionString(opts, "delimiter") {
            guard d.utf8.count == 1 else { throw call.argumentError(opts, "option 'delimiter' must be one character, got '\(d)'") }
            return d
        }
        return path.lowercased().hasSuffix(".tsv") ? "\t" : ","
    }

    static func loadCsv(_ call: LuaCall, path: String, opts: Int32) throws -> Int32 {
        try call.checkOptionKeys(opts, allowed: ["delimiter", "header"])
        let delim = try csvDelimiter(call, opts, path: path)
        let header = try call.optionBool(opts, "header")
        let t = try Csv.load(path, delimiter: delim.utf8.first!, header: header)
        call.push(matrix: t.matrix)
        if let h = t.header { call.push(h) } else { call.pushNil() }
        return 2
    }

    static func saveCsv(_ call: LuaCall, path: String, m: Matrix, opts: Int32) throws -> Int32 {
        try call.checkOptionKeys(opts, allowed: ["delimiter", "header"])
        let delim = try csvDelimiter(call, opts, path: path)
        var header: [String]? = nil
        if call.type(opts) == LUA_TTABLE_VALUE {
            call.rawField(opts, "header")
            defer { call.pop() }
            if call.type(-1) != LUA_TNIL_VALUE {
                guard call.type(-1) == LUA_TTABLE_VALUE else {
                    throw call.argumentError(opts, "option 'header': table of column names expected")
                }
                header = try call.stringArray(-1)
            }
        }
        try Csv.save(path, m, header: header, delimiter: delim)
        return 0
    }

    static let ioFunctions: [LuaMethod] = [
        LuaMethod("load", """
            la.load(path [, opts]) -> la.matrix [, header | shape]
            Reads a .npy file (numpy format 1.0–3.0; dtypes <f8 <f4 <i8 <i4 |b1; C or Fortran
            order; 1-D arrays load as n×1 columns, 0-D as 1×1) or, for any other extension, a
            delimited text file (see la.loadcsv; opts.delimiter, opts.header). Arrays of 3 or
            more dimensions need opts.flatten = true: an (M, T, D) array then loads as an
            (M·T)×D matrix (numpy a.reshape(-1, D)) and its shape {M, T, D} is the second
            result. Unsupported dtypes and truncated files give clear errors.
            """) { call in
            let path = try call.string(1)
            if isNpy(path) {
                try call.checkOptionKeys(2, allowed: ["flatten"])
                let flatten = try call.optionBool(2, "flatten") ?? false
                let loaded = try Npy.load(path, flatten: flatten)
                call.push(matrix: loaded.matrix)
                guard flatten else { return 1 }
                call.push(loaded.shape)
                return 2
            }
            return try loadCsv(call, path: path, opts: 2)
        },
        LuaMethod("save", """
            la.save(path, m [, opts]) -> nothing
            Writes m as .npy (little-endian float64, C order, format 1.0; opts.vector = true
            writes a 1-D array) or, for any other extension, as CSV (opts.header = {names…},
            opts.delimiter; .tsv defaults to tab). Values are written exactly (shortest
            round-trip text for CSV).
            """) { call in
            let path = try call.string(1)
            let m = try call.matrix(2)
            if isNpy(path) {
                try call.checkOptionKeys(3, allowed: ["vector"])
                let vector = try call.optionBool(3, "vector") ?? false
                guard !vector || m.rows == 1 || m.cols == 1 else {
                    throw call.argumentError(3, "option 'vector' needs a vector, got \(m.shapeDescription)")
                }
                try Npy.save(path, m, vector: vector)
                return 0
            }
            return try saveCsv(call, path: path, m: m, opts: 3)
        },
        LuaMethod("loadcsv", """
            la.loadcsv(path [, opts]) -> la.matrix, header
            Delimited text of numbers: opts.delimiter (',' or tab for .tsv), opts.header (true /
            false; default: detected when the first row is not numeric). header is a table of
            column names or nil. Blank and '#' lines are skipped; empty fields are NaN.
            """) { call in
            try loadCsv(call, path: try call.string(1), opts: 2)
        },
        LuaMethod("savecsv", """
            la.savecsv(path, m [, opts]) -> nothing
            Writes m as delimited text (opts.header = {names…}, opts.delimiter).
            """) { call in
            try saveCsv(call, path: try call.string(1), m: try call.matrix(2), opts: 3)
        },
    ]
}
