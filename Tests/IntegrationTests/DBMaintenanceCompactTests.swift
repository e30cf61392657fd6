import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeStore
import Foundation
import Testing

/// `db-maintenance vacuum`, `checkpoint` and `stats` as the trader runs them: the built binary, a
/// home of its own, a real database.
@Suite struct DBMaintenanceCompactTests {
    static func json(_ result: ToolProcess.Result) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.output)")
    }

    static func insertRiskEvents(_ database: any SQLDatabase, count: Int) throws {
        try database.transaction {
            for i in 0..<count {
                try database.execute("""
                    INSERT INTO risk_events (mode, occurred_at_us, rule, severity, action, message) VALUES ('paper', ?, 'test', 'info', 'none', ?)
                    """, [.integer(Int64(i)), .text(String(repeating: "m", count: 400))])
            }
        }
    }

    static func fileSize(_ url: URL) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: url.path)[.size]) as? Int64) ?? 0
    }

    @Test func vacuumShrinksTheFileAfterManyRowsAreDeleted() throws {
        let home = try TestHome()
        defer { home.remove() }
        #expect(try home.run("db-maintenance", ["migrate"]).status == 0)
        let file = home.path("var/alpha_prime.db")
        do {
            let database = try SQLiteConnection(path: file.path)
            try Self.insertRiskEvents(database, count: 12_000)
            try database.execute("DELETE FROM risk_events WHERE id % 20 <> 0")
        }  // closed: the last connection checkpoints, the file holds the deleted rows' pages
        let before = Self.fileSize(file)
        #expect(before > 4_000_000, "\(before)")

        let text = try home.run("db-maintenance", ["vacuum"])
        #expect(text.status == 0, "\(text.output)")
        #expect(text.stdout.contains("vacuum: SQLite at sqlite:"))
        #expect(text.stdout.contains("  before: database "))
        #expect(text.stdout.contains("(VACUUM, ANALYZE, checkpoint)"))
        #expect(text.stderr.isEmpty, "\(text.stderr)")
        let after = Self.fileSize(file)
        #expect(after * 4 < before, "before \(before) B, after \(after) B")
        #expect(Self.fileSize(home.path("var/alpha_prime.db-wal")) == 0)

        let again = try Self.json(try home.run("db-maintenance", ["vacuum", "--json"]))
        #expect(again["backend"] as? String == "sqlite")
        #expect((again["database_bytes_before"] as? NSNumber)?.int64Value == after)
        #expect((again["checkpoint"] as? [String: Any])?["busy"] as? Bool == false)
        #expect(try SQLiteConnection(path: file.path).queryFirst("SELECT COUNT(*) AS n FROM risk_events")?.int64("n") == 600)
    }

    @Test func checkpointEmptiesTheWriteAheadLog() throws {
        let home = try TestHome()
        defer { home.remove() }
        #expect(try home.run("db-maintenance", ["migrate"]).status == 0)
        // Kept open, as an engine would: its writes stay in the log until a checkpoint copies them.
        let database = try SQLiteConnection(path: home.path("var/alpha_prime.db").path)
        try Self.insertRiskEvents(database, count: 500)
        let wal = home.path("var/alpha_prime.db-wal")
        let walBefore = Self.fileSize(wal)
        #expect(walBefore > 0)

        let result = try home.run("db-maintenance", ["checkpoint", "--json"])
        #expect(result.status == 0, "\(result.output)")
        let checkpoint = try #require(try Self.json(result)["checkpoint"] as? [String: Any])
        #expect(checkpoint["busy"] as? Bool == false)
        let frames = try #require(checkpoint["log_frames"] as? Int)
        #expect(frames > 0 && checkpoint["checkpointed_frames"] as? Int == frames, "\(checkpoint)")
        #expect((checkpoint["wal_bytes_before"] as? NSNumber)?.int64Value == walBefore)
        #expect(checkpoint["wal_bytes_after"] as? Int == 0)
        #expect(Self.fileSize(wal) == 0, "the log is truncated")

        try Self.insertRiskEvents(database, count: 10)
        let text = try home.run("db-maintenance", ["checkpoint"])
        #expect(text.status == 0)
        #expect(text.stdout.contains("checkpoint: SQLite at sqlite:"))
        #expect(text.stdout.contains("busy 0, log "), "\(text.stdout)")
        #expect(text.stdout.contains(" -> 0 B"))
    }

    /// Row counts equal `SELECT COUNT(*)` for every table; sizes and the files are there.
    static func statsMatchCounts(_ home: TestHome, database: any SQLDatabase, environment: [String: String] = [:]) throws -> [String: Any] {
        let result = try home.run("db-maintenance", ["stats", "--json"], environment: environment)
        #expect(result.status == 0, "\(result.output)")
        let stats = try Self.json(result)
        let tables = try #require(stats["tables"] as? [[String: Any]])
        #expect(Set(tables.compactMap { $0["name"] as? String }).isSuperset(of: StateSchema.tables))
        for table in tables {
            let name = try #require(table["name"] as? String)
            let count = try database.queryFirst("SELECT COUNT(*) AS n FROM \(name)")?.int64("n")
            #expect((table["rows"] as? NSNumber)?.int64Value == count, "\(name)")
        }
        #expect(tables.first { $0["name"] as? String == "risk_events" }?["rows"] as? Int == 250)
        #expect(((stats["database_bytes"] as? NSNumber)?.int64Value ?? 0) > 0)
        #expect(!((stats["indexes"] as? [Any]) ?? []).isEmpty)

        let text = try home.run("db-maintenance", ["stats"], environment: environment)
        #expect(text.status == 0, "\(text.output)")
        #expect(text.stdout.contains("risk_events"))
        #expect(text.stdoutLines.contains { $0.hasPrefix("table ") && $0.hasSuffix("size") }, "\(text.stdout)")
        return stats
    }

    @Test func statsOnSQLite() throws {
        let home = try TestHome()
        defer { home.remove() }
        #expect(try home.run("db-maintenance", ["migrate"]).status == 0)
        let database = try SQLiteConnection(path: home.path("var/alpha_prime.db").path)
        try Self.insertRiskEvents(database, count: 250)
        let stats = try Self.statsMatchCounts(home, database: database)
        #expect(stats["backend"] as? String == "sqlite")
        #expect(stats["wal_bytes"] as? Int != nil && stats["page_size"] as? Int != nil)
        #expect(stats["index_usage_counted"] as? Bool == false)
        let text = try home.run("db-maintenance", ["stats"])
        #expect(text.stdout.contains("database file ") && text.stdout.contains("write-ahead log"))
        #expect(text.stdout.contains("index scans: not counted by SQLite"))
    }

    @Test(.enabled(if: TestPostgres.enabled, TestPostgres.skipNote))
    func statsVacuumAndCheckpointOnPostgreSQL() throws {
        let schema = try TestPostgres.makeSchema()
        defer { schema.drop() }
        let home = try TestHome()
        defer { home.remove() }
        let environment = ["DATABASE_URL": schema.url()]
        #expect(try home.run("db-maintenance", ["migrate"], environment: environment).status == 0)
        let database = try PostgresConnection(url: schema.url())
        try Self.insertRiskEvents(database, count: 250)
        let stats = try Self.statsMatchCounts(home, database: database, environment: environment)
        #expect(stats["backend"] as? String == "postgresql")
        #expect(stats["index_usage_counted"] as? Bool == true)
        #expect(((stats["indexes"] as? [[String: Any]]) ?? []).allSatisfy { $0["scans"] != nil })

        let vacuum = try home.run("db-maintenance", ["vacuum"], environment: environment)
        #expect(vacuum.status == 0, "\(vacuum.output)")
        #expect(vacuum.stdout.contains("VACUUM (ANALYZE) of \(StateSchema.tables.count) state tables"))
        #expect(vacuum.stdout.contains("(the tables with their indexes)"))
        let json = try Self.json(try home.run("db-maintenance", ["vacuum", "--json"], environment: environment))
        #expect(json["tables"] as? [String] == StateSchema.tables)

        let checkpoint = try home.run("db-maintenance", ["checkpoint"], environment: environment)
        #expect(checkpoint.status == 0, "\(checkpoint.output)")
        #expect(checkpoint.stdout.contains("does not apply to PostgreSQL"))
        let checkpointJSON = try Self.json(try home.run("db-maintenance", ["checkpoint", "--json"], environment: environment))
        #expect(checkpointJSON["applies"] as? Bool == false)
    }
}
