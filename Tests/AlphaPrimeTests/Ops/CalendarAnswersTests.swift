import Testing
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

/// The one-line answers of `trading-calendar` and `health-check`, on the hand-written NSE fixture.
@Suite struct CalendarAnswersTests {
    let calendar = NSECalendarFixture.calendar
    func d(_ text: String) -> LocalDate { NSECalendarFixture.d(text) }

    @Test func tradingDay() {
        let answer = CalendarAnswers.answer(for: d("2026-01-27"), in: calendar)
        #expect(answer.isTradingDay)
        #expect(answer.line == "2026-01-27 normal session 09:15–15:30 IST")
    }

    @Test func holidayNamesTheHolidayAndTheNextTradingDay() {
        let answer = CalendarAnswers.answer(for: d("2026-01-26"), in: calendar)
        #expect(!answer.isTradingDay)
        #expect(answer.line == "2026-01-26 is a holiday: Republic Day; next trading day 2026-01-27")
    }

    @Test func holidayOnAWeekendSaysWhichDay() {
        #expect(CalendarAnswers.answer(for: d("2025-01-26"), in: calendar).line
            == "2025-01-26 is a holiday: Republic Day (a Sunday); next trading day 2025-01-27")
    }

    @Test func weekend() {
        #expect(CalendarAnswers.answer(for: d("2026-01-24"), in: calendar).line
            == "2026-01-24 is a weekend day (Saturday); next trading day 2026-01-27")
    }

    @Test func muhuratSessionOnAHoliday() {
        let answer = CalendarAnswers.answer(for: d("2025-10-21"), in: calendar)
        #expect(answer.isTradingDay)
        #expect(answer.line == "2025-10-21 special session 13:45–14:45 IST: Muhurat Trading; holiday: Diwali Laxmi Pujan")
    }

    @Test func specialSessionOnAWeekend() throws {
        var rules = NSECalendarFixture.rules
        rules.specialSessions.append(TradingCalendar.SpecialSession(
            date: d("2026-02-01"), name: "Union Budget", open: NSECalendarFixture.t("09:15"), close: NSECalendarFixture.t("15:30")))
        let calendar = try TradingCalendar(rules: rules)
        #expect(CalendarAnswers.answer(for: d("2026-02-01"), in: calendar).line
            == "2026-02-01 special session 09:15–15:30 IST: Union Budget; on a Sunday")
    }

    @Test func holidaysOfAYearInDateOrder() {
        let holidays = CalendarAnswers.holidays(in: 2025, of: calendar)
        #expect(holidays.count == 18)
        #expect(holidays.map(\.date) == holidays.map(\.date).sorted())
        #expect(CalendarAnswers.holidays(in: 2030, of: calendar).isEmpty)
    }

    @Test func coveredYear() {
        let findings = CalendarHealth.check(calendar, today: d("2026-01-26"))
        #expect(findings == [
            .ok("calendar", "20 holidays configured for 2026"),
            .info("today", "not a trading day: 2026-01-26 is a holiday: Republic Day; next trading day 2026-01-27"),
        ])
    }

    @Test func uncoveredYearWarns() {
        let findings = CalendarHealth.check(calendar, today: d("2027-03-02"))
        #expect(findings.first?.status == .warning)
        #expect(findings.first?.detail.hasPrefix("no holidays configured for 2027 in config/trading_hours.yaml") == true)
        // The fixture moves the normal close to 15:40 from 2026-08-03.
        #expect(findings.last == .info("today", "a trading day: 2027-03-02 normal session 09:15–15:40 IST"))
    }

    @Test func decemberRemindsThenWarnsAboutNextYear() {
        let early = CalendarHealth.check(calendar, today: d("2026-12-01"))
        #expect(early.contains { $0.status == .info && $0.detail.hasPrefix("no holidays configured for 2027 yet") })
        #expect(!early.contains { $0.status == .warning }, "NSE publishes the list in December: a reminder, not yet a warning")
        let late = CalendarHealth.check(calendar, today: d("2026-12-22"))
        #expect(late.contains { $0.status == .warning && $0.detail.hasPrefix("no holidays configured for 2027 yet") })
        #expect(!CalendarHealth.check(calendar, today: d("2026-11-30")).contains { $0.detail.contains("2027 yet") })
    }
}
