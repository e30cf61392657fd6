import AlphaPrimeSupport
import AlphaPrimeDomain
import CLibPQ
import Foundation

/// One PostgreSQL connection (`PGconn*`) through libpq, finished when the object goes away.
///
/// Statements go through `PQexecParams` with text-format parameters; `?` placeholders are rewritten
/// to `$1…$n`. `synchronous_commit` stays on (it is switched back on if the server default is off),
/// so a committed order intent is on disk. Calls are serialised by a recursive lock held for a whole
/// transaction.
// @unchecked: the PGconn* handle is touched only under `lock`.
public final class PostgresConnection: SQLDatabase, @unchecked Sendable {
    public let backend = DatabaseBackend.postgresql
    /// The connection URL with its password redacted.
    public let location: String

    private let handle: OpaquePointer
    private let secrets: [String]
    private let lock = NSRecursiveLock()
    private let transactionState = TransactionState()
    private var rewritten: [String: (sql: String, count: Int)] = [:]

    /// Connects to `url` (`postgres://user:password@host:port/db?options`). Connection failures
    /// are ``StoreError`` of kind `.unavailable`; the password never appears in a message.
    public convenience init(url: String, connectTimeoutSeconds: Int = 10) throws {
        try self.init(url: url, redacted: DatabaseURL.redactPostgresURL(url),
                      secrets: DatabaseURL.passwordForms(url), connectTimeoutSeconds: connectTimeoutSeconds)
    }

    init(url: String, redacted: String, secrets: [String], connectTimeoutSeconds: Int) throws {
        // Keywords are applied in order, so anything the URL says wins over these defaults.
        let keywords: [String?] = ["connect_timeout", "application_name", "dbname", nil]
        let values: [String?] = [String(connectTimeoutSeconds), "alpha-prime", url, nil]
        let connection: OpaquePointer? = withCStringArray(keywords) { keywordPointers in
            withCStringArray(values) { valuePointers in
                keywordPointers.withUnsafeBufferPointer { k in
                    valuePointers.withUnsafeBufferPointer { v in
                        PQconnectdbParams(k.baseAddress, v.baseAddress, 1)
                    }
                }
            }
        }
        guard let connection else {
            throw StoreError(.unavailable, backend: .postgresql, message: "cannot connect to \(redacted): out of memory")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = StoreError.scrub(PostgresConnection.connectionMessage(connection), parameters: [], secrets: secrets)
            PQfinish(connection)
            throw StoreError(.unavailable, backend: .postgresql, message: "cannot connect to \(redacted): \(message)")
        }
        self.handle = connection
        self.location = redacted
        self.secrets = secrets
        // NOTICEs (e.g. "drop cascades to …") would otherwise be printed on standard error by libpq.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)

        if let row = try queryFirst("SHOW synchronous_commit"), try row.string("synchronous_commit") == "off" {
            try execute("SET synchronous_commit TO on")
        }
    }

    deinit { PQfinish(handle) }

    // MARK: SQLDatabase

    @discardableResult
    public func execute(_ sql: String, _ parameters: [SQLValue]) throws -> Int {
        lock.lock()
        defer { lock.unlock() }
        let result = try run(sql, parameters)
        return Int(String(cString: PQcmdTuples(result.handle))) ?? 0
    }

    public func query(_ sql: String, _ parameters: [SQLValue]) throws -> [SQLRow] {
        lock.lock()
        defer { lock.unlock() }
        let result = try run(sql, parameters)
        return result.rows()
    }

    public func executeScript(_ sql: String) throws {
        lock.lock()
        defer { lock.unlock() }
        let raw = PQexec(handle, sql)
        let result = raw.map(PostgresResult.init)  // cleared when `result` goes away, on every path
        try check(result, sql: sql, parameters: [])
    }

    @discardableResult
    public func transaction<T>(_ kind: TransactionKind, _ body: () throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        return try TransactionRunner.run(
            kind, dialect: dialect, state: transactionState,
            execute: { sql in try self.execute(sql, []) },
            isOpen: { PQtransactionStatus(self.handle) != PQTRANS_IDLE && PQstatus(self.handle) == CONNECTION_OK },
            body: body)
    }

    // MARK: Statements

    /// Runs one statement with text-format parameters. The parameter strings live in one buffer that
    /// stays alive for the whole `PQexecParams` call. Called with the lock held.
    private func run(_ sql: String, _ parameters: [SQLValue]) throws -> PostgresResult {
        let numbered: (sql: String, count: Int)
        if let cached = rewritten[sql] {
            numbered = cached
        } else {
            numbered = SQLDialect.numberedPlaceholders(sql)
            if rewritten.count >= 256 { rewritten.removeAll() }
            rewritten[sql] = numbered
        }
        guard numbered.count == parameters.count else {
            throw StoreError(.statementFailed, backend: .postgresql,
                             message: "the statement has \(numbered.count) parameters but \(parameters.count) values were given", sql: sql)
        }
        var types: [UInt32] = []
        var texts: [String?] = []
        for value in parameters {
            switch value {
            case .null: types.append(0); texts.append(nil)
            case .integer(let v): types.append(20); texts.append(String(v))  // int8
            case .real(let v): types.append(701); texts.append(PostgresConnection.text(v))  // float8
            case .text(let v):
                guard !v.utf8.contains(0) else {
                    throw StoreError(.invalidValue, backend: .postgresql, message: "a text value contains a NUL character, which PostgreSQL cannot store", sql: sql)
                }
                types.append(0); texts.append(v)
            }
        }
        let raw: OpaquePointer? = withCStringArray(texts) { pointers in
            pointers.withUnsafeBufferPointer { values in
                types.withUnsafeBufferPointer { oids in
                    PQexecParams(handle, numbered.sql, Int32(parameters.count), oids.baseAddress, values.baseAddress, nil, nil, 0)
                }
            }
        }
        guard let raw else { throw error(nil, sql: sql, parameters: parameters) }
        let result = PostgresResult(raw)  // cleared when `result` goes away, on every path
        try check(result, sql: sql, parameters: parameters)
        return result
    }

    private func check(_ result: PostgresResult?, sql: String, parameters: [SQLValue]) throws {
        if let result {
            let status = PQresultStatus(result.handle)
            if status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY { return }
        }
        throw error(result, sql: sql, parameters: parameters)
    }

    private func error(_ result: PostgresResult?, sql: String, parameters: [SQLValue]) -> StoreError {
        let sqlstate = result.flatMap { $0.errorField(PostgresResult.sqlstateField) }
        var message = result.flatMap { $0.errorField(PostgresResult.primaryMessageField) }
            ?? PostgresConnection.connectionMessage(handle)
        if let sqlstate, sqlstate.hasPrefix("22"), let colon = message.firstIndex(of: ":") {
            // Data exceptions quote the offending value after a colon ("invalid input syntax for type bigint: …").
            message = String(message[..<colon])
        }
        if let column = result.flatMap({ $0.errorField(PostgresResult.columnField) }), !message.contains(column) {
            message += " (column \(column))"
        }
        message = StoreError.scrub(message, parameters: parameters, secrets: secrets)
        var kind = PostgresConnection.kind(sqlstate: sqlstate)
        if PQstatus(handle) != CONNECTION_OK { kind = .unavailable }
        return StoreError(kind, backend: .postgresql, code: sqlstate.map { "SQLSTATE \($0)" }, message: message, sql: sql)
    }

    static func kind(sqlstate: String?) -> StoreError.Kind {
        guard let sqlstate else { return .unavailable }  // no result at all: the connection failed
        switch sqlstate {
        case "23505": return .uniqueViolation
        case "23514": return .checkViolation
        case "23503": return .foreignKeyViolation
        case "23502": return .notNullViolation
        case "40001", "40P01", "55P03": return .busy
        case "57P01", "57P02", "57P03": return .unavailable
        default:
            if sqlstate.hasPrefix("08") || sqlstate.hasPrefix("53") { return .unavailable }
            return .statementFailed
        }
    }

    private static func connectionMessage(_ connection: OpaquePointer) -> String {
        guard let text = PQerrorMessage(connection) else { return "unknown error" }
        let lines = String(cString: text).split(separator: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return lines.isEmpty ? "unknown error" : lines.joined(separator: "; ")
    }

    /// A double as PostgreSQL's float8 input accepts it (it spells the specials differently from Swift).
    static func text(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "Infinity" : "-Infinity" }
        return String(value)
    }
}

/// One `PGresult*`, cleared when the object goes away, so every path clears it.
final class PostgresResult {
    static let sqlstateField = Int32(UInt8(ascii: "C"))  // PG_DIAG_SQLSTATE
    static let primaryMessageField = Int32(UInt8(ascii: "M"))  // PG_DIAG_MESSAGE_PRIMARY
    static let columnField = Int32(UInt8(ascii: "c"))  // PG_DIAG_COLUMN_NAME

    let handle: OpaquePointer

    init(_ handle: OpaquePointer) { self.handle = handle }

    deinit { PQclear(handle) }

    func errorField(_ field: Int32) -> String? {
        guard let value = PQresultErrorField(handle, field) else { return nil }
        return String(cString: value)
    }

    func rows() -> [SQLRow] {
        let rowCount = PQntuples(handle), columnCount = PQnfields(handle)
        let columns = (0..<columnCount).map { String(cString: PQfname(handle, $0)) }
        let types = (0..<columnCount).map { PQftype(handle, $0) }
        var rows: [SQLRow] = []
        rows.reserveCapacity(Int(rowCount))
        for row in 0..<rowCount {
            var values: [SQLValue] = []
            values.reserveCapacity(Int(columnCount))
            for column in 0..<columnCount {
                if PQgetisnull(handle, row, column) == 1 {
                    values.append(.null)
                    continue
                }
                let bytes = UnsafeRawBufferPointer(start: PQgetvalue(handle, row, column), count: Int(PQgetlength(handle, row, column)))
                let text = String(decoding: bytes, as: UTF8.self)
                values.append(PostgresResult.value(text, type: types[Int(column)]))
            }
            rows.append(SQLRow(columns: columns, values: values))
        }
        return rows
    }

    /// Converts a text-format value by its column type: integers and doubles become numbers,
    /// booleans 0/1, `numeric` (what SUM of a bigint gives) an integer when it is whole.
    static func value(_ text: String, type: UInt32) -> SQLValue {
        switch type {
        case 20, 21, 23, 26:  // int8, int2, int4, oid
            return Int64(text).map { .integer($0) } ?? .text(text)
        case 700, 701:  // float4, float8
            switch text {
            case "NaN": return .real(.nan)
            case "Infinity": return .real(.infinity)
            case "-Infinity": return .real(-.infinity)
            default: return Double(text).map { .real($0) } ?? .text(text)
            }
        case 1700:  // numeric
            if let whole = Int64(text) { return .integer(whole) }
            return Double(text).map { .real($0) } ?? .text(text)
        case 16:  // bool
            return .integer(text == "t" ? 1 : 0)
        default:
            return .text(text)
        }
    }
}

@available(*, unavailable)
extension PostgresResult: Sendable {}

/// Calls `body` with C string pointers for `strings` (nil stays nil). All the strings are copied into
/// one buffer that stays alive until `body` returns; the pointers must not escape `body`.
func withCStringArray<R>(_ strings: [String?], _ body: ([UnsafePointer<CChar>?]) throws -> R) rethrows -> R {
    var buffer: [CChar] = []
    var offsets: [Int?] = []
    for string in strings {
        guard let string else { offsets.append(nil); continue }
        offsets.append(buffer.count)
        buffer.append(contentsOf: string.utf8.map { CChar(bitPattern: $0) })
        buffer.append(0)
    }
    return try buffer.withUnsafeBufferPointer { base in
        try body(offsets.map { offset in offset.map { base.baseAddress! + $0 } })
    }
}

extension PostgresConnection {
    /// libpq's message when it cannot parse a connection string.
    struct ConninfoParseFailure: Error {
        var message: String
    }

    /// Lets libpq parse a connection URI or key-value string without connecting: its options in
    /// libpq's order (keyword, value when set), or libpq's own words for what is wrong.
    static func parseConninfo(_ conninfo: String) -> Result<[(keyword: String, value: String?)], ConninfoParseFailure> {
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(conninfo, &errorMessage) else {
            let message = errorMessage.map { String(cString: $0) } ?? "libpq cannot parse it"
            if let errorMessage { PQfreemem(errorMessage) }
            return .failure(ConninfoParseFailure(message: message))
        }
        defer { PQconninfoFree(options) }
        var parsed: [(keyword: String, value: String?)] = []
        var option = options
        while let keyword = option.pointee.keyword {
            parsed.append((String(cString: keyword), option.pointee.val.map { String(cString: $0) }))
            option += 1
        }
        return .success(parsed)
    }
}
