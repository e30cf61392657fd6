import Testing
@testable import AlphaPrimeDomain
@testable import AlphaPrimeKite

/// Splitting a historical fetch into requests within Kite's per-request limits, skipping the
/// trading days already stored.
@Suite struct KiteHistoricalTests {
    static let calendar = NSECalendarFixture.calendar
    static func d(_ text: String) -> LocalDate { LocalDate(text)! }

    @Test func limitsPerInterval() {
        #expect(KiteHistoricalInterval.allCases.map(\.maximumDays) == [60, 100, 100, 100, 200, 200, 400, 2000])
        #expect(KiteHistoricalInterval.allCases.map(\.timeframe.description) == ["1m", "3m", "5m", "10m", "15m", "30m", "60m", "1d"])
        #expect(KiteHistoricalInterval(rawValue: "5minute") == .fiveMinute && KiteHistoricalInterval(rawValue: "1minute") == nil)
    }

    @Test func aYearOfMinutesIsSplitIntoRequestsOfAtMostSixtyCalendarDays() {
        let days = Self.calendar.tradingDays(from: Self.d("2025-01-01"), through: Self.d("2025-12-31"))
        let requests = KiteHistoricalInterval.minute.requests(tradingDays: days, missing: Set(days))
        #expect(requests.allSatisfy { $0.calendarDays <= 60 })
        // Every trading day is asked for exactly once, in order, and nothing else.
        #expect(requests.reduce(0) { $0 + $1.tradingDays } == days.count)
        for (a, b) in zip(requests, requests.dropFirst()) { #expect(a.last < b.first) }
        #expect(requests.first?.first == days.first && requests.last?.last == days.last)
        // 365 days in windows of at most 60 calendar days: 7 requests, none needlessly short.
        #expect(requests.count == 7)
        #expect(requests[0].description == "2025-01-01 … 2025-02-28" && requests[0].from.description.hasPrefix("2025-01-01 00:00:00"))
        #expect(requests[0].to.description.hasPrefix("2025-02-28 23:59:59"))

        let daily = KiteHistoricalInterval.day.requests(tradingDays: days, missing: Set(days))
        #expect(daily.count == 1 && daily[0].tradingDays == days.count)
    }

    @Test func theLimitIsInclusiveOfBothEnds() {
        // 61 consecutive calendar days, all treated as trading days: one over the minute limit.
        let days = (0..<61).map { Self.d("2025-01-01").adding(days: $0) }
        let requests = KiteHistoricalInterval.minute.requests(tradingDays: days, missing: Set(days))
        #expect(requests.map(\.calendarDays) == [60, 1])
        let hundred = (0..<100).map { Self.d("2025-01-01").adding(days: $0) }
        #expect(KiteHistoricalInterval.fiveMinute.requests(tradingDays: hundred, missing: Set(hundred)).count == 1)
    }

    @Test func storedDaysAreNotAskedForAgain() {
        let days = Self.calendar.tradingDays(from: Self.d("2026-01-05"), through: Self.d("2026-01-30"))
        // The first week and Wednesday 2026-01-21 are stored.
        let stored = Set(days.filter { $0 <= Self.d("2026-01-09") || $0 == Self.d("2026-01-21") })
        let missing = Set(days).subtracting(stored)
        let requests = KiteHistoricalInterval.minute.requests(tradingDays: days, missing: missing)
        #expect(requests.map(\.description) == ["2026-01-12 … 2026-01-20", "2026-01-22 … 2026-01-30"])
        // 2026-01-15 (municipal elections in Maharashtra) and 2026-01-26 (Republic Day) are no trading days.
        #expect(requests.map(\.tradingDays) == [6, 6])
        #expect(KiteHistoricalInterval.minute.requests(tradingDays: days, missing: []).isEmpty)
    }
}
