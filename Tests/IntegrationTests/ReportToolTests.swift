import AlphaPrimeSupport
import AlphaPrimeDomain
import Foundation
import Testing

/// `report` as the end-of-day runbook runs it: the built binaries, the bundled paper days, SQLite
/// and PostgreSQL.
@Suite struct ReportToolTests {
    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// Runs the paper engine over `days` and returns the home.
    static func tradedHome(_ days: [String], postgres: Bool = false) throws -> EngineTestHome {
        let home = try EngineTestHome(postgres: postgres)
        let run = try home.engine(["run", "--mode", "paper", "--speed", "max"] + days.flatMap { ["--replay", $0] })
        #expect(run.status == 0, "\(run.stderr)")
        return home
    }

    static func report(_ home: EngineTestHome, _ arguments: [String]) throws -> ToolProcess.Result {
        try ToolProcess.run("report", arguments, environment: home.environment())
    }

    @Test func theDailyReportEqualsTheLedgerAndEngineStatusToThePaisa() throws {
        let home = try Self.tradedHome(["2021-02-22"])
        let result = try Self.report(home, ["daily", "--date", "2021-02-22", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try Self.json(result.stdout)
        let net = try #require(summary["net_pnl_paise"] as? Int64)

        let status = try EngineToolTests.status(home)
        let session = try #require(EngineToolTests.paperState(status)?["session"] as? [String: Any])
        #expect(Paise(net).description == session["pnl"] as? String, "report \(net) against engine status \(session)")
        #expect(summary["trades"] as? Int == session["trades"] as? Int)

        // The files, and trades.csv summing to the same net P&L.
        let folder = home.home.path("reports/daily/2021-02-22")
        for file in ["report.html", "summary.json", "summary.txt", "trades.csv"] {
            #expect(FileManager.default.fileExists(atPath: folder.appending(path: file).path), "\(file)")
        }
        let csv = try String(contentsOf: folder.appending(path: "trades.csv"), encoding: .utf8).split(separator: "\n")
        let header = csv[0].split(separator: ",").map(String.init)
        let netColumn = try #require(header.firstIndex(of: "net_pnl"))
        let csvNet = try csv.dropFirst().reduce(Int64(0)) { sum, line in
            sum + (try #require(Paise(rupees: String(line.split(separator: ",")[netColumn])))).value
        }
        #expect(csvNet == net)
        #expect(csv.count - 1 == summary["trades"] as? Int)

        // Charges by kind add up to the fills' charges.
        let charges = try #require(summary["charges_by_kind"] as? [String: Any])
        let parts = ["brokerage_paise", "stt_paise", "exchange_paise", "sebi_paise", "stamp_duty_paise", "gst_paise", "rounding_paise", "not_itemised_paise"]
        #expect(parts.reduce(Int64(0)) { $0 + ((charges[$1] as? Int64) ?? -1_000_000_000) } == charges["total_paise"] as? Int64)
        #expect(charges["not_itemised_paise"] as? Int64 == 0, "the paper broker's charges are the rate tables'")
        #expect(charges["total_paise"] as? Int64 == summary["charges_paise"] as? Int64)

        let text = try String(contentsOf: folder.appending(path: "summary.txt"), encoding: .utf8)
        #expect(text.split(separator: "\n").count <= 15)
        #expect(text.contains("Net P&L: \(Self.inr(net))"))

        // The prop-firm view of the preset the engine ran with: the day's loss against the daily limit.
        #expect(summary["prop"] == nil, "the default preset has no prop-firm rules")
        let prop = try Self.json(try Self.report(home, ["daily", "--date", "2021-02-22", "--risk-preset", "prop_challenge", "--json"]).stdout)
        let view = try #require(prop["prop"] as? [String: Any])
        #expect(view["worst_day_loss_paise"] as? Int64 == max(0, -net))
        #expect((view["daily_headroom_paise"] as? Int64).map { $0 + max(0, -net) } == view["daily_loss_limit_paise"] as? Int64)

        // A rerun replaces the folder whole and leaves nothing beside it.
        let again = try Self.report(home, ["daily", "--date", "2021-02-22"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: home.home.path("reports/daily").path) == ["2021-02-22"])
    }

    @Test func theSameDayOnPostgreSQLGivesTheSameReport() throws {
        guard TestPostgres.enabled else { return }
        var figures: [[String: Any]] = []
        for postgres in [false, true] {
            let home = try Self.tradedHome(["2021-02-22"], postgres: postgres)
            let result = try Self.report(home, ["daily", "--date", "2021-02-22", "--json"])
            #expect(result.status == 0, "\(result.stderr)")
            var summary = try Self.json(result.stdout)
            summary.removeValue(forKey: "generated_at")
            figures.append(summary)
        }
        #expect(NSDictionary(dictionary: figures[0]).isEqual(to: figures[1]), "SQLite \(figures[0]) against PostgreSQL \(figures[1])")
    }

    @Test func theWeekIsTheSumOfItsDaysAndTheMonthOfItsWeeks() throws {
        let days = ["2021-02-22", "2021-02-23", "2021-02-24"]
        let home = try Self.tradedHome(days)
        var dailyNet: Int64 = 0
        for day in days {
            let result = try Self.report(home, ["daily", "--date", day, "--json"])
            #expect(result.status == 0, "\(result.stderr)")
            dailyNet += try #require(try Self.json(result.stdout)["net_pnl_paise"] as? Int64)
        }
        let weekly = try Self.report(home, ["weekly", "--week-of", "2021-02-24", "--json"])
        #expect(weekly.status == 0, "\(weekly.stderr)")
        let week = try Self.json(weekly.stdout)
        #expect(week["period"] as? String == "2021-W08")
        #expect(week["net_pnl_paise"] as? Int64 == dailyNet)
        let weekDays = try #require(week["days"] as? [[String: Any]])
        #expect(weekDays.count == 7)
        #expect(weekDays.filter { $0["trading_day"] as? Bool == false }.count == 2, "Saturday and Sunday")
        #expect(FileManager.default.fileExists(atPath: home.home.path("reports/weekly/2021-W08/report.html").path))

        let monthly = try Self.report(home, ["monthly", "--month", "2021-02", "--json"])
        #expect(monthly.status == 0, "\(monthly.stderr)")
        let month = try Self.json(monthly.stdout)
        #expect(month["net_pnl_paise"] as? Int64 == dailyNet)
        let closing = try #require(month["closing_equity_paise"] as? Int64), opening = try #require(month["opening_equity_paise"] as? Int64)
        #expect(closing - opening == dailyNet)

        // Drift: the paper days re-run through the backtester on the same bars give the same trades.
        let drift = try #require(month["drift"] as? [String: Any])
        let strategies = try #require(drift["by_strategy"] as? [[String: Any]])
        #expect(!strategies.isEmpty)
        for s in strategies {
            #expect(s["missed_entries"] as? Int == 0 && s["extra_entries"] as? Int == 0 && s["difference_paise"] as? Int64 == 0, "\(s)")
            #expect(s["matched"] as? Int == s["engine_trades"] as? Int)
        }
        #expect((drift["by_day"] as? [[String: Any]])?.map { $0["date"] as? String } == days)
        #expect(try Self.report(home, ["monthly", "--month", "2021-02"]).stdout
            .contains("Drift against the backtest of the same bars: 0 missed entries, 0 extra, P&L difference ₹0.00"))
    }

    @Test func aHolidayAndADayWithoutTradesRenderAClearPage() throws {
        let home = try Self.tradedHome(["2021-02-22"])
        let saturday = try Self.report(home, ["daily", "--date", "2021-02-20"])
        #expect(saturday.status == 0, "\(saturday.stderr)")
        #expect(saturday.stdout.contains("Not a trading day: 2021-02-20 is a Saturday"))
        let page = try String(contentsOf: home.home.path("reports/daily/2021-02-20/report.html"), encoding: .utf8)
        #expect(page.contains("Not a trading day."))

        let idle = try Self.report(home, ["daily", "--date", "2021-02-25", "--json"])
        #expect(idle.status == 0, "\(idle.stderr)")
        let summary = try Self.json(idle.stdout)
        #expect(summary["trades"] as? Int == 0 && summary["net_pnl_paise"] as? Int64 == 0)
        let day = try #require((summary["days"] as? [[String: Any]])?.first)
        #expect((day["note"] as? String)?.contains("no session") == true)
        let text = try String(contentsOf: home.home.path("reports/daily/2021-02-25/summary.txt"), encoding: .utf8)
        #expect(text.contains("Trades: no trades"))
    }

    @Test func aSavedBacktestOfTheSameDayIsComparedPerStrategy() throws {
        let home = try Self.tradedHome(["2021-02-22"])
        let before = try Self.json(try Self.report(home, ["daily", "--date", "2021-02-22", "--json"]).stdout)
        #expect((before["backtest_comparison"] as? [Any])?.isEmpty == true)
        let backtest = try ToolProcess.run("backtest", ["--strategy", "breakout_scalper", "--start", "2021-02-22", "--end", "2021-02-22",
                                                        "--save", "--report", "none"], environment: home.environment())
        #expect(backtest.status == 0, "\(backtest.stderr)")
        let after = try Self.json(try Self.report(home, ["daily", "--date", "2021-02-22", "--json"]).stdout)
        let row = try #require((after["backtest_comparison"] as? [[String: Any]])?.first)
        #expect(row["strategy"] as? String == "breakout_scalper" && row["days"] as? Int == 1)
        #expect(row["net_pnl_paise"] as? Int64 == after["net_pnl_paise"] as? Int64)
        let difference = try #require(row["difference_paise"] as? Int64)
        #expect(difference == (row["net_pnl_paise"] as? Int64 ?? 0) - (row["backtest_net_pnl_paise"] as? Int64 ?? 0))
    }

    @Test func badFlagsAndAMissingDatabaseAreClearErrors() throws {
        let home = try EngineTestHome()
        let cases: [([String], Int32, String)] = [
            (["daily", "--date", "2021-13-01"], 64, "--date expects a date as YYYY-MM-DD"),
            (["weekly", "--week-of", "soon"], 64, "--week-of expects a date"),
            (["monthly", "--month", "2021-2"], 64, "--month expects a month as YYYY-MM"),
            (["daily", "--mode", "backtest"], 64, "--mode expects paper or live"),
            (["hourly"], 64, "Unexpected argument 'hourly'"),
            (["daily", "--date", "2021-02-22"], 66, "no engine has written to the state database"),
        ]
        for (arguments, status, message) in cases {
            let result = try Self.report(home, arguments)
            #expect(result.status == status, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
    }

    /// The page as a person sees it: opened in headless Chromium, the screenshot kept under
    /// `.build/test-artifacts/`. bin/test installs Chromium and sets ALPHA_PRIME_REQUIRE_BROWSER=1,
    /// so a CI run cannot pass without looking.
    @Test func theDailyPageOpensInABrowser() throws {
        guard let browser = HeadlessBrowser.find() else {
            #expect(!HeadlessBrowser.required, "ALPHA_PRIME_REQUIRE_BROWSER=1 but no chromium is installed")
            return
        }
        let home = try Self.tradedHome(["2021-02-22"])
        #expect(try Self.report(home, ["daily", "--date", "2021-02-22"]).status == 0)
        let page = home.home.path("reports/daily/2021-02-22/report.html")
        let html = try String(contentsOf: page, encoding: .utf8)
        for fetch in ["src=\"http", "href=\"http", "url(http", "@import", "<script", "<link"] {
            #expect(!html.contains(fetch), "the page loads nothing from the network and runs no script: \(fetch)")
        }
        #expect(html.contains("<svg") && html.contains("Equity through the day") && html.contains("breakout_scalper"))
        let shot = try browser.screenshot(page, name: "report-daily-2021-02-22.png", height: 2600)
        #expect(shot.size > 50_000, "a rendered page, not a blank one (\(shot.size) bytes at \(shot.path))")
    }

    static func inr(_ paise: Int64) -> String {
        let digits = String(paise.magnitude / 100)
        var grouped = String(digits.suffix(3))
        var head = digits.dropLast(3)
        while !head.isEmpty { grouped = String(head.suffix(2)) + "," + grouped; head = head.dropLast(2) }
        let fraction = paise.magnitude % 100
        return (paise < 0 ? "-" : "") + "₹" + grouped + "." + (fraction < 10 ? "0" : "") + String(fraction)
    }
}

/// Debian's Chromium, headless, for tests that look at a page.
struct HeadlessBrowser {
    let program: URL

    static var required: Bool { ProcessInfo.processInfo.environment["ALPHA_PRIME_REQUIRE_BROWSER"] == "1" }

    static func find() -> HeadlessBrowser? {
        for path in ["/usr/bin/chromium", "/usr/bin/chromium-browser"] where FileManager.default.isExecutableFile(atPath: path) {
            return HeadlessBrowser(program: URL(filePath: path))
        }
        return nil
    }

    /// Where screenshots are kept: `.build/test-artifacts/`.
    static var artifacts: URL {
        ToolProcess.buildDirectory.deletingLastPathComponent().appending(path: "test-artifacts")
    }

    /// Renders `page` at 1000 px wide and returns the PNG's path and size.
    func screenshot(_ page: URL, name: String, height: Int) throws -> (path: String, size: Int) {
        try FileManager.default.createDirectory(at: Self.artifacts, withIntermediateDirectories: true)
        let output = Self.artifacts.appending(path: name)
        try? FileManager.default.removeItem(at: output)
        let profile = FileManager.default.temporaryDirectory.appending(path: "chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        var env = ToolProcess.cleanEnvironment
        env["HOME"] = profile.path
        let result = try ToolProcess.run(program: program, [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--user-data-dir=\(profile.path)",
            "--window-size=1000,\(height)", "--screenshot=\(output.path)", page.absoluteString,
        ], environment: env)
        let size = (try? FileManager.default.attributesOfItem(atPath: output.path)[.size] as? Int) ?? 0
        #expect(size > 0, "chromium exited \(result.status): \(result.stderr.suffix(600))")
        return (output.path, size)
    }
}
