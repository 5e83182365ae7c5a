import DescryLinalg

/// What the `log.lammps` reader does with a truncated last line: the final line of the file
/// has no terminating newline while a thermo block is open (a log copied while LAMMPS was
/// still writing it). `.drop` ignores that line and records its number; `.error` throws.
public enum TruncatedLinePolicy: String, Sendable {
    case drop, error
}

/// How `LammpsLog.series` treats a run boundary where the next thermo block starts with the
/// step the previous one ended on (LAMMPS prints the state at setup of every `run`).
/// `.first` keeps the earlier block's row (the state the dynamics reached), `.last` the later
/// block's row (re-printed after any input commands between the runs), `.keep` both.
public enum DuplicateSteps: String, Sendable {
    case first, last, keep
}

/// Options of the `log.lammps` reader.
public struct LammpsLogOptions: Sendable {
    public var truncated: TruncatedLinePolicy
    public init(truncated: TruncatedLinePolicy = .drop) { self.truncated = truncated }
}

/// A line of the log worth reporting (a `WARNING` or `ERROR` message) with its line number.
public struct LogMessage: Sendable, Equatable {
    public let line: Int
    public let text: String
}

/// The thermo output of one `run`, `minimize` or `rerun` in a LAMMPS log (LAMMPS manual,
/// `thermo_style`: styles one/custom print a header line and one row per output step, multi
/// prints "---- Step N ----- CPU = t" records of `key = value` pairs, yaml prints a YAML
/// document with `keywords` and `data`). Values are in the units of the run (metal: eV, bar, K, Å³).
public struct ThermoBlock {
    /// Column names as LAMMPS printed them (e.g. Step, Temp, PotEng, Press, Pxx, Volume).
    public let columns: [String]
    /// Rows × columns, in file order (Step as a floating-point number).
    public let data: Matrix
    /// "one" (default and custom styles), "multi" or "yaml".
    public let style: String
    /// The echoed input line that started the block (`run 1000`), "" when not echoed.
    public let command: String
    /// 1-based line numbers of the header and of the last line that belonged to the block.
    public let firstLine: Int
    public let lastLine: Int
    /// Seconds from "Loop time of t on ..."; nil when the block never ended (log cut short).
    public let loopTime: Double?

    /// True when the block ended with LAMMPS' "Loop time" line.
    public var complete: Bool { loopTime != nil }

    /// Index of the column called `name`, nil when absent.
    public func column(_ name: String) -> Int? { columns.firstIndex(of: name) }
}

/// A LAMMPS log file (`log.lammps`, plain or .gz) read into its thermo blocks, in file order.
/// Handles thermo styles one/custom, multi and yaml, several run/minimize blocks, WARNING and
/// ERROR lines interleaved with thermo rows (recorded in `warnings`), other non-numeric lines
/// inside a block (skipped, as `lammps.formats.LogFile` does), and a truncated last line (see
/// `TruncatedLinePolicy`). A block without "Loop time" is kept with `complete == false`
/// (LAMMPS' LogFile drops it). Rows with `nan`/`inf` are kept as NaN/±inf (LogFile skips
/// lines containing letters). Allocation grows only with the bytes actually read.
public struct LammpsLog {
    public let path: String
    /// The banner, e.g. "LAMMPS (22 Jul 2025 - Update 4)", when present.
    public let version: String?
    public let blocks: [ThermoBlock]
    public let warnings: [LogMessage]
    /// Line number of a dropped truncated last line (or of a dropped incomplete multi record).
    public let droppedLine: Int?

    /// Reads `path`; errors name file and line (`log.lammps:120: thermo row has 5 fields, ...`).
    public init(path: String, options: LammpsLogOptions = .init()) throws {
        var parser = try LammpsLogParser(path: path, options: options)
        try parser.parse()
        self.path = path
        version = parser.version
        blocks = parser.blocks
        warnings = parser.warnings
        droppedLine = parser.droppedLine
    }

    /// Column names present in every block, in the order of the first block.
    public var commonColumns: [String] {
        guard let first = blocks.first else { return [] }
        return first.columns.filter { name in blocks.allSatisfy { $0.column(name) != nil } }
    }

    /// The columns `names` concatenated over the blocks `selection` (0-based, default all) and
    /// the Step of each row. At a boundary where a block starts with the step the previous
    /// selected block ended on, `duplicates` decides which row stays (`DuplicateSteps`). Steps
    /// that go backwards (reset_timestep) are returned as they are. Every selected block must
    /// have a Step column and every name.
    public func series(_ names: [String], blocks selection: [Int]? = nil,
                       duplicates: DuplicateSteps = .first) throws -> (values: Matrix, steps: [Double]) {
        let chosen = selection ?? Array(blocks.indices)
        var out: [Double] = []
        var steps: [Double] = []
        for b in chosen {
            guard blocks.indices.contains(b) else {
                throw EngineError("\(path): no thermo block \(b + 1) (the log has \(blocks.count))")
            }
            let block = blocks[b]
            let stepIndex = try columnIndex(block, b, "Step")
            let indices = try names.map { try columnIndex(block, b, $0) }
            var start = 0
            if let last = steps.last, block.data.rows > 0, block.data[0, stepIndex] == last {
                switch duplicates {
                case .first: start = 1
                case .last:
                    steps.removeLast()
                    out.removeLast(names.count)
                case .keep: break
                }
            }
            for i in start..<max(start, block.data.rows) {
                steps.append(block.data[i, stepIndex])
                for j in indices { out.append(block.data[i, j]) }
            }
        }
        return (Matrix(rows: steps.count, cols: names.count, data: out), steps)
    }

    private func columnIndex(_ block: ThermoBlock, _ b: Int, _ name: String) throws -> Int {
        guard let j = block.column(name) else {
            throw EngineError("\(path):\(block.firstLine): thermo block \(b + 1) has no column '\(name)' (it has \(block.columns.joined(separator: " ")))")
        }
        return j
    }
}
