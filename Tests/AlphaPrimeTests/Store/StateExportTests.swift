import Foundation
import Testing
@testable import AlphaPrimeSupport
@testable import AlphaPrimeDomain
@testable import AlphaPrimeStore

@Suite struct StateExportTests {
    static let latest = StateSchema.migrations.last!.version

    /// The ids of a table, in order.
    static func ids(_ database: any SQLDatabase, _ table: String) throws -> [Int64] {
        try database.query("SELECT id FROM \(table) ORDER BY id").map { try $0.int64("id") }
    }

    @Test(arguments: TestBackend.enabled, TestBackend.enabled)
    func exportRestoresIntoEitherBackend(_ source: TestBackend, _ target: TestBackend) throws {
        try withTemporaryDirectory { directory in
            try TestDatabases.withMigrated(source) { repository in
                try ExportFixture.fill(repository.database)
                let manifest = try StateExport.export(database: repository.database, to: directory)
                #expect(manifest.format == ExportFormat.version)
                #expect(manifest.schemaVersion == Self.latest)
                #expect(manifest.backend == source.backend)
                #expect(manifest.tables.map(\.name) == StateSchema.tables)
                for table in manifest.tables { #expect(table.rowCount > 0, "table \(table.name)") }
                #expect(manifest.table("engine_sessions")?.columns.suffix(3) == ["risk_state_open", "risk_state_close", "last_step"])
                #expect(try StateExport.tableChecksums(database: repository.database) == manifest.tables)

                try TestDatabases.withFresh(target) { restored in
                    try StateImport.restore(from: directory, manifest: manifest, into: restored, logger: quietLogger)
                    #expect(try StateExport.tableChecksums(database: restored) == manifest.tables)
                    // Values read back as they were written: NULL stays NULL, "" stays "".
                    let sql = "SELECT broker_order_id, strategy, status_reason, trigger_price_paise FROM orders ORDER BY id"
                    let before = try repository.database.query(sql).map(\.values)
                    #expect(try restored.query(sql).map(\.values) == before)
                    #expect(before.contains { $0[2] == .null } && before.contains { $0[2] == .text("") })
                    #expect(try restored.query("SELECT risk_state_open FROM engine_sessions ORDER BY id").map(\.values)
                        == repository.database.query("SELECT risk_state_open FROM engine_sessions ORDER BY id").map(\.values))

                    // New rows take ids past every restored one.
                    let restoredRepository = StateRepository(database: restored)
                    let highest = try Self.ids(restored, "orders").max()!
                    let order = try restoredRepository.insertOrder(sampleOrder(clientOrderId: "NEW1"))
                    #expect(order.id! == highest + 1)
                    let fill = try restoredRepository.recordFill(FillRecord(
                        mode: .paper, orderId: order.id!, quantity: 1, price: Paise(100), filledAt: UTCTimestamp(microseconds: 1)))
                    #expect(try Self.ids(restored, "fills").dropLast().max()! < fill.fill.id!)
                    let control = try ExportFixture.insert(restored, "engine_control", [
                        "mode": "paper", "command": "stop", "requested_by": "test", "requested_at_us": 1,
                    ])
                    #expect(try Self.ids(restored, "engine_control").dropLast().max()! < control!)
                }
            }
        }
    }

    @Test(.enabled(if: TestDatabases.postgresEnabled))
    func theSameRowsHaveTheSameChecksumsOnEitherBackend() throws {
        let sqlite = try TestDatabases.withMigrated(.sqlite) { repository in
            try ExportFixture.fill(repository.database)
            return try StateExport.tableChecksums(database: repository.database)
        }
        let postgres = try TestDatabases.withMigrated(.postgresql) { repository in
            let database = repository.database
            // A linguistic collation on a key column does not change the order rows are exported in.
            if try database.queryFirst("SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu'") != nil {
                try database.execute(#"ALTER TABLE engine_marks ALTER COLUMN symbol TYPE TEXT COLLATE "und-x-icu""#)
                try ExportFixture.fill(database)
                let linguistic = try database.query("SELECT symbol FROM engine_marks WHERE mode = 'live' ORDER BY symbol")
                #expect(linguistic.first?[0] != .text("B"), "the collation orders like bytes; the test proves nothing")
            } else {
                try ExportFixture.fill(database)
            }
            return try StateExport.tableChecksums(database: database)
        }
        // Only the migrations' times differ.
        #expect(sqlite.filter { $0.name != "schema_migrations" } == postgres.filter { $0.name != "schema_migrations" })
        #expect(sqlite.first { $0.name == "schema_migrations" }?.rowCount == postgres.first { $0.name == "schema_migrations" }?.rowCount)
    }

    @Test(arguments: TestBackend.enabled)
    func restoreReplacesTheContentOfANonEmptyDatabase(_ backend: TestBackend) throws {
        try withTemporaryDirectory { directory in
            try TestDatabases.withMigrated(.sqlite) { source in
                try ExportFixture.fill(source.database)
                let manifest = try StateExport.export(database: source.database, to: directory)
                try TestDatabases.withMigrated(backend) { target in
                    // More orders than the export has, so the target's ids run past the export's.
                    for i in 0..<30 { try target.insertOrder(sampleOrder(.live, clientOrderId: "OLD\(i)")) }
                    try target.recordHeartbeat(mode: .live, status: "running", pid: 1, host: "h", at: UTCTimestamp(microseconds: 5))
                    try target.upsertMark(MarkRecord(mode: .live, symbol: "OLDSYM", price: Paise(5), markedAt: UTCTimestamp(microseconds: 5)))
                    try StateImport.restore(from: directory, manifest: manifest, into: target.database, logger: quietLogger)
                    #expect(try StateExport.tableChecksums(database: target.database) == manifest.tables)
                    #expect(try target.order(mode: .live, clientOrderId: "OLD0") == nil)
                    let highest = try Self.ids(target.database, "orders").max()!
                    #expect(try target.insertOrder(sampleOrder(clientOrderId: "NEW1")).id == highest + 1)
                }
            }
        }
    }

    @Test(arguments: TestBackend.enabled)
    func anOlderSchemaRestoresAtItsVersionOrIntoANewerDatabase(_ backend: TestBackend) throws {
        try withTemporaryDirectory { directory in
            let v2 = Array(StateSchema.migrations.prefix(2))
            let manifest = try TestDatabases.withFresh(.sqlite) { database in
                try Migrator(database: database, migrations: v2, logger: quietLogger).migrate()
                let repository = StateRepository(database: database)
                try repository.insertOrder(sampleOrder(clientOrderId: "V2ORDER"))
                try ExportFixture.insert(database, "engine_sessions", [
                    "mode": "paper", "trading_date": "2026-01-26", "status": "running", "source": "x",
                    "day_start_cash_paise": 1, "started_at_us": 1, "updated_at_us": 1,
                ])
                return try StateExport.export(database: database, to: directory)
            }
            #expect(manifest.schemaVersion == 2)
            try TestDatabases.withFresh(backend) { fresh in
                try StateImport.restore(from: directory, manifest: manifest, into: fresh, logger: quietLogger)
                #expect(try StateExport.tableChecksums(database: fresh) == manifest.tables)
                #expect(try StateExport.schemaVersion(of: fresh) == 2)
            }
            try TestDatabases.withMigrated(backend) { newer in
                let migrations = try StateExport.tableChecksums(database: newer.database).first { $0.name == "schema_migrations" }
                try StateImport.restore(from: directory, manifest: manifest, into: newer.database, logger: quietLogger)
                let after = try StateExport.tableChecksums(database: newer.database)
                #expect(after.first { $0.name == "schema_migrations" } == migrations)
                #expect(after.first { $0.name == "orders" }?.rowCount == 1)
                let session = try newer.database.queryFirst("SELECT risk_state_open, risk_state_close FROM engine_sessions")
                #expect(session?.values == [.null, .null])
            }
            let findings = try StateImport.check(directory: directory, manifest: manifest, logger: quietLogger)
            #expect(findings.allSatisfy { $0.ok }, "\(findings)")
            #expect(findings.first?.detail.contains("migrated to \(Self.latest)") == true)
        }
    }

    @Test func checkLoadsAnExportAndRunsTheIntegrityCheck() throws {
        try withTemporaryDirectory { directory in
            let manifest = try TestDatabases.withMigrated(.sqlite) { repository in
                try ExportFixture.fill(repository.database)
                return try StateExport.export(database: repository.database, to: directory)
            }
            let findings = try StateImport.check(directory: directory, manifest: manifest, logger: quietLogger)
            #expect(findings.allSatisfy { $0.ok }, "\(findings)")
            #expect(findings.map(\.check).contains("foreign_key_check"))
            #expect(findings.first?.detail.contains("\(manifest.rowCount) rows") == true)
        }
    }
}
