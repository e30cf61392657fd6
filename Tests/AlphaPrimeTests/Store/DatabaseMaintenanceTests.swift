import Foundation
import Testing
@testable import AlphaPrimeSupport
@testable import AlphaPrimeDomain
@testable import AlphaPrimeStore

/// Compacting, checkpointing and measuring the state database, on both backends.
@Suite struct DatabaseMaintenanceTests {
    /// `count` risk events with a long message, so deleting them frees many pages.
    static func insertRiskEvents(_ database: any SQLDatabase, count: Int) throws {
        try database.transaction {
            for i in 0..<count {
                try database.execute("""
                    INSERT INTO risk_events (mode, occurred_at_us, rule, severity, action, message) VALUES ('paper', ?, 'test', 'info', 'none', ?)
                    """, [.integer(Int64(i)), .text(String(repeating: "m", count: 300))])
            }
        }
    }

    static func migrated(_ database: any SQLDatabase) throws {
        try Migrator(database: database, logger: quietLogger).migrate()
    }

    @Test(arguments: TestBackend.enabled)
    func vacuumGivesBackTheSpaceOfDeletedRows(backend: TestBackend) throws {
        try TestDatabases.withFresh(backend) { database in
            try Self.migrated(database)
            try Self.insertRiskEvents(database, count: 5_000)
            try database.execute("DELETE FROM risk_events WHERE id % 10 <> 0")
            let result = try DatabaseMaintenance.vacuum(database)
            #expect(result.backend == database.backend)
            #expect(result.seconds >= 0)
            switch backend {
            case .sqlite:
                #expect(result.databaseBytesAfter * 3 < result.databaseBytesBefore + (result.walBytesBefore ?? 0),
                        "before \(result.databaseBytesBefore) + WAL \(result.walBytesBefore ?? 0), after \(result.databaseBytesAfter)")
                #expect(result.databaseBytesAfter == DatabaseMaintenance.fileSizes(sqlitePath: database.location).database)
                #expect(result.walBytesAfter == 0, "the checkpoint after VACUUM truncates the log")
                #expect(result.checkpoint?.busy == false)
                let free = try database.queryFirst("PRAGMA freelist_count")?[0]
                #expect(free == .integer(0))
            case .postgresql:
                #expect(result.tables == StateSchema.tables)
                #expect(result.walBytesBefore == nil && result.checkpoint == nil)
                #expect(result.databaseBytesAfter > 0)
                let row = try database.queryFirst("""
                    SELECT last_vacuum IS NOT NULL AS vacuumed, last_analyze IS NOT NULL AS analyzed
                    FROM pg_stat_user_tables WHERE relname = 'risk_events' AND schemaname = current_schema()
                    """)
                #expect(try row?.bool("vacuumed") == true && row?.bool("analyzed") == true)
            }
            #expect(try database.queryFirst("SELECT COUNT(*) AS n FROM risk_events")?.int64("n") == 500)
        }
    }

    @Test(arguments: TestBackend.enabled)
    func checkpointEmptiesTheWriteAheadLog(backend: TestBackend) throws {
        try TestDatabases.withFresh(backend) { database in
            try Self.migrated(database)
            try Self.insertRiskEvents(database, count: 2_000)
            guard backend == .sqlite else {
                #expect(try DatabaseMaintenance.checkpoint(database) == nil, "PostgreSQL checkpoints on its own")
                return
            }
            let walBefore = DatabaseMaintenance.fileSizes(sqlitePath: database.location).wal
            #expect(walBefore > 0, "the writes are in the log")
            let result = try #require(try DatabaseMaintenance.checkpoint(database))
            #expect(!result.busy)
            #expect(result.logFrames > 0 && result.checkpointedFrames == result.logFrames, "\(result)")
            #expect(result.walBytesBefore == walBefore)
            #expect(result.walBytesAfter == 0)
            #expect(DatabaseMaintenance.fileSizes(sqlitePath: database.location).wal == 0)
        }
    }

    /// A reader in the middle of a transaction keeps the truncating checkpoint from finishing: busy.
    @Test func aReaderMakesTheCheckpointBusy() throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "alpha-prime-ckpt-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appending(path: "state.db").path
        let database = try SQLiteConnection(path: path, busyTimeoutMilliseconds: 50)
        try Self.migrated(database)
        let reader = try SQLiteConnection(path: path)
        try Self.insertRiskEvents(database, count: 100)
        try reader.readTransaction {
            _ = try reader.query("SELECT COUNT(*) FROM risk_events")
            try Self.insertRiskEvents(database, count: 100)
            let result = try #require(try DatabaseMaintenance.checkpoint(database))
            #expect(result.busy)
            #expect(result.walBytesAfter > 0)
        }
    }

    @Test(arguments: TestBackend.enabled)
    func statsCountEveryRowAndSizeEveryTable(backend: TestBackend) throws {
        try TestDatabases.withFresh(backend) { database in
            try Self.migrated(database)
            try Self.insertRiskEvents(database, count: 321)
            let repository = StateRepository(database: database)
            try repository.insertOrder(sampleOrder())
            try repository.insertOrder(sampleOrder(clientOrderId: "AP0002"))
            _ = try database.query("SELECT * FROM orders WHERE mode = 'paper' AND client_order_id = 'AP0001'")
            let stats = try DatabaseStats.read(database)
            #expect(Set(stats.tables.map(\.name)).isSuperset(of: StateSchema.tables))
            for table in stats.tables {
                let count = try database.queryFirst("SELECT COUNT(*) AS n FROM \(table.name)")?.int64("n")
                #expect(table.rows == count, "\(table.name)")
            }
            #expect(stats.tables.first { $0.name == "risk_events" }?.rows == 321)
            #expect(stats.tables.first { $0.name == "orders" }?.rows == 2)
            #expect(stats.databaseBytes > 0)
            #expect(!stats.indexes.isEmpty)
            #expect(stats.indexes.allSatisfy { !$0.table.isEmpty })
            switch backend {
            case .sqlite:
                #expect(stats.walBytes != nil && stats.pageSize != nil && stats.pageCount != nil)
                #expect(!stats.indexUsageCounted && stats.indexes.allSatisfy { $0.scans == nil })
                if stats.sizeSource == "dbstat" {
                    let riskEvents = try #require(stats.tables.first { $0.name == "risk_events" }?.bytes)
                    #expect(riskEvents > 321 * 300, "the table's pages hold its messages")
                } else {
                    #expect(stats.sizeSource == "page_count" && stats.tables.allSatisfy { $0.bytes == nil })
                }
            case .postgresql:
                #expect(stats.sizeSource == "pg_total_relation_size" && stats.indexUsageCounted)
                #expect(stats.walBytes == nil)
                #expect(stats.tables.allSatisfy { $0.bytes != nil && $0.sequentialScans != nil })
                #expect(stats.indexes.allSatisfy { $0.scans != nil && $0.bytes != nil })
                #expect(stats.databaseBytes == stats.tables.reduce(0) { $0 + ($1.bytes ?? 0) })
            }
        }
    }

    @Test(arguments: TestBackend.enabled)
    func sizesAreTheFilesOrTheSchemasTables(backend: TestBackend) throws {
        try TestDatabases.withFresh(backend) { database in
            try Self.migrated(database)
            let sizes = try DatabaseMaintenance.sizes(database)
            #expect(sizes.database > 0)
            #expect((sizes.wal != nil) == (backend == .sqlite))
            #expect(DatabaseMaintenance.vacuumSpaceNeeded(database) == (backend == .sqlite ? 2 * sizes.database + (sizes.wal ?? 0) : 0))
        }
    }
}
