/// The text notebook format of `notebooks-txt/` (see notebooks-txt/README.txt):
/// prose lines; cells of one REPL chunk each (a `> ` line and its `>> ` continuation lines)
/// followed by the output it prints, up to the next blank line or input line; an empty output line is
/// written `<BLANKLINE>`; directive lines `%% tolerance REL [ABS]` (numbers in later outputs
/// compare within |a−b| ≤ ABS + REL·|expected|; default 1e-9 relative), `%% varies` (the
/// next cell's output is not compared), `%% setup` (the next cell runs, its output is neither
/// compared nor written; it fails only by raising an error) and `%% timeout SECONDS` (later cells
/// are interrupted and fail after that long; 0 = no limit); in expected output, a line `...`
/// matches any number of lines and a line ending in `...` matches any line starting with the
/// text before it.
struct NotebookDocument {
    enum Item {
        case prose(String)
        case cell(Cell)
    }

    struct Cell {
        /// Input lines as written, with their `> `/`>> ` prefixes.
        var inputLines: [String]
        /// 1-based line number of the first input line.
        var line: Int
        var expected: [String]
        var relTolerance: Double
        var absTolerance: Double
        var varies: Bool
        /// A `%% setup` cell: runs, output not compared or written, fails only on an error.
        var setup: Bool = false
        /// Wall-time limit in seconds (0: none), from the last `%% timeout`.
        var timeout: Double = 0

        /// What `notebook check` prints for this cell when `actual` differs from the expected
        /// output: `file:line: output differs`, the input, then `- expected` and `+ actual` lines.
        func differenceReport(file: String, actual: [String]) -> String {
            var msg = "\(file):\(line): output differs\n"
            for l in inputLines { msg += "    \(l)\n" }
            for l in expected { msg += "  - \(l)\n" }
            for l in actual { msg += "  + \(l)\n" }
            return msg
        }

        /// The code of each input line (prefix removed).
        var code: [String] {
            inputLines.map { l in
                if l.hasPrefix(">> ") { return String(l.dropFirst(3)) }
                if l.hasPrefix("> ") { return String(l.dropFirst(2)) }
                if l == ">" || l == ">>" { return "" }
                return l
            }
        }
    }

    var items: [Item] = []

    /// The number of cells.
    var cellCount: Int { items.reduce(0) { n, item in if case .cell = item { return n + 1 }; return n } }

    static func isInput(_ l: String) -> Bool {
        l.hasPrefix("> ") || l.hasPrefix(">> ") || l == ">" || l == ">>"
    }

    /// Parses notebook text. Errors (a bad directive) name the line.
    static func parse(_ text: String, file: String) throws -> NotebookDocument {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        var doc = NotebookDocument()
        var rel = 1e-9, abs = 0.0
        var variesNext = false
        var setupNext = false
        var timeout = 0.0
        var i = 0
        while i < lines.count {
            let l = lines[i]
            if l.hasPrefix("%%") {
                let words = l.dropFirst(2).split(separator: " ").map(String.init)
                switch words.first {
                case "tolerance":
                    guard words.count >= 2, let r = Double(words[1]), r >= 0 else {
                        throw NotebookError("\(file):\(i + 1): '%% tolerance REL [ABS]' needs numbers")
                    }
                    rel = r
                    abs = words.count >= 3 ? (Double(words[2]) ?? 0) : 0
                case "varies":
                    variesNext = true
                case "setup":
                    setupNext = true
                case "timeout":
                    guard words.count == 2, let t = Double(words[1]), t >= 0, t <= 1e6 else {
                        throw NotebookError("\(file):\(i + 1): '%% timeout SECONDS' needs a number in 0...1e6")
                    }
                    timeout = t
                default:
                    throw NotebookError("\(file):\(i + 1): unknown directive '\(l)' (known: tolerance, varies, setup, timeout)")
                }
                doc.items.append(.prose(l))
                i += 1
                continue
            }
            if isInput(l) {
                var cell = Cell(inputLines: [], line: i + 1, expected: [], relTolerance: rel,
                                absTolerance: abs, varies: variesNext, setup: setupNext, timeout: timeout)
                variesNext = false
                setupNext = false
                // One chunk per cell: a `> ` line and its `>> ` continuation lines, so that each
                // chunk's output follows it as in a REPL transcript.
                cell.inputLines.append(lines[i]); i += 1
                while i < lines.count && (lines[i].hasPrefix(">> ") || lines[i] == ">>") {
                    cell.inputLines.append(lines[i]); i += 1
                }
                while i < lines.count && !lines[i].isEmpty && !isInput(lines[i]) {
                    cell.expected.append(lines[i]); i += 1
                }
                doc.items.append(.cell(cell))
                continue
            }
            doc.items.append(.prose(l))
            i += 1
        }
        return doc
    }

    /// The notebook text with each cell's expected output replaced by `outputs[k]`.
    func render(outputs: [[String]]) -> String {
        var out: [String] = []
        var k = 0
        for item in items {
            switch item {
            case .prose(let l): out.append(l)
            case .cell(let c):
                out += c.inputLines
                out += (k < outputs.count ? outputs[k] : c.expected)
                k += 1
            }
        }
        return out.joined(separator: "\n") + "\n"
    }
}

struct NotebookError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// Compares printed output with a cell's expected output (wildcards and numeric tolerance).
enum OutputMatcher {
    static func matches(expected: [String], actual: [String], rel: Double, abs: Double) -> Bool {
        match(expected[...], actual[...], rel, abs)
    }

    private static func match(_ e: ArraySlice<String>, _ a: ArraySlice<String>, _ rel: Double, _ abs: Double) -> Bool {
        guard let first = e.first else { return a.isEmpty }
        if first == "..." {
            let rest = e.dropFirst()
            var k = a.startIndex
            while k <= a.endIndex {
                if match(rest, a[k...], rel, abs) { return true }
                k += 1
            }
            return false
        }
        guard let line = a.first else { return false }
        guard lineMatches(first, line, rel, abs) else { return false }
        return match(e.dropFirst(), a.dropFirst(), rel, abs)
    }

    static func lineMatches(_ expected: String, _ actual: String, _ rel: Double, _ abs: Double) -> Bool {
        if expected.hasSuffix("...") {
            let prefix = String(expected.dropLast(3))
            return actual.hasPrefix(prefix) || lineMatches(prefix, String(actual.prefix(prefix.count)), rel, abs)
        }
        if expected == actual { return true }
        let te = tokens(expected), ta = tokens(actual)
        guard te.count == ta.count else { return false }
        for (x, y) in zip(te, ta) {
            switch (x, y) {
            case (.text(let s), .text(let t)):
                if s != t { return false }
            case (.number(let u), .number(let v)):
                if u.isNaN && v.isNaN { continue }
                if u == v { continue }
                if !(Swift.abs(u - v) <= abs + rel * Swift.abs(u)) { return false }
            default:
                return false
            }
        }
        return true
    }

    enum Token { case text(String), number(Double) }

    /// Splits a line into numbers and the text between them (trailing blanks ignored).
    static func tokens(_ line: String) -> [Token] {
        var out: [Token] = []
        let chars = Array(line.unicodeScalars)
        var i = 0
        var text = ""
        func isDigit(_ c: Unicode.Scalar) -> Bool { c.value >= 48 && c.value <= 57 }
        while i < chars.count {
            let c = chars[i]
            var j = i
            let prevIsWord = i > 0 && (chars[i - 1].properties.isAlphabetic || chars[i - 1] == "_")
            if !prevIsWord && (isDigit(c) || ((c == "-" || c == "+" || c == ".") && i + 1 < chars.count && (isDigit(chars[i + 1]) || chars[i + 1] == "."))) {
                if c == "-" || c == "+" { j += 1 }
                while j < chars.count && isDigit(chars[j]) { j += 1 }
                if j < chars.count && chars[j] == "." { j += 1; while j < chars.count && isDigit(chars[j]) { j += 1 } }
                if j < chars.count && (chars[j] == "e" || chars[j] == "E") {
                    var k = j + 1
                    if k < chars.count && (chars[k] == "-" || chars[k] == "+") { k += 1 }
                    if k < chars.count && isDigit(chars[k]) {
                        while k < chars.count && isDigit(chars[k]) { k += 1 }
                        j = k
                    }
                }
                let s = String(String.UnicodeScalarView(chars[i..<j]))
                if let v = Double(s) {
                    if !text.isEmpty { out.append(.text(text)); text = "" }
                    out.append(.number(v))
                    i = j
                    continue
                }
            }
            text.unicodeScalars.append(c)
            i += 1
        }
        while text.last == " " { text.removeLast() }
        if !text.isEmpty { out.append(.text(text)) }
        return out
    }
}
