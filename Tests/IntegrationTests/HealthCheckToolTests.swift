import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import AlphaPrimeCore
import AlphaPrimePaper
import AlphaPrimeStore
import AlphaPrimeConfig
import AlphaPrimeLogs
import AlphaPrimeOps
import AlphaPrimeCommands
import Foundation
import Testing

/// `health-check` in a fresh home: it fails while the state database is missing or unmigrated,
/// and passes once `db-maintenance migrate` has run, on SQLite and on PostgreSQL.
@Suite struct HealthCheckToolTests {
    /// Fails, migrates, passes; returns the passing output.
    @discardableResult
    static func failThenPass(_ home: TestHome, missing: String, environment: [String: String] = [:]) throws -> ToolProcess.Result {
        let before = try home.run("health-check", [], environment: environment)
        #expect(before.status == 1, "\(before.output)")
        #expect(before.stdout.contains(missing), "\(before.stdout)")

        let migrate = try home.run("db-maintenance", ["migrate"], environment: environment)
        #expect(migrate.status == 0, "\(migrate.output)")

        let after = try home.run("health-check", [], environment: environment)
        #expect(after.status == 0, "\(after.output)")
        #expect(!after.stdout.contains("[FAIL]"))
        #expect(after.stdout.contains("[ OK ] migrations: up to date (\(StateSchema.migrations.count) applied)"))
        #expect(after.stdout.contains("[ OK ] configuration: valid"))
        #expect(after.stderr.isEmpty, "health-check writes its report on stdout only: \(after.stderr)")
        return after
    }

    @Test func freshHomeOnSQLite() throws {
        let home = try TestHome()
        defer { home.remove() }
        let after = try Self.failThenPass(home, missing: "[FAIL] database: sqlite:\(home.root.standardizedFileURL.path)/var/alpha_prime.db does not exist; create it with: db-maintenance migrate")
        #expect(after.stdout.contains("[ OK ] integrity: "), "without --fast the integrity scan runs")

        let fast = try home.run("health-check", ["--fast"])
        #expect(fast.status == 0)
        #expect(!fast.stdout.contains("integrity:"), "--fast skips the integrity scan")
        for line in ["] memory: ", "] database size: ", "write-ahead log", "] engine: not running",
                     "[WARN] backup (daily): none in backups/daily/", "[INFO] backup (weekly): none yet",
                     "[INFO] backup (monthly): none yet", "] log directory: "] {
            #expect(fast.stdout.contains(line), "\(line) in \(fast.stdout)")
        }
    }

    /// The engine's line follows the market's hours (a pretend market time, debug builds); backups
    /// are judged by the age of the newest of each kind.
    @Test func engineAndBackupLines() throws {
        let home = try TestHome()
        defer { home.remove() }
        #expect(try home.run("db-maintenance", ["migrate"]).status == 0)
        let session = try home.run("health-check", ["--fast"], environment: [MarketClock.testVariable: "2021-02-23T11:00"])
        #expect(session.stdout.contains("[WARN] engine: not running and the market is in session (2021-02-23 normal session 09:15–15:30 IST; now 11:00 IST)"),
                "\(session.stdout)")
        #expect(session.stdout.contains("[INFO] today: a trading day: 2021-02-23 normal session"), "today is the market time's day")
        let evening = try home.run("health-check", ["--fast"], environment: [MarketClock.testVariable: "2021-02-23T19:00"])
        #expect(evening.stdout.contains("[INFO] engine: not running; the market is closed (2021-02-23 normal session 09:15–15:30 IST; closed at 15:30 IST, now 19:00 IST)"),
                "\(evening.stdout)")
        let bad = try home.run("health-check", ["--fast"], environment: [MarketClock.testVariable: "11 o'clock"])
        #expect(bad.status == 64 && bad.stderr.contains("ALPHA_PRIME_NOW='11 o'clock' is not an ISO-8601 instant"))

        let now = UTCTimestamp.now().microseconds / 1_000_000
        for (kind, hoursAgo) in [("daily", Int64(2)), ("weekly", Int64(24 * 9)), ("monthly", Int64(24 * 3))] {
            let folder = home.path("backups/\(kind)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let name = BackupCatalog.fileName(at: UTCTimestamp(secondsSinceEpoch: now - hoursAgo * 3_600), in: folder)
            try Data(count: 100).write(to: folder.appending(path: name))
        }
        let findings = try Self.findings(try home.run("health-check", ["--fast", "--json"]))
        func status(_ check: String) -> String? { findings.first { $0["check"] as? String == check }?["status"] as? String }
        #expect(status("backup (daily)") == "ok")
        #expect(status("backup (weekly)") == "warning")
        #expect(status("backup (monthly)") == "ok")
    }

    /// How long `health-check --fast` takes, whole process, in this (debug) build: printed, never
    /// asserted (benchmarks/run.py measures the release build).
    @Test func fastRunTimeIsPrinted() throws {
        let home = try TestHome()
        defer { home.remove() }
        #expect(try home.run("db-maintenance", ["migrate"]).status == 0)
        var times: [Double] = []
        for _ in 0..<5 {
            let start = Date()
            #expect(try home.run("health-check", ["--fast"]).status == 0)
            times.append(Date().timeIntervalSince(start) * 1_000)
        }
        times.sort()
        print("health-check --fast (debug build, whole process): best \(Int(times[0])) ms, median \(Int(times[2])) ms")
    }

    @Test(.enabled(if: TestPostgres.enabled, TestPostgres.skipNote))
    func freshHomeOnPostgreSQL() throws {
        let schema = try TestPostgres.makeSchema()
        defer { schema.drop() }
        let home = try TestHome()
        defer { home.remove() }
        try home.writeDotEnv("DATABASE_URL=\(schema.url())\n")
        let versions = StateSchema.migrations.map { String($0.version) }.joined(separator: ", ")
        let after = try Self.failThenPass(home, missing: "[FAIL] migrations: \(versions.split(separator: ",").count) pending (\(versions)); run: db-maintenance migrate")
        #expect(after.stdout.contains("[ OK ] database: PostgreSQL at postgres://"))
    }

    @Test func databaseURLFromDotEnvIsUsed() throws {
        let home = try TestHome()
        defer { home.remove() }
        try home.writeDotEnv("DATABASE_URL=sqlite:var/from-dotenv.db\n")
        try Self.failThenPass(home, missing: "var/from-dotenv.db does not exist")
        #expect(FileManager.default.fileExists(atPath: home.path("var/from-dotenv.db").path))
    }

    @Test func unreachableDatabaseFails() throws {
        let home = try TestHome()
        defer { home.remove() }
        let result = try home.run("health-check", ["--fast"], environment: ["DATABASE_URL": "postgres://trader@127.0.0.1:1/alpha"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("[FAIL] database: "))
    }

    @Test func strictTurnsWarningsIntoFailure() throws {
        let home = try TestHome()
        defer { home.remove() }
        try home.writeDotEnv("ENVIRONMENT=development\n", mode: 0o644)
        #expect(try home.run("db-maintenance", ["migrate"]).status == 0)
        let relaxed = try home.run("health-check", ["--fast"])
        #expect(relaxed.status == 0, "\(relaxed.output)")
        #expect(relaxed.stdout.contains("[WARN] configuration: .env: is readable by group or others (mode 0644)"))
        let strict = try home.run("health-check", ["--fast", "--strict"])
        #expect(strict.status == 1)
    }

    /// A year with no holidays configured is a warning (every weekday would look like a trading day);
    /// today is reported either way. The test writes the year's holidays itself, so it passes whatever
    /// year the clock shows and whatever years the bundled calendar covers.
    @Test func calendarCoverageOfTheCurrentYear() throws {
        let home = try TestHome()
        defer { home.remove() }
        let year = IST.today().year
        let file = home.path("config/trading_hours.yaml")
        let lines = try String(contentsOf: file, encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            .filter { !$0.contains("{date: \(year)-") }
        let holidaysAt = try #require(lines.firstIndex(of: "holidays:"))

        var covered = lines
        covered.insert(contentsOf: ["  - {date: \(year)-03-03, name: Test Holiday One}",
                                    "  - {date: \(year)-03-04, name: Test Holiday Two}"], at: holidaysAt + 1)
        try covered.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        let withHolidays = try home.run("health-check", ["--fast", "--json"])
        let findings = try Self.findings(withHolidays)
        #expect(findings.contains { $0["check"] as? String == "calendar" && $0["status"] as? String == "ok"
                                    && ($0["detail"] as? String ?? "").contains("2 holidays configured for \(year)") },
                "\(withHolidays.stdout)")
        #expect(findings.contains { $0["check"] as? String == "today" && $0["status"] as? String == "info" })

        try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        let uncovered = try home.run("health-check", ["--fast"])
        #expect(uncovered.stdout.contains("[WARN] calendar: no holidays configured for \(year) in config/trading_hours.yaml"),
                "\(uncovered.stdout)")
        #expect(uncovered.stdout.contains("[INFO] today: "))
    }

    /// The `india vix` line (the shipped risk file has the VIX filter on): a warning while nothing
    /// is stored, ok once the last trading day's close is there, a warning naming the effect once it
    /// is older (filtered by an older close; past a week, every entry refused). Dates are the drill
    /// clock's, not the wall clock's.
    @Test func theIndiaVIXLine() throws {
        let home = try TestHome()
        defer { home.remove() }
        #expect(try home.run("db-maintenance", ["migrate"]).status == 0)
        func line(_ now: String) throws -> String {
            let result = try home.run("health-check", ["--fast"], environment: [MarketClock.testVariable: now])
            return result.stdout.split(separator: "\n").first { $0.contains("] india vix: ") }.map(String.init) ?? "(no india vix line) \(result.stdout)"
        }
        #expect(try line("2021-03-10T08:00").hasPrefix("[WARN] india vix: vix_filter is on (10–30) but no India VIX is stored"))

        let vixFile = TestHome.repositoryRoot.appending(path: "Tests/AlphaPrimeTests/Fixtures/risk/india_vix_2021-02-15_2021-03-12.csv")
        let imported = try home.run("market-data", ["import", "--format", "nse", "--symbol", "INDIAVIX", vixFile.path])
        #expect(imported.status == 0, "\(imported.output)")
        let current = try line("2021-03-15T08:00")
        #expect(current.hasPrefix("[ OK ] india vix: latest close ") && current.contains(" on 2021-03-12"), "\(current)")
        let older = try line("2021-03-17T08:00")
        #expect(older.hasPrefix("[WARN] india vix: the latest India VIX close is of 2021-03-12") && older.contains("older than 2021-03-16")
                && older.contains("today's entries are filtered by that older close"), "\(older)")
        let stale = try line("2021-03-25T08:00")
        #expect(stale.contains("the filter refuses every entry today (no close within 7 days)")
                && stale.contains("--from 2021-03-13 --to 2021-03-24"), "\(stale)")
    }

    @Test func jsonReport() throws {
        let home = try TestHome()
        defer { home.remove() }
        let result = try home.run("health-check", ["--json", "--fast"])
        #expect(result.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["passed"] as? Bool == false)
        #expect(object["worst"] as? String == "failure")
    }

    static func findings(_ result: ToolProcess.Result) throws -> [[String: Any]] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        return try #require(object["findings"] as? [[String: Any]])
    }
}
