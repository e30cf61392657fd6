import AlphaPrimeSupport
import AlphaPrimeDomain
import Foundation

/// What a transaction is for. SQLite takes the write lock up front for `.write` (`BEGIN IMMEDIATE`,
/// so the busy timeout applies); `.read` is a short consistent snapshot for reports and cron tools.
public enum TransactionKind: Sendable {
    case write
    case read
}

/// The small database interface both backends implement; everything above it (migrations, the
/// repository) is written once.
///
/// SQL is written with `?` placeholders; the PostgreSQL connection rewrites them to `$1…$n`.
/// Dialect differences (id columns, types, how to ask whether a table exists) live in ``SQLDialect``.
///
/// A connection serialises its callers: a transaction holds the connection for its whole body, so a
/// connection can be shared between threads. Calls block the calling thread; do not fan them out
/// over many tasks of the cooperative pool.
public protocol SQLDatabase: AnyObject, Sendable {
    var backend: DatabaseBackend { get }
    /// Where the database is, safe to print (PostgreSQL passwords are redacted).
    var location: String { get }

    /// Runs one statement and returns the number of rows it changed.
    @discardableResult
    func execute(_ sql: String, _ parameters: [SQLValue]) throws -> Int

    /// Runs one statement and returns all its rows.
    func query(_ sql: String, _ parameters: [SQLValue]) throws -> [SQLRow]

    /// Runs several `;`-separated statements without parameters (migrations).
    func executeScript(_ sql: String) throws

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    /// Nested calls become savepoints.
    @discardableResult
    func transaction<T>(_ kind: TransactionKind, _ body: () throws -> T) throws -> T
}

extension SQLDatabase {
    public var dialect: SQLDialect { SQLDialect(backend: backend) }

    @discardableResult
    public func execute(_ sql: String) throws -> Int { try execute(sql, []) }

    public func query(_ sql: String) throws -> [SQLRow] { try query(sql, []) }

    /// The first row, or nil when there is none.
    public func queryFirst(_ sql: String, _ parameters: [SQLValue] = []) throws -> SQLRow? {
        try query(sql, parameters).first
    }

    /// A write transaction.
    @discardableResult
    public func transaction<T>(_ body: () throws -> T) throws -> T { try transaction(.write, body) }

    /// A read-only snapshot; keep it short (a long-lived SQLite reader stops WAL checkpoints).
    @discardableResult
    public func readTransaction<T>(_ body: () throws -> T) throws -> T { try transaction(.read, body) }

    /// Whether a table exists (in the current schema on PostgreSQL).
    public func tableExists(_ name: String) throws -> Bool {
        try queryFirst(dialect.tableExistsSQL, [.text(name)]) != nil
    }
}

/// A connection's transaction nesting level. A class, so a nested `transaction` call made from inside
/// a body changes the same counter without overlapping `inout` accesses.
final class TransactionState {
    var depth = 0
}

/// Runs the begin / commit / rollback / savepoint statements around a body, the same way for both
/// backends. Called with the connection's lock held.
enum TransactionRunner {
    static func run<T>(
        _ kind: TransactionKind, dialect: SQLDialect, state: TransactionState,
        execute: (String) throws -> Void, isOpen: () -> Bool, body: () throws -> T
    ) throws -> T {
        if state.depth > 0 {
            let name = "alpha_prime_sp\(state.depth)"
            try execute("SAVEPOINT \(name)")
            state.depth += 1
            defer { state.depth -= 1 }
            do {
                let result = try body()
                try execute("RELEASE SAVEPOINT \(name)")
                return result
            } catch {
                if isOpen() {
                    try? execute("ROLLBACK TO SAVEPOINT \(name)")
                    try? execute("RELEASE SAVEPOINT \(name)")
                }
                throw error
            }
        }
        try execute(dialect.beginSQL(kind))
        state.depth = 1
        defer { state.depth = 0 }
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            // SQLite may already have rolled back (disk full, a failed COMMIT); ROLLBACK would then fail.
            if isOpen() { try? execute("ROLLBACK") }
            throw error
        }
    }
}

/// The differences between the SQL of SQLite and PostgreSQL, in one place.
public struct SQLDialect: Sendable, Equatable {
    public let backend: DatabaseBackend

    public init(backend: DatabaseBackend) { self.backend = backend }

    /// Turns a schema template into this backend's DDL. Tokens:
    /// - `{{id}}`: an auto-assigned 64-bit primary key that is never reused;
    /// - `{{int}}`: a 64-bit integer (paise, quantities, microsecond timestamps);
    /// - `{{real}}`: a double;
    /// - `{{strict}}`: after a table's closing parenthesis, SQLite's STRICT typing (nothing on PostgreSQL).
    public func render(_ template: String) -> String {
        let replacements: [(String, String)]
        switch backend {
        case .sqlite:
            replacements = [("{{id}}", "INTEGER PRIMARY KEY AUTOINCREMENT"), ("{{int}}", "INTEGER"),
                            ("{{real}}", "REAL"), ("{{strict}}", " STRICT")]
        case .postgresql:
            replacements = [("{{id}}", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"), ("{{int}}", "BIGINT"),
                            ("{{real}}", "DOUBLE PRECISION"), ("{{strict}}", "")]
        }
        var out = template
        for (token, value) in replacements { out = out.replacingOccurrences(of: token, with: value) }
        return out
    }

    func beginSQL(_ kind: TransactionKind) -> String {
        switch (backend, kind) {
        case (.sqlite, .write): "BEGIN IMMEDIATE"
        case (.sqlite, .read): "BEGIN DEFERRED"
        case (.postgresql, .write): "BEGIN"
        case (.postgresql, .read): "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
        }
    }

    /// One parameter: the table name. Returns a row when the table exists.
    var tableExistsSQL: String {
        switch backend {
        case .sqlite: "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
        case .postgresql:
            "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?"
        }
    }

    /// Taken inside a migration's transaction so two processes never apply the same migration.
    /// SQLite needs nothing: `BEGIN IMMEDIATE` already excludes other writers.
    var migrationLockSQL: String? {
        switch backend {
        case .sqlite: nil
        case .postgresql: "LOCK TABLE schema_migrations IN SHARE ROW EXCLUSIVE MODE"
        }
    }

    /// Rewrites `?` placeholders to `$1…$n`, leaving `?` inside string literals, quoted identifiers
    /// and comments alone. Returns the SQL and the number of placeholders.
    static func numberedPlaceholders(_ sql: String) -> (sql: String, count: Int) {
        var out: [UInt8] = []
        let bytes = Array(sql.utf8)
        out.reserveCapacity(bytes.count + 16)
        var count = 0
        var i = 0
        let quote = UInt8(ascii: "'"), dquote = UInt8(ascii: "\""), dash = UInt8(ascii: "-")
        let slash = UInt8(ascii: "/"), star = UInt8(ascii: "*"), question = UInt8(ascii: "?"), newline = UInt8(ascii: "\n")
        while i < bytes.count {
            let b = bytes[i]
            if b == quote || b == dquote {
                // Copy the quoted run; a doubled quote inside is an escaped quote and simply continues it.
                out.append(b)
                i += 1
                while i < bytes.count {
                    out.append(bytes[i])
                    if bytes[i] == b { i += 1; break }
                    i += 1
                }
            } else if b == dash, i + 1 < bytes.count, bytes[i + 1] == dash {
                while i < bytes.count, bytes[i] != newline { out.append(bytes[i]); i += 1 }
            } else if b == slash, i + 1 < bytes.count, bytes[i + 1] == star {
                out.append(b); out.append(star); i += 2
                while i < bytes.count {
                    if bytes[i] == star, i + 1 < bytes.count, bytes[i + 1] == slash {
                        out.append(star); out.append(slash); i += 2; break
                    }
                    out.append(bytes[i]); i += 1
                }
            } else if b == question {
                count += 1
                out.append(UInt8(ascii: "$"))
                out.append(contentsOf: Array(String(count).utf8))
                i += 1
            } else {
                out.append(b)
                i += 1
            }
        }
        return (String(decoding: out, as: UTF8.self), count)
    }
}
