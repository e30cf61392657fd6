import AlphaPrimeSupport
import AlphaPrimeDomain

/// The side of a run that differs between a backtest and an engine session: the broker the orders
/// go to and what is recorded along the way. ``SessionLoop`` drives it; the order of events is the
/// loop's alone.
///
/// The backtester's host keeps the simulated broker as a value and records nothing (its run cannot
/// fail: `Failure` is `Never`); the engine's host sends orders through the broker port and the
/// write-ahead journal, paces the replay on the clock port, answers control requests and rebuilds
/// its state after a restart.
protocol SessionHost {
    associatedtype Failure: Error

    /// The next instant the trading core acts on without a bar (the square-off time), or
    /// `Int64.max` when there is none.
    var nextClockEvent: Int64 { get }
    /// The close (UTC epoch seconds) of the session in progress, or nil when the calendar does not
    /// know it (the session-close rule then does nothing but end the day).
    var sessionClose: Int64? { get }
    /// The open of the session in progress, for a live feed's `.clock` events (nil: a backtest,
    /// which never gets them).
    var liveSessionOpen: Int64? { get }

    /// The first bar of a new IST trading day (`day`: days since 1970-01-01) is about to be processed.
    mutating func sessionOpens(day: Int64) throws(Failure)
    /// A new minute begins; `previous` is the minute whose bars were all processed (nil before the
    /// first). Returns false to end the run here (a stop request).
    mutating func minuteBegins(_ minute: Int64, previous: Int64?) throws(Failure) -> Bool
    /// The clock reached `time` with no bar at that instant: the core acts on it.
    mutating func clockReached(_ time: Int64) throws(Failure)
    /// One closed bar: the broker sees it first, then the strategies, then the orders go out.
    mutating func bar(_ bar: Bar, symbol: SymbolID) throws(Failure)
    /// A trade print between bars.
    mutating func tick(_ tick: Tick, symbol: SymbolID) throws(Failure)
    /// A live feed's market time moved on with nothing else to deliver (`time`, UTC epoch
    /// seconds): the host does what it does while waiting (heartbeat, control requests). Returns
    /// false to end the run here (a stop request).
    mutating func idle(_ time: Int64) throws(Failure) -> Bool
    /// The feed has ended; `lastMinute` is the last bar's minute (nil when there was none).
    /// Returns false when the last session must not be closed: its data ended well before the
    /// close, so it is left to be completed later (the host records it as such).
    mutating func feedEnded(lastMinute: Int64?) throws(Failure) -> Bool

    /// Squares off the intraday positions still open at the close, at their last known prices,
    /// stamped with the session's last bar (nil when no bar came). The host knows which positions
    /// are intraday.
    mutating func squareOffAtClose(lastBarTime: Int64?) throws(Failure)
    /// Orders still working at the close expire (DAY validity).
    mutating func expireWorkingOrders(at close: Int64) throws(Failure)
    /// The session is over: the day's figures are taken.
    mutating func sessionClosed(day: Int64) throws(Failure)
}

extension SessionHost {
    mutating func tick(_ tick: Tick, symbol: SymbolID) throws(Failure) {}
    mutating func idle(_ time: Int64) throws(Failure) -> Bool { true }
    var liveSessionOpen: Int64? { nil }
}

/// How a loop ended.
enum SessionLoopEnd: Equatable {
    /// The feed ran out; the last session was closed.
    case feedEnded
    /// The host ended the run between two minutes (a stop request); no session was closed.
    case stopped
    /// The feed ended well before the last session's close; that session was left open.
    case dataEndedEarly
}

/// The one event loop over a ``TradingCore``, for a backtest, a replayed paper day and a live day:
/// only the host (broker and recording), the feed and the clock differ.
///
/// Events are handled in one order. A bar of a new minute first ends the previous minute (the host
/// may stop there); a bar of a new IST day closes the previous session and opens the next; when the
/// core's clock event (the square-off instant) lies before the bar it happens first, so a session's
/// rules never wait for data; then the bar itself. When the feed ends, the last session is closed
/// (unless the host says its data ended well before the close: it is then left to be completed).
///
/// **The session-close rule**, the same for every run: a clock event still due before the close
/// happens; intraday positions still open are squared off at the last known price (the broker's
/// auto square-off), stamped with the session's last bar; orders still working expire at the
/// close; the day's figures are taken.
enum SessionLoop {
    /// Runs `host` over every event of `feed`. `openDay` is the day of a session already open before
    /// the first bar (an engine session, which closes even when no bar comes); nil opens sessions
    /// with their first bar (a backtest over many days).
    @inline(__always)
    static func run<Feed: MarketFeed, Host: SessionHost>(
        feed: inout Feed, host: inout Host, openDay: Int64? = nil
    ) throws(Host.Failure) -> SessionLoopEnd {
        var day = openDay ?? Int64.min
        // The instants [dayStart, dayEnd) of `day`: a bar inside them is of the same day without
        // working its day out.
        var (dayStart, dayEnd) = openDay.map(dayBounds) ?? (Int64.max, Int64.min)
        var minute = Int64.min
        var lastBarTime = Int64.min
        while let event = feed.next() {
            let bar: Bar, symbol: SymbolID
            switch event {
            case .bar(let b, let s):
                bar = b; symbol = s
            case .tick(let t, let s):
                try host.tick(t, symbol: s)
                continue
            case .clock(let time):
                // Market time reached `time` with no bar: every minute complete by then begins.
                let complete = time - ((time % 60) + 60) % 60 - 60
                if host.liveSessionOpen != nil {
                    guard try beginQuietMinutes(through: complete, minute: &minute, host: &host) else { return .stopped }
                }
                guard try host.idle(time) else { return .stopped }
                continue
            }
            if bar.time != minute {
                if host.liveSessionOpen != nil {
                    guard try beginQuietMinutes(through: bar.time - 60, minute: &minute, host: &host) else { return .stopped }
                }
                guard try host.minuteBegins(bar.time, previous: minute == .min ? nil : minute) else { return .stopped }
                if bar.time < dayStart || bar.time >= dayEnd {
                    let barDay = RiskManager.istDay(bar.time)
                    if barDay != day {
                        if day != .min { try closeSession(&host, day: day, lastBarTime: lastBarTime) }
                        day = barDay
                        try host.sessionOpens(day: barDay)
                    }
                    (dayStart, dayEnd) = dayBounds(barDay)
                }
                minute = bar.time
            }
            let clock = host.nextClockEvent
            if bar.time > clock { try host.clockReached(clock) }
            try host.bar(bar, symbol: symbol)
            lastBarTime = bar.time
        }
        guard try host.feedEnded(lastMinute: minute == .min ? nil : minute) else { return .dataEndedEarly }
        if day != .min { try closeSession(&host, day: day, lastBarTime: lastBarTime) }
        return .feedEnded
    }

    /// The first instant of IST day `day` and the first of the next (UTC epoch seconds).
    @inline(__always)
    static func dayBounds(_ day: Int64) -> (Int64, Int64) {
        (day * 86_400 - IST.offsetSeconds, (day + 1) * 86_400 - IST.offsetSeconds)
    }

    /// A live session begins every minute from the open in order, whether a bar of it came or not
    /// (a quiet or stalled feed), so a restart that replays the recorded bars begins the same
    /// minutes: each minute after `minute` through `last` that no bar began begins here, and the
    /// core's clock event happens after it when a bar of it would have made it happen.
    static func beginQuietMinutes<Host: SessionHost>(through last: Int64, minute: inout Int64,
                                                     host: inout Host) throws(Host.Failure) -> Bool {
        guard let open = host.liveSessionOpen else { return true }
        var next = minute == .min ? open : minute + 60
        while next <= last {
            guard try host.minuteBegins(next, previous: minute == .min ? nil : minute) else { return false }
            minute = next
            let clock = host.nextClockEvent
            if next > clock { try host.clockReached(clock) }
            next += 60
        }
        return true
    }

    /// The session-close rule (see the type's documentation).
    static func closeSession<Host: SessionHost>(_ host: inout Host, day: Int64, lastBarTime: Int64) throws(Host.Failure) {
        if let close = host.sessionClose {
            let clock = host.nextClockEvent
            if clock < close { try host.clockReached(clock) }
            try host.squareOffAtClose(lastBarTime: lastBarTime == .min ? nil : lastBarTime)
            try host.expireWorkingOrders(at: close)
        }
        try host.sessionClosed(day: day)
    }
}
