import DescryLinalg
import LuaBridge

extension LaBindings {
    /// `la.printoptions`: the session's matrix display settings (numpy `set_printoptions` /
    /// `get_printoptions`), used by tostring(m), the REPL and m:format.
    static let printOptionFunctions: [LuaMethod] = [
        LuaMethod("printoptions", """
            la.printoptions([opts]) -> table
            Sets how matrices print from now on (tostring, the REPL, notebooks, m:format), as
            numpy.set_printoptions: opts.precision (digits after the point, 0..17, default 8),
            threshold (elements before summarising with …, default 1000), edgeitems (rows and
            columns shown at each edge when summarised, default 3), linewidth (default 120);
            opts.reset = true restores the defaults. Returns the settings before the call.
            """) { call in
            try call.checkOptionKeys(1, allowed: ["precision", "threshold", "edgeitems", "linewidth", "reset"])
            let before = MatrixFormatter.session
            var f = (try call.optionBool(1, "reset") ?? false) ? MatrixFormatter() : before
            try applyFormatOptions(call, 1, to: &f)
            MatrixFormatter.session = f
            call.pushRecord([
                ("precision", { call.push(before.precision) }),
                ("threshold", { call.push(before.threshold) }),
                ("edgeitems", { call.push(before.edgeItems) }),
                ("linewidth", { call.push(before.lineWidth) }),
            ])
            return 1
        },
    ]

    /// Reads precision/threshold/edgeitems/linewidth from the options table at `i` into `f`.
    static func applyFormatOptions(_ call: LuaCall, _ i: Int32, to f: inout MatrixFormatter) throws {
        if let p = try call.optionInteger(i, "precision") {
            guard (0...17).contains(p) else { throw call.argumentError(i, "precision must be in 0..17") }
            f.precision = p
        }
        if let t = try call.optionInteger(i, "threshold") { f.threshold = t }
        if let e = try call.optionInteger(i, "edgeitems") { f.edgeItems = min(max(1, e), 1 << 20) }
        if let w = try call.optionInteger(i, "linewidth") { f.lineWidth = w }
    }
}
