import AlphaPrimeSupport
import AlphaPrimeDomain
import Foundation
import Yams

/// Decodes a YAML file into `Codable` configuration structs strictly, collecting **every**
/// problem it can find in one pass instead of stopping at the first.
///
/// - An unknown key is an error (with "did you mean …" when a known key is close). Keys count as
///   known when the type asked for them, so this works for any `Decodable` type.
/// - A wrong type ("expected a number, got 'five'") is recorded, and decoding carries on with a
///   placeholder value so that later keys are still checked.
/// - A missing required key names the line of the mapping it belongs in.
/// - `${VAR}` / `${VAR:-default}` in values expand from the given environment; an undefined
///   variable is an error naming the file, line and key.
///
/// Validation that needs the decoded values runs afterwards, through ``ConfigValidator``, which
/// skips paths that already have a decoding error.
public enum StrictYAMLDecoder {
    /// What decoding one file produced: the value when the file could be decoded at all (possibly
    /// holding placeholders where ``issues`` says so), and what validation needs.
    public struct Outcome<Value> {
        public var value: Value?
        public var issues: [ConfigIssue]
        /// The line of every key path seen, for validation messages.
        public var lines: [String: Int]
        /// Key paths whose value was wrong or missing (and holds a placeholder).
        public var brokenPaths: Set<String>
        /// Values found under keys that name a secret (`api_key`, `password`, …).
        public var secretValues: Set<String>

        /// A validator for this file, carrying its lines and broken paths.
        public func validator() -> ConfigValidator {
            ConfigValidator(file: file, lines: lines, brokenPaths: brokenPaths)
        }

        let file: String
    }

    /// Decodes `yaml` (the text of `file`, a path relative to the home used in messages).
    public static func decode<T: Decodable>(
        _ type: T.Type, yaml: String, file: String, environment: [String: String] = [:]
    ) -> Outcome<T> {
        let session = ConfigDecodingSession(file: file, environment: environment)
        var value: T?
        do {
            // The basic resolver: values are read from their text by the types they decode into,
            // never from YAML's implicit tags, and the default resolver's regular expressions ran
            // on every key (Yams hashes keys to find duplicates), a tenth of a tool's start.
            if let root = try Yams.compose(yaml: yaml, .basic) {
                value = try? session.decode(T.self, from: root, path: [], keyLine: nil)
            } else {
                session.report("", line: nil, "the file is empty")
            }
        } catch {
            let (line, message) = describe(yamlError: error)
            // The parser can place an error at the end of the input past the last line (an
            // unclosed flow collection): it is named as the file's last line.
            session.report("", line: line.map { min($0, lineCount(yaml)) }, message)
        }
        return Outcome(value: value, issues: session.sortedIssues, lines: session.lines,
                       brokenPaths: session.brokenPaths, secretValues: session.secretValues, file: file)
    }

    /// The lines of a YAML text as its parser numbers them: a line break is LF, CR, CR LF, NEL,
    /// LS or PS (YAML 1.1, libyaml's), so a file with old Mac line ends has the lines its messages name.
    public static func lineCount(_ yaml: String) -> Int {
        let breaks: Set<Character> = ["\n", "\r", "\r\n", "\u{85}", "\u{2028}", "\u{2029}"]
        return yaml.reduce(1) { $0 + (breaks.contains($1) ? 1 : 0) }
    }

    static func describe(yamlError error: Error) -> (Int?, String) {
        guard let error = error as? YamlError else { return (nil, "cannot read YAML: \(error)") }
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            let context = context.map { " (\($0.text))" } ?? ""
            return (mark.line, "YAML syntax error: \(problem)\(context)")
        case let .duplicatedKeysInMapping(duplicates, context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return (context.mark.line, "key \(keys) appears more than once in the same mapping")
        case let .reader(problem, offset, _, yaml):
            let line = offset.map { offset in
                yaml.utf8.prefix(offset).reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
            }
            return (line, "cannot read the file: \(problem)")
        default:
            return (nil, "cannot read YAML: \(error)")
        }
    }
}

/// Thrown only when not even a placeholder could be made; the problem is already recorded.
struct ConfigAlreadyReported: Error {}

/// State shared while decoding one file.
final class ConfigDecodingSession {
    let file: String
    let environment: [String: String]
    private var issues: [ConfigIssue] = []
    private(set) var brokenPaths: Set<String> = []
    var lines: [String: Int] = [:]
    private(set) var secretValues: Set<String> = []

    init(file: String, environment: [String: String]) {
        self.file = file
        self.environment = environment
    }

    var sortedIssues: [ConfigIssue] {
        issues.enumerated().sorted { a, b in
            (a.element.line ?? .max, a.offset) < (b.element.line ?? .max, b.offset)
        }.map(\.element)
    }

    func report(_ path: String, line: Int?, _ message: String) {
        issues.append(ConfigIssue(file: file, line: line, keyPath: path, message: message))
        brokenPaths.insert(path)
    }

    func markBroken(_ path: String) { brokenPaths.insert(path) }

    // MARK: Decoding a node

    func decode<T: Decodable>(_ type: T.Type, from node: Node, path: [CodingKey], keyLine: Int?) throws -> T {
        let pathText = ConfigKeyPath.render(path)
        let line = keyLine ?? node.mark?.line
        if let primitive = ConfigPrimitives.primitive(T.self) {
            guard let text = scalarText(node, path: path, line: line, expectation: primitive.configExpectation) else {
                return primitive.configZero as! T
            }
            if let value = primitive.parseConfig(text) { return value as! T }
            report(pathText, line: line, primitive.mismatch(text))
            return primitive.configZero as! T
        }
        if let scalar = T.self as? any ConfigScalarDecodable.Type {
            guard let text = scalarText(node, path: path, line: line, expectation: "a single value") else {
                return scalar.configPlaceholder as! T
            }
            do {
                return try scalar.init(configText: text) as! T
            } catch {
                report(pathText, line: line, ConfigValueError.message(of: error))
                return scalar.configPlaceholder as! T
            }
        }
        let decoder = NodeDecoder(session: self, node: node, codingPath: path, keyLine: keyLine)
        do {
            let value = try T(from: decoder)
            decoder.finish(completed: true)
            return value
        } catch is ConfigAlreadyReported {
            decoder.finish(completed: false)
            throw ConfigAlreadyReported()
        } catch {
            decoder.finish(completed: false)
            report(pathText, line: line, ConfigValueError.message(of: error))
            return try placeholder(T.self, path: path)
        }
    }

    /// A stand-in value for a key that was missing or wrong, so decoding can go on.
    func placeholder<T: Decodable>(_ type: T.Type, path: [CodingKey]) throws -> T {
        if let primitive = ConfigPrimitives.primitive(T.self) { return primitive.configZero as! T }
        if let scalar = T.self as? any ConfigScalarDecodable.Type { return scalar.configPlaceholder as! T }
        do {
            return try T(from: NodeDecoder(session: self, node: Node([(Node, Node)]()), codingPath: path,
                                           keyLine: nil, quiet: true))
        } catch {
            throw ConfigAlreadyReported()
        }
    }

    // MARK: Scalars

    /// Whether the node is YAML null (`~`, `null`, nothing), or a plain value that expands to nothing.
    func isNull(_ node: Node) -> Bool {
        guard case let .scalar(scalar) = node, scalar.style == .plain || scalar.style == .any else { return false }
        if ["", "~", "null", "Null", "NULL"].contains(scalar.string) { return true }
        if VariableExpansion.containsReference(scalar.string) {
            let outcome = VariableExpansion.expand(scalar.string, environment: environment)
            return outcome.undefined.isEmpty && outcome.malformed == nil && outcome.text.isEmpty
        }
        return false
    }

    /// The text of a scalar after `${VAR}` expansion, or nil (with the problem recorded) when the
    /// node is not a scalar, is empty, or names an undefined variable.
    func scalarText(_ node: Node, path: [CodingKey], line: Int?, expectation: String) -> String? {
        let pathText = ConfigKeyPath.render(path)
        guard case let .scalar(scalar) = node else {
            report(pathText, line: line, "expected \(expectation), got \(Self.describe(node))")
            return nil
        }
        if isNull(node) && !VariableExpansion.containsReference(scalar.string) {
            report(pathText, line: line, "expected \(expectation), got nothing")
            return nil
        }
        var text = scalar.string
        if VariableExpansion.containsReference(text) {
            let outcome = VariableExpansion.expand(text, environment: environment)
            if let malformed = outcome.malformed {
                report(pathText, line: line, "malformed variable reference: \(malformed)")
                return nil
            }
            if !outcome.undefined.isEmpty {
                let names = outcome.undefined.map { "'\($0)'" }.joined(separator: ", ")
                let plural = outcome.undefined.count > 1
                report(pathText, line: line,
                       "environment variable\(plural ? "s" : "") \(names) \(plural ? "are" : "is") not set "
                       + "(set it in the environment or in .env, or write ${NAME:-default})")
                return nil
            }
            text = outcome.text
        }
        if let key = ConfigKeyPath.lastKey(path), SecretNames.isSecretKey(key), !text.isEmpty {
            secretValues.insert(text)
        }
        return text
    }

    static func describe(_ node: Node) -> String {
        switch node {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        case let .scalar(scalar): "'\(scalar.string.count > 60 ? String(scalar.string.prefix(57)) + "..." : scalar.string)'"
        }
    }
}
