import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeCore
import AlphaPrimeStore
import AlphaPrimeArchive
import Foundation
import Testing

/// `archive` over a replayed week, on SQLite and PostgreSQL: nothing lost, nothing duplicated,
/// the account unchanged, reports saying what is archived.
@Suite struct ArchiveToolTests {
    static let days = ["2021-02-22", "2021-02-23", "2021-02-24"]
    /// The tables an archive moves rows out of and back into.
    static let data = Set(StateArchive.tables)

    static func archive(_ home: EngineTestHome, _ arguments: [String]) throws -> ToolProcess.Result {
        try ToolProcess.run("archive", arguments, environment: home.environment())
    }

    static func tradedHome(postgres: Bool = false) throws -> EngineTestHome {
        let home = try EngineTestHome(postgres: postgres)
        let run = try home.engine(["run", "--mode", "paper", "--speed", "max"] + days.flatMap { ["--replay", $0] })
        #expect(run.status == 0, "\(run.stderr)")
        return home
    }

    static func digests(_ home: EngineTestHome) throws -> [String: String] {
        Dictionary(uniqueKeysWithValues: try StateExport.tableChecksums(database: home.database())
            .filter { data.contains($0.name) }.map { ($0.name, "\($0.rowCount) \($0.sha256)") })
    }

    static func count(_ home: EngineTestHome, _ table: String) throws -> Int64 {
        try home.database().queryFirst("SELECT COUNT(*) AS n FROM \(table)")?.int64("n") ?? -1
    }

    @Test(arguments: [false, true])
    func aWeekGoesOutAndComesBackWholeAndTheAccountIsUnchanged(postgres: Bool) throws {
        guard !postgres || TestPostgres.enabled else { return }
        let home = try Self.tradedHome(postgres: postgres)
        let before = try Self.digests(home)
        let orders = try Self.count(home, "orders")
        // Flat at every close: the cash is the capital (₹10 lakh) and every trade's net P&L.
        let net = try #require(try home.database().queryFirst("SELECT SUM(net_pnl_paise) AS n FROM trades WHERE mode = 'paper'")?.int64("n"))
        let cashBefore = Paise(100_000_000 + net).description

        let dry = try Self.archive(home, ["run", "--older-than", "30", "--dry-run"])
        #expect(dry.status == 0 && dry.stdout.contains("2021-02: would archive"), "\(dry.stdout) \(dry.stderr)")
        #expect(try Self.digests(home) == before, "a dry run changes nothing")

        let run = try Self.archive(home, ["run", "--older-than", "30", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let months = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
        let february = try #require(months.first { $0["month"] as? String == "2021-02" })
        #expect(february["outcome"] as? String == "archived")
        #expect((february["tables"] as? [String: Int])?["orders"] == Int(orders))
        #expect(try Self.count(home, "orders") == 0 && Self.count(home, "fills") == 0 && Self.count(home, "trades") == 0)
        #expect(try Self.count(home, "engine_sessions") == 1, "the latest session stays")
        let file = try #require(february["file"] as? String)
        #expect(throws: Never.self) { _ = try ArchiveReader.verify(URL(filePath: file)) }

        // A second run finds nothing more; reports say which month is archived.
        let again = try Self.archive(home, ["run", "--older-than", "30"])
        #expect(again.status == 0 && again.stdout.contains("nothing to archive"), "\(again.stdout)")
        let report = try ToolProcess.run("report", ["daily", "--date", "2021-02-23"], environment: home.environment())
        #expect(report.status == 0 && report.stdout.contains("Rows of 2021-02 are archived"), "\(report.stdout)")

        // The rows come back exactly.
        let restore = try Self.archive(home, ["restore", file, "--confirm"])
        #expect(restore.status == 0, "\(restore.stderr)")
        #expect(try Self.digests(home) == before)
        #expect(try Self.archive(home, ["restore", file, "--confirm"]).status == 65, "a restored archive is not restored twice")

        // Archived again, the account's cash is what it was: the checkpoint holds it. A session in the
        // archived month is refused until the month is back.
        #expect(try Self.archive(home, ["run", "--older-than", "30"]).status == 0)
        let inside = try home.engine(["run", "--mode", "paper", "--replay", "2021-02-25", "--speed", "max"])
        #expect(inside.status == 65 && inside.stderr.contains("the rows of 2021-02 are archived"), "\(inside.stderr)")
        let reset = try ToolProcess.run("reset-portfolio", ["--confirm", "--json"], environment: home.environment())
        #expect(reset.status == 0, "\(reset.stderr)")
        let outcome = try #require(try JSONSerialization.jsonObject(with: Data(reset.stdout.utf8)) as? [String: Any])
        #expect(outcome["previous_cash"] as? String == cashBefore, "the account after archiving: \(outcome)")
    }

    @Test func killedAtRandomAndRunAgainNothingIsLostOrDuplicated() throws {
        let home = try Self.tradedHome()
        let before = try Self.digests(home)
        let seed = ProcessInfo.processInfo.environment["ALPHA_PRIME_TEST_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 1...UInt64(UInt32.max))
        print("ArchiveToolTests: random kill delays seeded with \(seed) (ALPHA_PRIME_TEST_SEED=\(seed) replays them)")
        var random = SplitMix64(seed: seed)
        for _ in 0..<15 {
            let run = try BackgroundTool(tool: "archive", arguments: ["run", "--older-than", "30"], environment: home.environment(),
                                         directory: home.home.root)
            Thread.sleep(forTimeInterval: Double(random.next() % 1_000) / 1_000 * 0.8)
            run.kill()
            _ = run.wait()
            // Whatever the moment: every row is either in the database or in a recorded archive, once.
            let recorded = try home.database().query("SELECT file FROM archive_batches WHERE restored_at_us IS NULL")
            #expect(recorded.count <= 1)
            if recorded.isEmpty {
                #expect(try Self.digests(home) == before)
            } else {
                #expect(try Self.count(home, "orders") == 0)
            }
        }
        let final = try Self.archive(home, ["run", "--older-than", "30"])
        #expect(final.status == 0, "\(final.stderr)")
        let batches = try home.database().query("SELECT file FROM archive_batches")
        #expect(batches.count == 1, "one archive of the month, however often the run was stopped")
        let files = try FileManager.default.contentsOfDirectory(atPath: home.home.path("backups/archive").path)
            .filter { $0.hasPrefix("alpha-prime-archive-") }
        #expect(files == [try batches[0].string("file")], "no file of an interrupted run is left: \(files)")
        let restore = try Self.archive(home, ["restore", home.home.path("backups/archive/\(files[0])").path, "--confirm"])
        #expect(restore.status == 0, "\(restore.stderr)")
        #expect(try Self.digests(home) == before)
    }

    @Test func anUnfinishedMonthIsSkippedAndRefusalsHaveTheirCodes() throws {
        let home = try Self.tradedHome()
        // A session stopped before its close: its month stays.
        let engine = try home.start(["run", "--mode", "paper", "--replay", "2021-02-25", "--speed", "60x"])
        defer { if engine.isRunning { engine.kill() } }
        #expect(try EngineToolTests.waitUntilRunning(home))
        #expect(try home.engine(["stop", "--timeout", "60"]).status == 0)
        _ = engine.wait()
        let skipped = try Self.archive(home, ["run", "--older-than", "30"])
        #expect(skipped.status == 0)
        #expect(skipped.stdout.contains("2021-02: skipped: the paper session of 2021-02-25 is stopped"), "\(skipped.stdout)")
        #expect(try Self.count(home, "archive_batches") == 0)

        let cases: [([String], Int32, String)] = [
            (["run", "--older-than", "0"], 64, "--older-than expects a number of days, 1 or more"),
            (["run"], 64, "Missing expected argument '--older-than <days>'"),
            (["restore", home.home.path("backups/archive/none.tar.zst").path], 5, "refused without --confirm"),
            (["restore", home.home.path("backups/archive/none.tar.zst").path, "--confirm"], 66, "no such file"),
        ]
        for (arguments, status, message) in cases {
            let result = try Self.archive(home, arguments)
            #expect(result.status == status, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }

        // Another run holding the lock: exit 4.
        let lockPath = home.home.path("backups/archive/.archive.lock").path
        let fd = open(lockPath, O_RDWR | O_CREAT, 0o600)
        defer { close(fd) }
        #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
        let locked = try Self.archive(home, ["run", "--older-than", "30"])
        #expect(locked.status == 4 && locked.stderr.contains("another archive run holds"), "\(locked.stderr)")
    }
}
