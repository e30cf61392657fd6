/// Which configuration keys and environment variables hold secrets, and how they are masked.
///
/// A key is secret when its last word is `key`, `secret`, `token`, `password` (`api_key`,
/// `api_secret`, `access_token`, `bot_token`, `smtp_password`, `KITE_API_KEY`); a URL's password
/// (`postgres://user:password@host/db`) is secret wherever it appears.
public enum SecretNames {
    /// What a secret is printed as.
    public static let mask = "********"

    private static let secretWords: Set<String> = ["key", "secret", "token", "password", "passwd", "passphrase", "pwd"]
    /// Keys that end like a secret but are public: identifiers, and the shell's `PWD` and
    /// `OLDPWD` (working directories, which would otherwise be cut out of every path logged).
    private static let publicKeys: Set<String> = ["instrument_token", "exchange_token", "sort_key", "pwd", "oldpwd"]

    public static func isSecretKey(_ key: String) -> Bool {
        let lowered = key.lowercased()
        if publicKeys.contains(lowered) { return false }
        if lowered.contains("password") || lowered.contains("secret") { return true }
        let words = lowered.split(whereSeparator: { $0 == "_" || $0 == "-" || $0 == "." })
        guard let last = words.last else { return false }
        return secretWords.contains(String(last))
    }

    /// The password inside a URL (`scheme://user:password@host`, or `?password=…`), if any.
    public static func urlPassword(_ url: String) -> String? {
        passwordRange(in: url).map { String(url[$0]) }
    }

    /// The URL with its password replaced by the mask.
    public static func maskingURLPassword(_ url: String) -> String {
        guard let range = passwordRange(in: url) else { return url }
        var masked = url
        masked.replaceSubrange(range, with: mask)
        return masked
    }

    private static func passwordRange(in url: String) -> Range<String.Index>? {
        guard let schemeEnd = url.range(of: "://") else { return nil }
        let afterScheme = url[schemeEnd.upperBound...]
        let authorityEnd = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? url.endIndex
        let authority = url[schemeEnd.upperBound..<authorityEnd]
        if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
            let start = authority.index(after: colon)
            if start < at { return start..<at }
        }
        if let query = url.range(of: "password=", options: .caseInsensitive) {
            let end = url[query.upperBound...].firstIndex(where: { $0 == "&" || $0 == "#" }) ?? url.endIndex
            if query.upperBound < end { return query.upperBound..<end }
        }
        return nil
    }

    /// Replaces every occurrence of every secret in `text` with the mask, longest first.
    public static func redact(_ text: String, secrets: some Sequence<String>) -> String {
        var result = text
        for secret in secrets.sorted(by: { $0.count > $1.count }) where !secret.isEmpty {
            result = result.replacingOccurrences(of: secret, with: mask)
        }
        return result
    }
}

import AlphaPrimeSupport
import Foundation
