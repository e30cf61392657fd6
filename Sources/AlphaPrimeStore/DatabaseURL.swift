import AlphaPrimeSupport
import AlphaPrimeDomain
import Foundation

/// Which state database to use, from `DATABASE_URL`.
///
/// - `sqlite:var/alpha_prime.db`: a file relative to the home directory (the default when unset);
/// - `sqlite:/absolute/path.db`: a file anywhere;
/// - `sqlite::memory:`: a private in-memory database (tests, dry runs);
/// - `postgres://user:password@host:port/database?options` (or `postgresql://`): PostgreSQL via libpq.
///
/// `description` never shows a password.
public enum DatabaseURL: Sendable, Equatable, CustomStringConvertible {
    /// An absolute file path, or `:memory:`.
    case sqlite(path: String)
    /// The libpq connection URI exactly as given.
    case postgres(url: String)

    public static let environmentKey = "DATABASE_URL"
    public static let defaultValue = "sqlite:var/alpha_prime.db"

    /// Reads `DATABASE_URL` from `environment` (the caller merges `.env` into it); unset or empty
    /// means ``defaultValue``. Relative SQLite paths are resolved against the home directory.
    public static func resolve(environment: [String: String], home: AlphaPrimeHome) throws -> DatabaseURL {
        let text = environment[environmentKey]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return try parse(text.isEmpty ? defaultValue : text, home: home)
    }

    /// Parses a database URL. Errors are ``StoreError`` of kind `.invalidURL` (exit code: config error).
    public static func parse(_ text: String, home: AlphaPrimeHome) throws -> DatabaseURL {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let lower = text.lowercased()
        if lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://") {
            try validatePostgres(text)
            return .postgres(url: text)
        }
        if lower.hasPrefix("sqlite:") {
            let rest = String(text.dropFirst("sqlite:".count))
            if rest == ":memory:" { return .sqlite(path: ":memory:") }
            guard !rest.isEmpty else {
                throw invalid(text, "it names no file; write sqlite:var/alpha_prime.db (relative to the home directory) or sqlite:/absolute/path.db")
            }
            guard !rest.hasPrefix("//") else {
                throw invalid(text, "sqlite:// URLs are ambiguous; write sqlite:var/alpha_prime.db (relative to the home directory) or sqlite:/absolute/path.db")
            }
            let url = rest.hasPrefix("/") ? URL(filePath: rest) : home.root.appending(path: rest)
            return .sqlite(path: url.standardizedFileURL.path)
        }
        throw invalid(text, "expected sqlite:PATH, sqlite::memory: or postgres://…")
    }

    public var backend: DatabaseBackend {
        switch self {
        case .sqlite: .sqlite
        case .postgres: .postgresql
        }
    }

    /// The URL with any password replaced by `***` (and a PostgreSQL URL's control characters
    /// shown escaped).
    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let url): PrintableText.escaped(DatabaseURL.redactPostgresURL(url))
        }
    }

    /// Opens the database this URL names: a ``SQLiteConnection`` or a ``PostgresConnection``.
    public func open() throws -> any SQLDatabase {
        switch self {
        case .sqlite(let path): try SQLiteConnection(path: path)
        case .postgres(let url): try PostgresConnection(url: url)
        }
    }

    // MARK: PostgreSQL URLs

    private static func invalid(_ text: String, _ why: String) -> StoreError {
        StoreError(.invalidURL, message: "\(environmentKey) \(shown(text)) is not a database URL: \(PrintableText.escaped(why))")
    }

    /// How a database URL may appear in a message: a SQLite URL as it is, a PostgreSQL URL with its
    /// passwords masked (control characters escaped in both); anything else (a key-value conninfo, a
    /// mistyped scheme) not at all, since a password may sit anywhere in it.
    static func shown(_ text: String) -> String {
        let lower = text.lowercased()
        if lower.hasPrefix("sqlite:") { return "'\(PrintableText.escaped(text))'" }
        if lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://") { return "'\(PrintableText.escaped(redactPostgresURL(text)))'" }
        return "(\(SecretNames.schemeDescription(text)); not shown: it may hold a password)"
    }

    /// Lets libpq parse the URI, so a mistake is found before connecting, with libpq's own words.
    private static func validatePostgres(_ url: String) throws {
        if SecretNames.hasRawAtInUserInfo(url) {
            // libpq would take the part of the password after the first '@' for the host name and
            // print it in its messages.
            throw invalid(url, "the user or password holds a raw '@': write it as %40 (postgres://user:p%40ss@host/db)")
        }
        let options: [(keyword: String, value: String?)]
        switch PostgresConnection.parseConninfo(url) {
        case .success(let parsed): options = parsed
        case .failure(let failure):
            // libpq's own words, unless they quote any part of the URL's user information.
            let message = failure.message.trimmingCharacters(in: .whitespacesAndNewlines)
            // A URL that carries a password: libpq's words without the pieces of the URL it quotes
            // (`invalid percent-encoded token: "…"`), since any of them may hold part of it.
            let passwords = passwordForms(url)
            var why = StoreError.scrub(message, parameters: [], secrets: passwords)
            if !passwords.isEmpty { why = withoutQuotedParts(why) }
            throw invalid(url, why.contains("@") || why.contains("‹redacted›") ? "libpq cannot parse it" : why)
        }
        // libpq only checks the port when connecting; a typo there is a configuration error, not an outage.
        for option in options where option.keyword == "port" {
            guard let port = option.value else { continue }
            let valid = port.split(separator: ",", omittingEmptySubsequences: false).allSatisfy { part in
                part.isEmpty || (part.allSatisfy(\.isASCII) && UInt16(part) != nil)
            }
            // A short port is quoted; a long one is a mistyped URL whose rest could hold a password.
            let quoted = port.count <= 12 && !port.contains(where: { $0 == " " || $0 == "=" }) ? " '\(port)'" : ""
            if !valid { throw invalid(url, "the port\(quoted) is not a number from 1 to 65535") }
        }
    }

    /// libpq's message with every part it quotes (a piece of the URL, which may be a piece of a
    /// password) shown as `"…"`.
    static func withoutQuotedParts(_ message: String) -> String {
        message.split(separator: "\"", omittingEmptySubsequences: false).enumerated()
            .map { $0.offset % 2 == 1 ? "…" : String($0.element) }.joined(separator: "\"")
    }

    /// Every spelling of the password that could show up in a message: raw and decoded, of the
    /// user info's and of any `password=` parameter.
    static func passwordForms(_ url: String) -> [String] {
        var forms: [String] = []
        for raw in SecretNames.urlPasswords(url) {
            forms.append(raw)
            if let decoded = raw.removingPercentEncoding, decoded != raw { forms.append(decoded) }
        }
        return forms.filter { !$0.isEmpty }
    }

    /// `postgres://user:***@host/db`: every password (everything between the user name and the
    /// last `@`, and any `password=` parameter) replaced, everything else kept so the trader can see
    /// which server and database are meant.
    static func redactPostgresURL(_ url: String) -> String {
        SecretNames.maskingURLPassword(url, mask: "***")
    }
}
