import AlphaPrimeSupport
import AlphaPrimeDomain
import Foundation

/// The rows of one table an archive batch takes: a `WHERE` condition with `?` parameters.
public struct ArchiveSelection: Sendable {
    public let table: String
    public let condition: String
    public let parameters: [SQLValue]
}

/// Moving closed rows of old months out of the hot tables and back (`archive run`, `archive
/// restore`). The rows are written in the export format (``ExportFormat``), so an archived table's
/// digest is computed the same way from the file and from the database.
public enum StateArchive {
    /// The tables an archive batch takes rows from, parents before the tables that refer to them.
    public static let tables = ["orders", "fills", "trades", "portfolio_history", "risk_events", "engine_sessions", "engine_control"]

    static let terminal = "status IN ('FILLED', 'CANCELLED', 'REJECTED')"

    /// The closed rows of every mode in `[from, before)` (a month, in UTC) whose trading dates run
    /// `firstDay` up to `nextFirstDay`:
    /// - trades that exited in it; orders created in it that are finished and that no trade kept
    ///   back refers to; their fills;
    /// - portfolio snapshots, risk events and handled control requests of the month;
    /// - its completed engine sessions, except each mode's latest session (the next one carries
    ///   its risk state forward).
    public static func monthSelections(from: UTCTimestamp, before: UTCTimestamp, firstDay: LocalDate,
                                       nextFirstDay: LocalDate) -> [ArchiveSelection] {
        let window: [SQLValue] = [.integer(from.microseconds), .integer(before.microseconds)]
        let orders = """
            created_at_us >= ? AND created_at_us < ? AND \(terminal) AND NOT EXISTS (SELECT 1 FROM trades kept \
            WHERE (kept.entry_order_id = orders.id OR kept.exit_order_id = orders.id) \
            AND NOT (kept.exit_at_us >= ? AND kept.exit_at_us < ?))
            """
        return [
            ArchiveSelection(table: "orders", condition: orders, parameters: window + window),
            ArchiveSelection(table: "fills", condition: "order_id IN (SELECT id FROM orders WHERE \(orders))", parameters: window + window),
            ArchiveSelection(table: "trades", condition: "exit_at_us >= ? AND exit_at_us < ?", parameters: window),
            ArchiveSelection(table: "portfolio_history", condition: "recorded_at_us >= ? AND recorded_at_us < ?", parameters: window),
            ArchiveSelection(table: "risk_events", condition: "occurred_at_us >= ? AND occurred_at_us < ?", parameters: window),
            ArchiveSelection(table: "engine_sessions", condition: """
                status = 'completed' AND trading_date >= ? AND trading_date < ? AND EXISTS (SELECT 1 FROM engine_sessions later \
                WHERE later.mode = engine_sessions.mode AND later.trading_date > engine_sessions.trading_date)
                """, parameters: [.text(firstDay.description), .text(nextFirstDay.description)]),
            ArchiveSelection(table: "engine_control", condition: "handled_at_us IS NOT NULL AND requested_at_us >= ? AND requested_at_us < ?",
                             parameters: window),
        ]
    }

    /// The digests of the selected rows, in ``tables`` order, writing `<table>.tsv` into
    /// `directory` when given. Call inside a transaction so every table is read at one moment.
    public static func digest(database: any SQLDatabase, selections: [ArchiveSelection], to directory: URL?) throws -> [StateTableDigest] {
        if let directory {
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            } catch {
                throw StateExportError(.cannotWrite, message: "cannot create the directory \(directory.path): \(error.localizedDescription)")
            }
        }
        var digests: [StateTableDigest] = []
        for selection in selections {
            let layout = try StateTableLayout.read(selection.table, in: database)
            let encoder = try TableEncoder(table: selection.table, columns: layout.columns,
                                           writingTo: directory?.appending(path: ExportFormat.fileName(selection.table)))
            try layout.forEachRow(in: database, pageSize: StateExport.defaultPageSize,
                                  filter: (selection.condition, selection.parameters)) { try encoder.add($0) }
            digests.append(StateTableDigest(name: selection.table, columns: layout.columns, rowCount: encoder.rowCount,
                                            sha256: try encoder.finish()))
        }
        return digests
    }

    /// Deletes the selected rows, the tables that refer to others first. Returns the rows deleted.
    /// Call inside the transaction that checked their digests.
    @discardableResult
    public static func delete(database: any SQLDatabase, selections: [ArchiveSelection]) throws -> Int {
        var deleted = 0
        // Conditions are evaluated against the rows still there: fills (which name their orders
        // through the orders condition) go before the orders.
        for selection in selections.reversed() {
            deleted += try database.execute(
                "DELETE FROM \(StateTableLayout.quoted(selection.table)) WHERE \(selection.condition)", selection.parameters)
        }
        return deleted
    }

    /// Checks the table files in `directory` against `tables` (counts, SHA-256, every line), then
    /// inserts their rows with their ids. Call inside a transaction; a row whose id is taken fails it.
    public static func reinsert(from directory: URL, tables: [StateTableDigest], into database: any SQLDatabase) throws {
        for table in tables { try StateImport.scan(table, in: directory) { _, _ in } }
        for table in tables {
            let inserter = RowInserter(database: database, table: table.name, columns: table.columns)
            try StateImport.scan(table, in: directory) { values, _ in try inserter.add(values) }
            try inserter.flush()
        }
    }
}

extension StateArchive {
    /// The first day of the month of the oldest row an archive could take, or nil for an empty database.
    public static func earliestMonth(database: any SQLDatabase) throws -> LocalDate? {
        var earliest: Int64?
        for (table, column) in [("orders", "created_at_us"), ("trades", "exit_at_us"), ("portfolio_history", "recorded_at_us"),
                                ("risk_events", "occurred_at_us"), ("engine_control", "requested_at_us")] {
            if let t = try database.queryFirst("SELECT MIN(\(column)) AS t FROM \(table)")?.optionalInt64("t") {
                earliest = min(earliest ?? t, t)
            }
        }
        var day = earliest.map { IST.dateTime(epochSeconds: $0 / 1_000_000).date }
        if let first = try database.queryFirst("SELECT MIN(trading_date) AS d FROM engine_sessions")?.optionalString("d"),
           let date = LocalDate(first) {
            day = min(day ?? date, date)
        }
        return day.map { LocalDate(year: $0.year, month: $0.month, day: 1)! }
    }

    /// Why a month cannot be archived yet: a session not completed, or an order still working.
    public static func blockers(database: any SQLDatabase, from: UTCTimestamp, before: UTCTimestamp, firstDay: LocalDate,
                                nextFirstDay: LocalDate) throws -> [String] {
        var found: [String] = []
        for row in try database.query("""
            SELECT mode, trading_date, status FROM engine_sessions WHERE status <> 'completed' AND trading_date >= ? AND trading_date < ?
            """, [.text(firstDay.description), .text(nextFirstDay.description)]) {
            found.append("the \(try row.string("mode")) session of \(try row.string("trading_date")) is \(try row.string("status"))")
        }
        for row in try database.query("""
            SELECT mode, client_order_id, status FROM orders WHERE NOT (\(terminal)) AND created_at_us >= ? AND created_at_us < ?
            """, [.integer(from.microseconds), .integer(before.microseconds)]) {
            found.append("\(try row.string("mode")) order \(try row.string("client_order_id")) is \(try row.string("status"))")
        }
        return found
    }

    /// Checks table files against their digests (every line, count and SHA-256) without loading them.
    public static func check(directory: URL, tables: [StateTableDigest]) throws {
        for table in tables { try StateImport.scan(table, in: directory) { _, _ in } }
    }

    /// The modes that have fills among the selected rows.
    public static func modesWithFills(database: any SQLDatabase, selections: [ArchiveSelection]) throws -> [TradingMode] {
        guard let fills = selections.first(where: { $0.table == "fills" }) else { return [] }
        return try database.query("SELECT DISTINCT mode FROM fills WHERE \(fills.condition) ORDER BY mode", fills.parameters)
            .map { try $0.enumValue("mode") }
    }
}
