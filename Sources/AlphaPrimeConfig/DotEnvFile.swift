import AlphaPrimeSupport
import AlphaPrimeDomain
import Foundation

/// A `.env` file: `KEY=VALUE` lines, `#` comments, optional `export ` prefix, values bare,
/// 'single-quoted' (taken literally) or "double-quoted" (with `\n`, `\t`, `\"`, `\\`, `\$`).
/// A bare value ends at ` #` (a comment). Every problem names its line; no message quotes a value.
public struct DotEnvFile: Sendable {
    public struct Entry: Sendable, Equatable {
        public var key: String
        public var value: String
        public var line: Int
    }

    /// The file's name in messages (`.env`).
    public var file: String
    public var entries: [Entry]
    public var issues: [ConfigIssue]

    public var values: [String: String] {
        Dictionary(entries.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
    }

    public var lines: [String: Int] {
        Dictionary(entries.map { ($0.key, $0.line) }, uniquingKeysWith: { _, last in last })
    }

    public init(file: String = ".env", entries: [Entry] = [], issues: [ConfigIssue] = []) {
        self.file = file
        self.entries = entries
        self.issues = issues
    }

    /// Parses the text of a `.env` file.
    public static func parse(_ text: String, file: String = ".env") -> DotEnvFile {
        var result = DotEnvFile(file: file)
        var firstLine: [String: Int] = [:]
        let rawLines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (offset, raw) in rawLines.enumerated() {
            let number = offset + 1
            func problem(_ key: String, _ message: String) {
                result.issues.append(ConfigIssue(file: file, line: number, keyPath: key, message: message))
            }
            var line = Substring(raw.hasSuffix("\r") ? raw.dropLast() : raw)
            if number == 1, line.hasPrefix("\u{FEFF}") { line = line.dropFirst() }
            line = line.drop(while: { $0 == " " || $0 == "\t" })
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") || line.hasPrefix("export\t") {
                line = line.dropFirst(7).drop(while: { $0 == " " || $0 == "\t" })
            }
            guard let equals = line.firstIndex(of: "=") else {
                problem("", "expected KEY=VALUE")
                continue
            }
            let key = String(line[..<equals]).trimmingCharacters(in: .whitespaces)
            guard VariableExpansion.isVariableName(key) else {
                problem("", "'\(key.prefix(40))' is not a valid variable name (letters, digits and _, not starting with a digit)")
                continue
            }
            let rest = line[line.index(after: equals)...].drop(while: { $0 == " " || $0 == "\t" })
            let value: String
            switch parseValue(rest) {
            case let .success(v): value = v
            case let .failure(error):
                problem(key, error.message)
                continue
            }
            if let earlier = firstLine[key] {
                problem(key, "\(key) is set twice (first on line \(earlier)); keep one")
                continue
            }
            firstLine[key] = number
            result.entries.append(Entry(key: key, value: value, line: number))
        }
        return result
    }

    private static func parseValue(_ text: Substring) -> Result<String, ConfigValueError> {
        guard let quote = text.first, quote == "\"" || quote == "'" else {
            // Bare: up to an inline comment (a '#' after whitespace), trailing blanks dropped.
            var end = text.endIndex
            var previous: Character = " "
            for i in text.indices {
                if text[i] == "#", previous == " " || previous == "\t" { end = i; break }
                previous = text[i]
            }
            let bare = text[..<end]
            return .success(String(bare).trimmingCharacters(in: .whitespaces))
        }
        var value = ""
        var i = text.index(after: text.startIndex)
        var closed = false
        while i < text.endIndex {
            let c = text[i]
            if c == quote { closed = true; break }
            if quote == "\"", c == "\\" {
                let next = text.index(after: i)
                guard next < text.endIndex else { break }
                switch text[next] {
                case "n": value.append("\n")
                case "t": value.append("\t")
                case "r": value.append("\r")
                case "\"", "\\", "$", "'": value.append(text[next])
                default: value.append("\\"); value.append(text[next])
                }
                i = text.index(after: next)
                continue
            }
            value.append(c)
            i = text.index(after: i)
        }
        guard closed else {
            return .failure(ConfigValueError("the value's \(quote == "\"" ? "double" : "single") quote is not closed on this line"))
        }
        let after = text[text.index(after: i)...].drop(while: { $0 == " " || $0 == "\t" })
        guard after.isEmpty || after.hasPrefix("#") else {
            return .failure(ConfigValueError("unexpected text after the closing quote"))
        }
        return .success(value)
    }

    /// Reads and parses the file at `url`; nil when it does not exist.
    public static func load(_ url: URL, file: String = ".env") throws -> DotEnvFile? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let data = try Data(contentsOf: url)
        guard let text = String(data: data, encoding: .utf8) else {
            return DotEnvFile(file: file, issues: [ConfigIssue(file: file, line: nil, keyPath: "", message: "is not UTF-8 text")])
        }
        return parse(text, file: file)
    }

    /// A finding when the file can be read or written by its group or by others (mode & 0o077).
    public static func permissionFinding(_ url: URL, file: String = ".env") -> ConfigFinding? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path),
              let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue else { return nil }
        guard mode & 0o077 != 0 else { return nil }
        let octal = String(mode & 0o777, radix: 8)
        return ConfigFinding(
            file: file,
            message: "is readable by group or others (mode 0\(octal)); it holds broker keys and passwords: run chmod 600 \(url.path)")
    }
}
