import DescryLinalg

/// thermo_style multi and yaml parts of the `log.lammps` reader (LAMMPS manual, thermo_style).
extension LammpsLogParser {
    /// multi: "---- Step N ----- CPU = t (sec) ----" starts a record, `key = value` lines fill it.
    mutating func multiLine(_ b: inout ThermoBlockBuilder) throws {
        if isMultiHeader(r.string(0)) {
            try flushRecord(&b, atEnd: false)
            var cpu = Double.nan
            if let eq = (3..<r.fieldCount).first(where: { r.string($0) == "=" }), eq + 1 < r.fieldCount {
                cpu = try r.double(eq + 1, column: "CPU")
            }
            var rec = [Double](repeating: .nan, count: b.columns.count)
            rec[0] = try r.double(2, column: "Step")
            rec[1] = cpu
            b.record = rec
            b.recordLine = r.lineNumber
            b.recordSeen = 2
            b.lastLine = r.lineNumber
            return
        }
        guard b.record != nil, r.fieldCount >= 3, r.string(1) == "=" else { return }  // not key = value
        let firstRecord = b.values.isEmpty
        var k = 0
        while k < r.fieldCount {
            guard k + 2 < r.fieldCount, r.string(k + 1) == "=" else {
                throw r.error("expected 'keyword = value' pairs at field \(k + 1)")
            }
            let key = r.string(k)
            let value = try r.double(k + 2, column: key)
            if let j = b.columns.firstIndex(of: key) {
                if b.record?[j].isNaN == true { b.recordSeen += 1 }
                b.record?[j] = value
            } else if firstRecord {
                b.columns.append(key)
                b.record?.append(value)
                b.recordSeen += 1
            } else {
                throw r.error("keyword '\(key)' is not in the first record of this block (line \(b.firstLine))")
            }
            k += 3
        }
        b.lastLine = r.lineNumber
    }

    /// Appends the finished multi record; an incomplete one at the end of the file is a
    /// truncation (dropped or an error by policy), elsewhere an error.
    mutating func flushRecord(_ b: inout ThermoBlockBuilder, atEnd: Bool) throws {
        guard let rec = b.record else { return }
        b.record = nil
        if b.recordSeen < b.columns.count {
            let message = "thermo record starting on line \(b.recordLine) has \(b.recordSeen) of \(b.columns.count) values"
            if !atEnd { throw EngineError("\(r.path):\(b.recordLine): \(message)") }
            if options.truncated == .error { throw EngineError("\(r.path):\(b.recordLine): \(message) (truncated log)") }
            droppedLine = droppedLine ?? b.recordLine
            return
        }
        b.values.append(contentsOf: rec)
    }

    /// yaml: `keywords: [...]`, `data:`, rows `  - [v, ...]`, closing `...`.
    mutating func yamlLine(_ b: inout ThermoBlockBuilder) throws {
        let first = r.string(0)
        if first == "keywords:" {
            // a second keywords line after rows (e.g. a corrupt "Loop time" line that did not
            // close the block) would change the row width under the stored rows
            guard b.values.isEmpty else { throw r.error("yaml keywords line after data rows in the same thermo block (line \(b.firstLine))") }
            b.columns = try bracketItems().map(unquoted)
            guard !b.columns.isEmpty else { throw r.error("empty yaml keywords list") }
        } else if first == "data:" {
            b.yamlData = true
        } else if first == "..." {
            b.yamlEnded = true
        } else if first == "-" && b.yamlData && !b.yamlEnded {
            guard !b.columns.isEmpty else { throw r.error("yaml data row before the keywords line") }
            let items = try bracketItems()
            guard items.count == b.columns.count else {
                throw r.error("yaml thermo row has \(items.count) values, keywords (line \(b.firstLine)) name \(b.columns.count)")
            }
            for (k, item) in items.enumerated() {
                guard let v = Double(item) else {
                    throw r.error("column \(k + 1) ('\(b.columns[k])'): '\(item)' is not a number")
                }
                b.values.append(v)
            }
        } else {
            return
        }
        b.lastLine = r.lineNumber
    }

    /// The comma-separated items between the first '[' and the last ']' of the line, trimmed
    /// (a trailing comma, as YAML flow sequences allow, ends the list).
    private func bracketItems() throws -> [Substring] {
        let line = r.line
        guard let open = line.firstIndex(of: "["), let close = line.lastIndex(of: "]"), open < close else {
            throw r.error("expected a [ ... ] list")
        }
        let inner = line[line.index(after: open)..<close]
        var items = inner.split(separator: ",", omittingEmptySubsequences: false).map(trimmed)
        if items.last?.isEmpty == true { items.removeLast() }  // LAMMPS ends rows with ", ]"
        return items
    }

    private func trimmed(_ s: Substring) -> Substring {
        var t = s
        while t.first == " " || t.first == "\t" { t.removeFirst() }
        while t.last == " " || t.last == "\t" { t.removeLast() }
        return t
    }

    private func unquoted(_ s: Substring) -> String {
        if s.count >= 2, let f = s.first, f == s.last, f == "'" || f == "\"" {
            return String(s.dropFirst().dropLast())
        }
        return String(s)
    }
}
