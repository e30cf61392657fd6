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
        passwordRanges(in: url).first.map { String(url[$0]) }
    }

    /// Every password inside a URL (the user info's and each `password=` parameter's).
    public static func urlPasswords(_ url: String) -> [String] {
        passwordRanges(in: url).map { String(url[$0]) }
    }

    /// The URL with every password replaced by `mask`.
    public static func maskingURLPassword(_ url: String, mask: String = SecretNames.mask) -> String {
        var masked = url
        for range in passwordRanges(in: url).reversed() { masked.replaceSubrange(range, with: mask) }
        return masked
    }

    /// Whether the user information of `scheme://user:password@host` holds a raw `@` (more than one
    /// `@` before the host): a client would take part of the password for the host name, so such a
    /// URL is refused and the `@` must be written `%40`.
    public static func hasRawAtInUserInfo(_ url: String) -> Bool {
        guard let schemeEnd = url.range(of: "://") else { return false }
        let head = url[schemeEnd.upperBound...].prefix { $0 != "?" && $0 != "#" }
        return head.filter { $0 == "@" }.count > 1
    }

    /// The password's place in the user info runs from the user name's `:` after `scheme://` to the
    /// **last** `@` before the query: a raw `@` in a password (`p@ss`) is masked whole, never split
    /// into a password and a "host". Then every `password=` value anywhere after `scheme://` (the
    /// query's parameters, and one a mistyped URL carries elsewhere, `…host password=x`), to the
    /// next `&`. Overlapping places are merged, so the ranges are disjoint and in order.
    private static func passwordRanges(in url: String) -> [Range<String.Index>] {
        guard let schemeEnd = url.range(of: "://") else { return [] }
        var ranges: [Range<String.Index>] = []
        let queryStart = url[schemeEnd.upperBound...].firstIndex(of: "?") ?? url.endIndex
        let head = url[schemeEnd.upperBound..<queryStart]
        if let at = head.lastIndex(of: "@"), let first = head.firstIndex(of: "@") {
            // The user name ends at the first `:`, if that comes before the first `@`; otherwise
            // (`user@x:p@host`, refused anyway) where it ends is unknown and all of it is masked.
            let start = head[..<first].firstIndex(of: ":").map { head.index(after: $0) }
                ?? (first < at ? head.startIndex : nil)
            if let start, start < at { ranges.append(start..<at) }
        }
        var cursor = schemeEnd.upperBound
        while let found = url.range(of: "password=", options: .caseInsensitive, range: cursor..<url.endIndex) {
            // To the next parameter: libpq takes a `#` as part of the value, so it is masked too.
            let end = url[found.upperBound...].firstIndex(of: "&") ?? url.endIndex
            if found.upperBound < end { ranges.append(found.upperBound..<end) }
            cursor = found.upperBound
        }
        var merged: [Range<String.Index>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = merged.last, range.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        return merged
    }

    /// What a value that is not a usable URL looks like, without showing it: its scheme when it
    /// starts with one (`'mysql:'`), else "a value with no URL scheme".
    public static func schemeDescription(_ text: String) -> String {
        guard let colon = text.firstIndex(of: ":") else { return "a value with no URL scheme" }
        let scheme = text[..<colon]
        guard let first = scheme.first, first.isASCII, first.isLetter, scheme.count <= 20,
              scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == ".") }) else {
            return "a value with no URL scheme"
        }
        return "a URL of scheme '\(scheme):' without the expected form"
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
