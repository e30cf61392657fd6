import Testing
@testable import AlphaPrimeSupport
@testable import AlphaPrimeDomain
@testable import AlphaPrimeExecution
@testable import AlphaPrimeCore
@testable import AlphaPrimePaper
@testable import AlphaPrimeStore
@testable import AlphaPrimeConfig
@testable import AlphaPrimeLogs
@testable import AlphaPrimeOps
@testable import AlphaPrimeCommands

@Suite struct MigrationTests {
    static let first = Migration(version: 1, name: "first", sql: "CREATE TABLE alpha (id {{id}}, amount_paise {{int}} NOT NULL){{strict}};")
    static let second = Migration(version: 2, name: "second", sql: "CREATE TABLE beta (id {{id}}, note TEXT){{strict}};")

    @Test(arguments: TestBackend.enabled)
    func applyingTwiceIsANoOp(_ backend: TestBackend) throws {
        try TestDatabases.withFresh(backend) { database throws in
            let migrator = Migrator(database: database, logger: quietLogger)
            let firstRun = try migrator.migrate()
            #expect(firstRun.map(\.version) == StateSchema.migrations.map(\.version))
            let secondRun = try migrator.migrate()
            #expect(secondRun.isEmpty)

            let status = try migrator.status()
            #expect(status.isUpToDate)
            #expect(status.pending.isEmpty)
            #expect(status.applied.map(\.version) == StateSchema.migrations.map(\.version))
            #expect(status.applied.map(\.checksum) == StateSchema.migrations.map(\.checksum))
            let rows = try database.query("SELECT version FROM schema_migrations")
            #expect(rows.count == StateSchema.migrations.count)
            for table in StateSchema.tables { #expect(try database.tableExists(table), "table \(table)") }
        }
    }

    @Test(arguments: TestBackend.enabled)
    func statusOfAFreshDatabaseListsPendingAndCreatesNothing(_ backend: TestBackend) throws {
        try TestDatabases.withFresh(backend) { database throws in
            let status = try Migrator(database: database, logger: quietLogger).status()
            #expect(status.applied.isEmpty)
            #expect(status.pending.map(\.version) == StateSchema.migrations.map(\.version))
            #expect(!status.isUpToDate)
            #expect(try !database.tableExists("schema_migrations"))
        }
    }

    @Test(arguments: TestBackend.enabled)
    func pendingMigrationsAreAppliedInOrder(_ backend: TestBackend) throws {
        try TestDatabases.withFresh(backend) { database throws in
            #expect(try Migrator(database: database, migrations: [Self.first], logger: quietLogger).migrate().map(\.version) == [1])
            let both = Migrator(database: database, migrations: [Self.second, Self.first], logger: quietLogger)
            #expect(try both.status().pending.map(\.version) == [2])
            #expect(try both.migrate().map(\.version) == [2])
            #expect(try database.tableExists("beta"))
        }
    }

    @Test(arguments: TestBackend.enabled)
    func changedMigrationIsDetectedByVersion(_ backend: TestBackend) throws {
        try TestDatabases.withFresh(backend) { database throws in
            try Migrator(database: database, migrations: [Self.first], logger: quietLogger).migrate()
            let edited = Migration(version: 1, name: "first", sql: Self.first.sql + " -- edited")
            let migrator = Migrator(database: database, migrations: [edited, Self.second], logger: quietLogger)
            let status = try migrator.status()
            #expect(status.mismatched.map(\.version) == [1])
            let error = storeError { try migrator.migrate() }
            #expect(error?.kind == .checksumMismatch(version: 1))
            #expect(error?.exitStatus == .dataError)
            #expect(error?.description.contains("migration 1") == true)
            // Nothing after the changed migration was applied.
            #expect(try !database.tableExists("beta"))
        }
    }

    @Test(arguments: TestBackend.enabled)
    func migrationsUnknownToThisBuildAreReported(_ backend: TestBackend) throws {
        try TestDatabases.withFresh(backend) { database throws in
            try Migrator(database: database, migrations: [Self.first, Self.second], logger: quietLogger).migrate()
            let older = Migrator(database: database, migrations: [Self.first], logger: quietLogger)
            #expect(try older.status().unknown.map(\.version) == [2])
            let error = storeError { try older.migrate() }
            #expect(error?.kind == .unknownMigrations(versions: [2]))
        }
    }

    @Test(arguments: TestBackend.enabled)
    func failedMigrationLeavesNothingBehind(_ backend: TestBackend) throws {
        try TestDatabases.withFresh(backend) { database throws in
            let broken = Migration(version: 2, name: "broken",
                                   sql: "CREATE TABLE gamma (id {{id}}){{strict}}; CREATE TABLE gamma (id {{id}}){{strict}};")
            let error = storeError { try Migrator(database: database, migrations: [Self.first, broken], logger: quietLogger).migrate() }
            #expect(error != nil)
            #expect(try database.tableExists("alpha"))
            #expect(try !database.tableExists("gamma"))
            let status = try Migrator(database: database, migrations: [Self.first, broken], logger: quietLogger).status()
            #expect(status.applied.map(\.version) == [1])
            #expect(status.pending.map(\.version) == [2])
        }
    }

    @Test func checksumIsTheSHA256OfTheTemplate() {
        for migration in StateSchema.migrations + [Self.first] {
            #expect(migration.checksum == SHA256.hex(of: migration.sql))
            #expect(migration.checksum.count == 64)
        }
    }

    @Test func schemaVersionsAreUniqueAndIncreasing() {
        let versions = StateSchema.migrations.map(\.version)
        #expect(versions == versions.sorted())
        #expect(Set(versions).count == versions.count)
        #expect(versions.first == 1)
    }
}
