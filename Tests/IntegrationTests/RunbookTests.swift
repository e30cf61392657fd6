import Foundation
import Testing

/// The runbook scripts and `bin/paper-day` themselves, over the built tools and the bundled data.
@Suite struct RunbookTests {
    static let root = TestHome.repositoryRoot

    static func script(_ path: String, _ arguments: [String], _ environment: [String: String]) throws -> ToolProcess.Result {
        try ToolProcess.run(program: root.appending(path: path), arguments, environment: environment)
    }

    /// The environment a runbook sees: the built tools and a home.
    static func environment(home: URL, _ extra: [String: String] = [:]) -> [String: String] {
        var env = ToolProcess.cleanEnvironment
        env["ALPHA_PRIME_BIN"] = ToolProcess.buildDirectory.path
        env["ALPHA_PRIME_HOME"] = home.path
        return env.merging(extra) { _, new in new }
    }

    @Test func thePaperDayRunsADayThenTheNextOne() throws {
        let home = try TestHome()
        defer { home.remove() }
        let dayHome = home.path("paper-day")
        let env = Self.environment(home: dayHome, ["ALPHA_PRIME_PAPER_DAY_HOME": dayHome.path])
        let first = try Self.script("bin/paper-day", [], env)
        #expect(first.status == 0, "\(first.stdout)\n\(first.stderr)")
        #expect(first.stdout.contains("a paper-trading day on 2021-02-15"))
        #expect(first.stdout.contains("READY for 2021-02-15"))
        #expect(first.stdout.contains("ALPHA-PRIME daily report 2021-02-15 (paper)"))
        #expect(FileManager.default.fileExists(atPath: dayHome.appending(path: "reports/daily/2021-02-15/report.html").path))
        let backups = try FileManager.default.contentsOfDirectory(atPath: dayHome.appending(path: "backups/daily").path)
        #expect(backups.count == 1)

        let second = try Self.script("bin/paper-day", [], env)
        #expect(second.status == 0, "\(second.stdout)\n\(second.stderr)")
        #expect(second.stdout.contains("the last day run here was 2021-02-15; this run replays the next bundled day, 2021-02-16"))
        #expect(FileManager.default.fileExists(atPath: dayHome.appending(path: "reports/daily/2021-02-16/summary.txt").path))

        let log = try String(contentsOf: dayHome.appending(path: "logs/runbooks.log"), encoding: .utf8)
        #expect(log.contains("pre-market") && log.contains("READY for 2021-02-16") && log.contains("-> exit 0"))
        #expect(!log.contains("FAILED"))

        // The week, the month and the quarter over those days.
        let weekly = try Self.script("runbooks/weekly.sh", ["--week-of", "2021-02-16"], env)
        #expect(weekly.status == 0, "\(weekly.stdout)")
        #expect(FileManager.default.fileExists(atPath: dayHome.appending(path: "reports/weekly/2021-W07/report.html").path))
        #expect(try !FileManager.default.contentsOfDirectory(atPath: dayHome.appending(path: "backups/weekly").path).isEmpty)
        let monthly = try Self.script("runbooks/monthly.sh", ["--month", "2021-02", "--archive-older-than", "36500"], env)
        #expect(monthly.status == 0, "\(monthly.stdout)")
        #expect(monthly.stdout.contains("reminders:"))
        #expect(FileManager.default.fileExists(atPath: dayHome.appending(path: "reports/monthly/2021-02/summary.json").path))
        let quarterly = try Self.script("runbooks/quarterly.sh", ["--from", "2021-02-15", "--to", "2021-02-26"], env)
        #expect(quarterly.status == 0, "\(quarterly.stdout)")
        #expect(quarterly.stdout.contains("ok      restore drill"), "\(quarterly.stdout)")
        #expect(quarterly.stdout.contains("breakout_scalper: traded") && quarterly.stdout.contains("drift"), "\(quarterly.stdout)")

        let bad = try Self.script("bin/paper-day", ["--date", "22-02-2021"], env)
        #expect(bad.status == 64 && bad.stderr.contains("--date expects a date as YYYY-MM-DD"))
    }

    @Test func theRunbooksRefuseWhatTheyMustAndRerunCleanly() throws {
        let engineHome = try EngineTestHome()
        let home = engineHome.home.root
        let env = Self.environment(home: home)

        let saturday = try Self.script("runbooks/pre-market.sh", ["--date", "2021-02-20"], env)
        #expect(saturday.status == 0 && saturday.stdout.contains("2021-02-20 is a weekend day (Saturday)") && saturday.stdout.contains("nothing to do"), "\(saturday.stdout)")
        let unready = try Self.script("runbooks/start-engine.sh", ["--date", "2021-02-22", "--replay", "--foreground"], env)
        #expect(unready.status == 5 && unready.stderr.contains("no READY marker for 2021-02-22"), "\(unready.stderr)")
        let unknown = try Self.script("runbooks/end-of-day.sh", ["--bogus"], env)
        #expect(unknown.status == 64 && unknown.stderr.contains("unknown argument '--bogus'"))

        #expect(try Self.script("runbooks/pre-market.sh", ["--date", "2021-02-22"], env).status == 0)
        let run = try Self.script("runbooks/start-engine.sh", ["--date", "2021-02-22", "--replay", "--foreground"], env)
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        let eod = try Self.script("runbooks/end-of-day.sh", ["--date", "2021-02-22"], env)
        #expect(eod.status == 0, "\(eod.stdout)")
        let summary = try String(contentsOf: home.appending(path: "reports/daily/2021-02-22/summary.txt"), encoding: .utf8)
        // Run again: the same report, one more backup, exit 0.
        let again = try Self.script("runbooks/end-of-day.sh", ["--date", "2021-02-22"], env)
        #expect(again.status == 0, "\(again.stdout)")
        let rerun = try String(contentsOf: home.appending(path: "reports/daily/2021-02-22/summary.txt"), encoding: .utf8)
        #expect(rerun.split(separator: "\n").dropFirst() == summary.split(separator: "\n").dropFirst())

        // Another run holding the lock: exit 4.
        let lock = home.appending(path: "var/runbook-end-of-day.lock").path
        let fd = open(lock, O_RDWR | O_CREAT, 0o600)
        defer { close(fd) }
        #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
        let locked = try Self.script("runbooks/end-of-day.sh", ["--date", "2021-02-22"], env)
        #expect(locked.status == 4 && locked.stderr.contains("another end-of-day run holds"), "\(locked.stderr)")
        flock(fd, LOCK_UN)

        // The emergency runbook asks first; with --yes it sets the kill switch, and pre-market then says NOT READY
        // and tells the trader by e-mail (a local SMTP server).
        let smtp = try SMTPStub()
        defer { smtp.stop() }
        let dotEnv = home.appending(path: ".env")
        let existing = (try? String(contentsOf: dotEnv, encoding: .utf8)) ?? ""
        try (existing + "\nSMTP_HOST=127.0.0.1\nSMTP_PORT=\(smtp.port)\nSMTP_TO=trader@example.com\n").write(to: dotEnv, atomically: true, encoding: .utf8)
        let general = home.appending(path: "config/general_config.yaml")
        let config = try String(contentsOf: general, encoding: .utf8)
        try config.replacingOccurrences(of: "\nbackups:", with: "\nalerts:\n  dedup_minutes: 15\n  smtp_security: none\n  telegram_api_url: https://api.telegram.org\n\nbackups:")
            .write(to: general, atomically: true, encoding: .utf8)
        let unconfirmed = try Self.script("runbooks/emergency-flatten.sh", [], env)
        #expect(unconfirmed.status == 5 && unconfirmed.stderr.contains("pass --yes"), "\(unconfirmed.stderr)")
        let flatten = try Self.script("runbooks/emergency-flatten.sh", ["--yes", "--reason", "drill"], env)
        #expect(flatten.status == 0, "\(flatten.stdout)\n\(flatten.stderr)")
        let blocked = try Self.script("runbooks/pre-market.sh", ["--date", "2021-02-23"], env)
        #expect(blocked.status == 1 && blocked.stdout.contains("NOT READY for 2021-02-23") && blocked.stdout.contains("kill switch set"),
                "\(blocked.stdout)")
        #expect(!FileManager.default.fileExists(atPath: home.appending(path: "var/ready-2021-02-23").path))
        #expect(blocked.stdout.contains("alert   pre-market: NOT READY for 2021-02-23"), "\(blocked.stdout)")
        #expect(smtp.messages.count == 1 && smtp.messages.first?.data.contains("Subject: ALPHA-PRIME CRITICAL: pre-market: NOT READY for 2021-02-23") == true)
        #expect(smtp.messages.first?.data.contains("kill switch set") == true)

        // The end of the day mails its summary (the daily report's text).
        let evening = try Self.script("runbooks/end-of-day.sh", ["--date", "2021-02-22"], env)
        #expect(evening.stdout.contains("alert   end of day 2021-02-22"), "\(evening.stdout)")
        let mail = smtp.messages.last
        #expect(smtp.messages.count == 2 && mail?.data.contains("Subject: ALPHA-PRIME INFO: end of day 2021-02-22") == true)
        let firstLine = String(summary.split(separator: "\n").first ?? "")
        #expect(!firstLine.isEmpty && mail?.data.contains(firstLine) == true, "the mail carries the report's text")
    }

    /// Every script passes shellcheck (Debian's package; bin/test installs it).
    @Test func everyScriptPassesShellcheck() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/shellcheck") else {
            #expect(ProcessInfo.processInfo.environment["ALPHA_PRIME_REQUIRE_SHELLCHECK"] != "1", "shellcheck is required but not installed")
            return
        }
        let runbooks = try FileManager.default.contentsOfDirectory(atPath: Self.root.appending(path: "runbooks").path)
            .filter { $0.hasSuffix(".sh") }.map { "runbooks/\($0)" }
        let scripts = runbooks + ["bin/paper-day", "bin/test", "bin/fuzz", "bin/lib/setup.sh", "bin/lib/postgres.sh", ".ci/run"]
        let result = try ToolProcess.run(program: URL(filePath: "/usr/bin/shellcheck"), ["-x"] + scripts, currentDirectory: Self.root)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    }
}
