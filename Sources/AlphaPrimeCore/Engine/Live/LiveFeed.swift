import AlphaPrimeSupport
import AlphaPrimeDomain
import Foundation
import Logging

/// What the live feed knows of itself, shared with the session (entries paused while stale) and
/// `engine status` (through the heartbeat).
public final class LiveFeedState: @unchecked Sendable {
    private let lock = NSLock()
    private var _stale: String?
    private var _lastTickAt: Int64?
    private var _status = LiveSourceStatus()
    private var _staleEvents = 0
    private var _indiaVIX: (previousClose: Int64, time: Int64)?

    public init() {}

    /// Why the feed is stale (no print for too long in market hours), or nil while prints arrive.
    public var stale: String? { lock.withLock { _stale } }
    /// Market time of the last print taken (UTC epoch seconds).
    public var lastTickAt: Int64? { lock.withLock { _lastTickAt } }
    public var sourceStatus: LiveSourceStatus { lock.withLock { _status } }
    /// How often the feed went stale this session.
    public var staleEvents: Int { lock.withLock { _staleEvents } }
    /// India VIX as the feed last showed it: the previous session's close (paise) and when.
    public var indiaVIX: (previousClose: Int64, time: Int64)? { lock.withLock { _indiaVIX } }

    func set(stale: String?) {
        lock.withLock {
            if stale != nil && _stale == nil { _staleEvents += 1 }
            _stale = stale
        }
    }
    func set(lastTickAt: Int64) { lock.withLock { _lastTickAt = lastTickAt } }
    func set(indiaVIX previousClose: Int64, time: Int64) { lock.withLock { _indiaVIX = (previousClose, time) } }
    func set(status: LiveSourceStatus) { lock.withLock { _status = status } }
}

/// Settings of a live feed.
public struct LiveFeedSettings: Sendable, Equatable {
    /// No print for this many market seconds during market hours makes the feed stale.
    public var staleAfterSeconds: Int64
    /// A minute closes on the wall clock this long (real seconds) after its end when no later
    /// print closed it; prints of that stretch still in flight are taken first.
    public var closeGraceSeconds: Double
    /// A print of a later minute closes the earlier one only once it is this many market seconds
    /// into the new minute, so prints of several instruments that arrive slightly out of order
    /// all land in their minute.
    public var closeDelaySeconds: Int64

    public init(staleAfterSeconds: Int64 = 30, closeGraceSeconds: Double = 2, closeDelaySeconds: Int64 = 2) {
        self.staleAfterSeconds = staleAfterSeconds
        self.closeGraceSeconds = closeGraceSeconds
        self.closeDelaySeconds = closeDelaySeconds
    }
}

/// The market-feed port on the wall clock: a broker's ticker (a ``LiveMarketSource``) turned into
/// closed 1-minute bars (``MinuteBarBuilder``) of one session, with `.clock` events while nothing
/// closes so time moves on without data (the square-off, the close, control requests), a
/// staleness watchdog, and the end of the feed at the close.
///
/// **Market time** is the later of the last print's time less ``LiveFeedSettings/closeDelaySeconds``
/// and the clock less the grace (``LiveFeedSettings/closeGraceSeconds`` real seconds, scaled by the
/// clock's rate on a rehearsal). Every minute that ended by then is closed and its bars are
/// delivered before a `.clock` event says that time.
///
/// **The watchdog.** In market hours, no print for ``LiveFeedSettings/staleAfterSeconds`` makes the
/// feed stale: it logs an error, calls ``onStale``, asks the source to reconnect, and the session
/// pauses entries (exits are still managed) until prints return (``onFresh``).
public struct LiveFeed: MarketFeed {
    public let source: any LiveMarketSource
    public let clock: any EngineClock
    public let settings: LiveFeedSettings
    public let state: LiveFeedState
    let logger: Logger
    var builder: MinuteBarBuilder
    var queue: [MarketEvent] = []
    var queueIndex = 0
    var lastTickTime: Int64 = .min
    /// Clock time (UTC epoch seconds) the last print was taken.
    var lastTickWall: Int64?
    /// When the watchdog last asked the source to reconnect.
    var lastRemedy: Int64 = .min
    var lastClockEvent: Duration?
    /// No bars before this minute are delivered (a restart: the session's earlier bars came from the record).
    public let firstMinute: Int64
    /// The symbols whose bar of ``firstMinute`` the record already has (a restart: the earlier run
    /// may have stopped between two bars of one minute); the others' bars of that minute are delivered.
    public var recordedInFirstMinute: Set<SymbolID> = []
    /// The first minute whose prints all came over the feed: the open when it was connected before
    /// the open, else the minute after the one it joined in; nil until the first message.
    var firstFullMinute: Int64?
    /// The exchange time of the first print received: a feed that joined mid-session counts no
    /// minute as whole before the one after it (the engine's clock may trail the exchange's by a
    /// few seconds, and prints sent before the subscription took effect are never seen).
    var firstTickTime: Int64?
    /// Whether the bars between ``firstMinute`` and ``firstFullMinute`` are still to be fetched.
    var backfillPending = true
    var ended = false
    /// Bars of minutes the feed did not see whole (it joined after the open, or the engine was
    /// restarted), from the broker's history: `(from, before)` → bars with starts in `[from, before)`.
    public var backfill: ((Int64, Int64) throws -> [(bar: Bar, symbol: SymbolID)])?
    /// Called when the feed goes stale (with why) and when prints return.
    public var onStale: ((String) -> Void)?
    public var onFresh: ((String) -> Void)?
    /// Every bar delivered, as it is delivered (the engine records them).
    public var onBar: ((Bar, SymbolID) -> Void)?
    /// Order updates the source reported.
    public var onOrderUpdate: ((String, String) -> Void)?

    public init(source: any LiveMarketSource, clock: any EngineClock, symbols: Int, open: Int64, close: Int64,
                settings: LiveFeedSettings = LiveFeedSettings(), state: LiveFeedState = LiveFeedState(),
                firstMinute: Int64? = nil, logger: Logger) {
        self.source = source
        self.clock = clock
        self.settings = settings
        self.state = state
        self.logger = logger
        builder = MinuteBarBuilder(symbols: symbols, open: open, close: close)
        self.firstMinute = firstMinute ?? open
    }

    var graceMarketSeconds: Int64 { Int64((settings.closeGraceSeconds * max(1, clock.rate)).rounded(.up)) }

    /// The market time: see the type's documentation. While connected, the clock counts only up to
    /// when the source last heard anything (`heardAt`, read before the events were taken): prints
    /// still in the pipe — a stalled process or network — are never overtaken by the clock and
    /// dropped as late. A quiet market still moves it (the broker's heartbeats).
    func marketTime(now: Int64, heardAt: Int64? = nil) -> Int64 {
        let byTicks = lastTickTime == .min ? Int64.min : lastTickTime - settings.closeDelaySeconds
        return max(byTicks, min(now, heardAt ?? now) - graceMarketSeconds)
    }

    public mutating func next() -> MarketEvent? {
        while true {
            if queueIndex < queue.count {
                let event = queue[queueIndex]
                queueIndex += 1
                if queueIndex == queue.count { queue.removeAll(keepingCapacity: true); queueIndex = 0 }
                return event
            }
            if ended { return nil }
            let before = source.status
            let events = source.take(timeout: .milliseconds(200))
            let now = clock.now().microseconds / 1_000_000
            take(events, now: now)
            state.set(status: source.status)
            watch(now: now)
            let market = marketTime(now: now, heardAt: before.connected ? before.lastMessageAt : nil)
            if firstFullMinute == nil, let since = source.status.connectedAt {
                firstFullMinute = since < builder.open ? builder.open : MinuteBarBuilder.minute(since) + 60
            }
            if backfillPending, let full = firstFullMinute, full > builder.open, let first = firstTickTime {
                firstFullMinute = max(full, MinuteBarBuilder.minute(first) + 60)
            }
            let fullFrom = max(firstMinute, firstFullMinute ?? .max)
            if backfillPending {
                // The minutes before the first whole one come from history once that one has begun
                // and the minute before it has closed; until then time stands at the first minute.
                // A feed that never connected before the close has nothing whole: the history has it all.
                if firstFullMinute == nil, market >= builder.close { firstFullMinute = builder.close }
                guard let full = firstFullMinute, full <= firstMinute || market >= full else {
                    let wall = clock.monotonic()
                    if lastClockEvent.map({ wall - $0 >= .milliseconds(200) }) ?? true {
                        lastClockEvent = wall
                        return .clock(min(market, firstMinute))
                    }
                    continue
                }
                backfillPending = false
                if full > firstMinute { fill(from: firstMinute, before: full) }
            }
            for (bar, symbol) in builder.close(before: market) where bar.time >= fullFrom && !alreadyRecorded(bar, symbol) {
                onBar?(bar, symbol)
                queue.append(.bar(bar, symbol: symbol))
            }
            if builder.sessionClosed {
                ended = true
                logger.info("the live feed reached the close", metadata: [
                    "feed": "\(source.name)", "late_ticks": "\(builder.lateTicks)"])
                continue
            }
            // While nothing closes, time still moves: at most every 200 ms of real time.
            let wall = clock.monotonic()
            if queue.isEmpty, lastClockEvent.map({ wall - $0 >= .milliseconds(200) }) ?? true {
                lastClockEvent = wall
                return .clock(market)
            }
        }
    }

    func alreadyRecorded(_ bar: Bar, _ symbol: SymbolID) -> Bool {
        bar.time == firstMinute && recordedInFirstMinute.contains(symbol)
    }

    /// Bars of `[from, before)` from the broker's history, delivered before the feed's own.
    mutating func fill(from: Int64, before: Int64) {
        guard let backfill else {
            logger.warning("the minutes before the feed's first whole minute have no bars (no history to fetch them from)", metadata: [
                "from": "\(IST.dateTime(epochSeconds: from))", "before": "\(IST.dateTime(epochSeconds: before))"])
            return
        }
        do {
            let bars = try backfill(from, before).filter { $0.bar.time >= from && $0.bar.time < before && !alreadyRecorded($0.bar, $0.symbol) }
                .sorted { $0.bar.time != $1.bar.time ? $0.bar.time < $1.bar.time : $0.symbol < $1.symbol }
            for (bar, symbol) in bars {
                onBar?(bar, symbol)
                queue.append(.bar(bar, symbol: symbol))
            }
            logger.notice("bars the feed did not see whole were fetched from the broker's history", metadata: [
                "from": "\(IST.dateTime(epochSeconds: from))", "before": "\(IST.dateTime(epochSeconds: before))", "bars": "\(bars.count)"])
        } catch {
            logger.error("the minutes before the feed's first whole minute could not be fetched; they have no bars", metadata: [
                "from": "\(IST.dateTime(epochSeconds: from))", "before": "\(IST.dateTime(epochSeconds: before))", "error": "\(error)"])
        }
    }

    mutating func take(_ events: [LiveSourceEvent], now: Int64) {
        for event in events {
            switch event {
            case .ticks(let ticks):
                for t in ticks {
                    if firstTickTime == nil { firstTickTime = t.tick.time }
                    if builder.add(t.tick, symbol: t.symbol) {
                        lastTickTime = max(lastTickTime, t.tick.time)
                        lastTickWall = now
                        state.set(lastTickAt: lastTickTime)
                    }
                }
            case .connected(let subscribed):
                logger.notice("the live feed is connected", metadata: ["feed": "\(source.name)", "subscribed": "\(subscribed)"])
            case .disconnected(let why):
                logger.warning("the live feed lost its connection; reconnecting", metadata: ["feed": "\(source.name)", "reason": "\(why)"])
            case .error(let message):
                logger.error("the live feed reported an error", metadata: ["feed": "\(source.name)", "error": "\(message)"])
            case .orderUpdate(let id, let status):
                onOrderUpdate?(id, status)
            case .indiaVIX(let previousClose, let time):
                state.set(indiaVIX: previousClose, time: time)
            }
        }
    }

    /// The staleness watchdog (see the type's documentation).
    mutating func watch(now: Int64) {
        let inHours = now >= builder.open && now < builder.close
        let since = max(lastTickWall ?? builder.open, builder.open)
        let silent = now - since
        if let why = state.stale {
            if let last = lastTickWall, last > now - settings.staleAfterSeconds {
                state.set(stale: nil)
                logger.notice("the live feed has prints again; entries resume", metadata: ["feed": "\(source.name)", "was": "\(why)"])
                onFresh?(why)
            } else if now - lastRemedy >= max(settings.staleAfterSeconds, Int64(5 * max(1, clock.rate))) {
                lastRemedy = now
                source.reconnect(reason: why)
            }
            return
        }
        guard inHours, silent >= settings.staleAfterSeconds else { return }
        let why = "no print for \(silent) s in market hours (limit \(settings.staleAfterSeconds) s)"
        state.set(stale: why)
        logger.error("the live feed is stale: entries are paused and the feed reconnects", metadata: [
            "feed": "\(source.name)", "reason": "\(why)"])
        onStale?(why)
        lastRemedy = now
        source.reconnect(reason: why)
    }
}
