import Foundation
import Testing

/// `trading-calendar` as a runbook calls it: one line, and the answer in the exit code.
@Suite struct TradingCalendarToolTests {
    let home: TestHome

    init() throws { home = try TestHome() }

    func calendar(_ arguments: [String]) throws -> ToolProcess.Result {
        try home.run("trading-calendar", arguments)
    }

    @Test func republicDayIsAHoliday() throws {
        defer { home.remove() }
        let result = try calendar(["is-trading-day", "2026-01-26"])
        #expect(result.status == 1)
        #expect(result.stdout == "2026-01-26 is a holiday: Republic Day; next trading day 2026-01-27\n")
        #expect(result.stderr.isEmpty)
    }

    @Test func ordinaryTuesdayIsATradingDay() throws {
        defer { home.remove() }
        let result = try calendar(["is-trading-day", "2026-01-27"])
        #expect(result.status == 0)
        #expect(result.stdout == "2026-01-27 normal session 09:15–15:30 IST\n")
        #expect(result.stderr.isEmpty)
    }

    @Test(arguments: [
        ("2025-10-21", "special session 13:45–14:45 IST: Muhurat trading (Samvat 2082)"),
        ("2021-11-04", "special session 18:15–19:15 IST: Muhurat trading (Samvat 2078)"),
    ])
    func muhuratTradingIsASpecialSession(date: String, session: String) throws {
        defer { home.remove() }
        let result = try calendar(["is-trading-day", date])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.stdoutLines.count == 1)
        #expect(result.stdout.hasPrefix("\(date) \(session); holiday: Diwali Laxmi Pujan"), "\(result.stdout)")
    }

    @Test func weekendAndDefaultSubcommand() throws {
        defer { home.remove() }
        let saturday = try calendar(["is-trading-day", "2026-01-24"])
        #expect(saturday.status == 1)
        #expect(saturday.stdout == "2026-01-24 is a weekend day (Saturday); next trading day 2026-01-27\n")
        let implicit = try calendar(["2026-01-26"])
        #expect(implicit.status == 1, "is-trading-day is the default subcommand")
        #expect(implicit.stdout.contains("Republic Day"))
        let today = try calendar([])
        #expect(today.status == 0 || today.status == 1)
        #expect(today.stdoutLines.count == 1)
    }

    @Test func isTradingDayAsJSON() throws {
        defer { home.remove() }
        let result = try calendar(["is-trading-day", "2026-01-26", "--json"])
        #expect(result.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["trading_day"] as? Bool == false)
        #expect(object["closed"] as? String == "holiday")
        #expect(object["holiday"] as? String == "Republic Day")
        #expect(object["next_trading_day"] as? String == "2026-01-27")

        let muhurat = try calendar(["is-trading-day", "2025-10-21", "--json"])
        let session = try #require((try JSONSerialization.jsonObject(with: Data(muhurat.stdout.utf8)) as? [String: Any])?["session"] as? [String: Any])
        #expect(session["kind"] as? String == "special")
        #expect(session["open"] as? String == "13:45" && session["close"] as? String == "14:45")
        #expect(session["open_utc"] as? String == "2025-10-21T08:15:00Z")
    }

    @Test func sessionShowsEveryWindow() throws {
        defer { home.remove() }
        let after = try calendar(["session", "2026-08-04"])
        #expect(after.status == 0)
        #expect(after.stdout.contains("closing auction 15:15–15:35"), "the closing auction from 2026-08-03 is data: \(after.stdout)")
        let before = try calendar(["session", "2026-07-31"])
        #expect(!before.stdout.contains("closing auction"))
        let holiday = try calendar(["session", "2026-01-26"])
        #expect(holiday.status == 1)
        #expect(holiday.stdout.contains("Republic Day"))
    }

    @Test func nextTradingDay() throws {
        defer { home.remove() }
        let result = try calendar(["next", "2026-01-23"])
        #expect(result.status == 0)
        #expect(result.stdout == "2026-01-27 normal session 09:15–15:30 IST\n", "skips the weekend and Republic Day")
        let json = try calendar(["next", "2026-01-23", "--json"])
        #expect((try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["date"] as? String == "2026-01-27")
    }

    @Test(arguments: [
        ("2026-01-27T15:00:00+05:30", 0, "30"),
        ("2026-01-27T09:30:00Z", 0, "30"),
        ("2026-01-27T15:29:30", 0, "0"),
        ("2026-01-27T09:15", 0, "375"),
        ("2025-10-21T14:00+05:30", 0, "45"),
        ("2026-01-27T15:30:00+05:30", 1, "closed:"),
        ("2026-01-27T08:00:00+05:30", 1, "closed:"),
        ("2026-01-26T11:00:00+05:30", 1, "closed: 2026-01-26 is a holiday: Republic Day"),
    ] as [(String, Int32, String)])
    func minutesToClose(at: String, status: Int32, output: String) throws {
        defer { home.remove() }
        let result = try calendar(["minutes-to-close", "--at", at])
        #expect(result.status == status, "\(result.output)")
        #expect(result.stdoutLines.count == 1)
        #expect(status == 0 ? result.stdout == output + "\n" : result.stdout.hasPrefix(output), "\(result.stdout)")
    }

    @Test func holidaysOfAYear() throws {
        defer { home.remove() }
        let result = try calendar(["holidays", "--year", "2026"])
        #expect(result.status == 0)
        #expect(result.stdoutLines.count == 20)
        #expect(result.stdoutLines.contains { $0.hasPrefix("2026-01-26  Monday") && $0.hasSuffix("Republic Day") })
        let muhurat = try calendar(["holidays", "--year", "2025"])
        #expect(muhurat.stdout.contains("[special session 13:45–14:45 IST: Muhurat trading (Samvat 2082)]"))
        let json = try calendar(["holidays", "--year", "2025", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((object["holidays"] as? [Any])?.count == 18)
        let none = try calendar(["holidays", "--year", "2031"])
        #expect(none.status == 1)
        #expect(none.stderr.contains("no holidays configured for 2031"))
    }

    @Test(arguments: [
        (["is-trading-day", "2026-13-01"], "YYYY-MM-DD"),
        (["is-trading-day", "27-01-2026"], "YYYY-MM-DD"),
        (["session", "tomorrow"], "YYYY-MM-DD"),
        (["next", "2026-02-30"], "YYYY-MM-DD"),
        (["minutes-to-close", "--at", "15:00"], "ISO-8601"),
        (["minutes-to-close", "--at", "2026-01-27T25:00"], "ISO-8601"),
        (["holidays", "--year", "26"], "YYYY"),
    ] as [([String], String)])
    func badInputIsAUsageError(arguments: [String], expected: String) throws {
        defer { home.remove() }
        let result = try calendar(arguments)
        #expect(result.status == 64, "\(result.output)")
        #expect(result.stderr.contains(expected), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func brokenTradingHoursIsAConfigurationError() throws {
        defer { home.remove() }
        try home.edit("config/trading_hours.yaml", replacing: "{date: 2026-01-26, name: Republic Day}",
                      with: "{date: 2026-01-32, name: Republic Day}")
        let line = try #require(try home.line(of: "2026-01-32", in: "config/trading_hours.yaml"))
        let result = try calendar(["is-trading-day", "2026-01-27"])
        #expect(result.status == 78)
        #expect(result.stdout.isEmpty)
        #expect(result.stderrLines.first?.hasPrefix("config/trading_hours.yaml:\(line): holidays[") == true, "\(result.stderr)")
    }

    /// Another file's mistake does not stop the calendar: it answers, and says so on stderr.
    @Test func brokenOtherFileStillAnswers() throws {
        defer { home.remove() }
        try home.edit("config/risk_config.yaml", replacing: "max_open_positions: 2", with: "max_open_position: 2")
        let result = try calendar(["is-trading-day", "2026-01-26"])
        #expect(result.status == 1)
        #expect(result.stdout == "2026-01-26 is a holiday: Republic Day; next trading day 2026-01-27\n")
        #expect(result.stderr.contains("warning: the configuration has 1 error outside trading_hours.yaml; run config-check"))
    }
}
