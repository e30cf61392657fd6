import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import Foundation
import Logging

/// A live session's feed, as the runner is handed it.
public struct LiveSessionFeed {
    public var feed: LiveFeed
    public init(feed: LiveFeed) { self.feed = feed }
}

/// Bars already known, then the feed that goes on from there.
struct ChainedFeed<First: MarketFeed, Then: MarketFeed>: MarketFeed {
    var first: First
    var then: Then
    var firstDone = false

    init(first: First, then: Then) {
        self.first = first
        self.then = then
    }

    mutating func next() -> MarketEvent? {
        if !firstDone {
            if let event = first.next() { return event }
            firstDone = true
        }
        return then.next()
    }
}

/// How a live session ended before it began.
public enum LiveSessionStart: Sendable, Equatable {
    /// The market is closed today (the calendar says why).
    case noSession(String)
    /// The session's close has passed.
    case afterClose(LocalDate)
    /// A stop request (or signal) came while waiting for the open.
    case stoppedBeforeOpen(String)
}

extension EngineRunner {
    /// Today's session on the wall clock (``clock``): the strategies warm up from `warmup`, the feed
    /// `makeFeed` makes (connected at once, so it is subscribed by the open) delivers the bars; the
    /// engine waits for the open (heartbeat and control requests go on), trades through the close,
    /// squares off on time and ends the session. A session started before is resumed: the bars it
    /// recorded are replayed from the open to rebuild the state, then the feed goes on from the
    /// last of their minutes (the bars of it not recorded) and the minutes after.
    ///
    /// - Returns: the outcome, or why there was no session to run.
    public func runLive(warmup: [BarSeries], makeFeed: (_ open: Int64, _ close: Int64, _ firstMinute: Int64) throws -> LiveFeed)
        throws -> Result<SessionOutcome, LiveSessionFailure> {
        let now = clock.now()
        let today = IST.dateTime(now.date).date
        guard let session = calendar.session(on: today) else { return .failure(.init(.noSession(calendar.explain(today)))) }
        let mode = options.mode.tradingMode
        guard now.microseconds / 1_000_000 < session.closeEpochSeconds else { return .failure(.init(.afterClose(today))) }
        // Bars an earlier run of today's session recorded.
        var series = setup.instruments.map { BarSeries(symbol: $0.symbol, timeframeSeconds: 60) }
        var last = Int64.min
        var recordedInLast: Set<SymbolID> = []
        if let repository {
            let index = Dictionary(setup.instruments.enumerated().map { ($1.symbol, $0) }, uniquingKeysWith: { a, _ in a })
            for record in try repository.engineBars(mode: mode, from: UTCTimestamp(secondsSinceEpoch: session.openEpochSeconds),
                                                    before: UTCTimestamp(secondsSinceEpoch: session.closeEpochSeconds)) {
                guard let s = index[record.symbol] else { continue }
                series[s].append(record.bar)
                if record.bar.time > last { recordedInLast = [] }
                last = max(last, record.bar.time)
                recordedInLast.insert(s)
            }
        }
        // The last recorded minute may hold only some of its symbols' bars (the earlier run stopped
        // between two bars of one minute): the feed starts there and skips the bars already recorded.
        let firstMinute = last == .min ? session.openEpochSeconds : last
        var feed = try makeFeed(session.openEpochSeconds, session.closeEpochSeconds, firstMinute)
        feed.recordedInFirstMinute = recordedInLast
        feed.source.start()
        defer { feed.source.stop() }
        if let stopped = try waitForOpen(session.openEpochSeconds, feed: feed) { return .failure(.init(.stoppedBeforeOpen(stopped))) }
        let day = ReplayDay(session: session, series: series, warmup: warmup, source: "live \(feed.source.name)")
        let outcome = try runSession(day, live: LiveSessionFeed(feed: feed))
        sessionEnded?(outcome)
        return .success(outcome)
    }

    /// Waits for the open on the clock; the heartbeat and requests from other processes go on. Returns
    /// why it stopped when a stop came first.
    func waitForOpen(_ open: Int64, feed: LiveFeed) throws -> String? {
        var announced = false
        var lastBeat: Duration?
        while clock.now().microseconds / 1_000_000 < open {
            if !announced {
                announced = true
                logs.engine.notice("waiting for the open", metadata: [
                    "open": "\(IST.dateTime(epochSeconds: open))", "feed": "\(feed.source.name)", "mode": "\(options.mode.rawValue)"])
            }
            if let control {
                if control.signalled() { return "stopped by a signal before the open" }
                if let request = try control.poll() {
                    try control.markHandled(request, "\(request.command.rawValue) before the open; no session was started")
                    return "\(request.command.rawValue) by \(request.requestedBy) before the open"
                }
            }
            let wall = clock.monotonic()
            if let repository, options.mode != .monitor, lastBeat.map({ wall - $0 >= .seconds(2) }) ?? true {
                lastBeat = wall
                try repository.recordHeartbeat(mode: options.mode.tradingMode, status: "\(options.mode.rawValue): waiting for the open",
                                               pid: options.pid, host: options.host, at: clock.now())
            }
            // What the source receives meanwhile waits in its queue for the feed (which drops prints
            // before the open): the first prints of the open must not be lost here.
            let left = Double(open) - Double(clock.now().microseconds) / 1e6
            clock.sleep(for: .milliseconds(Int(max(1, min(50, left * 1000 / max(1, clock.rate))))))
        }
        return nil
    }
}

/// Why a live session did not run (see ``LiveSessionStart``).
public struct LiveSessionFailure: Error, Sendable, Equatable {
    public var start: LiveSessionStart
    public init(_ start: LiveSessionStart) { self.start = start }
}
