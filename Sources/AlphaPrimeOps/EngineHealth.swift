import AlphaPrimeSupport
import AlphaPrimeDomain
import Foundation

/// Whether the engine runs when it should, and is alive.
///
/// During market hours (``MarketHours``): an engine must hold the engine lock (none is a warning:
/// a trader may sit a day out) and its heartbeat (`engine_state.heartbeat_at_us` of the mode it
/// runs in, written every 2 s) must be younger than 30 s (older, or none, is a failure: the engine
/// may be hung). Outside market hours the line is `info`, unless a running engine's heartbeat is
/// stale (a warning).
public enum EngineHealth {
    public static let heartbeatLimitSeconds: Int64 = 30

    /// - Parameters:
    ///   - holder: who holds the engine lock; nil when no engine runs.
    ///   - heartbeat: the last heartbeat of the mode the holder runs in.
    ///   - calendar: nil when the calendar does not load: a running engine is then held to the
    ///     market-hours rule, a stopped one is only reported.
    ///   - marketTime: the instant the calendar is asked about; `now`: the wall clock heartbeats are
    ///     measured against.
    public static func check(holder: EngineLockHolder?, heartbeat: UTCTimestamp?, calendar: TradingCalendar?, marketTime: Int64,
                             now: UTCTimestamp, limitSeconds: Int64 = heartbeatLimitSeconds) -> HealthFinding {
        let market = calendar.map { MarketHours.state($0, at: marketTime) }
            ?? (inSession: false, text: "market hours unknown (no trading calendar)")
        guard let holder else {
            if market.inSession {
                return .warning("engine", "not running and \(market.text); start it: engine run --mode paper|live")
            }
            return .info("engine", "not running; \(market.text)")
        }
        let running = "running (\(holder))"
        guard let heartbeat else {
            return market.inSession || calendar == nil
                ? .failure("engine", "\(running) but it has written no heartbeat; see: engine status")
                : .warning("engine", "\(running) but it has written no heartbeat; \(market.text)")
        }
        // A heartbeat a little ahead of this clock (another host's clock) counts as fresh.
        let age = max(0, (now.microseconds - heartbeat.microseconds) / 1_000_000)
        let text = "\(running), heartbeat \(ResourceHealth.age(seconds: age)) ago"
        if age >= limitSeconds {
            let stale = "\(text), over \(limitSeconds) s: it may be hung; see engine status (engine emergency-stop if it does not recover)"
            return market.inSession || calendar == nil ? .failure("engine", stale) : .warning("engine", "\(stale); \(market.text)")
        }
        return market.inSession ? .ok("engine", "\(text); \(market.text)") : .info("engine", "\(text); \(market.text)")
    }
}
