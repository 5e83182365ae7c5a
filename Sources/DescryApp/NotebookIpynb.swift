import DescryLinalg

/// Conversion between descry's text notebooks (`NotebookDocument`) and Jupyter notebooks
/// (nbformat 4.5 JSON, kernel `descry`): prose becomes Markdown cells, each REPL chunk a code
/// cell whose expected output is a stdout stream. The text's exact layout (blank lines between
/// cells, the `> `/`>> ` input lines) rides in `metadata.descry`, so export then import gives
/// the text notebook back byte for byte. Importing a notebook executed by the kernel turns its
/// outputs (streams, results, figures' text, errors without traceback) into expected output.
enum NotebookIpynb {
    static let blankBefore = "blank_lines_before"

    /// The .ipynb JSON of a text notebook.
    static func export(_ doc: NotebookDocument) -> JSONValue {
        var cells: [JSONValue] = []
        var prose: [String] = []
        var blanks = 0
        func flushProse() {
            defer { prose = [] }
            guard let first = prose.firstIndex(where: { !$0.isEmpty }),
                  let last = prose.lastIndex(where: { !$0.isEmpty }) else {
                blanks += prose.count
                return
            }
            let text = Array(prose[first...last])
            let markdown = markdownLines(text)
            cells.append(cell("markdown", id: cells.count, source: markdown, blanks: blanks + first,
                              extra: markdown == text ? [] : [("text", .array(text.map { .string($0) }))]))
            blanks = prose.count - 1 - last
        }
        for item in doc.items {
            switch item {
            case .prose(let line):
                prose.append(line)
            case .cell(let c):
                flushProse()
                var code = cell("code", id: cells.count, source: c.code, blanks: blanks,
                                extra: [("input", .array(c.inputLines.map { .string($0) }))])
                blanks = 0
                code = withOutputs(code, c.expected)
                cells.append(code)
            }
        }
        flushProse()
        return .object([
            ("cells", .array(cells)),
            ("metadata", .object([
                ("kernelspec", .object([
                    ("display_name", .string("descry (Lua 5.4)")),
                    ("language", .string("lua")),
                    ("name", .string("descry")),
                ])),
                ("language_info", .object([
                    ("file_extension", .string(".lua")),
                    ("mimetype", .string("text/x-lua")),
                    ("name", .string("lua")),
                ])),
                ("descry", .object([(blankBefore, .number(Double(blanks)))])),
            ])),
            ("nbformat", .number(4)),
            ("nbformat_minor", .number(5)),
        ])
    }

    /// The text notebook of .ipynb JSON (errors name `file`).
    static func importText(_ notebook: JSONValue, file: String) throws -> String {
        guard let cells = notebook["cells"]?.arrayValue else {
            throw NotebookError("\(file): not a Jupyter notebook (no \"cells\" list)")
        }
        var lines: [String] = []
        for (k, cell) in cells.enumerated() {
            lines += Array(repeating: "", count: blankCount(cell["metadata"]))
            let source = joined(cell["source"])
            switch cell["cell_type"]?.stringValue {
            case "code":
                lines += inputLines(source, stored: cell["metadata"]?["descry"]?["input"])
                lines += outputLines(cell["outputs"]?.arrayValue ?? [])
            case "markdown", "raw":
                if !source.isEmpty { lines += proseLines(source, stored: cell["metadata"]?["descry"]?["text"]) }
            default:
                throw NotebookError("\(file): cell \(k + 1) has no known cell_type")
            }
        }
        lines += Array(repeating: "", count: blankCount(notebook["metadata"]))
        return lines.joined(separator: "\n") + "\n"
    }

    /// The expected-output lines of Jupyter outputs: streams as written, results and displays
    /// by their text/plain, errors by their message without the traceback (as notebooks print
    /// them); empty lines as `<BLANKLINE>`.
    static func outputLines(_ outputs: [JSONValue]) -> [String] {
        var text = ""
        for output in outputs {
            switch output["output_type"]?.stringValue {
            case "stream":
                text += joined(output["text"])
            case "execute_result", "display_data":
                guard let plain = output["data"]?["text/plain"] else { continue }
                text += joined(plain)
                if !text.hasSuffix("\n") { text += "\n" }
            case "error":
                let trace = (output["traceback"]?.arrayValue ?? []).compactMap { $0.stringValue }
                let message = trace.prefix(while: { $0 != "stack traceback:" })
                text += message.joined(separator: "\n") + "\n"
            default:
                continue
            }
        }
        if text.isEmpty { return [] }
        if text.hasSuffix("\n") { text.removeLast() }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "<BLANKLINE>" : String($0) }
    }

    private static func cell(_ type: String, id: Int, source: [String], blanks: Int,
                             extra: [(String, JSONValue)] = []) -> JSONValue {
        var descry: [(String, JSONValue)] = []
        if blanks > 0 { descry.append((blankBefore, .number(Double(blanks)))) }
        descry += extra
        var members: [(String, JSONValue)] = [
            ("cell_type", .string(type)),
            ("id", .string("cell-\(id + 1)")),
            ("metadata", descry.isEmpty ? .object([]) : .object([("descry", .object(descry))])),
            ("source", .array(sourceLines(source))),
        ]
        if type == "code" {
            members.insert(("execution_count", .null), at: 1)
        }
        return .object(members)
    }

    private static func withOutputs(_ cell: JSONValue, _ expected: [String]) -> JSONValue {
        guard case .object(var members) = cell else { return cell }
        var outputs: [JSONValue] = []
        if !expected.isEmpty {
            let lines = expected.map { $0 == "<BLANKLINE>" ? "" : $0 } + [""]
            outputs.append(.object([
                ("name", .string("stdout")),
                ("output_type", .string("stream")),
                ("text", .array(sourceLines(lines))),
            ]))
        }
        members.append(("outputs", .array(outputs)))
        return .object(members)
    }

    /// nbformat's multi-line string: lines with their newline, the last one without.
    private static func sourceLines(_ lines: [String]) -> [JSONValue] {
        var out: [JSONValue] = []
        for (i, l) in lines.enumerated() {
            let last = i + 1 == lines.count
            if last && l.isEmpty { break }
            out.append(.string(last ? l : l + "\n"))
        }
        return out
    }

    /// An nbformat multi-line string (a string or a list of strings) as one string.
    private static func joined(_ value: JSONValue?) -> String {
        if let s = value?.stringValue { return s }
        return (value?.arrayValue ?? []).compactMap { $0.stringValue }.joined()
    }

    private static func blankCount(_ metadata: JSONValue?) -> Int {
        Int(max(0, min(1e6, metadata?["descry"]?[blankBefore]?.doubleValue ?? 0)))
    }

    /// Prose as Markdown: a heading underlined with `---`/`===` whose title starts with a number
    /// and a dot or parenthesis ("5. g(r) of a free cluster") gets the dot escaped ("5\."), so
    /// Markdown shows a heading, not a numbered list followed by a rule.
    static func markdownLines(_ prose: [String]) -> [String] {
        var out = prose
        for i in out.indices.dropLast() where isUnderline(out[i + 1]) {
            let digits = out[i].prefix(while: { $0.isASCII && $0.isNumber })
            let rest = out[i].dropFirst(digits.count)
            guard !digits.isEmpty, digits.count <= 9, let mark = rest.first, mark == "." || mark == ")" else { continue }
            let after = rest.dropFirst()
            guard after.isEmpty || after.first == " " || after.first == "\t" else { continue }
            out[i] = String(digits) + "\\" + String(rest)
        }
        return out
    }

    private static func isUnderline(_ line: String) -> Bool {
        line.count >= 3 && (line.allSatisfy { $0 == "-" } || line.allSatisfy { $0 == "=" })
    }

    /// The prose of a Markdown cell: the text stored at export while the Markdown is unchanged,
    /// else the Markdown as written.
    private static func proseLines(_ source: String, stored: JSONValue?) -> [String] {
        let markdown = source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if let text = stored?.arrayValue?.compactMap({ $0.stringValue }), markdownLines(text) == markdown {
            return text
        }
        return markdown
    }

    /// The `> `/`>> ` lines of a code cell: those stored at export while the code is unchanged,
    /// else rebuilt (first line `> `, the others `>> `).
    private static func inputLines(_ source: String, stored: JSONValue?) -> [String] {
        let code = source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if let stored = stored?.arrayValue?.compactMap({ $0.stringValue }) {
            let cell = NotebookDocument.Cell(inputLines: stored, line: 0, expected: [], relTolerance: 0,
                                             absTolerance: 0, varies: false)
            if cell.code == code { return stored }
        }
        return code.enumerated().map { i, l in
            let prefix = i == 0 ? ">" : ">>"
            return l.isEmpty ? prefix : prefix + " " + l
        }
    }
}
