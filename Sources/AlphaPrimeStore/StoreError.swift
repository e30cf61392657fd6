import AlphaPrimeSupport
import AlphaPrimeDomain
import Foundation

/// The one error type of the state database: opening it, running SQL, migrations, typed reads.
///
/// `description` names the backend, the code (SQLite result code or PostgreSQL SQLSTATE), the
/// database's message and the SQL statement as written with `?` placeholders. It never contains a
/// bound value or a password: messages that could quote a value (PostgreSQL data exceptions) are
/// replaced by a generic one, and any bound text that still appears is cut out.
public struct StoreError: Error, ExitStatusProviding, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        /// `DATABASE_URL` cannot be understood.
        case invalidURL
        /// The database cannot be opened or reached, or the connection was lost.
        case unavailable
        /// The database file cannot be written: the disk is full, or the file or its directory is
        /// read-only or not permitted.
        case cannotWrite
        /// Another connection holds a lock past the busy timeout (or a deadlock / serialization failure).
        case busy
        case uniqueViolation
        case checkViolation
        case foreignKeyViolation
        case notNullViolation
        /// Any other failure reported by the database for a statement.
        case statementFailed
        /// A column read as the wrong type, or NULL where a value is required.
        case typeMismatch
        /// A value the store refuses before it reaches the database (a malformed client order id).
        case invalidValue
        /// The row an update names does not exist.
        case notFound
        /// An applied migration's SQL no longer matches the checksum recorded when it was applied.
        case checksumMismatch(version: Int)
        /// The database records migrations this build does not know (it was migrated by a newer build).
        case unknownMigrations(versions: [Int])
    }

    public let kind: Kind
    public let backend: DatabaseBackend?
    /// SQLite result code name and number (`SQLITE_CONSTRAINT_UNIQUE (2067)`) or `SQLSTATE 23505`.
    public let code: String?
    /// The database's (or the store's) message, already stripped of values.
    public let message: String
    /// The statement as written, with `?` placeholders; never bound values.
    public let sql: String?

    /// The database file is damaged or not a database (SQLite's CORRUPT or NOTADB): a finding of
    /// an integrity check, not an outage.
    public var isCorruption: Bool {
        guard let code else { return false }
        return code.hasPrefix("SQLITE_CORRUPT") || code.hasPrefix("SQLITE_NOTADB")
    }

    public init(_ kind: Kind, backend: DatabaseBackend? = nil, code: String? = nil, message: String, sql: String? = nil) {
        self.kind = kind
        self.backend = backend
        self.code = code
        self.message = message
        self.sql = sql
    }

    public var exitStatus: ExitStatus {
        switch kind {
        case .invalidURL: .configError
        case .unavailable: .unavailable
        case .cannotWrite: .cantCreate
        case .busy: .locked
        case .uniqueViolation, .checkViolation, .foreignKeyViolation, .notNullViolation, .invalidValue, .notFound,
             .checksumMismatch, .unknownMigrations:
            .dataError
        case .statementFailed, .typeMismatch: .internalError
        }
    }

    public var description: String {
        var text = backend.map { "\($0.displayName): " } ?? "state database: "
        text += message
        if let code { text += " [\(code)]" }
        if let sql { text += " in SQL: \(StoreError.oneLine(sql))" }
        return text
    }

    /// The SQL on one line, shortened: an error message is not the place for a whole migration.
    static func oneLine(_ sql: String, limit: Int = 400) -> String {
        let collapsed = sql.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" })
            .joined(separator: " ")
        return collapsed.count <= limit ? collapsed : String(collapsed.prefix(limit)) + "…"
    }

    /// Removes from a database message any bound text value (and any secret) that appears in it.
    /// Short values are left alone: cutting "1" out of "column 1" would only garble the message.
    static func scrub(_ message: String, parameters: [SQLValue], secrets: [String] = []) -> String {
        var out = message
        var needles = secrets.filter { !$0.isEmpty }
        for p in parameters {
            switch p {
            case .text(let s) where s.count >= 3: needles.append(s)
            case .integer(let v) where v >= 1000 || v <= -1000: needles.append(String(v))
            case .real(let v): needles.append(String(v))
            default: break
            }
        }
        for needle in needles.sorted(by: { $0.count > $1.count }) where out.contains(needle) {
            out = out.replacingOccurrences(of: needle, with: "‹redacted›")
        }
        return out
    }
}

/// Which database engine a connection talks to.
public enum DatabaseBackend: String, Sendable, Codable, CaseIterable {
    case sqlite
    case postgresql

    public var displayName: String {
        switch self {
        case .sqlite: "SQLite"
        case .postgresql: "PostgreSQL"
        }
    }
}
