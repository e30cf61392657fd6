import AlphaPrimeSupport
import AlphaPrimeDomain
import Logging

/// One versioned change to the schema. Its checksum is the SHA-256 of its SQL template.
public struct Migration: Sendable, Equatable {
    public let version: Int
    public let name: String
    /// The template (see ``SQLDialect/render(_:)``), the same text for both backends.
    public let sql: String
    /// 64 lowercase hex characters.
    public let checksum: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
        self.checksum = SHA256.hex(of: sql)
    }
}

/// A row of `schema_migrations`.
public struct AppliedMigration: Sendable, Equatable, Codable {
    public let version: Int
    public let name: String
    public let checksum: String
    public let appliedAt: UTCTimestamp
}

/// Where a database stands against the migrations this build knows.
public struct MigrationStatus: Sendable {
    /// Recorded in `schema_migrations`, oldest first.
    public let applied: [AppliedMigration]
    /// Known to this build and not applied yet, in the order they will be applied.
    public let pending: [Migration]
    /// Applied, but the SQL this build has for that version has another checksum.
    public let mismatched: [AppliedMigration]
    /// Applied, but unknown to this build (a newer build migrated this database).
    public let unknown: [AppliedMigration]

    public var isUpToDate: Bool { pending.isEmpty && mismatched.isEmpty && unknown.isEmpty }

    /// Throws when the applied history cannot be trusted: a changed migration or an unknown one.
    public func validate() throws {
        if let first = mismatched.first {
            throw StoreError(.checksumMismatch(version: first.version),
                             message: "migration \(first.version) (\(first.name)) was applied with checksum \(first.checksum) but this build's SQL for it has another checksum; an applied migration must never be edited")
        }
        if !unknown.isEmpty {
            let versions = unknown.map(\.version)
            throw StoreError(.unknownMigrations(versions: versions),
                             message: "the database has migrations \(versions.map(String.init).joined(separator: ", ")) that this build does not know; it was migrated by a newer version of ALPHA-PRIME")
        }
    }
}

/// Applies the schema's migrations to a database and reports where it stands.
///
/// Each migration runs in its own transaction together with its `schema_migrations` row, so a
/// failed migration leaves nothing behind; applying twice is a no-op.
public struct Migrator: Sendable {
    public let database: any SQLDatabase
    public let migrations: [Migration]
    private let logger: Logger

    public init(database: any SQLDatabase, migrations: [Migration] = StateSchema.migrations,
                logger: Logger = Logger(label: "alpha_prime.store")) {
        self.database = database
        self.migrations = migrations.sorted { $0.version < $1.version }
        self.logger = logger
    }

    static let bookkeepingTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version {{int}} PRIMARY KEY,
            name TEXT NOT NULL,
            checksum TEXT NOT NULL,
            applied_at_us {{int}} NOT NULL
        ){{strict}}
        """

    /// Applied, pending, changed and unknown migrations. Reads only; creates nothing.
    public func status() throws -> MigrationStatus {
        try database.readTransaction {
            try database.tableExists("schema_migrations") ? status(applied: try appliedMigrations()) : status(applied: [])
        }
    }

    /// Applies every pending migration in version order and returns the ones applied now (empty
    /// when the database was already up to date). Throws before applying anything when an applied
    /// migration was changed or is unknown to this build.
    @discardableResult
    public func migrate(now: () -> UTCTimestamp = UTCTimestamp.now) throws -> [Migration] {
        try database.execute(database.dialect.render(Migrator.bookkeepingTable))
        try status().validate()
        var appliedNow: [Migration] = []
        for migration in migrations {
            let applied = try database.transaction { () throws -> Bool in
                if let lock = database.dialect.migrationLockSQL { try database.execute(lock) }
                // Read again under the lock: another process may have applied it meanwhile.
                let current = status(applied: try appliedMigrations())
                try current.validate()
                guard current.pending.contains(where: { $0.version == migration.version }) else { return false }
                try database.executeScript(database.dialect.render(migration.sql))
                try database.execute(
                    "INSERT INTO schema_migrations (version, name, checksum, applied_at_us) VALUES (?, ?, ?, ?)",
                    [SQLValue(migration.version), .text(migration.name), .text(migration.checksum), SQLValue(now())])
                return true
            }
            if applied {
                logger.info("applied migration", metadata: ["migration.version": "\(migration.version)", "migration.name": "\(migration.name)"])
                appliedNow.append(migration)
            }
        }
        return appliedNow
    }

    private func appliedMigrations() throws -> [AppliedMigration] {
        try database.query("SELECT version, name, checksum, applied_at_us FROM schema_migrations ORDER BY version").map { row in
            AppliedMigration(version: try row.int("version"), name: try row.string("name"),
                             checksum: try row.string("checksum"), appliedAt: try row.timestamp("applied_at_us"))
        }
    }

    private func status(applied: [AppliedMigration]) -> MigrationStatus {
        let known = Dictionary(migrations.map { ($0.version, $0) }, uniquingKeysWith: { first, _ in first })
        let appliedVersions = Set(applied.map(\.version))
        return MigrationStatus(
            applied: applied,
            pending: migrations.filter { !appliedVersions.contains($0.version) },
            mismatched: applied.filter { a in known[a.version].map { $0.checksum != a.checksum } ?? false },
            unknown: applied.filter { known[$0.version] == nil })
    }
}
