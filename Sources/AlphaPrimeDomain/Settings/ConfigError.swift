import AlphaPrimeSupport

/// One problem in the configuration: which file, which line, which key, what is wrong.
///
/// Printed as `config/risk_config.yaml:12: risk.daily_max_loss_pct: must be greater than 0`.
/// A message never quotes the value of a secret.
public struct ConfigIssue: Hashable, Sendable, CustomStringConvertible, Codable {
    /// The file relative to the home (`config/risk_config.yaml`, `.env`), or `environment` for a
    /// process environment variable.
    public var file: String
    /// 1-based line, when known.
    public var line: Int?
    /// Dotted key path (`risk.daily_max_loss_pct`, `holidays[3].date`), or a variable name for
    /// `.env` and the environment; empty for a problem with the whole file.
    public var keyPath: String
    public var message: String

    public init(file: String, line: Int?, keyPath: String, message: String) {
        self.file = file
        self.line = line
        self.keyPath = keyPath
        self.message = message
    }

    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        if !keyPath.isEmpty { text += ": \(keyPath)" }
        return text + ": " + message
    }

    enum CodingKeys: String, CodingKey {
        case file, line, keyPath = "key_path", message
    }
}

/// Everything wrong with the configuration, collected over all files in one pass.
public struct ConfigError: Error, Sendable, CustomStringConvertible, ExitStatusProviding {
    public var issues: [ConfigIssue]
    /// Findings made along the way (a `.env` others can read), to show beside the errors.
    public var findings: [ConfigFinding]

    public init(issues: [ConfigIssue], findings: [ConfigFinding] = []) {
        self.issues = issues
        self.findings = findings
    }

    public var exitStatus: ExitStatus { .configError }

    /// One issue per line.
    public var description: String { issues.map(\.description).joined(separator: "\n") }
}

/// Something worth telling the trader that does not stop the configuration from loading,
/// such as a `.env` that other users can read.
public struct ConfigFinding: Hashable, Sendable, CustomStringConvertible, Codable {
    public var file: String
    public var line: Int?
    public var message: String

    public init(file: String, line: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        return text + ": " + message
    }
}

/// Dotted key paths as the configuration names them: `risk.daily_max_loss_pct`, `holidays[3].date`.
package enum ConfigKeyPath {
    package static func child(_ base: String, _ key: String) -> String { base.isEmpty ? key : base + "." + key }
    static func index(_ base: String, _ index: Int) -> String { base + "[\(index)]" }

    package static func render(_ path: [CodingKey]) -> String {
        var text = ""
        for key in path {
            if key is IndexKey, let index = key.intValue {
                text += "[\(index)]"
            } else {
                text = child(text, key.stringValue)
            }
        }
        return text
    }

    /// Whether `ancestor` is `path` itself or one of its parents.
    static func isSelfOrAncestor(_ ancestor: String, of path: String) -> Bool {
        guard path.hasPrefix(ancestor) else { return false }
        if ancestor.isEmpty || path.count == ancestor.count { return true }
        let next = path[path.index(path.startIndex, offsetBy: ancestor.count)]
        return next == "." || next == "["
    }

    /// The parent of a path (`risk` for `risk.daily_max_loss_pct`, `holidays` for `holidays[2]`).
    static func parent(_ path: String) -> String? {
        guard !path.isEmpty else { return nil }
        if path.hasSuffix("]"), let open = path.lastIndex(of: "[") { return String(path[..<open]) }
        if let dot = path.lastIndex(of: ".") {
            let bracket = path.lastIndex(of: "]")
            if bracket == nil || bracket! < dot { return String(path[..<dot]) }
        }
        return ""
    }

    /// The last key of a path (`daily_max_loss_pct`), or nil for an index.
    package static func lastKey(_ path: [CodingKey]) -> String? {
        guard let last = path.last, !(last is IndexKey) else { return nil }
        return last.stringValue
    }
}

/// A position in a YAML list, as a coding key.
package struct IndexKey: CodingKey {
    package let intValue: Int?
    package let stringValue: String
    package init(_ index: Int) { intValue = index; stringValue = "Index \(index)" }
    package init?(intValue: Int) { self.init(intValue) }
    package init?(stringValue: String) { nil }
}
