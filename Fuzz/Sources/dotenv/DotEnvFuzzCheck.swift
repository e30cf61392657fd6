import AlphaPrimeConfig
import AlphaPrimeDomain

/// The `dotenv` fuzz target's checks (shared with the test that replays its corpus): one `.env`
/// text through its parser. Beyond not crashing: every entry and issue has a line inside the file,
/// every entry a key, and no message shows a secret's value (`SecretNames.isSecretKey`: keys, tokens,
/// passwords) whose text is nowhere else in the file.
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
            // A value whose text is also somewhere else in the file (a name, another line) may show
            // as that; one found only as its own value must never show.
            for entry in file.entries where SecretNames.isSecretKey(entry.key) && entry.value.count >= 8
                && issue.message.firstRange(of: entry.value) != nil
                && text.ranges(of: entry.value).count <= file.entries.filter({ $0.value == entry.value }).count {
                findings.append("a message shows \(entry.key)'s value: \(issue.message)")
            }
        }
        return findings
    }
}
