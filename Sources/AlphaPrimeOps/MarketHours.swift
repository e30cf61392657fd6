import AlphaPrimeSupport
import AlphaPrimeDomain
import Foundation

/// Market hours as the maintenance gate and the engine's health check see them: the continuous
/// session of a trading day, `[open, close)` (09:15–15:30 IST on a normal day), the hours in which
/// `trading-calendar minutes-to-close` answers with a number.
public enum MarketHours {
    /// Whether the market is in session at an instant, and a line saying so.
    public static func state(_ calendar: TradingCalendar, at instant: Int64) -> (inSession: Bool, text: String) {
        let local = calendar.localDateTime(at: instant)
        let now = "now \(local.time) IST"
        guard let session = calendar.session(on: local.date) else {
            return (false, "the market is closed (\(CalendarAnswers.answer(for: local.date, in: calendar).line); \(now))")
        }
        let line = CalendarAnswers.sessionLine(session)
        if calendar.isMarketOpen(at: instant) { return (true, "the market is in session (\(line); \(now))") }
        let when = instant < session.openEpochSeconds ? "opens at \(session.open)" : "closed at \(session.close)"
        return (false, "the market is closed (\(line); \(when) IST, \(now))")
    }
}

/// Whether the heavy database maintenance (`VACUUM`, a checkpoint) may run now.
///
/// It runs when no engine holds the engine lock. While one does, it is refused during market hours
/// whatever the flags (it would hold up the engine's writes while orders are live), and outside
/// them unless `--force` is given. When the trading calendar cannot be read, market hours cannot be
/// ruled out and the engine is protected as if the market were open.
public enum MaintenanceWindow {
    public enum Verdict: Sendable, Equatable {
        /// Go ahead; the note (an engine runs and `--force` was given) is worth printing.
        case proceed(note: String?)
        /// Do not: the message names the engine and what to do.
        case refuse(String)
    }

    /// - Parameters:
    ///   - operation: the subcommand, as the trader types it (`vacuum`, `checkpoint`).
    ///   - holder: who holds the engine lock; nil when no engine runs.
    ///   - calendar: the trading calendar, nil when it does not load.
    ///   - instant: now, in UTC epoch seconds.
    public static func decide(operation: String, holder: EngineLockHolder?, calendar: TradingCalendar?, at instant: Int64,
                              force: Bool) -> Verdict {
        guard let holder else { return .proceed(note: nil) }
        let engine = "an engine is running on this database (\(holder))"
        guard let calendar else {
            return .refuse("\(engine) and the trading calendar (config/trading_hours.yaml) cannot be read, so market hours "
                           + "cannot be ruled out; \(operation) waits until the engine stops (fix the calendar, then "
                           + "use --force outside market hours)")
        }
        let market = MarketHours.state(calendar, at: instant)
        if market.inSession {
            return .refuse("\(engine) and \(market.text); \(operation) would hold up its writes: run it after the close "
                           + "(use --force outside market hours; it is not honoured during them)")
        }
        guard force else {
            return .refuse("\(engine); \(market.text): use --force outside market hours to \(operation) anyway "
                           + "(db-maintenance \(operation) --force), or stop the engine first")
        }
        return .proceed(note: "\(engine); \(market.text): going ahead (--force)")
    }
}
