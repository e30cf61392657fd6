import Foundation
import Logging
import Synchronization
import Testing
@testable import AlphaPrimeSupport
@testable import AlphaPrimeDomain
@testable import AlphaPrimeCore

/// Ticks into bars, and the live feed's clock, watchdog and history backfill, over a scripted source.
@Suite struct LiveFeedTests {
    static let open = IST.epochSeconds(date: LocalDate("2021-02-23")!, time: TimeOfDay("09:15")!)
    static let close = IST.epochSeconds(date: LocalDate("2021-02-23")!, time: TimeOfDay("15:30")!)

    static func tick(_ time: Int64, _ price: Int64, volume: Int64 = 0) -> Tick { Tick(time: time, lastPrice: price, volume: volume) }

    // MARK: MinuteBarBuilder

    @Test func ticksOfAMinuteMakeItsBarWithVolumeFromTheCumulativeField() {
        var b = MinuteBarBuilder(symbols: 2, open: Self.open, close: Self.close)
        let m = Self.open
        let r1 = b.add(Self.tick(m, 100, volume: 10), symbol: 0)
        #expect(r1)
        let r2 = b.add(Self.tick(m + 15, 90, volume: 25), symbol: 0)
        #expect(r2)
        let r3 = b.add(Self.tick(m + 30, 120, volume: 40), symbol: 0)
        #expect(r3)
        let r4 = b.add(Self.tick(m + 45, 110, volume: 55), symbol: 0)
        #expect(r4)
        let r5 = b.add(Self.tick(m + 50, 500), symbol: 1)
        #expect(r5)
        let r6 = b.close(before: m + 59)
        #expect(r6.isEmpty, "the minute has not ended")
        let bars = b.close(before: m + 60)
        #expect(bars.map(\.symbol) == [0, 1], "one minute's bars in symbol order")
        #expect(bars[0].bar == Bar(time: m, open: 100, high: 120, low: 90, close: 110, volume: 55), "the first minute counts from 0")
        #expect(bars[1].bar == Bar(time: m, open: 500, high: 500, low: 500, close: 500, volume: 0))
        // The next minute's volume is the cumulative volume's growth since the last print before it.
        b.add(Self.tick(m + 61, 111, volume: 70), symbol: 0)
        b.add(Self.tick(m + 100, 109, volume: 80), symbol: 0)
        let r7 = b.close(before: m + 120)
        #expect(r7.map(\.bar) == [Bar(time: m + 60, open: 111, high: 111, low: 109, close: 109, volume: 25)])
    }

    @Test func aMinuteWithoutAPrintHasNoBarAndLateOrOutOfSessionPrintsMoveNothing() {
        var b = MinuteBarBuilder(symbols: 1, open: Self.open, close: Self.close)
        let r8 = b.add(Self.tick(Self.open - 1, 100), symbol: 0)
        #expect(!r8, "before the open")
        let r9 = b.add(Self.tick(Self.close, 100), symbol: 0)
        #expect(!r9, "at the close")
        let r10 = b.add(Self.tick(Self.open, 100), symbol: 3)
        #expect(!r10, "an unknown symbol id")
        b.add(Self.tick(Self.open + 5, 100), symbol: 0)
        let r11 = b.close(before: Self.open + 180)
        #expect(r11.map(\.bar.time) == [Self.open], "the two quiet minutes have no bar")
        let r12 = b.add(Self.tick(Self.open + 130, 99), symbol: 0)
        #expect(!r12, "a print of a closed minute is late")
        #expect(b.lateTicks == 1 && b.outsideSessionTicks == 2)
        _ = b.close(before: Self.close + 120)
        #expect(b.sessionClosed)
    }

    @Test func aSymbolMovingOnToTheNextMinuteFinishesItsBarWhichStillComesOutInOrder() {
        var b = MinuteBarBuilder(symbols: 2, open: Self.open, close: Self.close)
        b.add(Self.tick(Self.open + 10, 100), symbol: 1)
        b.add(Self.tick(Self.open + 61, 101), symbol: 1)   // symbol 1 is in the next minute
        b.add(Self.tick(Self.open + 59, 200), symbol: 0)   // symbol 0's print of the first minute is still on time
        let bars = b.close(before: Self.open + 62)
        #expect(bars.map(\.symbol) == [0, 1] && bars.allSatisfy { $0.bar.time == Self.open })
    }

    // MARK: LiveFeed

    /// A source that hands out what the test scripts, on a clock the test moves.
    final class ScriptedSource: LiveMarketSource, @unchecked Sendable {
        let name = "scripted"
        let lock = NSLock()
        var pending: [LiveSourceEvent] = []
        var reconnects = 0
        var current = LiveSourceStatus()
        func start() {}
        func stop() {}
        func take(timeout: Duration) -> [LiveSourceEvent] {
            lock.withLock { defer { pending.removeAll() }; return pending }
        }
        func reconnect(reason: String) { lock.withLock { reconnects += 1 } }
        var status: LiveSourceStatus { lock.withLock { current } }
        func send(_ events: [LiveSourceEvent]) { lock.withLock { pending += events } }
        func connect(at time: Int64) { lock.withLock { current = LiveSourceStatus(connected: true, connectedAt: time, subscribed: 1, connections: 1) } }
        func heard(at time: Int64) { lock.withLock { current.lastMessageAt = time } }
    }

    static func feed(_ source: ScriptedSource, clock: ManualClock, firstMinute: Int64? = nil) -> LiveFeed {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return LiveFeed(source: source, clock: clock, symbols: 1, open: open, close: close,
                        settings: LiveFeedSettings(staleAfterSeconds: 30, closeGraceSeconds: 2, closeDelaySeconds: 2),
                        firstMinute: firstMinute, logger: logger)
    }

    @Test func barsComeBeforeTheClockAndTheFeedEndsAtTheClose() {
        let source = ScriptedSource()
        let clock = ManualClock(now: UTCTimestamp(secondsSinceEpoch: Self.open - 60))
        source.connect(at: Self.open - 60)
        var feed = Self.feed(source, clock: clock)
        source.send([.ticks([LiveTick(Self.tick(Self.open, 100), symbol: 0), LiveTick(Self.tick(Self.open + 30, 105), symbol: 0)])])
        clock.advance(by: .seconds(61))
        #expect(feed.next() == .clock(Self.open + 28), "the minute is not over yet: time moves (the last print less 2 s)")
        source.send([.ticks([LiveTick(Self.tick(Self.open + 62, 104), symbol: 0)])])
        clock.advance(by: .seconds(2))
        #expect(feed.next() == .bar(Bar(time: Self.open, open: 100, high: 105, low: 100, close: 105, volume: 0), symbol: 0))
        // Nothing more: the clock closes the rest of the day, and the feed ends.
        clock.advance(by: .seconds(Self.close - Self.open))
        var events: [MarketEvent] = []
        while let e = feed.next() { events.append(e) }
        #expect(events == [.bar(Bar(time: Self.open + 60, open: 104, high: 104, low: 104, close: 104, volume: 0), symbol: 0)])
    }

    @Test func theWatchdogPausesAfterTheSilenceAndResumesWithPrints() {
        let source = ScriptedSource()
        let clock = ManualClock(now: UTCTimestamp(secondsSinceEpoch: Self.open + 1))
        source.connect(at: Self.open - 60)
        var stale: [String] = []
        var feed = Self.feed(source, clock: clock)
        feed.onStale = { stale.append($0) }
        source.send([.ticks([LiveTick(Self.tick(Self.open + 1, 100), symbol: 0)])])
        _ = feed.next()
        clock.advance(by: .seconds(20))
        _ = feed.next()
        #expect(feed.state.stale == nil, "20 s of silence is within the limit")
        clock.advance(by: .seconds(15))
        _ = feed.next()
        #expect(feed.state.stale != nil && stale.count == 1 && source.reconnects == 1)
        source.send([.ticks([LiveTick(Self.tick(Self.open + 37, 101), symbol: 0)])])
        clock.advance(by: .seconds(1))
        _ = feed.next()
        #expect(feed.state.stale == nil && feed.state.staleEvents == 1)
    }

    @Test func minutesTheFeedDidNotSeeWholeComeFromTheHistoryFirst() {
        let source = ScriptedSource()
        let clock = ManualClock(now: UTCTimestamp(secondsSinceEpoch: Self.open + 125))
        source.connect(at: Self.open + 125)   // joined in the third minute
        var feed = Self.feed(source, clock: clock)
        let asked = Mutex<[(Int64, Int64)]>([])
        feed.backfill = { from, before in
            asked.withLock { $0.append((from, before)) }
            return [(Bar(time: Self.open + 60, open: 2, high: 2, low: 2, close: 2, volume: 0), 0),
                    (Bar(time: Self.open, open: 1, high: 1, low: 1, close: 1, volume: 0), 0)]
        }
        source.send([.ticks([LiveTick(Self.tick(Self.open + 126, 50), symbol: 0)])])
        #expect(feed.next() == .clock(Self.open), "time stands at the first minute until the history is fetched")
        source.send([.ticks([LiveTick(Self.tick(Self.open + 185, 60), symbol: 0)])])
        clock.advance(by: .seconds(62))
        var bars: [Int64] = []
        for _ in 0..<3 { if case .bar(let b, _)? = feed.next() { bars.append(b.time) } }
        #expect(asked.withLock { $0.map(\.0) } == [Self.open] && asked.withLock { $0.map(\.1) } == [Self.open + 180])
        #expect(bars == [Self.open, Self.open + 60], "history, in time order; the partly seen minute is not a bar")
    }
    /// A restart whose earlier run stopped between the two bars of one minute: the feed starts at
    /// that minute and delivers from history only the bar the record lacks, then the minutes after.
    @Test func aRestartFetchesTheBarsItsLastRecordedMinuteLacks() {
        let source = ScriptedSource()
        let clock = ManualClock(now: UTCTimestamp(secondsSinceEpoch: Self.open + 245))
        source.connect(at: Self.open + 245)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        var feed = LiveFeed(source: source, clock: clock, symbols: 2, open: Self.open, close: Self.close,
                            settings: LiveFeedSettings(staleAfterSeconds: 30, closeGraceSeconds: 2, closeDelaySeconds: 2),
                            firstMinute: Self.open + 60, logger: logger)
        feed.recordedInFirstMinute = [0]
        feed.backfill = { from, before in
            (from..<before).filter { $0 % 60 == 0 }.flatMap { t in
                [(Bar(time: t, open: 1, high: 1, low: 1, close: 1, volume: 0), SymbolID(0)),
                 (Bar(time: t, open: 2, high: 2, low: 2, close: 2, volume: 0), SymbolID(1))]
            }
        }
        source.send([.ticks([LiveTick(Self.tick(Self.open + 246, 50), symbol: 0)])])
        _ = feed.next()
        source.send([.ticks([LiveTick(Self.tick(Self.open + 305, 60), symbol: 0)])])
        clock.advance(by: .seconds(62))
        var bars: [String] = []
        while bars.count < 5, let event = feed.next() {
            if case .bar(let b, let s) = event { bars.append("\((b.time - Self.open) / 60):\(s)") }
        }
        #expect(bars == ["1:1", "2:0", "2:1", "3:0", "3:1"], "symbol 0's bar of minute 1 is recorded; symbol 1's is not")
    }
    /// A stalled pipe (nothing heard, not even a heartbeat) does not let the clock close a minute
    /// whose prints may still be on their way; once the source is heard again, it does.
    @Test func theClockClosesNoMinutePastWhatTheSourceHasHeard() {
        let source = ScriptedSource()
        let clock = ManualClock(now: UTCTimestamp(secondsSinceEpoch: Self.open - 60))
        source.connect(at: Self.open - 60)
        var feed = Self.feed(source, clock: clock)
        source.send([.ticks([LiveTick(Self.tick(Self.open + 10, 100), symbol: 0)])])
        source.heard(at: Self.open + 10)
        clock.advance(by: .seconds(70))
        _ = feed.next()
        // The process stalls for a minute: the clock is far past the minute, but nothing was heard.
        clock.advance(by: .seconds(60))
        #expect(feed.next() == .clock(Self.open + 8), "time stands at the last print: the minute stays open")
        source.send([.ticks([LiveTick(Self.tick(Self.open + 45, 103), symbol: 0)])])
        source.heard(at: Self.open + 130)
        #expect(feed.next() == .bar(Bar(time: Self.open, open: 100, high: 103, low: 100, close: 103, volume: 0), symbol: 0),
                "the print that was on its way is in the bar")
    }
}
