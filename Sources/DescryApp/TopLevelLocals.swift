/// Makes `local` declarations at the top level of a REPL chunk global, so that `local x = 1`
/// typed at the prompt is still there at the next prompt (in lua.c each chunk is a function of
/// its own and its locals vanish). `local function f` becomes `function f`; `local a, b` becomes
/// `a, b = nil`; `<const>` is dropped; `<close>` variables stay local (their scope is the
/// point). Locals inside functions and blocks are untouched. Lines are kept, so error
/// positions do not move.
enum TopLevelLocals {
    static func rewrite(_ source: String) -> String {
        let bytes = Array(source.utf8)
        let tokens = LuaTokens.scan(bytes)
        var edits: [(range: Range<Int>, text: String)] = []
        var depth = 0
        var k = 0
        while k < tokens.count {
            let t = tokens[k]
            guard t.kind == .name else { k += 1; continue }
            switch t.text(bytes) {
            case "function", "do", "if", "repeat":
                depth += 1
            case "end", "until":
                depth -= 1
            case "local" where depth == 0:
                if let edit = globalForm(tokens, from: k, bytes) {
                    edits += edit
                }
            default:
                break
            }
            k += 1
        }
        guard !edits.isEmpty else { return source }
        var out = bytes
        for e in edits.sorted(by: { $0.range.lowerBound > $1.range.lowerBound }) {
            out.replaceSubrange(e.range, with: Array(e.text.utf8))
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The edits that turn the `local` at `tokens[k]` into a global declaration; nil to keep it.
    private static func globalForm(_ tokens: [LuaTokens.Token], from k: Int, _ bytes: [UInt8]) -> [(range: Range<Int>, text: String)]? {
        let local = tokens[k].range
        guard k + 1 < tokens.count else { return nil }
        if tokens[k + 1].text(bytes) == "function" { return [(local, "")] }
        var edits: [(range: Range<Int>, text: String)] = [(local, "")]
        var j = k + 1
        var lastEnd = local.upperBound
        while j < tokens.count && tokens[j].kind == .name {
            lastEnd = tokens[j].range.upperBound
            j += 1
            // attribute <const> / <close>
            if j + 2 < tokens.count && tokens[j].text(bytes) == "<" && tokens[j + 2].text(bytes) == ">" {
                let attribute = tokens[j + 1].text(bytes)
                if attribute == "close" { return nil }
                edits.append((tokens[j].range.lowerBound..<tokens[j + 2].range.upperBound, ""))
                lastEnd = tokens[j + 2].range.upperBound
                j += 3
            }
            if j < tokens.count && tokens[j].text(bytes) == "," { j += 1 } else { break }
        }
        if j < tokens.count && tokens[j].text(bytes) == "=" {
            let after = tokens[j].range.upperBound
            if after < bytes.count && bytes[after] == UInt8(ascii: "=") { return nil }  // `==`: leave the error to Lua
            return edits
        }
        edits.append((lastEnd..<lastEnd, " = nil"))
        return edits
    }
}

/// A small Lua 5.4 tokenizer: names/keywords, numbers, strings, long strings and comments
/// skipped correctly, single-character symbols. Enough to find block structure in a chunk.
enum LuaTokens {
    enum Kind { case name, number, string, symbol }

    struct Token {
        let kind: Kind
        let range: Range<Int>
        func text(_ bytes: [UInt8]) -> String { String(decoding: bytes[range], as: UTF8.self) }
    }

    static func scan(_ b: [UInt8]) -> [Token] {
        var tokens: [Token] = []
        var i = 0
        let n = b.count
        func isNameStart(_ c: UInt8) -> Bool { c == 95 || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c >= 128 }
        func isNameChar(_ c: UInt8) -> Bool { isNameStart(c) || (c >= 48 && c <= 57) }
        /// Length of the `[==[` opener at i (level + 2), or nil.
        func longOpen(_ i: Int) -> Int? {
            guard i < n, b[i] == UInt8(ascii: "[") else { return nil }
            var j = i + 1
            while j < n && b[j] == UInt8(ascii: "=") { j += 1 }
            return (j < n && b[j] == UInt8(ascii: "[")) ? j - i + 1 : nil
        }
        /// Index after the `]==]` closing a long bracket of opener length `len`, or n.
        func longClose(_ from: Int, _ len: Int) -> Int {
            let level = len - 2
            var j = from
            while j < n {
                if b[j] == UInt8(ascii: "]") {
                    var k = j + 1
                    var eq = 0
                    while k < n && b[k] == UInt8(ascii: "=") { eq += 1; k += 1 }
                    if eq == level && k < n && b[k] == UInt8(ascii: "]") { return k + 1 }
                }
                j += 1
            }
            return n
        }
        while i < n {
            let c = b[i]
            if c == 32 || c == 9 || c == 10 || c == 13 { i += 1; continue }
            if c == UInt8(ascii: "-") && i + 1 < n && b[i + 1] == UInt8(ascii: "-") {
                if let len = longOpen(i + 2) {
                    i = longClose(i + 2 + len, len)
                } else {
                    while i < n && b[i] != 10 { i += 1 }
                }
                continue
            }
            if let len = longOpen(i) {
                let end = longClose(i + len, len)
                tokens.append(Token(kind: .string, range: i..<end))
                i = end
                continue
            }
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                var j = i + 1
                while j < n && b[j] != c && b[j] != 10 {
                    j += b[j] == UInt8(ascii: "\\") ? 2 : 1
                }
                let end = min(j + 1, n)
                tokens.append(Token(kind: .string, range: i..<end))
                i = end
                continue
            }
            if isNameStart(c) {
                var j = i + 1
                while j < n && isNameChar(b[j]) { j += 1 }
                tokens.append(Token(kind: .name, range: i..<j))
                i = j
                continue
            }
            if (c >= 48 && c <= 57) || (c == UInt8(ascii: ".") && i + 1 < n && b[i + 1] >= 48 && b[i + 1] <= 57) {
                var j = i + 1
                while j < n && (isNameChar(b[j]) || b[j] == UInt8(ascii: ".")
                                || ((b[j] == UInt8(ascii: "-") || b[j] == UInt8(ascii: "+"))
                                    && (b[j - 1] | 32 == UInt8(ascii: "e") || b[j - 1] | 32 == UInt8(ascii: "p")))) {
                    j += 1
                }
                tokens.append(Token(kind: .number, range: i..<j))
                i = j
                continue
            }
            tokens.append(Token(kind: .symbol, range: i..<(i + 1)))
            i += 1
        }
        return tokens
    }
}
