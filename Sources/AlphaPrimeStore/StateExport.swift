import AlphaPrimeSupport
import Foundation

/// One table of an export, or of a live database: its columns, how many rows it has and the
/// SHA-256 of its rows in the ``ExportFormat`` (the SHA-256 of its `<table>.tsv`).
///
/// The checksum depends only on the column names and the values, never on the backend, so a
/// table restored from an export, into SQLite or PostgreSQL, has the checksum the export recorded.
public struct StateTableDigest: Codable, Sendable, Equatable {
    public let name: String
    public let columns: [String]
    public let rowCount: Int
    /// 64 lowercase hex digits.
    public let sha256: String

    public init(name: String, columns: [String], rowCount: Int, sha256: String) {
        self.name = name
        self.columns = columns
        self.rowCount = rowCount
        self.sha256 = sha256
    }

    /// The table's file in an export directory.
    public var fileName: String { ExportFormat.fileName(name) }
}

/// What an export holds: which schema, from which backend, and every table's digest. Restoring or
/// checking an export needs it; keep it with the table files (it is `Codable`: store it as JSON).
public struct StateExportManifest: Codable, Sendable, Equatable {
    /// The version of the export format (see ``ExportFormat``).
    public let format: Int
    /// The highest migration version applied to the exported database (0: none).
    public let schemaVersion: Int
    /// The backend the export was taken from (for information; restoring works into either).
    public let backend: DatabaseBackend
    /// In the order of ``StateSchema/tables``: parents before the tables that refer to them.
    public let tables: [StateTableDigest]

    public init(format: Int, schemaVersion: Int, backend: DatabaseBackend, tables: [StateTableDigest]) {
        self.format = format
        self.schemaVersion = schemaVersion
        self.backend = backend
        self.tables = tables
    }

    public func table(_ name: String) -> StateTableDigest? { tables.first { $0.name == name } }

    /// Rows over all tables.
    public var rowCount: Int { tables.reduce(0) { $0 + $1.rowCount } }
}

/// Writes a consistent, portable copy of the whole state database: one ``ExportFormat`` file per
/// table, taken in one read transaction while the engine may keep writing.
///
/// The snapshot is PostgreSQL's `REPEATABLE READ READ ONLY` or SQLite's read transaction on the
/// WAL, so every table is seen as of the same moment: every fill's order is there, every count
/// agrees. Rows are streamed a page at a time; a table never sits in memory whole. The transaction
/// holds its connection for the export's whole length, so give the export a connection of its own;
/// on SQLite the open snapshot also delays WAL checkpoints until the export ends.
public enum StateExport {
    /// Rows read per query.
    static let defaultPageSize = 10_000

    /// Writes `<table>.tsv` for every state table that exists (`schema_migrations` included) into
    /// `directory` (created if missing; files already there are replaced) and returns the manifest.
    @discardableResult
    public static func export(database: any SQLDatabase, to directory: URL) throws -> StateExportManifest {
        try export(database: database, to: directory, pageSize: defaultPageSize)
    }

    /// Every state table's digest, computed from the live database in one snapshot the same way an
    /// export computes it: equal digests mean equal contents.
    public static func tableChecksums(database: any SQLDatabase) throws -> [StateTableDigest] {
        try export(database: database, to: nil, pageSize: defaultPageSize).tables
    }

    /// `directory` nil: only digests, no files.
    static func export(database: any SQLDatabase, to directory: URL?, pageSize: Int) throws -> StateExportManifest {
        if let directory {
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            } catch {
                throw StateExportError(.cannotWrite, message: "cannot create the directory \(directory.path): \(error.localizedDescription)")
            }
        }
        return try database.readTransaction {
            let version = try schemaVersion(of: database)
            var tables: [StateTableDigest] = []
            for name in StateSchema.tables where try database.tableExists(name) {
                let layout = try StateTableLayout.read(name, in: database)
                let encoder = try TableEncoder(table: name, columns: layout.columns,
                                               writingTo: directory?.appending(path: ExportFormat.fileName(name)))
                try layout.forEachRow(in: database, pageSize: pageSize) { try encoder.add($0) }
                tables.append(StateTableDigest(name: name, columns: layout.columns, rowCount: encoder.rowCount,
                                               sha256: try encoder.finish()))
            }
            return StateExportManifest(format: ExportFormat.version, schemaVersion: version, backend: database.backend,
                                       tables: tables)
        }
    }

    /// The highest applied migration, 0 when there is none.
    static func schemaVersion(of database: any SQLDatabase) throws -> Int {
        guard try database.tableExists("schema_migrations") else { return 0 }
        return try database.queryFirst("SELECT MAX(version) AS version FROM schema_migrations")?.optionalInt("version") ?? 0
    }
}
