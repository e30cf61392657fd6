import Foundation
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

@Suite struct TradingCalendarInstantTests {
    let calendar = NSECalendarFixture.calendar
    func at(_ date: String, _ time: String, second: Int = 0) -> Int64 { NSECalendarFixture.at(date, time, second: second) }

    @Test func midnightUTCIsHalfPastFiveIST() {
        // 2026-01-27T00:00:00Z
        let local = IST.dateTime(epochSeconds: 1_769_472_000)
        #expect(local.date == LocalDate("2026-01-27"))
        #expect(local.time == TimeOfDay("05:30"))
        #expect(local.description == "2026-01-27 05:30:00 IST")
        // One second before UTC midnight is still 05:29:59 IST on the same IST date.
        let before = IST.dateTime(epochSeconds: 1_769_471_999)
        #expect(before.date == LocalDate("2026-01-27"))
        #expect(before.secondOfDay == 5 * 3600 + 29 * 60 + 59)
        // IST midnight is 18:30 UTC the day before.
        let istMidnight = IST.dateTime(epochSeconds: 1_769_452_200)
        #expect(istMidnight.date == LocalDate("2026-01-27"))
        #expect(istMidnight.secondOfDay == 0)
        #expect(IST.dateTime(epochSeconds: 1_769_452_199).date == LocalDate("2026-01-26"))
        #expect(IST.dateTime(epochSeconds: 1_769_452_199).time == TimeOfDay("23:59"))
    }

    @Test func conversionRoundTripsAndHandlesNegativeEpochs() {
        for epoch: Int64 in [0, 1, -1, -19_800, -19_801, 1_769_472_000, 4_102_444_799] {
            #expect(IST.dateTime(epochSeconds: epoch).epochSeconds == epoch)
        }
        #expect(IST.dateTime(epochSeconds: -19_800).description == "1970-01-01 00:00:00 IST")
        #expect(IST.dateTime(epochSeconds: -19_801).description == "1969-12-31 23:59:59 IST")
        #expect(IST.dateTime(epochMilliseconds: 1_769_472_000_999).description == "2026-01-27 05:30:00 IST")
        #expect(IST.dateTime(epochMilliseconds: -1).description == "1970-01-01 05:29:59 IST")
    }

    @Test func agreesWithFoundationForTheAsiaKolkataZone() {
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = IST.timeZone
        for epoch in stride(from: Int64(1_600_000_000), to: 1_800_000_000, by: 7_919_999) {
            let c = gregorian.dateComponents([.year, .month, .day, .hour, .minute, .second],
                                             from: Date(timeIntervalSince1970: TimeInterval(epoch)))
            let local = IST.dateTime(epochSeconds: epoch)
            #expect(local.date == LocalDate(year: c.year!, month: c.month!, day: c.day!))
            #expect(local.secondOfDay == c.hour! * 3600 + c.minute! * 60 + c.second!)
        }
    }

    @Test func minutesToCloseAtThreePM() {
        #expect(calendar.minutesToClose(at: at("2026-01-27", "15:00")) == 30)
        #expect(calendar.secondsToClose(at: at("2026-01-27", "15:00")) == 1_800)
        #expect(calendar.minutesToClose(at: at("2026-01-27", "15:29", second: 30)) == 0)
        #expect(calendar.minutesToClose(at: at("2026-01-27", "15:30")) == nil)
        #expect(calendar.minutesToClose(at: at("2026-01-27", "09:14", second: 59)) == nil)
        #expect(calendar.minutesToClose(at: at("2026-01-27", "09:15")) == 375)
        // After the 2026-08-03 change the session runs to 15:40.
        #expect(calendar.minutesToClose(at: at("2026-08-03", "15:00")) == 40)
        #expect(calendar.minutesToClose(at: at("2026-07-31", "15:00")) == 30)
        // Holidays and weekends have no close.
        #expect(calendar.minutesToClose(at: at("2026-01-26", "15:00")) == nil)
        #expect(calendar.minutesToClose(at: at("2026-01-31", "15:00")) == nil)
    }

    @Test func minutesSinceOpen() {
        #expect(calendar.minutesSinceOpen(at: at("2026-01-27", "09:15")) == 0)
        #expect(calendar.minutesSinceOpen(at: at("2026-01-27", "09:15", second: 59)) == 0)
        #expect(calendar.minutesSinceOpen(at: at("2026-01-27", "10:15")) == 60)
        #expect(calendar.minutesSinceOpen(at: at("2026-01-27", "09:10")) == nil)
        #expect(calendar.minutesSinceOpen(at: at("2025-10-21", "14:00")) == 15)
    }

    @Test func marketOpenIsHalfOpen() {
        #expect(!calendar.isMarketOpen(at: at("2026-01-27", "09:14", second: 59)))
        #expect(calendar.isMarketOpen(at: at("2026-01-27", "09:15")))
        #expect(calendar.isMarketOpen(at: at("2026-01-27", "15:29", second: 59)))
        #expect(!calendar.isMarketOpen(at: at("2026-01-27", "15:30")))
        #expect(!calendar.isMarketOpen(at: at("2026-01-26", "11:00")))
        #expect(!calendar.isMarketOpen(at: at("2026-02-01", "11:00")))
    }

    @Test func phasesThroughTheDay() {
        #expect(calendar.phase(at: at("2026-01-27", "08:59")) == .closed)
        #expect(calendar.phase(at: at("2026-01-27", "09:00")) == .preOpen)
        #expect(calendar.phase(at: at("2026-01-27", "09:08")) == .closed)
        #expect(calendar.phase(at: at("2026-01-27", "09:15")) == .open)
        #expect(calendar.phase(at: at("2026-01-27", "15:35")) == .closed)
        #expect(calendar.phase(at: at("2026-01-27", "15:45")) == .closingSession)
        #expect(calendar.phase(at: at("2026-01-27", "16:00")) == .closed)
        // From 2026-08-03 derivatives trade through the 15:15–15:35 closing auction: continuous
        // trading wins, so 15:20 is `.open`.
        #expect(calendar.phase(at: at("2026-08-03", "15:20")) == .open)
        #expect(calendar.phase(at: at("2026-08-03", "15:45")) == .closed)
        #expect(calendar.phase(at: at("2026-08-03", "15:55")) == .closingSession)
    }

    @Test func dateConveniencesMatchEpochSeconds() {
        let epoch = at("2026-01-27", "15:00")
        let date = Date(timeIntervalSince1970: TimeInterval(epoch) + 0.75)
        #expect(calendar.localDateTime(at: date) == calendar.localDateTime(at: epoch))
        #expect(calendar.minutesToClose(at: date) == 30)
        #expect(calendar.isMarketOpen(at: date))
        #expect(calendar.session(at: date)?.date == LocalDate("2026-01-27"))
        #expect(IST.today(now: Date(timeIntervalSince1970: 1_769_452_200)) == LocalDate("2026-01-27"))
    }

    @Test func theSessionOfAnInstantIsItsISTDate() {
        // 2026-01-27 02:00 UTC is 07:30 IST on the 27th, not the 26th (a holiday).
        #expect(calendar.session(at: 1_769_479_200)?.date == LocalDate("2026-01-27"))
        // 2026-01-26 20:00 UTC is 01:30 IST on the 27th.
        #expect(calendar.session(at: 1_769_457_600)?.date == LocalDate("2026-01-27"))
        // 2026-01-26 18:00 UTC is 23:30 IST on the 26th: a holiday.
        #expect(calendar.session(at: 1_769_450_400) == nil)
    }
}
