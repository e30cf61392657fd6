import AlphaPrimeSupport
import AlphaPrimeDomain

/// `${VAR}` and `${VAR:-default}` in configuration values, expanded from the process environment
/// merged with `.env`. `$${` writes a literal `${`.
enum VariableExpansion {
    struct Outcome {
        var text: String
        /// Variables referenced without a default and not defined.
        var undefined: [String] = []
        /// Variables that were referenced (defined or not).
        var referenced: [String] = []
        /// A malformed reference such as `${` without `}`, described.
        var malformed: String?
    }

    static func containsReference(_ text: String) -> Bool { text.contains("${") }

    static func expand(_ text: String, environment: [String: String]) -> Outcome {
        guard containsReference(text) else { return Outcome(text: text) }
        var out = Outcome(text: "")
        var chars = Substring(text)
        while let dollar = chars.firstIndex(of: "$") {
            out.text += chars[..<dollar]
            let rest = chars[dollar...]
            if rest.hasPrefix("$${") {
                out.text += "${"
                chars = rest.dropFirst(3)
                continue
            }
            guard rest.hasPrefix("${") else {
                out.text += "$"
                chars = rest.dropFirst()
                continue
            }
            let body = rest.dropFirst(2)
            guard let close = body.firstIndex(of: "}") else {
                out.malformed = "'${' without a closing '}'"
                out.text += rest
                return out
            }
            let reference = body[..<close]
            chars = body[body.index(after: close)...]
            let name: Substring, fallback: Substring?
            if let sep = reference.range(of: ":-") {
                name = reference[..<sep.lowerBound]
                fallback = reference[sep.upperBound...]
            } else {
                name = reference
                fallback = nil
            }
            guard isVariableName(name) else {
                out.malformed = "'${\(reference)}' is not a variable reference (use ${NAME} or ${NAME:-default})"
                continue
            }
            let key = String(name)
            out.referenced.append(key)
            if let value = environment[key], !(fallback != nil && value.isEmpty) {
                out.text += value
            } else if let fallback {
                out.text += fallback
            } else {
                out.undefined.append(key)
            }
        }
        out.text += chars
        return out
    }

    static func isVariableName(_ name: some StringProtocol) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic)
        else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }
}
