import AlphaPrimeSupport
import Foundation
import Logging

extension StateImport {
    /// Steps 2 and 3 of ``restore(from:manifest:into:logger:)``, in one write transaction. The files
    /// were validated before; they are checked again as they are read, and a file that changed in
    /// between rolls everything back.
    static func load(from directory: URL, manifest: StateExportManifest, into database: any SQLDatabase,
                     logger: Logger) throws {
        try database.transaction {
            let version = try prepareSchema(of: database, for: manifest, logger: logger)
            let layouts = try StateSchema.tables.filter { try database.tableExists($0) }
                .map { try StateTableLayout.read($0, in: database) }
            for table in manifest.tables {
                guard let layout = layouts.first(where: { $0.name == table.name }) else {
                    throw StateExportError(.incompatible, table: table.name, message: "the database has no such table")
                }
                let missing = table.columns.filter { !layout.columns.contains($0) }
                guard missing.isEmpty else {
                    throw StateExportError(.incompatible, table: table.name,
                                           message: "the database's table has no column \(missing.joined(separator: ", "))")
                }
            }
            // A database already beyond the export's schema keeps its own migration history.
            let replaced = layouts.filter { $0.name != "schema_migrations" || version == manifest.schemaVersion }
            // StateSchema.tables lists parents before the tables that refer to them.
            for layout in replaced.reversed() {
                try database.execute("DELETE FROM \(StateTableLayout.quoted(layout.name))")
            }
            for layout in replaced {
                guard let table = manifest.table(layout.name) else { continue }
                let inserter = RowInserter(database: database, table: table.name, columns: table.columns)
                try scan(table, in: directory) { values, _ in try inserter.add(values) }
                try inserter.flush()
            }
            for layout in layouts { try layout.resetIdSequence(in: database) }
        }
    }

    /// Migrates `database` up to the export's schema version when it is behind (creating the
    /// schema in an empty database) and returns the version it is at.
    private static func prepareSchema(of database: any SQLDatabase, for manifest: StateExportManifest,
                                      logger: Logger) throws -> Int {
        let status = try Migrator(database: database, logger: logger).status()
        try status.validate()
        let current = status.applied.map(\.version).max() ?? 0
        guard current < manifest.schemaVersion else { return current }
        let needed = StateSchema.migrations.filter { $0.version <= manifest.schemaVersion }
        try Migrator(database: database, migrations: needed, logger: logger).migrate()
        return manifest.schemaVersion
    }
}

/// Inserts rows into one table with multi-row `INSERT`s: up to 500 rows per statement, and never
/// more parameters than SQLite allows in one (32,766).
final class RowInserter {
    static let maxRowsPerStatement = 500
    static let maxParameters = 32_766

    private let database: any SQLDatabase
    private let prefix: String
    private let placeholders: String
    private let rowsPerStatement: Int
    private var fullStatement: String?
    private var values: [SQLValue] = []
    private var rows = 0

    init(database: any SQLDatabase, table: String, columns: [String]) {
        self.database = database
        prefix = "INSERT INTO \(StateTableLayout.quoted(table)) (\(columns.map(StateTableLayout.quoted).joined(separator: ", "))) VALUES "
        placeholders = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        rowsPerStatement = max(1, min(Self.maxRowsPerStatement, Self.maxParameters / max(1, columns.count)))
        values.reserveCapacity(rowsPerStatement * columns.count)
    }

    func add(_ row: [SQLValue]) throws {
        values.append(contentsOf: row)
        rows += 1
        if rows == rowsPerStatement { try flush() }
    }

    /// Inserts the rows still waiting.
    func flush() throws {
        guard rows > 0 else { return }
        let sql: String
        if rows == rowsPerStatement, let fullStatement {
            sql = fullStatement
        } else {
            sql = prefix + Array(repeating: placeholders, count: rows).joined(separator: ", ")
            if rows == rowsPerStatement { fullStatement = sql }
        }
        try database.execute(sql, values)
        values.removeAll(keepingCapacity: true)
        rows = 0
    }
}
