import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeStore
import Foundation
import Testing

/// The runbooks as cron runs them, over every bundled trading day (2021-02-15 to 2021-02-26) with a
/// holiday in the middle: each day pre-market → engine → end-of-day, the weekly job each Friday, the
/// monthly job on the next month's first trading day. Dates are passed to the runbooks (`--date`,
/// `--week-of`, `--month`) as cron's clock would give them.
@Suite struct SimulatedMonthTests {
    static let days = ["2021-02-15", "2021-02-16", "2021-02-17", "2021-02-18", "2021-02-19",
                       "2021-02-22", "2021-02-23", "2021-02-24", "2021-02-25", "2021-02-26"]
    static let holiday = "2021-02-17"
    static let fridays: Set<String> = ["2021-02-19", "2021-02-26"]

    /// A home whose calendar closes the exchange on ``holiday``.
    static func home() throws -> EngineTestHome {
        let home = try EngineTestHome()
        try home.home.edit("config/trading_hours.yaml", replacing: "holidays:\n  # 2021\n",
                           with: "holidays:\n  # 2021\n  - {date: \(holiday), name: Exchange holiday for the drill}\n")
        return home
    }

    /// Runs one cron job; `perturb` runs it twice, or kills it part-way and runs it again.
    static func job(_ script: String, _ arguments: [String], home: EngineTestHome, perturb: Perturbation) throws -> ToolProcess.Result {
        let env = RunbookTests.environment(home: home.home.root)
        let program = TestHome.repositoryRoot.appending(path: script)
        switch perturb {
        case .none:
            break
        case .twice:
            _ = try ToolProcess.run(program: program, arguments, environment: env)
        case .killed(let after):
            let run = try BackgroundTool(program: program, arguments: arguments, environment: env, directory: home.home.root)
            Thread.sleep(forTimeInterval: after)
            run.killGroup()
            _ = run.wait()
        }
        return try ToolProcess.run(program: program, arguments, environment: env)
    }

    enum Perturbation { case none, twice, killed(after: Double) }

    /// The whole fortnight; returns the runbooks' outputs.
    @discardableResult
    static func fortnight(_ home: EngineTestHome, archiveOlderThan: String = "36500",
                          perturb: (String, String) -> Perturbation = { _, _ in .none }) throws -> [String] {
        var outputs: [String] = []
        for day in days {
            for script in ["runbooks/pre-market.sh", "runbooks/start-engine.sh", "runbooks/end-of-day.sh"] {
                let arguments = ["--date", day] + (script.hasSuffix("start-engine.sh") ? ["--replay", "--foreground"] : [])
                let result = try job(script, arguments, home: home, perturb: perturb(script, day))
                #expect(result.status == 0, "\(script) \(day): \(result.stdout) \(result.stderr)")
                outputs.append(result.stdout)
            }
            if fridays.contains(day) {
                let weekly = try job("runbooks/weekly.sh", ["--week-of", day], home: home, perturb: perturb("runbooks/weekly.sh", day))
                #expect(weekly.status == 0, "weekly \(day): \(weekly.stdout)")
            }
        }
        // 2021-03-01, the next month's first trading day.
        let monthly = try job("runbooks/monthly.sh", ["--month", "2021-02", "--archive-older-than", archiveOlderThan], home: home,
                              perturb: perturb("runbooks/monthly.sh", "2021-03-01"))
        #expect(monthly.status == 0, "monthly: \(monthly.stdout)")
        return outputs
    }

    @Test func everyReportBackupAndLogIsThereAndTheNumbersReconcile() throws {
        let home = try Self.home()
        // The monthly job archives February too (older than its default 90 days).
        let outputs = try Self.fortnight(home, archiveOlderThan: "90")
        #expect(outputs.contains { $0.contains("\(Self.holiday) is a holiday: Exchange holiday for the drill") && $0.contains("nothing to do") })
        let root = home.home.root
        var dailyNet: Int64 = 0
        for day in Self.days where day != Self.holiday {
            let summary = root.appending(path: "reports/daily/\(day)/summary.json")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: summary)) as? [String: Any], "\(day)")
            dailyNet += try #require(json["net_pnl_paise"] as? Int64)
        }
        #expect(!FileManager.default.fileExists(atPath: root.appending(path: "reports/daily/\(Self.holiday)").path))
        for week in ["2021-W07", "2021-W08"] {
            #expect(FileManager.default.fileExists(atPath: root.appending(path: "reports/weekly/\(week)/report.html").path), "\(week)")
        }
        let month = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: root.appending(path: "reports/monthly/2021-02/summary.json"))) as? [String: Any])
        #expect(month["net_pnl_paise"] as? Int64 == dailyNet)
        let archive = root.appending(path: "backups/archive/alpha-prime-archive-2021-02.tar.zst")
        #expect(FileManager.default.fileExists(atPath: archive.path), "the monthly job archived February")
        let database = try home.database()
        #expect(try database.queryFirst("SELECT COUNT(*) AS n FROM trades")?.int64("n") == 0)
        let restore = try ToolProcess.run("archive", ["restore", archive.path, "--confirm"], environment: home.environment())
        #expect(restore.status == 0, "\(restore.stderr)")
        let ledger = try database.queryFirst("SELECT COALESCE(SUM(net_pnl_paise), 0) AS n FROM trades WHERE mode = 'paper'")?.int64("n")
        #expect(ledger == dailyNet, "the reports equal the ledger")
        #expect(try database.queryFirst("SELECT COUNT(*) AS n FROM engine_sessions WHERE trading_date = '\(Self.holiday)'")?.int64("n") == 0)
        #expect(try database.queryFirst("SELECT COUNT(*) AS n FROM engine_sessions WHERE status = 'completed'")?.int64("n") == 9,
                "every session of the fortnight, the archived ones back")
        func backups(_ kind: String) throws -> Int {
            try FileManager.default.contentsOfDirectory(atPath: root.appending(path: "backups/\(kind)").path).filter { $0.hasSuffix(".tar.zst") }.count
        }
        #expect(try backups("daily") >= 7, "pruned to keep_daily (7) by the second weekly job")
        #expect(try backups("weekly") == 2 && backups("monthly") == 1)
        let log = try String(contentsOf: root.appending(path: "logs/runbooks.log"), encoding: .utf8)
        #expect(!log.contains("FAILED") && !log.contains("finished with failures"), "\(log.split(separator: "\n").filter { $0.contains("FAIL") })")
        #expect(log.contains("READY for 2021-02-26") && log.contains("weekly") && log.contains("monthly"))
    }

    @Test func jobsRunTwiceOrKilledAndRerunEndLikeACleanFortnight() throws {
        let clean = try Self.home()
        try Self.fortnight(clean)
        let perturbed = try Self.home()
        // Every job runs twice somewhere and is killed part-way (with the tools it started) once.
        try Self.fortnight(perturbed) { script, day in
            switch (script, day) {
            case ("runbooks/pre-market.sh", "2021-02-23"), ("runbooks/end-of-day.sh", "2021-02-16"),
                 ("runbooks/weekly.sh", "2021-02-19"), ("runbooks/monthly.sh", _): .killed(after: 0.4)
            case ("runbooks/start-engine.sh", "2021-02-22"): .killed(after: 0.6)
            case ("runbooks/start-engine.sh", "2021-02-18"), ("runbooks/weekly.sh", "2021-02-26"),
                 ("runbooks/pre-market.sh", _), ("runbooks/end-of-day.sh", _): .twice
            default: .none
            }
        }
        #expect(try EngineRecord.read(perturbed.database()) == EngineRecord.read(clean.database()))
        for day in Self.days where day != Self.holiday {
            func summary(_ home: EngineTestHome) throws -> Int64? {
                let url = home.home.path("reports/daily/\(day)/summary.json")
                return (try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])?["net_pnl_paise"] as? Int64
            }
            #expect(try summary(perturbed) == summary(clean), "\(day)")
        }
    }

    /// Without dates the runbooks take the day from the clock, as under cron: here the drill clock
    /// `ALPHA_PRIME_NOW` (honoured by debug builds), set as cron's clock would read.
    @Test func withoutDatesTheRunbooksTakeTheDayFromTheClock() throws {
        let home = try Self.home()
        func run(_ script: String, _ arguments: [String], at now: String) throws -> ToolProcess.Result {
            try ToolProcess.run(program: TestHome.repositoryRoot.appending(path: script), arguments,
                                environment: RunbookTests.environment(home: home.home.root, ["ALPHA_PRIME_NOW": now]))
        }
        for day in ["2021-02-25", "2021-02-26"] {
            let ready = try run("runbooks/pre-market.sh", ["--rehearsal"], at: "\(day)T08:45:00+05:30")
            #expect(ready.status == 0 && ready.stdout.contains("READY for \(day)"), "\(ready.stdout)")
            let engine = try run("runbooks/start-engine.sh", ["--replay", "--foreground"], at: "\(day)T09:05:00+05:30")
            #expect(engine.status == 0 && engine.stdout.contains("the \(day) session ran to its end"), "\(engine.stdout) \(engine.stderr)")
            let close = try run("runbooks/end-of-day.sh", [], at: "\(day)T15:35:00+05:30")
            #expect(close.status == 0 && close.stdout.contains("ALPHA-PRIME daily report \(day) (paper)"), "\(close.stdout)")
        }
        let weekly = try run("runbooks/weekly.sh", [], at: "2021-02-26T18:00:00+05:30")
        #expect(weekly.status == 0 && weekly.stdout.contains("the week of 2021-02-22"), "\(weekly.stdout)")
        #expect(FileManager.default.fileExists(atPath: home.home.path("reports/weekly/2021-W08/report.html").path))
        // Monthly under cron: nothing on 2021-02-26 (not the first trading day of its month), the work on 2021-03-01.
        let early = try run("runbooks/monthly.sh", ["--first-trading-day-only"], at: "2021-02-26T18:00:00+05:30")
        #expect(early.status == 0 && early.stdout.contains("nothing to do"), "\(early.stdout)")
        let monthly = try run("runbooks/monthly.sh", ["--first-trading-day-only", "--archive-older-than", "36500"], at: "2021-03-01T18:00:00+05:30")
        #expect(monthly.status == 0 && monthly.stdout.contains("monthly: 2021-02"), "\(monthly.stdout)")
        #expect(FileManager.default.fileExists(atPath: home.home.path("reports/monthly/2021-02/report.html").path))
        let holiday = try run("runbooks/pre-market.sh", [], at: "\(Self.holiday)T08:45:00+05:30")
        #expect(holiday.status == 0 && holiday.stdout.contains("nothing to do"), "\(holiday.stdout)")
    }
}
