import AlphaPrimeSupport
import AlphaPrimeDomain
import CSQLite
import Foundation

/// One open SQLite database file (`sqlite3*`), closed when the object goes away.
///
/// Opened for durability and for sharing with cron tools: WAL journal, `synchronous=FULL` (an order
/// intent survives a power cut), a busy timeout, foreign keys enforced. Write transactions start
/// with `BEGIN IMMEDIATE`, so a second writer waits for the busy timeout instead of failing with a
/// deadlock. Calls are serialised by a recursive lock held for a whole transaction.
// @unchecked: the sqlite3* handle is touched only under `lock`.
public final class SQLiteConnection: SQLDatabase, @unchecked Sendable {
    public static let defaultBusyTimeoutMilliseconds: Int32 = 5_000

    public let backend = DatabaseBackend.sqlite
    /// The absolute path of the database file, or `:memory:`.
    public let path: String
    public var location: String { path }

    private let handle: OpaquePointer
    private let lock = NSRecursiveLock()
    private let transactionState = TransactionState()
    private var statements: [String: SQLiteStatement] = [:]
    private static let statementCacheLimit = 128

    /// Opens (creating if missing, with its parent directory) the database at `path`.
    public init(path: String, busyTimeoutMilliseconds: Int32 = SQLiteConnection.defaultBusyTimeoutMilliseconds) throws {
        let isMemory = path == ":memory:"
        if !isMemory {
            let parent = URL(filePath: path).deletingLastPathComponent()
            do {
                try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
            } catch {
                throw StoreError(.unavailable, backend: .sqlite,
                                 message: "cannot create the directory \(parent.path) for the database \(path): \(error.localizedDescription)")
            }
        }
        var db: OpaquePointer?
        let isNew = !isMemory && !FileManager.default.fileExists(atPath: path)
        let rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            if let db { sqlite3_close_v2(db) }
            throw StoreError(.unavailable, backend: .sqlite, code: SQLiteConnection.codeName(rc),
                             message: "cannot open \(path): \(message)")
        }
        self.handle = db
        self.path = path
        // A new state database is the trader's alone (its -wal and -shm files take the same mode).
        if isNew { _ = chmod(path, 0o600) }
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, busyTimeoutMilliseconds)

        let journal = try Self.switchingToWAL(timeoutMilliseconds: busyTimeoutMilliseconds) {
            try query("PRAGMA journal_mode = WAL").first?[0]
        }
        guard journal == .text("wal") || (isMemory && journal == .text("memory")) else {
            throw StoreError(.unavailable, backend: .sqlite,
                             message: "\(path) could not be switched to WAL journal mode (it reports \(journal?.description ?? "nothing"))",
                             sql: "PRAGMA journal_mode = WAL")
        }
        try execute("PRAGMA synchronous = FULL")
        try execute("PRAGMA foreign_keys = ON")
    }

    /// Runs `pragma` (the switch to WAL), again while SQLite answers `BUSY`, for at most the busy
    /// timeout. Two connections opening a new database at once (an engine starting while `engine
    /// status` polls) race to switch it; SQLite refuses the loser at once, without its busy handler,
    /// since each holds the lock the other waits for.
    static func switchingToWAL(timeoutMilliseconds: Int32, _ pragma: () throws -> SQLValue?) throws -> SQLValue? {
        let deadline = ContinuousClock.now + .milliseconds(Int(timeoutMilliseconds))
        var pause = 1
        while true {
            do {
                return try pragma()
            } catch let error as StoreError where error.kind == .busy && ContinuousClock.now < deadline {
                usleep(useconds_t(pause * 1_000))
                pause = min(pause * 2, 50)
            }
        }
    }

    deinit {
        statements.removeAll()  // finalise every statement before closing
        sqlite3_close_v2(handle)
    }

    // MARK: SQLDatabase

    @discardableResult
    public func execute(_ sql: String, _ parameters: [SQLValue]) throws -> Int {
        lock.lock()
        defer { lock.unlock() }
        let before = sqlite3_total_changes64(handle)
        try run(sql, parameters) { _ in }
        return Int(sqlite3_total_changes64(handle) - before)
    }

    public func query(_ sql: String, _ parameters: [SQLValue]) throws -> [SQLRow] {
        lock.lock()
        defer { lock.unlock() }
        var rows: [SQLRow] = []
        var columns: [String]?
        try run(sql, parameters) { statement in
            let names = columns ?? statement.columnNames()
            columns = names
            rows.append(SQLRow(columns: names, values: try statement.rowValues(sql: sql)))
        }
        return rows
    }

    public func executeScript(_ sql: String) throws {
        lock.lock()
        defer { lock.unlock() }
        try sql.withCString { start in
            var next: UnsafePointer<CChar>? = start
            while let current = next, current.pointee != 0 {
                var raw: OpaquePointer?
                var tail: UnsafePointer<CChar>?
                let rc = sqlite3_prepare_v2(handle, current, -1, &raw, &tail)
                guard rc == SQLITE_OK else {
                    // The tail is not set on failure: name the script from the failing statement to its `;`.
                    let rest = String(cString: current)
                    let statement = rest.firstIndex(of: ";").map { String(rest[...$0]) } ?? rest
                    throw error(rc, sql: statement.trimmingCharacters(in: .whitespacesAndNewlines), parameters: [])
                }
                let text = SQLiteConnection.text(from: current, to: tail)
                next = tail
                guard let raw else { continue }  // only whitespace or a comment was left
                let statement = SQLiteStatement(handle: raw)
                while true {
                    let step = sqlite3_step(statement.handle)
                    if step == SQLITE_DONE { break }
                    if step != SQLITE_ROW { throw error(step, sql: text, parameters: []) }
                }
            }
        }
    }

    @discardableResult
    public func transaction<T>(_ kind: TransactionKind, _ body: () throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        return try TransactionRunner.run(
            kind, dialect: dialect, state: transactionState,
            execute: { sql in try self.execute(sql, []) },
            isOpen: { sqlite3_get_autocommit(self.handle) == 0 },
            body: body)
    }

    // MARK: Statements

    /// Prepares (or reuses) the statement, binds, steps it to the end calling `onRow` for each row,
    /// and always resets it. Called with the lock held.
    private func run(_ sql: String, _ parameters: [SQLValue], onRow: (SQLiteStatement) throws -> Void) throws {
        let statement = try prepared(sql)
        defer {
            sqlite3_reset(statement.handle)
            sqlite3_clear_bindings(statement.handle)
        }
        let expected = Int(sqlite3_bind_parameter_count(statement.handle))
        guard expected == parameters.count else {
            throw StoreError(.statementFailed, backend: .sqlite,
                             message: "the statement has \(expected) parameters but \(parameters.count) values were given", sql: sql)
        }
        for (offset, value) in parameters.enumerated() {
            let rc = statement.bind(value, at: Int32(offset + 1))
            guard rc == SQLITE_OK else { throw error(rc, sql: sql, parameters: parameters) }
        }
        while true {
            let rc = sqlite3_step(statement.handle)
            if rc == SQLITE_ROW {
                try onRow(statement)
            } else if rc == SQLITE_DONE {
                return
            } else {
                throw error(rc, sql: sql, parameters: parameters)
            }
        }
    }

    private func prepared(_ sql: String) throws -> SQLiteStatement {
        if let cached = statements[sql] { return cached }
        var raw: OpaquePointer?
        let (rc, rest) = sql.withCString { start -> (Int32, String) in
            var tail: UnsafePointer<CChar>?
            let rc = sqlite3_prepare_v2(handle, start, -1, &raw, &tail)
            return (rc, tail.map { String(cString: $0) } ?? "")
        }
        guard rc == SQLITE_OK else { throw error(rc, sql: sql, parameters: []) }
        guard let raw else {
            throw StoreError(.statementFailed, backend: .sqlite, message: "no statement to run", sql: sql)
        }
        let statement = SQLiteStatement(handle: raw)
        guard rest.allSatisfy({ $0.isWhitespace || $0 == ";" }) else {
            throw StoreError(.statementFailed, backend: .sqlite,
                             message: "more than one statement given; use executeScript for scripts", sql: sql)
        }
        if statements.count >= SQLiteConnection.statementCacheLimit { statements.removeAll() }
        statements[sql] = statement
        return statement
    }

    // MARK: Errors

    private func error(_ rc: Int32, sql: String?, parameters: [SQLValue]) -> StoreError {
        let message = StoreError.scrub(String(cString: sqlite3_errmsg(handle)), parameters: parameters)
        return StoreError(SQLiteConnection.kind(rc), backend: .sqlite, code: SQLiteConnection.codeName(rc),
                          message: message, sql: sql)
    }

    static func kind(_ rc: Int32) -> StoreError.Kind {
        switch rc {
        case 2067, 1555: .uniqueViolation  // SQLITE_CONSTRAINT_UNIQUE, _PRIMARYKEY
        case 275: .checkViolation  // SQLITE_CONSTRAINT_CHECK
        case 787: .foreignKeyViolation  // SQLITE_CONSTRAINT_FOREIGNKEY
        case 1299: .notNullViolation  // SQLITE_CONSTRAINT_NOTNULL
        default:
            switch rc & 0xff {
            case SQLITE_BUSY, SQLITE_LOCKED: .busy
            case SQLITE_FULL, SQLITE_READONLY, SQLITE_PERM: .cannotWrite
            case SQLITE_CANTOPEN, SQLITE_IOERR, SQLITE_NOTADB, SQLITE_CORRUPT:
                .unavailable
            default: .statementFailed
            }
        }
    }

    static func codeName(_ rc: Int32) -> String {
        let names: [Int32: String] = [
            1: "SQLITE_ERROR", 3: "SQLITE_PERM", 5: "SQLITE_BUSY", 6: "SQLITE_LOCKED", 7: "SQLITE_NOMEM",
            8: "SQLITE_READONLY", 10: "SQLITE_IOERR", 11: "SQLITE_CORRUPT", 13: "SQLITE_FULL", 14: "SQLITE_CANTOPEN",
            19: "SQLITE_CONSTRAINT", 20: "SQLITE_MISMATCH", 21: "SQLITE_MISUSE", 25: "SQLITE_RANGE", 26: "SQLITE_NOTADB",
            275: "SQLITE_CONSTRAINT_CHECK", 787: "SQLITE_CONSTRAINT_FOREIGNKEY", 1299: "SQLITE_CONSTRAINT_NOTNULL",
            1555: "SQLITE_CONSTRAINT_PRIMARYKEY", 2067: "SQLITE_CONSTRAINT_UNIQUE", 3091: "SQLITE_CONSTRAINT_DATATYPE",
            261: "SQLITE_BUSY_RECOVERY", 517: "SQLITE_BUSY_SNAPSHOT", 773: "SQLITE_BUSY_TIMEOUT",
        ]
        return "\(names[rc] ?? names[rc & 0xff] ?? "SQLite result code") (\(rc))"
    }

    private static func text(from start: UnsafePointer<CChar>, to end: UnsafePointer<CChar>?) -> String {
        guard let end, end > start else { return String(cString: start) }
        let bytes = UnsafeRawBufferPointer(start: start, count: end - start)
        return String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// One prepared statement (`sqlite3_stmt*`), finalised when the object goes away. Lives inside its
/// connection's lock and never crosses threads on its own.
final class SQLiteStatement {
    let handle: OpaquePointer

    init(handle: OpaquePointer) { self.handle = handle }

    deinit { sqlite3_finalize(handle) }

    /// SQLite's "copy the bytes now" destructor, which C spells `SQLITE_TRANSIENT`.
    private static var transient: sqlite3_destructor_type { unsafeBitCast(-1, to: sqlite3_destructor_type.self) }

    func bind(_ value: SQLValue, at index: Int32) -> Int32 {
        switch value {
        case .null: return sqlite3_bind_null(handle, index)
        case .integer(let v): return sqlite3_bind_int64(handle, index, v)
        case .real(let v): return sqlite3_bind_double(handle, index, v)
        case .text(let v):
            let count = Int32(v.utf8.count)
            return v.withCString { sqlite3_bind_text(handle, index, $0, count, SQLiteStatement.transient) }
        }
    }

    func columnNames() -> [String] {
        (0..<sqlite3_column_count(handle)).map { String(cString: sqlite3_column_name(handle, $0)) }
    }

    func rowValues(sql: String) throws -> [SQLValue] {
        try (0..<sqlite3_column_count(handle)).map { column in
            switch sqlite3_column_type(handle, column) {
            case SQLITE_NULL: return .null
            case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, column))
            case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, column))
            case SQLITE3_TEXT:
                guard let text = sqlite3_column_text(handle, column) else { return .text("") }
                let count = Int(sqlite3_column_bytes(handle, column))
                return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
            default:
                let name = String(cString: sqlite3_column_name(handle, column))
                throw StoreError(.typeMismatch, backend: .sqlite, message: "column '\(name)' holds a BLOB, which the store does not read", sql: sql)
            }
        }
    }
}

@available(*, unavailable)
extension SQLiteStatement: Sendable {}
