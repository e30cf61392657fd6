import AlphaPrimeSupport
import Foundation

/// Questions about an instant. Instants are UTC epoch seconds (storage is UTC); each question
/// also takes a `Date` for interactive tools. The market day of an instant is its IST date.
extension TradingCalendar {
    /// What the market is doing at an instant. When windows overlap (a closing auction while
    /// derivatives still trade), continuous trading wins: `.open`.
    public enum MarketPhase: String, Hashable, Sendable {
        case closed
        case preOpen = "pre_open"
        case open
        case closingAuction = "closing_auction"
        case closingSession = "closing_session"
    }

    /// The IST date and time of an instant.
    @inlinable public func localDateTime(at epochSeconds: Int64) -> ISTDateTime {
        IST.dateTime(epochSeconds: epochSeconds)
    }

    /// The session of the IST date an instant falls on (whether or not it is inside it).
    public func session(at epochSeconds: Int64) -> Session? {
        session(on: IST.dateTime(epochSeconds: epochSeconds).date)
    }

    public func phase(at epochSeconds: Int64) -> MarketPhase {
        let local = IST.dateTime(epochSeconds: epochSeconds)
        guard let hours = hoursIfTrading(on: local.date) else { return .closed }
        let s = local.secondOfDay
        if hours.session.contains(secondOfDay: s) { return .open }
        if hours.closingAuction?.contains(secondOfDay: s) == true { return .closingAuction }
        if hours.closingSession?.contains(secondOfDay: s) == true { return .closingSession }
        if hours.preOpen?.contains(secondOfDay: s) == true { return .preOpen }
        return .closed
    }

    /// Whether continuous trading is on at an instant: inside `[open, close)` of that date's session.
    public func isMarketOpen(at epochSeconds: Int64) -> Bool {
        let local = IST.dateTime(epochSeconds: epochSeconds)
        return hoursIfTrading(on: local.date)?.session.contains(secondOfDay: local.secondOfDay) ?? false
    }

    /// Seconds until continuous trading closes, or nil when it is not on.
    public func secondsToClose(at epochSeconds: Int64) -> Int? {
        let local = IST.dateTime(epochSeconds: epochSeconds)
        guard let w = hoursIfTrading(on: local.date)?.session, w.contains(secondOfDay: local.secondOfDay) else { return nil }
        return w.close.minutes * 60 - local.secondOfDay
    }

    /// Whole minutes until continuous trading closes, rounded down (15:00:00 → 30, 15:29:30 → 0),
    /// or nil when it is not on. Rounding down errs on the side of acting early (square-off).
    public func minutesToClose(at epochSeconds: Int64) -> Int? {
        secondsToClose(at: epochSeconds).map { $0 / 60 }
    }

    /// Whole minutes since continuous trading opened, rounded down (09:15:59 → 0), or nil when it
    /// is not on.
    public func minutesSinceOpen(at epochSeconds: Int64) -> Int? {
        let local = IST.dateTime(epochSeconds: epochSeconds)
        guard let w = hoursIfTrading(on: local.date)?.session, w.contains(secondOfDay: local.secondOfDay) else { return nil }
        return (local.secondOfDay - w.open.minutes * 60) / 60
    }

    // MARK: Date conveniences

    @inlinable public func localDateTime(at date: Date) -> ISTDateTime { IST.dateTime(date) }
    public func session(at date: Date) -> Session? { session(at: IST.epochSeconds(date)) }
    public func phase(at date: Date) -> MarketPhase { phase(at: IST.epochSeconds(date)) }
    public func isMarketOpen(at date: Date) -> Bool { isMarketOpen(at: IST.epochSeconds(date)) }
    public func secondsToClose(at date: Date) -> Int? { secondsToClose(at: IST.epochSeconds(date)) }
    public func minutesToClose(at date: Date) -> Int? { minutesToClose(at: IST.epochSeconds(date)) }
    public func minutesSinceOpen(at date: Date) -> Int? { minutesSinceOpen(at: IST.epochSeconds(date)) }

    /// The hours of a date's session, or nil when it is not a trading day (no `Session` built).
    private func hoursIfTrading(on date: LocalDate) -> DayHours? {
        if let special = specialSession(on: date) { return special.hours }
        guard isTradingDay(date) else { return nil }
        return normalHours(on: date)
    }
}
