import Testing
@testable import AlphaPrimeSupport
@testable import AlphaPrimeDomain
@testable import AlphaPrimeCore

/// The one event loop: the order in which a host hears of minutes, sessions, clock events, bars and
/// the session-close rule, whatever the host is.
@Suite struct SessionLoopTests {
    /// A host that writes down every call, with a square-off instant it asks the clock for.
    struct RecordingHost: SessionHost {
        typealias Failure = Never
        var calls: [String] = []
        var clockAt: Int64
        var close: Int64?
        var stopAtMinute: Int64?

        var nextClockEvent: Int64 { clockAt }
        var sessionClose: Int64? { close }

        mutating func sessionOpens(day: Int64) { calls.append("open \(LocalDate(daysSinceEpoch: Int(day)))") }
        mutating func minuteBegins(_ minute: Int64, previous: Int64?) -> Bool {
            if minute == stopAtMinute { calls.append("stop before \(ist(minute))"); return false }
            calls.append("minute \(ist(minute))")
            return true
        }
        mutating func clockReached(_ time: Int64) {
            calls.append("clock \(ist(time))")
            clockAt = .max
        }
        mutating func bar(_ bar: Bar, symbol: SymbolID) { calls.append("bar \(symbol) \(ist(bar.time))") }
        mutating func tick(_ tick: Tick, symbol: SymbolID) { calls.append("tick \(symbol)") }
        mutating func feedEnded(lastMinute: Int64?) -> Bool { calls.append("end of feed"); return true }
        mutating func squareOffAtClose(lastBarTime: Int64?) { calls.append("square off at \(lastBarTime.map(ist) ?? "-")") }
        mutating func expireWorkingOrders(at close: Int64) { calls.append("expire at \(ist(close))") }
        mutating func sessionClosed(day: Int64) { calls.append("closed \(LocalDate(daysSinceEpoch: Int(day)))") }

        func ist(_ t: Int64) -> String {
            let m = (t + IST.offsetSeconds) / 60 % 1440
            return (m / 60 < 10 ? "0" : "") + "\(m / 60):" + (m % 60 < 10 ? "0" : "") + "\(m % 60)"
        }
    }

    /// 09:15 IST of 2021-02-24 and of the next day, as UTC epoch seconds.
    static let day1 = Int64(LocalDate(year: 2021, month: 2, day: 24)!.daysSinceEpoch) * 86_400 + 9 * 3600 + 15 * 60 - IST.offsetSeconds
    static let day2 = day1 + 86_400

    static func series(_ times: [Int64]) -> BarSeries {
        var s = BarSeries(symbol: "X", timeframeSeconds: 60)
        for t in times { s.append(Bar(time: t, open: 100, high: 101, low: 99, close: 100, volume: 1)) }
        return s
    }

    @Test func eventsComeInOneOrderAndEverySessionClosesByTheClock() {
        // Two symbols, two days; the square-off instant (15:20) of day 1 has no bar, day 1 ends at 10:07.
        let a = Self.series([Self.day1, Self.day1 + 60, Self.day1 + 52 * 60, Self.day2])
        let b = Self.series([Self.day1, Self.day1 + 52 * 60])
        var feed = ReplayFeed(series: [a, b])
        let close1 = Self.day1 + 375 * 60
        var host = RecordingHost(clockAt: Self.day1 + 365 * 60, close: close1)
        let end = SessionLoop.run(feed: &feed, host: &host)
        #expect(end == .feedEnded)
        #expect(host.calls == [
            "minute 09:15", "open 2021-02-24", "bar 0 09:15", "bar 1 09:15",
            "minute 09:16", "bar 0 09:16",
            "minute 10:07", "bar 0 10:07", "bar 1 10:07",
            "minute 09:15",
            // Day 1 closes when day 2's first bar arrives: the clock event that no bar reached, the
            // square-off stamped with the last bar, the expiry at the close.
            "clock 15:20", "square off at 10:07", "expire at 15:30", "closed 2021-02-24",
            "open 2021-02-25", "bar 0 09:15",
            "end of feed", "square off at 09:15", "expire at 15:30", "closed 2021-02-25",
        ])
    }

    @Test func aClockEventBeforeABarHappensFirst() {
        var feed = ReplayFeed(series: [Self.series([Self.day1, Self.day1 + 10 * 60])])
        var host = RecordingHost(clockAt: Self.day1 + 5 * 60, close: nil)
        _ = SessionLoop.run(feed: &feed, host: &host)
        #expect(host.calls == [
            "minute 09:15", "open 2021-02-24", "bar 0 09:15",
            "minute 09:25", "clock 09:20", "bar 0 09:25",
            // No known close: the day ends without the close rule.
            "end of feed", "closed 2021-02-24",
        ])
    }

    @Test func aStopBetweenMinutesEndsTheRunWithoutClosing() {
        var feed = ReplayFeed(series: [Self.series([Self.day1, Self.day1 + 60, Self.day1 + 120])])
        var host = RecordingHost(clockAt: .max, close: Self.day1 + 375 * 60, stopAtMinute: Self.day1 + 60)
        let end = SessionLoop.run(feed: &feed, host: &host, openDay: Int64(LocalDate(year: 2021, month: 2, day: 24)!.daysSinceEpoch))
        #expect(end == .stopped)
        #expect(host.calls == ["minute 09:15", "bar 0 09:15", "stop before 09:16"])
    }

    @Test func aSessionOpenedBeforeTheLoopClosesEvenWithoutBars() {
        var feed = ReplayFeed(series: [BarSeries(symbol: "X", timeframeSeconds: 60)])
        var host = RecordingHost(clockAt: .max, close: Self.day1 + 375 * 60)
        let end = SessionLoop.run(feed: &feed, host: &host, openDay: Int64(LocalDate(year: 2021, month: 2, day: 24)!.daysSinceEpoch))
        #expect(end == .feedEnded)
        #expect(host.calls == ["end of feed", "square off at -", "expire at 15:30", "closed 2021-02-24"])
    }
}
