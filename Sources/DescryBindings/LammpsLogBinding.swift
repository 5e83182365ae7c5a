import DescryAtoms
import DescryLinalg
import LuaBridge
import LuaLinalgBridge

/// Lua userdata for a parsed LAMMPS log (`atoms.log`, from `atoms.read_log`).
public final class LuaLammpsLog: LuaObject {
    public static let luaTypeName = "atoms.log"
    public let log: LammpsLog
    public init(_ l: LammpsLog) { log = l }

    /// Bytes held (thermo values), reported to Lua's collector when pushed.
    public var memoryFootprint: Int { log.blocks.reduce(256) { $0 &+ $1.data.count &* 8 &+ 64 } }
}

/// `atoms.read_log` and the `atoms.log` class (engine: `LammpsLog`).
enum LammpsLogBindings {
    static let readLog = LuaMethod("read_log", """
        atoms.read_log(path [, {truncated = "drop"|"error"}]) -> atoms.log
        Reads the thermo output of a LAMMPS log (log.lammps, plain or .gz): one block per run,
        minimize or rerun, in file order. thermo_style one/custom, multi and yaml; WARNING and
        ERROR lines between rows are recorded (lg:warnings()), other messages inside a block are
        skipped. A last line without newline inside a block (log copied while LAMMPS was writing)
        is dropped by default (lg:info().dropped_line) or an error with truncated = "error"; a
        block without "Loop time" is kept with complete = false. Values in the run's units (metal:
        eV, bar, K, Å³, ps). Compared with LAMMPS' own lammps.formats.LogFile in the tests.
        Methods: run(k) column(name) columns(names) names() warnings() info(); #lg blocks.
        """) { call in
        let path = try call.string(1)
        try call.checkOptionKeys(2, allowed: ["truncated"])
        var options = LammpsLogOptions()
        if let t = try call.optionString(2, "truncated") {
            guard let policy = TruncatedLinePolicy(rawValue: t) else {
                throw call.argumentError(2, "option 'truncated' must be \"drop\" or \"error\", got \"\(t)\"")
            }
            options.truncated = policy
        }
        call.push(object: LuaLammpsLog(try LammpsLog(path: path, options: options)))
        return 1
    }

    /// The series options table at `i`: duplicates and runs (1-based → 0-based).
    static func seriesOptions(_ call: LuaCall, _ i: Int32, blockCount: Int) throws -> (DuplicateSteps, [Int]?) {
        try call.checkOptionKeys(i, allowed: ["duplicates", "runs"])
        var duplicates = DuplicateSteps.first
        if let d = try call.optionString(i, "duplicates") {
            guard let v = DuplicateSteps(rawValue: d) else {
                throw call.argumentError(i, "option 'duplicates' must be \"first\", \"last\" or \"keep\", got \"\(d)\"")
            }
            duplicates = v
        }
        guard call.type(i) == LUA_TTABLE_VALUE else { return (duplicates, nil) }
        let runs = try call.withField(i, "runs") { f -> [Int]? in
            if call.isNoneOrNil(f) { return nil }
            return try integers(call, f, "option 'runs'", arg: i)
        }
        guard let runs else { return (duplicates, nil) }
        for k in runs where k < 1 || k > blockCount {
            throw call.argumentError(i, "option 'runs': no run \(k) (the log has \(blockCount))")
        }
        return (duplicates, runs.map { $0 - 1 })
    }

    /// Pushes block `b` as the table documented in `log:run`.
    static func pushBlock(_ call: LuaCall, _ b: ThermoBlock) {
        var fields: [(String, () -> Void)] = [
            ("columns", { call.push(b.columns) }),
            ("data", { call.push(matrix: b.data) }),
            ("style", { call.push(b.style) }),
            ("command", { call.push(b.command) }),
            ("first_line", { call.push(b.firstLine) }),
            ("last_line", { call.push(b.lastLine) }),
            ("complete", { call.push(b.complete) }),
        ]
        if let s = b.column("Step") {
            let steps = (0..<b.data.rows).map { b.data[$0, s] }
            fields.append(("step", { call.push(matrix: Matrix(rows: steps.count, cols: 1, data: steps)) }))
        }
        if let t = b.loopTime {
            fields.append(("loop_time", { call.push(t) }))
        }
        call.pushRecord(fields)
    }
}

extension LammpsLogBindings {
    static let logMethods: [LuaMethod] = [
        LuaMethod("run", """
            lg:run(k) -> table
            Thermo block k (1-based, file order): {columns = {...}, data = la.matrix (rows ×
            columns), step = la.matrix (rows × 1, absent without a Step column), style =
            "one"|"multi"|"yaml", command = echoed input line ("run 1000") or "", first_line,
            last_line, loop_time (s, absent if the block never ended), complete = boolean}.
            """) { call in
            let log = try call.object(1, as: LuaLammpsLog.self).log
            let k = try call.integer(2)
            guard k >= 1 && k <= log.blocks.count else {
                throw call.argumentError(2, "no run \(k) (the log has \(log.blocks.count))")
            }
            pushBlock(call, log.blocks[k - 1])
            return 1
        },
        LuaMethod("column", """
            lg:column(name [, {duplicates = "first"|"last"|"keep", runs = {k, ...}}]) -> la.matrix, la.matrix
            One thermo column concatenated over the runs (default all) as n×1, and the Step of
            each row (n×1). Where a run starts with the step the previous one ended on (LAMMPS
            re-prints the state at setup), "first" (default) keeps the earlier run's row (the state
            the dynamics reached), "last" the later one (printed after any input commands between
            the runs), "keep" both. Steps going backwards (reset_timestep) are returned as they
            are. A run without the column, or without Step, is an error naming file and line.
            """) { call in
            let log = try call.object(1, as: LuaLammpsLog.self).log
            let name = try call.string(2)
            let (duplicates, runs) = try seriesOptions(call, 3, blockCount: log.blocks.count)
            let s = try log.series([name], blocks: runs, duplicates: duplicates)
            return call.results(s.values, Matrix(rows: s.steps.count, cols: 1, data: s.steps))
        },
        LuaMethod("columns", """
            lg:columns({names...} [, {duplicates =, runs =}]) -> la.matrix, la.matrix
            Several thermo columns concatenated over the runs as n × #names, and the steps (n×1);
            options as lg:column.
            """) { call in
            let log = try call.object(1, as: LuaLammpsLog.self).log
            let names = try call.stringArray(2)
            guard !names.isEmpty else { throw call.argumentError(2, "at least one column name expected") }
            let (duplicates, runs) = try seriesOptions(call, 3, blockCount: log.blocks.count)
            let s = try log.series(names, blocks: runs, duplicates: duplicates)
            return call.results(s.values, Matrix(rows: s.steps.count, cols: 1, data: s.steps))
        },
        LuaMethod("names", "lg:names() -> {names...}\nColumn names present in every run, in the order of the first.") { call in
            call.push(try call.object(1, as: LuaLammpsLog.self).log.commonColumns)
            return 1
        },
        LuaMethod("warnings", "lg:warnings() -> {{line = n, text = \"WARNING: ...\"}, ...}\nWARNING and ERROR lines of the log with their line numbers.") { call in
            let log = try call.object(1, as: LuaLammpsLog.self).log
            call.pushList(log.warnings.count) { k in
                let w = log.warnings[k]
                call.pushRecord([("line", { call.push(w.line) }), ("text", { call.push(w.text) })])
            }
            return 1
        },
        LuaMethod("info", """
            lg:info() -> {path =, version = "LAMMPS (...)" or nil, runs = n, dropped_line = n or nil}
            The file, the LAMMPS banner, the number of thermo blocks and the line number of a
            dropped truncated last line.
            """) { call in
            let log = try call.object(1, as: LuaLammpsLog.self).log
            var fields: [(String, () -> Void)] = [
                ("path", { call.push(log.path) }),
                ("runs", { call.push(log.blocks.count) }),
            ]
            if let v = log.version {
                fields.append(("version", { call.push(v) }))
            }
            if let d = log.droppedLine {
                fields.append(("dropped_line", { call.push(d) }))
            }
            call.pushRecord(fields)
            return 1
        },
    ]

    static let logClass = LuaClass(
        typeName: LuaLammpsLog.luaTypeName, shortName: "log",
        doc: "atoms.log: the thermo blocks of a LAMMPS log (atoms.read_log). Methods: run column columns names warnings info; #lg is the number of runs.",
        methods: logMethods,
        metamethods: [
            LuaMethod("__len", "#lg: number of thermo blocks (runs, minimizes).") { call in
                call.push(try call.object(1, as: LuaLammpsLog.self).log.blocks.count)
                return 1
            },
            LuaMethod("__tostring", "tostring(lg)") { call in
                let log = try call.object(1, as: LuaLammpsLog.self).log
                let rows = log.blocks.reduce(0) { $0 + $1.data.rows }
                call.push("atoms.log(\(log.path): \(log.blocks.count) runs, \(rows) rows)")
                return 1
            },
        ])
}
