import DescryLinalg

/// The thermo styles the reader knows (LAMMPS manual, thermo_style); the raw value is
/// `ThermoBlock.style`.
enum ThermoStyle: String {
    case one, multi, yaml
}

/// A thermo block being read (see `ThermoBlock`).
struct ThermoBlockBuilder {
    var columns: [String]
    var values: [Double] = []
    let style: ThermoStyle
    let command: String
    let firstLine: Int
    var lastLine: Int
    /// multi: the record being assembled (column values, NaN until seen) and its first line.
    var record: [Double]? = nil
    var recordLine = 0
    var recordSeen = 0
    /// yaml: inside `data:`, and after the closing `...`.
    var yamlData = false
    var yamlEnded = false

    func finished(loopTime: Double?) -> ThermoBlock {
        let n = columns.isEmpty ? 0 : values.count / columns.count
        return ThermoBlock(columns: columns, data: Matrix(rows: n, cols: columns.count, data: values),
                           style: style.rawValue, command: command, firstLine: firstLine, lastLine: lastLine,
                           loopTime: loopTime)
    }
}

/// The line-by-line state machine behind `LammpsLog` (one pass, streaming).
struct LammpsLogParser {
    let r: LineReader
    let options: LammpsLogOptions
    var blocks: [ThermoBlock] = []
    var warnings: [LogMessage] = []
    var version: String? = nil
    var droppedLine: Int? = nil
    private var current: ThermoBlockBuilder? = nil
    private var awaitingHeader = false
    private var lastCommand = ""

    init(path: String, options: LammpsLogOptions) throws {
        r = try LineReader(path: path)
        self.options = options
    }

    mutating func parse() throws {
        while try r.readLine() {
            if r.isBlank { continue }
            if current != nil {
                if !r.endedWithNewline && !r.hasPrefix("Loop time of") {
                    try truncatedLine()
                    continue
                }
                try blockLine()
            } else {
                try outsideLine()
            }
        }
        if current != nil { try finishBlock(loopTime: nil) }
    }

    /// The last line has no newline while a block is open.
    mutating func truncatedLine() throws {
        if options.truncated == .error {
            throw r.error("truncated last line (no newline at the end of the file, inside a thermo block)")
        }
        droppedLine = r.lineNumber
    }

    private mutating func recordMessage() -> Bool {
        guard r.hasPrefix("WARNING") || r.hasPrefix("ERROR") else { return false }
        warnings.append(LogMessage(line: r.lineNumber, text: r.line))
        return true
    }

    private mutating func outsideLine() throws {
        if version == nil && r.hasPrefix("LAMMPS (") { version = r.line; return }
        if recordMessage() { return }
        if r.hasPrefix("Per MPI rank memory allocation") { awaitingHeader = true; return }
        let first = r.string(0)
        if first == "---" && r.fieldCount == 1 {
            startBlock(columns: [], style: .yaml)
        } else if isMultiHeader(first) {
            startBlock(columns: ["Step", "CPU"], style: .multi)
            try blockLine()
        } else if first == "Step" || (awaitingHeader && !isNumber(0)) {
            startBlock(columns: r.strings(), style: .one)
        } else if first == "run" || first == "minimize" || first == "rerun" {
            lastCommand = r.strings().joined(separator: " ")
        }
    }

    func isMultiHeader(_ first: String) -> Bool {
        first.hasPrefix("---") && r.fieldCount >= 3 && r.string(1) == "Step"
    }

    func isNumber(_ k: Int) -> Bool { (try? r.double(k)) != nil }

    private mutating func startBlock(columns: [String], style: ThermoStyle) {
        awaitingHeader = false
        current = ThermoBlockBuilder(columns: columns, style: style, command: lastCommand,
                                     firstLine: r.lineNumber, lastLine: r.lineNumber)
        lastCommand = ""
    }

    mutating func finishBlock(loopTime: Double?) throws {
        guard var b = current else { return }
        if b.style == .multi { try flushRecord(&b, atEnd: loopTime == nil) }
        current = nil
        if !b.columns.isEmpty { blocks.append(b.finished(loopTime: loopTime)) }
    }

    private mutating func blockLine() throws {
        let oneStyle = current?.style == .one
        if oneStyle && isNumber(0) {
            try current?.oneRow(r)  // the hot path: a data row
            return
        }
        if r.hasPrefix("Loop time of") {
            current?.lastLine = r.lineNumber
            try finishBlock(loopTime: r.fieldCount > 3 ? try r.double(3, column: "Loop time") : nil)
            return
        }
        if recordMessage() { return }
        if oneStyle {
            if r.string(0) == "Step" {
                // a new header without "Loop time" before it: the previous block was cut short
                try finishBlock(loopTime: nil)
                startBlock(columns: r.strings(), style: .one)
            }
            return  // otherwise a message printed during the run
        }
        guard var b = current else { return }
        current = nil  // exclusive access while the builder is edited
        defer { current = b }
        if b.style == .multi {
            try multiLine(&b)
        } else {
            try yamlLine(&b)
        }
    }
}

extension ThermoBlockBuilder {
    /// thermo_style one/custom: a row of numbers per output step.
    mutating func oneRow(_ r: LineReader) throws {
        guard r.fieldCount == columns.count else {
            throw r.error("thermo row has \(r.fieldCount) fields, the header on line \(firstLine) has \(columns.count)")
        }
        for k in 0..<r.fieldCount { values.append(try r.double(k, column: columns[k])) }
        lastLine = r.lineNumber
    }
}
