import Foundation
import Testing
@testable import AlphaPrimeDomain

/// The one day-arithmetic helper against Foundation's Gregorian calendar.
@Suite struct CivilCalendarTests {
    @Test func roundTripsEveryDayFrom1900To2100() {
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = TimeZone(identifier: "UTC")!
        let first = CivilCalendar.days(year: 1900, month: 1, day: 1)
        let last = CivilCalendar.days(year: 2100, month: 12, day: 31)
        #expect(first == -25_567 && last == 47_846)
        for days in stride(from: first, through: last, by: 1) {
            let (y, m, d) = CivilCalendar.date(days: days)
            #expect(CivilCalendar.days(year: y, month: m, day: d) == days)
            if days % 97 == 0 {
                let c = gregorian.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: Double(days) * 86_400))
                #expect((Int64(c.year!), Int64(c.month!), Int64(c.day!)) == (y, m, d))
            }
        }
    }

    @Test func validDaysRefusesDatesThatDoNotExist() {
        #expect(CivilCalendar.validDays(year: 2024, month: 2, day: 29) == CivilCalendar.days(year: 2024, month: 2, day: 29))
        #expect(CivilCalendar.validDays(year: 2026, month: 2, day: 29) == nil)
        #expect(CivilCalendar.validDays(year: 1900, month: 2, day: 29) == nil)
        #expect(CivilCalendar.validDays(year: 2000, month: 2, day: 29) != nil)
        #expect(CivilCalendar.validDays(year: 2026, month: 13, day: 1) == nil)
        #expect(CivilCalendar.validDays(year: 0, month: 1, day: 1) == nil)
    }

    @Test func floorDivRoundsDown() {
        #expect(CivilCalendar.floorDiv(-1, 86_400) == -1)
        #expect(CivilCalendar.floorDiv(-86_400, 86_400) == -1)
        #expect(CivilCalendar.floorDiv(86_399, 86_400) == 0)
        #expect(LocalDate(daysSinceEpoch: -1) == LocalDate("1969-12-31"))
    }
}
