import AlphaPrimeDomain
import AlphaPrimeStore
import AlphaPrimeSupport
import Foundation

/// The `database-url` fuzz target's checks (shared with the test that replays its corpus): one
/// `DATABASE_URL` through its parser. Beyond not crashing: neither a non-SQLite URL's description
/// nor an error's message shows the password (a raw `@` in it included) or a `password=` value,
/// and no error message holds a control character (a tab aside).
enum DatabaseURLFuzzCheck {
    static let home = AlphaPrimeHome(root: URL(filePath: "/srv/alpha-prime"))

    static func findings(_ bytes: [UInt8]) -> [String] {
        let text = String(decoding: bytes, as: UTF8.self)
        var findings: [String] = []
        let shown = Self.shown(text)
        if shown.isError, shown.text.unicodeScalars.contains(where: { ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7F }) {
            findings.append("a control byte in: \(shown.text.debugDescription)")
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        // A SQLite URL is a file's path, shown as it is, whatever its name.
        guard !trimmed.lowercased().hasPrefix("sqlite:") else { return findings }
        for secret in secrets(in: trimmed) where shown.text.contains(String(secret)) {
            // Unless it shows whatever the password is: the same characters elsewhere in the URL
            // (a host of tabs) or in the message's own words.
            var other = trimmed
            other.replaceSubrange(secret.startIndex..<secret.endIndex, with: String(repeating: "Q", count: secret.count))
            if Self.shown(other).text.contains(String(secret)) { continue }
            findings.append("the password \(secret.debugDescription) shows: \(shown.text)")
        }
        return findings
    }

    /// What a message shows of the text: the parsed URL's description or the error.
    static func shown(_ text: String) -> (text: String, isError: Bool) {
        do {
            return (try DatabaseURL.parse(text, home: home).description, false)
        } catch {
            return ("\(error)", true)
        }
    }

    /// The passwords the text carries by the product's own rule (`SecretNames.urlPasswords`: the
    /// user info's, to the last `@` before the query, and every `password=` value), four characters
    /// or longer: whatever path the text takes (parsed, refused, libpq's words), none may show.
    static func secrets(in text: String) -> [Substring] {
        guard let schemeEnd = text.range(of: "://") else { return [] }
        var found: [Substring] = []
        // A password whose text the URL holds twice (once not as a password) may show as the other.
        for password in SecretNames.urlPasswords(text) where password.count >= 4 && password != "***"
            && text.ranges(of: password).count == 1 {
            if let range = text.range(of: password, range: schemeEnd.upperBound..<text.endIndex) { found.append(text[range]) }
        }
        return found
    }
}
