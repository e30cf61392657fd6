import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// The day and the session clock: starting a run or a day, the day's square-off instant and the
/// square-off itself, and the trading days a prop firm counts. The trading core calls these; a driver
/// or a test may call them directly.
extension RiskManager {
    /// Starts a run from `startingCapital`: fresh state (no day, no peak above the capital, no halts).
    public mutating func begin(startingCapital: Int64) {
        var lookback = 0
        if case .kelly(_, let n, _) = rules.sizing { lookback = n }
        state = RiskState(startingCapital: startingCapital, kellyLookback: lookback,
                          correlationWindowDays: rules.rollingCorrelation?.windowDays ?? 0)
        rearm()
    }

    /// Replaces the state (a restart resuming the persisted breakers and halts).
    public mutating func restore(_ saved: RiskState) {
        state = saved
        rearm()
    }

    /// A new trading day: the daily-loss baseline is `equity`, the day's breakers, pauses and halts
    /// end, the losing streak restarts, and yesterday's closes (`lastPrices`) go to the measured
    /// correlation. Call before the day's first fill or bar.
    public mutating func beginDay(equity: Int64, lastPrices: [Int64] = []) {
        state.dayStartEquity = equity
        state.consecutiveLosses = 0
        state.pausedUntil = 0
        state.pause = nil
        state.dayHalt = nil
        state.squareOffAt = 0
        state.tripped.subtract(.daily)
        state.tradedToday = false
        if rules.rollingCorrelation != nil, !lastPrices.isEmpty { state.dailyCloses.record(lastPrices) }
        rearm()
    }

    /// Sets the day's clock from a time on that day: the IST date and the square-off instant.
    /// `session` (UTC epoch seconds) moves the square-off for a session that opens after it or closes
    /// before it (Muhurat, a shortened day) to the same distance before that session's close.
    /// `intraday` false (CNC, NRML) sets no square-off.
    public mutating func setDayClock(time: Int64, session: (open: Int64, close: Int64)? = nil, intraday: Bool = true) {
        let day = Self.istDay(time)
        state.day = day
        state.squareOffAt = 0
        if rules.vixBand != nil, let lookup = indiaVIX, state.vixDay != day {
            state.vixDay = day
            state.indiaVIX = lookup(LocalDate(daysSinceEpoch: Int(day)))
        }
        if intraday, let minute = rules.squareOffMinute {
            let midnight = day * 86_400 - IST.offsetSeconds
            var at = midnight + Int64(minute) * 60
            if let session, session.open < session.close, session.open >= midnight {
                if session.open >= at || session.close <= at {
                    at = max(session.open, session.close - Int64(max(0, rules.sessionCloseMinute - minute)) * 60)
                }
            }
            state.squareOffAt = at
        }
        rearm()
    }

    /// ``beginDay(equity:lastPrices:)`` and ``setDayClock(time:session:intraday:)`` together.
    public mutating func startDay(at time: Int64, equity: Int64, lastPrices: [Int64] = [],
                                  session: (open: Int64, close: Int64)? = nil, intraday: Bool = true) {
        beginDay(equity: equity, lastPrices: lastPrices)
        setDayClock(time: time, session: session, intraday: intraday)
    }

    /// An order filled today: counts the day as a trading day (prop firms' minimum trading days).
    @inline(__always)
    public mutating func recordFill() {
        if !state.tradedToday {
            state.tradedToday = true
            state.tradingDays += 1
        }
    }

    /// The clock reached ``RiskWatch/nextTime``: at the square-off time, intraday positions are
    /// closed and no entries follow that day. Call when a bar starts at or after `watch.nextTime`.
    public mutating func clockReached(time: Int64) -> RiskTrip? {
        defer { rearm() }
        guard state.squareOffAt > 0, time >= state.squareOffAt, !state.tripped.contains(.squareOff) else { return nil }
        state.tripped.insert(.squareOff)
        let at = RiskFormat.time(minute: Self.istMinute(state.squareOffAt))
        let text = "square-off at \(at): intraday positions closed, no new entries today"
        if state.dayHalt == nil {
            state.dayHalt = RiskRejection(rule: RiskRule.squareOff, reason: text, value: Double(Self.istMinute(time)), limit: Double(Self.istMinute(state.squareOffAt)))
        }
        return RiskTrip(rule: RiskRule.squareOff, action: .squaredOff, severity: .info, flatten: true, haltsRun: false,
                        value: nil, limit: nil, message: text)
    }
}
