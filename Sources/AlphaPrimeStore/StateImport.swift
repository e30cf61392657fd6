import AlphaPrimeSupport
import Foundation
import Logging

/// Checks a state export against its manifest and restores it into a SQLite or PostgreSQL
/// database, whichever backend it came from.
public enum StateImport {
    /// Restores an export into `database`, replacing all its state, or changes nothing.
    ///
    /// 1. Every table file is read and checked against the manifest (columns, row count, SHA-256,
    ///    each line's format) before the database is touched; an export whose schema is newer than
    ///    this build, or whose migrations differ from this build's, is refused.
    /// 2. In one write transaction: the database is migrated up to the export's schema version if it
    ///    is behind (an empty database gets the schema created); every state table is emptied,
    ///    children before parents; the export's rows are inserted with their original ids, column by
    ///    column by name (a column the export lacks, added by a later migration, takes its default).
    ///    `schema_migrations` takes the export's rows when the database ends at the export's version;
    ///    a database already beyond it keeps its own.
    /// 3. Each id sequence is set just past the largest restored id (PostgreSQL's identity sequence,
    ///    SQLite's `sqlite_sequence`), so new rows never take a restored id.
    ///
    /// Any failure rolls the transaction back. Stop the engine first: the restore replaces what it
    /// would be writing.
    public static func restore(from directory: URL, manifest: StateExportManifest, into database: any SQLDatabase,
                               logger: Logger = Logger(label: "alpha_prime.store")) throws {
        try validate(directory: directory, manifest: manifest)
        try load(from: directory, manifest: manifest, into: database, logger: logger)
    }

    /// Checks an export without a target: every file against the manifest, then the rows loaded into
    /// a temporary SQLite database, brought to this build's schema, and the store's integrity check
    /// run on it. Damaged data throws; the findings say whether the loaded copy is sound. The scratch
    /// database lives in the temporary directory (`TMPDIR`) while the check runs: it needs about as
    /// much room there as the state database itself.
    public static func check(directory: URL, manifest: StateExportManifest,
                             logger: Logger = Logger(label: "alpha_prime.store")) throws -> [IntegrityFinding] {
        try validate(directory: directory, manifest: manifest)
        let scratch = FileManager.default.temporaryDirectory.appending(path: "alpha-prime-state-check-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        return try checkLoaded(from: directory, manifest: manifest, scratch: scratch, logger: logger)
    }

    private static func checkLoaded(from directory: URL, manifest: StateExportManifest, scratch: URL,
                                    logger: Logger) throws -> [IntegrityFinding] {
        let database = try SQLiteConnection(path: scratch.appending(path: "state.db").path)
        try load(from: directory, manifest: manifest, into: database, logger: logger)
        let upgraded = try Migrator(database: database, logger: logger).migrate()
        var detail = "\(manifest.tables.count) tables, \(manifest.rowCount) rows match the manifest and load; schema version \(manifest.schemaVersion)"
        if let last = upgraded.last { detail += ", migrated to \(last.version) for the check" }
        return [IntegrityFinding(check: "export", ok: true, detail: detail)] + StoreIntegrity.check(database)
    }

    /// Throws unless the manifest is usable by this build and every file matches it.
    static func validate(directory: URL, manifest: StateExportManifest) throws {
        let build = StateSchema.migrations.last?.version ?? 0
        guard manifest.format == ExportFormat.version else {
            throw StateExportError(.invalidManifest, message: "export format \(manifest.format) is not one this build reads (\(ExportFormat.version))")
        }
        guard manifest.schemaVersion <= build else {
            throw StateExportError(.newerSchema(backup: manifest.schemaVersion, build: build),
                                   message: "the export has schema version \(manifest.schemaVersion), newer than this build's \(build); restore it with a newer ALPHA-PRIME")
        }
        var seen: Set<String> = []
        for table in manifest.tables {
            guard StateSchema.tables.contains(table.name), seen.insert(table.name).inserted else {
                throw StateExportError(.invalidManifest, table: table.name, message: "not a state table, or named twice")
            }
            guard !table.columns.isEmpty, table.columns.allSatisfy(ExportFormat.isIdentifier),
                  Set(table.columns).count == table.columns.count, table.rowCount >= 0,
                  table.sha256.utf8.count == 64, table.sha256.utf8.allSatisfy({ "0123456789abcdef".utf8.contains($0) })
            else { throw StateExportError(.invalidManifest, table: table.name, message: "the manifest's entry for it is malformed") }
        }
        var migrations: [(version: Int64, checksum: String)] = []
        for table in manifest.tables {
            let version = table.columns.firstIndex(of: "version"), checksum = table.columns.firstIndex(of: "checksum")
            try scan(table, in: directory) { values, line in
                guard table.name == "schema_migrations" else { return }
                guard let version, let checksum, case .integer(let v) = values[version], case .text(let c) = values[checksum] else {
                    throw StateExportError(.malformed, table: table.name, file: table.fileName, line: line,
                                           message: "a migration without an integer version and a text checksum")
                }
                migrations.append((v, c))
            }
        }
        try validateMigrations(migrations, manifest: manifest)
    }

    /// The export's applied migrations must be this build's, with the same checksums, up to its version.
    private static func validateMigrations(_ applied: [(version: Int64, checksum: String)], manifest: StateExportManifest) throws {
        let file = ExportFormat.fileName("schema_migrations")
        guard manifest.schemaVersion == 0 || manifest.table("schema_migrations") != nil else {
            throw StateExportError(.invalidManifest, message: "schema version \(manifest.schemaVersion) but no schema_migrations table")
        }
        guard Int(applied.map(\.version).max() ?? 0) == manifest.schemaVersion else {
            throw StateExportError(.mismatch, table: "schema_migrations", file: file,
                                   message: "its highest version is not the manifest's schema version \(manifest.schemaVersion)")
        }
        for migration in applied {
            guard let known = StateSchema.migrations.first(where: { Int64($0.version) == migration.version }),
                  known.checksum == migration.checksum else {
                throw StateExportError(.mismatch, table: "schema_migrations", file: file,
                                       message: "migration \(migration.version) is not this build's migration \(migration.version) (another checksum, or unknown)")
            }
        }
    }

    /// Reads one table file, calling `onRow` with each row's values and line number, and throws
    /// when the header, a line, the row count or the SHA-256 does not match the manifest.
    static func scan(_ table: StateTableDigest, in directory: URL, onRow: ([SQLValue], Int) throws -> Void) throws {
        let file = table.fileName
        let reader = try TableFileReader(directory: directory, file: file, table: table.name)
        guard let header = try reader.nextLine() else {
            throw StateExportError(.malformed, table: table.name, file: file, line: 1, message: "the file is empty (no header line)")
        }
        guard let columns = ExportFormat.parseHeader(header), columns == table.columns else {
            throw StateExportError(.mismatch, table: table.name, file: file, line: 1,
                                   message: "the header does not name the manifest's columns (\(table.columns.joined(separator: ", ")))")
        }
        var rows = 0
        while let line = try reader.nextLine() {
            switch ExportFormat.parseRow(line, columnCount: columns.count) {
            case .success(let values):
                rows += 1
                try onRow(values, reader.lineNumber)
            case .failure(let failure):
                throw StateExportError(.malformed, table: table.name, file: file, line: reader.lineNumber, message: failure.reason)
            }
        }
        guard rows == table.rowCount else {
            throw StateExportError(.mismatch, table: table.name, file: file,
                                   message: "the file has \(rows) rows, the manifest says \(table.rowCount)")
        }
        let digest = reader.digest()
        guard digest == table.sha256 else {
            throw StateExportError(.mismatch, table: table.name, file: file,
                                   message: "the file's SHA-256 is \(digest), the manifest says \(table.sha256)")
        }
    }
}
