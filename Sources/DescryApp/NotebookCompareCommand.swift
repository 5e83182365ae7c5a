import DescryLinalg

/// `descry notebook compare FILE.txt EXECUTED.ipynb`: checks the outputs a Jupyter client
/// recorded (e.g. nbclient running the exported lesson on the descry kernel) against the text
/// notebook's expected outputs with `notebook check`'s rules (tolerances, wildcards, `%% varies`
/// and `%% setup` cells not compared); the k-th code cell answers the k-th text cell. Ends with
/// `N passed, N failed`.
struct NotebookCompareCommand {
    let arguments: [String]

    func run() -> Int32 {
        guard arguments.count == 3 else {
            writeStderr("usage: descry notebook compare FILE.txt EXECUTED.ipynb\n")
            return 2
        }
        let (textFile, ipynbFile) = (arguments[1], arguments[2])
        var passed = 0, failed = 0
        do {
            let doc = try NotebookDocument.parse(try readTextFile(textFile), file: textFile)
            let notebook = try JSONValue.parse(try readTextFile(ipynbFile))
            let codeCells = (notebook["cells"]?.arrayValue ?? []).filter { $0["cell_type"]?.stringValue == "code" }
            guard codeCells.count == doc.cellCount else {
                throw NotebookError("\(ipynbFile) has \(codeCells.count) code cells, \(textFile) \(doc.cellCount)")
            }
            var k = 0
            for item in doc.items {
                guard case .cell(let cell) = item else { continue }
                let actual = NotebookIpynb.outputLines(codeCells[k]["outputs"]?.arrayValue ?? [])
                k += 1
                if cell.setup || cell.varies || OutputMatcher.matches(expected: cell.expected, actual: actual,
                                                                      rel: cell.relTolerance, abs: cell.absTolerance) {
                    passed += 1
                    continue
                }
                failed += 1
                writeStdout(cell.differenceReport(file: textFile, actual: actual))
            }
        } catch {
            writeStderr("descry notebook compare: \(error)\n")
            failed += 1
        }
        writeStdout("\(passed) passed, \(failed) failed\n")
        return failed == 0 ? 0 : 1
    }
}
