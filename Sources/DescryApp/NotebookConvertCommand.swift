import DescryLinalg

/// `descry notebook export FILE.txt --to ipynb [-o OUT]` writes the Jupyter form of a text
/// notebook (default FILE.ipynb); `descry notebook import FILE.ipynb [-o OUT]` writes the text
/// form (default FILE.txt). Both write atomically (`NotebookIpynb` has the mapping).
struct NotebookConvertCommand {
    let arguments: [String]

    static let usage = "usage: descry notebook export FILE.txt --to ipynb [-o OUT] | descry notebook import FILE.ipynb [-o OUT]"

    func run() -> Int32 {
        var rest = Array(arguments.dropFirst())
        var output: String? = nil
        if let k = rest.firstIndex(of: "-o") {
            guard k + 1 < rest.count else { return usageError() }
            output = rest[k + 1]
            rest.removeSubrange(k...(k + 1))
        }
        let exporting = arguments.first == "export"
        if exporting {
            guard let k = rest.firstIndex(of: "--to"), k + 1 < rest.count, rest[k + 1] == "ipynb" else { return usageError() }
            rest.removeSubrange(k...(k + 1))
        }
        guard rest.count == 1 else { return usageError() }
        let input = rest[0]
        let target = output ?? Self.replacingExtension(input, with: exporting ? ".ipynb" : ".txt")
        do {
            let text = try readTextFile(input)
            let converted: String
            if exporting {
                let doc = try NotebookDocument.parse(text, file: input)
                converted = NotebookIpynb.export(doc).serialized(indent: 1) + "\n"
            } else {
                converted = try NotebookIpynb.importText(try JSONValue.parse(text), file: input)
            }
            try writeTextFileAtomically(target, converted)
        } catch {
            writeStderr("descry notebook \(arguments[0]): \(error)\n")
            return 1
        }
        writeStdout("wrote \(target)\n")
        return 0
    }

    private func usageError() -> Int32 {
        writeStderr(Self.usage + "\n")
        return 2
    }

    static func replacingExtension(_ path: String, with ext: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return path + ext }
        return String(path.dropLast(name.distance(from: dot, to: name.endIndex))) + ext
    }
}
