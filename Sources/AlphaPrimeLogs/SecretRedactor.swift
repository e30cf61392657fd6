import AlphaPrimeSupport
import AlphaPrimeDomain
import Logging
import Synchronization

/// Takes secrets out of text before it is written anywhere: log lines, reports, error messages.
///
/// Three rules, applied in this order:
/// 1. **Known values.** Every configured secret value (API keys and secrets, access tokens,
///    passwords, SMTP and Telegram credentials), wherever it appears, becomes `[REDACTED]`;
///    longer secrets first, so one containing another is removed whole. Values shorter than
///    ``minimumSecretLength`` (4) characters are not searched for in text — a 2-character
///    "secret" would blank out every price and id — but rules 2 and 3 still hide them when they
///    come with a name.
/// 2. **Sensitive names** (``isSensitiveKey(_:)``): a metadata value whose key names a secret is
///    replaced whole, nested dictionaries and arrays included.
/// 3. **Patterns in free text** (``scrubPatterns(_:)``): `access_token=…`, `"api_secret": "…"`,
///    `Authorization: token api_key:access_token` and the like, for secrets never configured
///    (a fresh access token, a token echoed in a broker's error body).
///
/// The redactor never prints the values it holds.
public struct SecretRedactor: Sendable, CustomStringConvertible, CustomReflectable {
    public static let placeholder = "[REDACTED]"
    /// Secret values shorter than this are not searched for in free text (rule 1).
    public static let minimumSecretLength = 4

    /// The searched-for secrets as UTF-8, longest first.
    private var secrets: [[UInt8]] = []
    /// How many given secrets were too short to search for (for a notice at start-up).
    public private(set) var ignoredShortSecretCount = 0

    public init<S: Sequence>(secrets: S) where S.Element == String {
        for s in secrets { add(s) }
    }

    public init() {}

    /// Adds a secret value (surrounding whitespace ignored). Empty and duplicate values are skipped.
    public mutating func add(_ secret: String) {
        let trimmed = secret.trimmingASCIIWhitespace()
        guard !trimmed.isEmpty else { return }
        guard trimmed.count >= Self.minimumSecretLength else { ignoredShortSecretCount += 1; return }
        let bytes = Array(trimmed.utf8)
        guard !secrets.contains(bytes) else { return }
        secrets.append(bytes)
        secrets.sort { $0.count > $1.count }
    }

    /// How many secret values are searched for.
    public var count: Int { secrets.count }

    public var description: String { "SecretRedactor(\(secrets.count) secrets)" }
    public var customMirror: Mirror { Mirror(self, children: ["count": secrets.count]) }

    // MARK: Text

    /// The text with every known secret value and every secret-looking `name=value` removed.
    public func redact(_ text: String) -> String {
        scrubPatterns(replacingSecrets(in: text))
    }

    /// The text with every known secret value replaced (rule 1 only).
    public func replacingSecrets(in text: String) -> String {
        guard !secrets.isEmpty, text.utf8.count >= Self.minimumSecretLength else { return text }
        var bytes = Array(text.utf8)
        var changed = false
        let placeholder = Array(Self.placeholder.utf8)
        for secret in secrets where secret.count <= bytes.count {
            if bytes.replaceAll(secret, with: placeholder) { changed = true }
        }
        return changed ? String(decoding: bytes, as: UTF8.self) : text
    }

    /// Whether the text contains a known secret value.
    public func containsSecret(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return secrets.contains { bytes.firstRange(of: $0) != nil }
    }

    // MARK: Metadata

    /// Metadata with rules 1–3 applied to every value, nested ones included. `prefix` is the
    /// dotted path of the dictionary the keys sit in.
    public func redact(_ metadata: Logger.Metadata, prefix: String = "") -> Logger.Metadata {
        var out = Logger.Metadata()
        out.reserveCapacity(metadata.count)
        for (key, value) in metadata {
            out[key] = redact(value, key: prefix.isEmpty ? key : "\(prefix).\(key)")
        }
        return out
    }

    /// A metadata value with rules 1–3 applied; `key` is its full dotted key.
    public func redact(_ value: Logger.Metadata.Value, key: String) -> Logger.Metadata.Value {
        if Self.isSensitiveKey(key) { return .string(Self.placeholder) }
        switch value {
        case .string(let s):
            return .string(redact(s))
        case .stringConvertible(let c):
            if LogValueKind.isPlainScalar(c) {
                // Numbers and booleans stay typed unless one spells a configured secret (a PIN).
                return containsSecret(c.description) ? .string(Self.placeholder) : value
            }
            return .string(redact(c.description))
        case .array(let items):
            return .array(items.map { redact($0, key: key) })
        case .dictionary(let dict):
            return .dictionary(redact(dict, prefix: key))
        }
    }

    // MARK: Names

    /// Words that make a key name a secret wherever they appear in it.
    static let sensitiveWords: Set<String> = [
        "secret", "secrets", "token", "tokens", "password", "passwords", "passwd", "pwd", "passphrase",
        "authorization", "auth", "credential", "credentials", "cookie", "pin", "totp", "enctoken",
        "apikey", "apisecret", "accesstoken", "requesttoken", "refreshtoken", "privatekey", "dsn",
    ]
    /// Fragments that make a glued-together name (`smtppassword`, `kiteaccesstoken`) a secret.
    static let sensitiveFragments = ["secret", "password", "passwd", "token", "authorization", "apikey", "credential"]
    /// Word pairs that look like secrets but are public identifiers (Kite's instrument tokens).
    static let publicPairs: Set<String> = ["instrument token", "exchange token", "token type"]

    /// Whether a key names a secret. The key is split into lowercase words at anything not a
    /// letter or digit and at camelCase humps (`broker.apiKey` → broker, api, key). It is a
    /// secret when a word is one of ``sensitiveWords`` (secret, token, password, authorization,
    /// auth, credential, cookie, pin, totp, …), or its **last** word is `key` (`api_key`,
    /// `private_key`, `X-Api-Key`; not `key_path`), or a glued word contains one of
    /// ``sensitiveFragments``. Kite's `instrument_token` and `exchange_token` are public ids and
    /// do not count.
    public static func isSensitiveKey(_ key: String) -> Bool {
        let words = splitWords(key)
        guard !words.isEmpty else { return false }
        if words.last == "key" { return true }
        for (i, word) in words.enumerated() {
            let pairedBefore = i > 0 && publicPairs.contains("\(words[i - 1]) \(word)")
            let pairedAfter = i + 1 < words.count && publicPairs.contains("\(word) \(words[i + 1])")
            if pairedBefore || pairedAfter { continue }
            if sensitiveWords.contains(word) { return true }
            if word != "instrumenttoken", word != "exchangetoken",
               sensitiveFragments.contains(where: { word.contains($0) }) {
                return true
            }
        }
        return false
    }

    static func splitWords(_ key: String) -> [String] {
        var words: [String] = []
        var current: [UInt8] = []
        var previousWasLower = false
        func flush() {
            if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)) }
            current.removeAll(keepingCapacity: true)
        }
        for b in key.utf8 {
            let isUpper = b >= 65 && b <= 90, isLower = b >= 97 && b <= 122, isDigit = b >= 48 && b <= 57
            if isUpper {
                if previousWasLower { flush() }
                current.append(b + 32)
            } else if isLower || isDigit {
                current.append(b)
            } else {
                flush()
            }
            previousWasLower = isLower || isDigit
        }
        flush()
        return words
    }
}

/// The secrets of a running process, shared by every log handler. Secrets learnt at run time
/// (the day's Kite access token after login) are added here and are redacted from then on.
public final class SecretRegistry: Sendable, CustomStringConvertible {
    private let state: Mutex<SecretRedactor>

    public init(secrets: [String] = []) {
        state = Mutex(SecretRedactor(secrets: secrets))
    }

    /// Adds a secret value; lines logged afterwards never contain it.
    public func add(_ secret: String) {
        state.withLock { $0.add(secret) }
    }

    /// A snapshot of the redactor.
    public var redactor: SecretRedactor { state.withLock { $0 } }

    public var description: String { "SecretRegistry(\(redactor.count) secrets)" }
}

extension String {
    func trimmingASCIIWhitespace() -> String {
        let bytes = Array(utf8)
        func isSpace(_ b: UInt8) -> Bool { b == 32 || b == 9 || b == 10 || b == 13 }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }),
              let last = bytes.lastIndex(where: { !isSpace($0) }) else { return "" }
        if first == 0 && last == bytes.count - 1 { return self }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }
}

extension Array where Element == UInt8 {
    /// Replaces every non-overlapping occurrence of `needle`; true when anything changed.
    mutating func replaceAll(_ needle: [UInt8], with replacement: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= count, firstRange(of: needle) != nil else { return false }
        var out: [UInt8] = []
        out.reserveCapacity(count)
        var i = 0
        let n = needle.count
        while i < count {
            if i + n <= count, self[i] == needle[0], self[i..<(i + n)].elementsEqual(needle) {
                out.append(contentsOf: replacement)
                i += n
            } else {
                out.append(self[i])
                i += 1
            }
        }
        self = out
        return true
    }
}
