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

/// Real NSE trading hours written by hand for the calendar tests.
///
/// Holiday dates: citadel-hq/nse_holidays (MIT) — `nse_holidays_2025` @ 15f1585 and
/// `nse_holidays_2026` @ e297a22 — names as in the NSE holiday circulars; weekend-dated holidays
/// are kept as listed. 2021 Diwali dates and the Muhurat sessions match the 1-minute NIFTY bars
/// (evening 18:15–19:15 on 2021-11-04) and the RELIANCE 5-minute bars (13:45–14:45 on 2025-10-21).
/// The 2026-08-03 change follows the SEBI closing-auction circular: a closing auction 15:15–15:35,
/// equity derivatives trading until 15:40 and the post-close session 15:50–16:00.
enum NSECalendarFixture {
    static func d(_ text: String) -> LocalDate { LocalDate(text)! }
    static func t(_ text: String) -> TimeOfDay { TimeOfDay(text)! }
    static func w(_ open: String, _ close: String) -> TradingCalendar.Window {
        TradingCalendar.Window(open: t(open), close: t(close))
    }

    static let normal = TradingCalendar.DayHours(
        session: w("09:15", "15:30"), preOpen: w("09:00", "09:08"), closingSession: w("15:40", "16:00"))

    static let holidays: [(String, String)] = [
        // 2021 (only the Diwali days the tests need)
        ("2021-11-04", "Diwali Laxmi Pujan"),
        ("2021-11-05", "Diwali Balipratipada"),
        // 2025
        ("2025-01-26", "Republic Day"),
        ("2025-02-26", "Mahashivratri"),
        ("2025-03-14", "Holi"),
        ("2025-03-31", "Id-Ul-Fitr (Ramadan Eid)"),
        ("2025-04-06", "Shri Ram Navami"),
        ("2025-04-10", "Shri Mahavir Jayanti"),
        ("2025-04-14", "Dr. Baba Saheb Ambedkar Jayanti"),
        ("2025-04-18", "Good Friday"),
        ("2025-05-01", "Maharashtra Day"),
        ("2025-06-07", "Bakri Id"),
        ("2025-07-06", "Muharram"),
        ("2025-08-15", "Independence Day"),
        ("2025-08-27", "Ganesh Chaturthi"),
        ("2025-10-02", "Mahatma Gandhi Jayanti/Dussehra"),
        ("2025-10-21", "Diwali Laxmi Pujan"),
        ("2025-10-22", "Diwali Balipratipada"),
        ("2025-11-05", "Prakash Gurpurb Sri Guru Nanak Dev"),
        ("2025-12-25", "Christmas"),
        // 2026
        ("2026-01-15", "Municipal Corporation Elections in Maharashtra"),
        ("2026-01-26", "Republic Day"),
        ("2026-02-15", "Mahashivratri"),
        ("2026-03-03", "Holi"),
        ("2026-03-21", "Id-Ul-Fitr (Ramadan Eid)"),
        ("2026-03-26", "Shri Ram Navami"),
        ("2026-03-31", "Shri Mahavir Jayanti"),
        ("2026-04-03", "Good Friday"),
        ("2026-04-14", "Dr. Baba Saheb Ambedkar Jayanti"),
        ("2026-05-01", "Maharashtra Day"),
        ("2026-05-28", "Bakri Id"),
        ("2026-06-26", "Muharram"),
        ("2026-08-15", "Independence Day"),
        ("2026-09-14", "Ganesh Chaturthi"),
        ("2026-10-02", "Mahatma Gandhi Jayanti"),
        ("2026-10-20", "Dussehra"),
        ("2026-11-08", "Diwali Laxmi Pujan"),
        ("2026-11-10", "Diwali Balipratipada"),
        ("2026-11-24", "Prakash Gurpurb Sri Guru Nanak Dev"),
        ("2026-12-25", "Christmas"),
    ]

    static let muhurat2021 = TradingCalendar.SpecialSession(
        date: d("2021-11-04"), name: "Muhurat Trading", open: t("18:15"), close: t("19:15"), preOpen: w("18:00", "18:08"))
    static let muhurat2025 = TradingCalendar.SpecialSession(
        date: d("2025-10-21"), name: "Muhurat Trading", open: t("13:45"), close: t("14:45"), preOpen: w("13:30", "13:38"))

    static let closingAuctionChange = TradingCalendar.SessionChange(
        effectiveFrom: d("2026-08-03"), name: "Closing auction session (SEBI)",
        session: w("09:15", "15:40"), closingAuction: w("15:15", "15:35"), closingSession: w("15:50", "16:00"))

    static var rules: TradingCalendar.Rules {
        TradingCalendar.Rules(
            normal: normal,
            holidays: holidays.map { TradingCalendar.Holiday(date: d($0.0), name: $0.1) },
            specialSessions: [muhurat2021, muhurat2025],
            sessionChanges: [closingAuctionChange])
    }

    static let calendar: TradingCalendar = try! TradingCalendar(rules: rules)

    /// UTC epoch seconds of an IST wall-clock time: `at("2026-01-27", "15:00")`.
    static func at(_ date: String, _ time: String, second: Int = 0) -> Int64 {
        IST.epochSeconds(date: d(date), time: t(time)) + Int64(second)
    }
}
