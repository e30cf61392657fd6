import AlphaPrimeConfig

/// The `dotenv` fuzz target's checks (shared with the test that replays its corpus): one `.env`
/// text through its parser. Beyond not crashing: every entry and issue has a line inside the file,
/// every entry a key, and no message shows a value the file gave (outside the name it quotes).
enum DotEnvFuzzCheck {
    static func findings(_ bytes: [UInt8]) -> [String] {
        let text = String(decoding: bytes, as: UTF8.self)
        let file = DotEnvFile.parse(text)
        let lines = max(text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).count, 1)
        var findings: [String] = []
        for entry in file.entries {
            if entry.key.isEmpty { findings.append("an entry without a key on line \(entry.line)") }
            if !(1...lines).contains(entry.line) { findings.append("entry \(entry.key) on line \(entry.line) of \(lines)") }
        }
        for issue in file.issues {
            if issue.file != ".env" { findings.append("an issue names \(issue.file)") }
            if let line = issue.line, !(1...lines).contains(line) { findings.append("an issue on line \(line) of \(lines)") }
            // A message quotes the name it is about ('NAME' is not a valid variable name); the
            // rest of it must not show a value, whatever other line's value the name's text is.
            let unquoted = issue.message.split(separator: "'", omittingEmptySubsequences: false).enumerated()
                .filter { $0.offset % 2 == 0 }.map(\.element).joined(separator: "'…'")
            for entry in file.entries where entry.value.count >= 8 && unquoted.firstRange(of: entry.value) != nil {
                findings.append("a message shows \(entry.key)'s value: \(issue.message)")
            }
        }
        return findings
    }
}
