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

    /// The URL with any password replaced by `***`.
    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let url): DatabaseURL.redactPostgresURL(url)
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
        StoreError(.invalidURL, message: "\(environmentKey) '\(redactPostgresURL(text))' is not a database URL: \(why)")
    }

    /// Lets libpq parse the URI, so a mistake is found before connecting, with libpq's own words.
    private static func validatePostgres(_ url: String) throws {
        let options: [(keyword: String, value: String?)]
        switch PostgresConnection.parseConninfo(url) {
        case .success(let parsed): options = parsed
        case .failure(let failure):
            let why = StoreError.scrub(failure.message.trimmingCharacters(in: .whitespacesAndNewlines), parameters: [],
                                       secrets: passwordForms(url))
            throw invalid(url, why)
        }
        // libpq only checks the port when connecting; a typo there is a configuration error, not an outage.
        for option in options where option.keyword == "port" {
            guard let port = option.value else { continue }
            let valid = port.split(separator: ",", omittingEmptySubsequences: false).allSatisfy { part in
                part.isEmpty || (part.allSatisfy(\.isASCII) && UInt16(part) != nil)
            }
            if !valid { throw invalid(url, "the port '\(port)' is not a number from 1 to 65535") }
        }
    }

    /// The user-info part of `scheme://user:password@host…`, found the way libpq finds it: up to the
    /// first `@` before any `/`.
    private static func userInfoRange(_ url: String) -> Range<String.Index>? {
        guard let schemeEnd = url.range(of: "://") else { return nil }
        var index = schemeEnd.upperBound
        while index < url.endIndex {
            let c = url[index]
            if c == "/" { return nil }
            if c == "@" { return schemeEnd.upperBound..<index }
            index = url.index(after: index)
        }
        return nil
    }

    /// Every spelling of the password that could show up in a message: raw, decoded, and from a
    /// `password=` query parameter.
    static func passwordForms(_ url: String) -> [String] {
        var forms: [String] = []
        if let range = userInfoRange(url), let colon = url[range].firstIndex(of: ":") {
            let raw = String(url[url.index(after: colon)..<range.upperBound])
            forms.append(raw)
            if let decoded = raw.removingPercentEncoding { forms.append(decoded) }
        }
        if let query = url.firstIndex(of: "?") {
            for pair in url[url.index(after: query)...].split(separator: "&") where pair.lowercased().hasPrefix("password=") {
                let raw = String(pair.dropFirst("password=".count))
                forms.append(raw)
                if let decoded = raw.removingPercentEncoding { forms.append(decoded) }
            }
        }
        return forms.filter { !$0.isEmpty }
    }

    /// `postgres://user:***@host/db`: the password (in the user info or a `password=` parameter)
    /// replaced, everything else kept so the trader can see which server and database are meant.
    static func redactPostgresURL(_ url: String) -> String {
        var out = url
        if let range = userInfoRange(out), let colon = out[range].firstIndex(of: ":") {
            out.replaceSubrange(out.index(after: colon)..<range.upperBound, with: "***")
        }
        if let query = out.firstIndex(of: "?") {
            let head = out[...query]
            let pairs = out[out.index(after: query)...].split(separator: "&", omittingEmptySubsequences: false).map { pair in
                pair.lowercased().hasPrefix("password=") ? "password=***" : String(pair)
            }
            out = head + pairs.joined(separator: "&")
        }
        return out
    }
}
