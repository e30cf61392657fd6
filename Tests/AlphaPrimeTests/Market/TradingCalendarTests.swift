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

@Suite struct TradingCalendarTests {
    let calendar = NSECalendarFixture.calendar
    func d(_ text: String) -> LocalDate { NSECalendarFixture.d(text) }

    @Test func republicDay2026IsAHoliday() {
        let day = d("2026-01-26")
        #expect(day.weekdayName == "Monday")
        #expect(!calendar.isTradingDay(day))
        #expect(calendar.session(on: day) == nil)
        #expect(calendar.nonTradingReason(on: day) == .holiday(day, name: "Republic Day"))
        #expect(calendar.explain(day) == "2026-01-26 Monday: closed (2026-01-26 is an exchange holiday: Republic Day)")
        #expect(calendar.isTradingDay(d("2026-01-27")))
    }

    @Test func ordinaryWeekdayHasTheNormalSession() throws {
        let session = try #require(calendar.session(on: d("2026-01-27")))
        #expect(session.kind == .normal)
        #expect(session.open == TimeOfDay("09:15"))
        #expect(session.close == TimeOfDay("15:30"))
        #expect(session.preOpen == NSECalendarFixture.w("09:00", "09:08"))
        #expect(session.holidayName == nil)
        // 09:15 IST = 03:45 UTC; 2026-01-27T03:45:00Z = 1769485500.
        #expect(session.openEpochSeconds == 1_769_485_500)
        #expect(session.closeEpochSeconds == 1_769_485_500 + 375 * 60)
        #expect(session.openEpochMilliseconds == 1_769_485_500_000)
        #expect(session.durationMinutes == 375)
    }

    @Test func weekendsAreClosedWithAReason() {
        let saturday = d("2026-01-31"), sunday = d("2026-02-01")
        #expect(!calendar.isTradingDay(saturday))
        #expect(!calendar.isTradingDay(sunday))
        #expect(calendar.nonTradingReason(on: saturday) == .weekend(saturday))
        #expect(calendar.nonTradingReason(on: sunday)?.description == "2026-02-01 is a Sunday")
        #expect(calendar.nonTradingReason(on: d("2026-01-30")) == nil)
    }

    @Test func holidayOnAWeekendNamesBoth() {
        let day = d("2026-03-21")
        #expect(calendar.nonTradingReason(on: day)?.description
            == "2026-03-21 is an exchange holiday: Id-Ul-Fitr (Ramadan Eid) (a Saturday)")
    }

    @Test func muhurat2025IsATradingDayForTheSpecialSessionOnly() throws {
        let day = d("2025-10-21")
        #expect(calendar.isTradingDay(day))
        #expect(calendar.nonTradingReason(on: day) == nil)
        #expect(calendar.holidayName(on: day) == "Diwali Laxmi Pujan")
        let session = try #require(calendar.session(on: day))
        #expect(session.kind == .special)
        #expect(session.name == "Muhurat Trading")
        #expect(session.open == TimeOfDay("13:45"))
        #expect(session.close == TimeOfDay("14:45"))
        #expect(session.holidayName == "Diwali Laxmi Pujan")
        #expect(session.closingSession == nil)
        #expect(session.description
            == "2025-10-21 Tuesday: Muhurat Trading 13:45–14:45 IST (pre-open 13:30–13:38; holiday: Diwali Laxmi Pujan)")
        // The normal session is closed: no trading at 10:00 that day.
        #expect(!calendar.isMarketOpen(at: NSECalendarFixture.at("2025-10-21", "10:00")))
        #expect(calendar.isMarketOpen(at: NSECalendarFixture.at("2025-10-21", "14:00")))
    }

    @Test func muhurat2021EveningSession() throws {
        let session = try #require(calendar.session(on: d("2021-11-04")))
        #expect(session.kind == .special)
        #expect(session.open == TimeOfDay("18:15"))
        #expect(session.close == TimeOfDay("19:15"))
        // 18:15 IST = 12:45 UTC on 2021-11-04 = 1636029900.
        #expect(session.openEpochSeconds == 1_636_029_900)
        #expect(calendar.minutesToClose(at: NSECalendarFixture.at("2021-11-04", "19:00")) == 15)
        #expect(calendar.phase(at: NSECalendarFixture.at("2021-11-04", "18:05")) == .preOpen)
        #expect(calendar.phase(at: NSECalendarFixture.at("2021-11-04", "09:30")) == .closed)
    }

    @Test func nextTradingDayCrossesLongWeekends() {
        // Good Friday 2026-04-03, then Saturday and Sunday.
        #expect(calendar.nextTradingDay(after: d("2026-04-02")) == d("2026-04-06"))
        #expect(calendar.previousTradingDay(before: d("2026-04-06")) == d("2026-04-02"))
        // Muhurat Thursday 2021-11-04 is a trading day; Friday is Balipratipada; then the weekend.
        #expect(calendar.nextTradingDay(after: d("2021-11-03")) == d("2021-11-04"))
        #expect(calendar.nextTradingDay(after: d("2021-11-04")) == d("2021-11-08"))
        // Diwali 2025: Tuesday Muhurat only, Wednesday closed.
        #expect(calendar.nextTradingDay(after: d("2025-10-21")) == d("2025-10-23"))
        #expect(calendar.previousTradingDay(before: d("2025-10-23")) == d("2025-10-21"))
        // Across a year end.
        #expect(calendar.nextTradingDay(after: d("2025-12-24")) == d("2025-12-26"))
        #expect(calendar.nextTradingDay(after: d("2025-12-31")) == d("2026-01-01"))
    }

    @Test func tradingDaysInARange() {
        // April 2026: 22 weekdays minus Good Friday (3rd) and Ambedkar Jayanti (14th).
        let april = calendar.tradingDays(from: d("2026-04-01"), through: d("2026-04-30"))
        #expect(april.count == 20)
        #expect(april.first == d("2026-04-01"))
        #expect(!april.contains(d("2026-04-03")))
        #expect(!april.contains(d("2026-04-14")))
        #expect(calendar.tradingDays(from: d("2025-10-20"), through: d("2025-10-24"))
            == [d("2025-10-20"), d("2025-10-21"), d("2025-10-23"), d("2025-10-24")])
        #expect(calendar.tradingDays(from: d("2026-04-02"), through: d("2026-04-01")).isEmpty)
    }

    @Test func sessionChangeAppliesFromItsDateOn() throws {
        let before = try #require(calendar.session(on: d("2026-07-31")))
        #expect(before.close == TimeOfDay("15:30"))
        #expect(before.closingAuction == nil)
        #expect(before.closingSession == NSECalendarFixture.w("15:40", "16:00"))

        let on = try #require(calendar.session(on: d("2026-08-03")))
        #expect(on.close == TimeOfDay("15:40"))
        #expect(on.closingAuction == NSECalendarFixture.w("15:15", "15:35"))
        #expect(on.closingSession == NSECalendarFixture.w("15:50", "16:00"))
        // Unchanged parts carry over.
        #expect(on.open == TimeOfDay("09:15"))
        #expect(on.preOpen == NSECalendarFixture.w("09:00", "09:08"))

        let later = try #require(calendar.session(on: d("2026-12-31")))
        #expect(later.close == TimeOfDay("15:40"))
        // Dates long before the change keep the original hours.
        #expect(calendar.normalHours(on: d("2021-11-03")).session.close == TimeOfDay("15:30"))
        // A special session keeps its own hours after the change.
        #expect(calendar.session(on: d("2025-10-21"))?.close == TimeOfDay("14:45"))
    }

    @Test func changesAccumulateInDateOrderWhateverTheListOrder() throws {
        var rules = NSECalendarFixture.rules
        let later = TradingCalendar.SessionChange(
            effectiveFrom: d("2026-09-07"), name: "Revised pre-open", preOpen: NSECalendarFixture.w("09:00", "09:10"))
        rules.sessionChanges = [later, NSECalendarFixture.closingAuctionChange]
        let calendar = try TradingCalendar(rules: rules)
        #expect(calendar.normalHours(on: d("2026-09-04")).preOpen == NSECalendarFixture.w("09:00", "09:08"))
        let hours = calendar.normalHours(on: d("2026-09-07"))
        #expect(hours.preOpen == NSECalendarFixture.w("09:00", "09:10"))
        #expect(hours.session.close == TimeOfDay("15:40"))
    }

    @Test func weekendSpecialSessionMakesTheDayATradingDay() throws {
        var rules = NSECalendarFixture.rules
        rules.specialSessions.append(.init(
            date: d("2025-02-01"), name: "Union Budget", hours: NSECalendarFixture.normal))
        let calendar = try TradingCalendar(rules: rules)
        #expect(calendar.isTradingDay(d("2025-02-01")))
        #expect(calendar.session(on: d("2025-02-01"))?.name == "Union Budget")
        #expect(calendar.nextTradingDay(after: d("2025-01-31")) == d("2025-02-01"))
        #expect(!calendar.isTradingDay(d("2025-02-02")))
    }

    @Test func knowsWhichYearsHaveHolidayLists() {
        #expect(calendar.hasHolidays(inYear: 2026))
        #expect(!calendar.hasHolidays(inYear: 2027))
    }
}
