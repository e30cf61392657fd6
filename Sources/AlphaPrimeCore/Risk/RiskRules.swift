import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import Foundation

/// The names rules go by in rejections and risk events: their key paths in `risk_config.yaml`.
public enum RiskRule {
    public static let perTradeRisk = "risk.per_trade_risk_pct"
    public static let dailyMaxLoss = "risk.daily_max_loss_pct"
    public static let maxDrawdown = "risk.max_drawdown_pct"
    public static let maxOpenPositions = "risk.max_open_positions"
    public static let maxExposurePerSymbol = "risk.max_exposure_per_symbol_pct"
    public static let maxTotalExposure = "risk.max_total_exposure_pct"
    public static let kelly = "sizing.kelly_fraction"
    public static let sizing = "sizing.method"
    /// A live strategy's stage share leaves less than one lot (strategy status; docs/lifecycle.md).
    public static let lifecycleStage = "lifecycle.stage"
    public static let correlationGroups = "correlation.groups"
    public static let rollingCorrelation = "correlation.rolling"
    public static let consecutiveLosses = "circuit_breakers.max_consecutive_losses"
    public static let halfDailyLimitPause = "circuit_breakers.half_daily_limit_pause_minutes"
    public static let noEntryFirstMinutes = "time_filters.no_entry_first_minutes"
    public static let noEntryLastMinutes = "time_filters.no_entry_last_minutes"
    public static let squareOff = "time_filters.square_off_time"
    public static let blackout = "time_filters.blackout_windows"
    public static let vix = "vix_filter"
    public static let killSwitchDailyLoss = "kill_switch.daily_loss_pct"
    public static let killSwitchDrawdown = "kill_switch.drawdown_pct"
    public static let propDailyLoss = "prop_firm.daily_loss_limit_pct"
    public static let propDrawdown = "prop_firm.max_drawdown_pct"
    public static let propProfitTarget = "prop_firm.profit_target_pct"
    /// Entries stopped by the engine itself (a stop, an emergency stop) rather than by a rule.
    public static let entriesHalted = "entries_halted"
    /// New entries paused while the live market feed is stale (no print for too long in market hours).
    public static let feedStale = "feed_stale"
}

/// A percentage held exactly as parts per million of the base (1.5% = 15_000), so amounts of money
/// derived from it are exact integer paise: `floor(base × ppm / 1_000_000)`.
public struct RiskPercent: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    public var ppm: Int64

    public init(ppm: Int64) { self.ppm = ppm }

    /// From a percentage as written in the config (`0.25` → 2_500 ppm), to the nearest ppm.
    public init(percent: Double) { ppm = Int64((percent * 10_000).rounded()) }

    public var percent: Double { Double(ppm) / 10_000 }

    /// `floor(base × ppm / 1_000_000)` for a base ≥ 0, exact for any Int64 base (no overflow): one
    /// multiply and a division by a constant, with a 128-bit path for bases beyond ₹9 lakh crore.
    @inlinable @inline(__always)
    public func of(_ base: Int64) -> Int64 {
        guard base > 0 else { return 0 }
        let (product, overflow) = base.multipliedReportingOverflow(by: ppm)
        return overflow ? wide(base) : product / 1_000_000
    }

    @usableFromInline @inline(never)
    func wide(_ base: Int64) -> Int64 {
        Int64(1_000_000).dividingFullWidth(base.multipliedFullWidth(by: ppm)).quotient
    }

    public var description: String { "\(RiskFormat.number(percent))%" }
}

/// The rules of one risk configuration, resolved for the run: percentages as exact ppm, symbols as
/// ids, times as minutes. A nil rule is off.
public struct RiskRules: Sendable, Equatable {
    public enum Sizing: Sendable, Equatable {
        /// The strategy's own quantity, or `lots` lots when the signal asks for none.
        case fixedQuantity(lots: Int64)
        /// Per-trade risk % of equity ÷ stop distance, rounded down to whole lots.
        case fixedFractional
        /// Fixed fractional with the risk % capped at `fraction` × full Kelly of the last
        /// `lookback` closed trades (once `minimumTrades` of them exist).
        case kelly(fraction: Double, lookback: Int, minimumTrades: Int)
    }

    public struct Group: Sendable, Equatable {
        public var name: String
        public var symbols: [SymbolID]
        public var maxOpenPositions: Int
    }

    public struct Blackout: Sendable, Equatable {
        /// IST minutes of the day, [start, end).
        public var start: Int
        public var end: Int
        public var reason: String?
    }

    public struct PropFirm: Sendable, Equatable {
        public var name: String
        public var dailyLossLimit: RiskPercent
        public var maxDrawdown: RiskPercent
        public var drawdownMode: RiskConfig.DrawdownMode
        public var profitTarget: RiskPercent?
        public var minTradingDays: Int
    }

    public var sizing: Sizing = .fixedQuantity(lots: 1)
    public var perTradeRisk: RiskPercent?
    public var dailyMaxLoss: RiskPercent?
    /// Flatten every position when the daily max loss is reached (entries stop either way).
    public var flattenOnDailyMaxLoss = false
    public var maxDrawdown: RiskPercent?
    /// How `maxDrawdown` and the kill switch's drawdown are measured.
    public var drawdownMode: RiskConfig.DrawdownMode = .trailing
    public var maxOpenPositions: Int?
    public var maxExposurePerSymbol: RiskPercent?
    public var maxTotalExposure: RiskPercent?
    public var groups: [Group] = []
    /// Measured correlation of daily returns; nil when off.
    public var rollingCorrelation: (windowDays: Int, maxCorrelation: Double)?
    public var maxConsecutiveLosses: Int?
    /// Pause after the losing streak, seconds; nil = for the rest of the day.
    public var consecutiveLossPauseSeconds: Int64?
    /// Pause after losing half the daily max loss, seconds; nil = rule off.
    public var halfDailyLimitPauseSeconds: Int64?
    public var noEntryFirstMinutes = 0
    public var noEntryLastMinutes = 0
    /// IST minute of the day at which intraday positions are closed; nil = no square-off.
    public var squareOffMinute: Int?
    public var blackouts: [Blackout] = []
    /// India VIX band for new entries; nil = filter off.
    public var vixBand: ClosedRange<Double>?
    public var killSwitchDailyLoss: RiskPercent?
    public var killSwitchDrawdown: RiskPercent?
    public var propFirm: PropFirm?
    /// The normal session (IST minutes), for the time filters when the calendar gives no position.
    public var sessionOpenMinute = 9 * 60 + 15
    public var sessionCloseMinute = 15 * 60 + 30

    /// No rules: every entry approved at the strategy's quantity (or one lot), nothing trips.
    public init() {}

    public static func == (a: RiskRules, b: RiskRules) -> Bool {
        a.sizing == b.sizing && a.perTradeRisk == b.perTradeRisk && a.dailyMaxLoss == b.dailyMaxLoss
            && a.flattenOnDailyMaxLoss == b.flattenOnDailyMaxLoss && a.maxDrawdown == b.maxDrawdown
            && a.drawdownMode == b.drawdownMode && a.maxOpenPositions == b.maxOpenPositions
            && a.maxExposurePerSymbol == b.maxExposurePerSymbol && a.maxTotalExposure == b.maxTotalExposure
            && a.groups == b.groups && a.rollingCorrelation?.windowDays == b.rollingCorrelation?.windowDays
            && a.rollingCorrelation?.maxCorrelation == b.rollingCorrelation?.maxCorrelation
            && a.maxConsecutiveLosses == b.maxConsecutiveLosses && a.consecutiveLossPauseSeconds == b.consecutiveLossPauseSeconds
            && a.halfDailyLimitPauseSeconds == b.halfDailyLimitPauseSeconds && a.noEntryFirstMinutes == b.noEntryFirstMinutes
            && a.noEntryLastMinutes == b.noEntryLastMinutes && a.squareOffMinute == b.squareOffMinute
            && a.blackouts == b.blackouts && a.vixBand == b.vixBand && a.killSwitchDailyLoss == b.killSwitchDailyLoss
            && a.killSwitchDrawdown == b.killSwitchDrawdown && a.propFirm == b.propFirm
            && a.sessionOpenMinute == b.sessionOpenMinute && a.sessionCloseMinute == b.sessionCloseMinute
    }

    /// The rules of a risk configuration for a run trading `instruments` (SymbolID = index).
    /// Correlation-group symbols not traded in the run are left out of their group.
    public init(config: RiskConfig, instruments: [Instrument],
                session: (open: TimeOfDay, close: TimeOfDay) = (TimeOfDay(hour: 9, minute: 15)!, TimeOfDay(hour: 15, minute: 30)!)) {
        let limits = config.risk
        switch config.sizing.method {
        case .fixedQuantity: sizing = .fixedQuantity(lots: Int64(config.sizing.fixedQuantityLots ?? 1))
        case .fixedFractional: sizing = .fixedFractional
        case .kelly:
            let lookback = config.sizing.kellyLookbackTrades ?? 50
            sizing = .kelly(fraction: config.sizing.kellyFraction ?? 0.25, lookback: lookback,
                            minimumTrades: min(lookback, RiskRules.kellyMinimumTrades))
        }
        perTradeRisk = RiskPercent(percent: limits.perTradeRiskPct)
        dailyMaxLoss = RiskPercent(percent: limits.dailyMaxLossPct)
        flattenOnDailyMaxLoss = limits.flattenOnDailyMaxLoss ?? false
        maxDrawdown = RiskPercent(percent: limits.maxDrawdownPct)
        drawdownMode = limits.drawdownMode
        maxOpenPositions = limits.maxOpenPositions
        maxExposurePerSymbol = RiskPercent(percent: limits.maxExposurePerSymbolPct)
        maxTotalExposure = RiskPercent(percent: limits.maxTotalExposurePct)
        let ids = Dictionary(instruments.enumerated().map { ($0.element.symbol, $0.offset) }, uniquingKeysWith: { a, _ in a })
        groups = config.correlation.groups.map { g in
            Group(name: g.name, symbols: g.symbols.compactMap { ids[$0] }, maxOpenPositions: g.maxOpenPositions)
        }
        if config.correlation.rolling.enabled {
            rollingCorrelation = (config.correlation.rolling.windowDays, config.correlation.rolling.maxCorrelation)
        }
        maxConsecutiveLosses = config.circuitBreakers.maxConsecutiveLosses
        consecutiveLossPauseSeconds = config.circuitBreakers.consecutiveLossPauseMinutes.map { Int64($0) * 60 }
        halfDailyLimitPauseSeconds = config.circuitBreakers.halfDailyLimitPauseMinutes.map { Int64($0) * 60 }
        noEntryFirstMinutes = config.timeFilters.noEntryFirstMinutes
        noEntryLastMinutes = config.timeFilters.noEntryLastMinutes
        squareOffMinute = config.timeFilters.squareOffTime.minutes
        blackouts = config.timeFilters.blackoutWindows.map { Blackout(start: $0.start.minutes, end: $0.end.minutes, reason: $0.reason) }
        if config.vixFilter.enabled { vixBand = config.vixFilter.min...config.vixFilter.max }
        killSwitchDailyLoss = RiskPercent(percent: config.killSwitch.dailyLossPct)
        killSwitchDrawdown = RiskPercent(percent: config.killSwitch.drawdownPct)
        if let firm = config.propFirm {
            propFirm = PropFirm(name: firm.name, dailyLossLimit: RiskPercent(percent: firm.dailyLossLimitPct),
                                maxDrawdown: RiskPercent(percent: firm.maxDrawdownPct), drawdownMode: firm.drawdownMode,
                                profitTarget: firm.profitTargetPct.map { RiskPercent(percent: $0) },
                                minTradingDays: firm.minTradingDays ?? 0)
        }
        sessionOpenMinute = session.open.minutes
        sessionCloseMinute = session.close.minutes
    }

    /// Closed trades the Kelly bound needs before it applies (fewer say too little about the edge).
    public static let kellyMinimumTrades = 10
}

/// Numbers as the trader reads them in rejections and risk events.
public enum RiskFormat {
    /// `₹1,23,456.78`: rupees with Indian digit grouping and two decimals.
    public static func rupees(_ paise: Int64) -> String {
        let negative = paise < 0
        let magnitude = paise.magnitude
        let whole = magnitude / 100, fraction = magnitude % 100
        var digits = Array(String(whole))
        var grouped: [Character] = []
        var count = 0
        while let d = digits.popLast() {
            if count == 3 || (count > 3 && (count - 3) % 2 == 0) { grouped.append(",") }
            grouped.append(d)
            count += 1
        }
        return (negative ? "-₹" : "₹") + String(grouped.reversed()) + "." + (fraction < 10 ? "0" : "") + String(fraction)
    }

    /// `2`, `0.25`, `1.234`: at most four decimals, no trailing zeros.
    public static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        var text = String(format: "%.4f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// A share of a base as a percentage with two decimals: `1.98%`.
    public static func percent(_ part: Int64, of base: Int64) -> String {
        guard base != 0 else { return "n/a" }
        return String(format: "%.2f%%", Double(part) / Double(base) * 100)
    }

    /// `HH:MM` of an IST minute of the day.
    public static func time(minute: Int) -> String {
        TimeOfDay(minutes: ((minute % 1440) + 1440) % 1440)?.description ?? "\(minute)"
    }
}
