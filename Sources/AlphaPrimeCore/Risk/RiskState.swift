import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// Limits the account's equity or the clock can cross, kept as plain integers so the trading core
/// checks them on every bar and fill with two comparisons. Derived from the rules and the state.
public struct RiskWatch: Sendable, Equatable {
    /// Equity at or below this trips something (the highest armed floor).
    public var floor: Int64 = .min
    /// Equity at or above this trips something (the prop firm's profit target).
    public var ceiling: Int64 = .max
    /// A bar starting at or after this time trips something (the square-off).
    public var nextTime: Int64 = .max
}

/// Thresholds that have already tripped (and so are disarmed) — the daily ones for today.
public struct RiskTripped: OptionSet, Sendable, Codable, Equatable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public static let dailyMaxLoss = RiskTripped(rawValue: 1 << 0)
    public static let halfDailyLimit = RiskTripped(rawValue: 1 << 1)
    public static let squareOff = RiskTripped(rawValue: 1 << 2)
    public static let killSwitchDailyLoss = RiskTripped(rawValue: 1 << 3)
    public static let killSwitchDrawdown = RiskTripped(rawValue: 1 << 4)
    public static let maxDrawdown = RiskTripped(rawValue: 1 << 5)
    public static let daily: RiskTripped = [.dailyMaxLoss, .halfDailyLimit, .squareOff]
}

/// A prop firm account's standing under its rules.
public enum PropFirmStatus: String, Sendable, Codable {
    case inProgress = "in_progress"
    /// The profit target was reached (trading stopped); see ``RiskState/tradingDays`` for the minimum days.
    case targetReached = "target_reached"
    /// A firm limit was broken.
    case failed
}

/// What the risk stage remembers between signals: the day, the peak, breakers, halts, the recent
/// trades. `Codable`, so the engine can persist it and a restart resumes with the same breakers.
public struct RiskState: Sendable, Codable, Equatable {
    public var startingCapital: Int64 = 0
    /// IST day (days since 1970-01-01) the day-level state belongs to; `Int64.min` before the first.
    public var day: Int64 = .min
    public var dayStartEquity: Int64 = 0
    public var peakEquity: Int64 = 0
    /// Losing trades in a row today.
    public var consecutiveLosses = 0
    /// Entries are paused while a bar starts before this (UTC epoch seconds); `pause` says why.
    public var pausedUntil: Int64 = 0
    public var pause: RiskRejection?
    /// Entries stopped for the rest of the day, and why.
    public var dayHalt: RiskRejection?
    /// Entries stopped for the run, and why (the kill switch, max drawdown, the prop firm's rules).
    public var halt: RiskRejection?
    /// Today's square-off instant (UTC epoch seconds); 0 when none.
    public var squareOffAt: Int64 = 0
    public var tripped: RiskTripped = []
    public var tradedToday = false
    /// Days on which at least one order filled.
    public var tradingDays = 0
    public var propFirmStatus: PropFirmStatus = .inProgress
    /// India VIX for the day (looked up once when the day's clock is set); `vixDay` is its IST day.
    public var indiaVIX: Double?
    public var vixDay: Int64 = .min
    public var recentTrades: TradeOutcomeWindow
    public var dailyCloses: DailyCloseHistory

    public init(startingCapital: Int64 = 0, kellyLookback: Int = 0, correlationWindowDays: Int = 0) {
        self.startingCapital = startingCapital
        dayStartEquity = startingCapital
        peakEquity = startingCapital
        recentTrades = TradeOutcomeWindow(capacity: kellyLookback)
        dailyCloses = DailyCloseHistory(windowDays: correlationWindowDays)
    }
}
