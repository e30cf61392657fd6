import Foundation
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

/// Real market-data excerpts in `Fixtures/market/` (sources in data/README.md) and a trading
/// calendar that knows the holidays of the years they cover.
enum MarketDataFixtures {
    static func url(_ name: String) -> URL {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appending(path: "market/\(name)")
    }

    static func path(_ name: String) -> String { url(name).path }

    /// NSE trading holidays of 2021 (the weekdays missing from the 2021 1-minute files: exactly the
    /// NSE list) and 2024 (citadel-hq/nse_holidays `nse_holidays_2024` @ f5730c7).
    static let extraHolidays: [(String, String)] = [
        ("2021-01-26", "Republic Day"), ("2021-03-11", "Mahashivratri"), ("2021-03-29", "Holi"),
        ("2021-04-02", "Good Friday"), ("2021-04-14", "Dr. Baba Saheb Ambedkar Jayanti"),
        ("2021-04-21", "Shri Ram Navami"), ("2021-05-13", "Id-Ul-Fitr (Ramzan Eid)"), ("2021-07-21", "Bakri Id"),
        ("2021-08-19", "Muharram"), ("2021-09-10", "Ganesh Chaturthi"), ("2021-10-15", "Dussehra"),
        ("2021-11-19", "Gurunanak Jayanti"),
        ("2024-01-22", "Special holiday"), ("2024-01-26", "Republic Day"), ("2024-03-08", "Mahashivratri"),
        ("2024-03-25", "Holi"), ("2024-03-29", "Good Friday"), ("2024-04-11", "Id-Ul-Fitr (Ramadan Eid)"),
        ("2024-04-14", "Dr. Baba Saheb Ambedkar Jayanti"), ("2024-04-17", "Shri Ram Navami"),
        ("2024-04-21", "Shri Mahavir Jayanti"), ("2024-05-01", "Maharashtra Day"),
        ("2024-05-20", "General Elections in Mumbai"), ("2024-06-17", "Bakri Id"), ("2024-07-17", "Moharram"),
        ("2024-08-15", "Independence Day"), ("2024-09-07", "Ganesh Chaturthi"),
        ("2024-10-02", "Mahatma Gandhi Jayanti"), ("2024-10-12", "Dussehra"), ("2024-11-02", "Diwali Balipratipada"),
        ("2024-11-15", "Gurunanak Jayanti"), ("2024-11-20", "Maharashtra Assembly Election"), ("2024-12-25", "Christmas"),
    ]

    static var rules: TradingCalendar.Rules {
        var rules = NSECalendarFixture.rules
        rules.holidays += extraHolidays.map { TradingCalendar.Holiday(date: LocalDate($0.0)!, name: $0.1) }
        return rules
    }

    /// The NSE calendar with normal hours on 2021-02-24 (the outage day).
    static let calendar: TradingCalendar = try! TradingCalendar(rules: rules)

    /// The same, with 2021-02-24 as the extended 09:15–17:00 day NSE ran after the outage.
    static let calendarWithOutageSession: TradingCalendar = {
        var rules = MarketDataFixtures.rules
        rules.specialSessions.append(TradingCalendar.SpecialSession(
            date: LocalDate("2021-02-24")!, name: "Extended session after the outage",
            open: TimeOfDay("09:15")!, close: TimeOfDay("17:00")!))
        return try! TradingCalendar(rules: rules)
    }()

    /// UTC epoch seconds of an IST wall-clock time.
    static func at(_ date: String, _ time: String) -> Int64 { NSECalendarFixture.at(date, time) }

    /// A fresh temporary directory, removed by the caller.
    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appending(path: "alpha-prime-market-\(UUID().uuidString)", directoryHint: .isDirectory)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Writes text to a file in `dir` and returns its URL.
    @discardableResult
    static func write(_ text: String, _ name: String, in dir: URL) throws -> URL {
        let url = dir.appending(path: name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url
    }
}
