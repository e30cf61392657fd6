import AlphaPrimeSupport

/// `config/risk_config.yaml` and its presets (`risk_config_<preset>.yaml`): the rules every signal
/// passes before it becomes an order. Percentages are of equity (`1.5` = 1.5%).
public struct RiskConfig: Codable, Sendable, Equatable {
    public enum DrawdownMode: String, Codable, Sendable, CaseIterable, ConfigChoice {
        /// Measured from the starting capital.
        case `static`
        /// Measured from the highest equity reached.
        case trailing
    }

    public struct Limits: Codable, Sendable, Equatable {
        public var perTradeRiskPct: Double
        public var dailyMaxLossPct: Double
        public var maxDrawdownPct: Double
        public var drawdownMode: DrawdownMode
        public var maxOpenPositions: Int
        /// Notional value of one symbol's positions as a % of equity (can exceed 100 with MIS leverage).
        public var maxExposurePerSymbolPct: Double
        public var maxTotalExposurePct: Double
        /// Also flatten every position when the daily max loss is reached (entries stop either way);
        /// absent = false.
        public var flattenOnDailyMaxLoss: Bool?

        enum CodingKeys: String, CodingKey {
            case perTradeRiskPct = "per_trade_risk_pct", dailyMaxLossPct = "daily_max_loss_pct"
            case maxDrawdownPct = "max_drawdown_pct", drawdownMode = "drawdown_mode"
            case maxOpenPositions = "max_open_positions", maxExposurePerSymbolPct = "max_exposure_per_symbol_pct"
            case maxTotalExposurePct = "max_total_exposure_pct", flattenOnDailyMaxLoss = "flatten_on_daily_max_loss"
        }
    }

    public struct Sizing: Codable, Sendable, Equatable {
        public enum Method: String, Codable, Sendable, CaseIterable, ConfigChoice {
            /// risk % × equity ÷ stop distance, rounded down to the lot size.
            case fixedFractional = "fixed_fractional"
            /// Fixed fractional, capped by a fraction of the Kelly size from recent trades.
            case kelly
            /// The same number of lots every time.
            case fixedQuantity = "fixed_quantity"
        }

        public var method: Method
        /// Fraction of full Kelly used as the upper bound (0 < f ≤ 1); required for `kelly`.
        public var kellyFraction: Double?
        /// Trades the Kelly estimate looks back over; required for `kelly`.
        public var kellyLookbackTrades: Int?
        /// Lots per order; required for `fixed_quantity`.
        public var fixedQuantityLots: Int?

        enum CodingKeys: String, CodingKey {
            case method, kellyFraction = "kelly_fraction", kellyLookbackTrades = "kelly_lookback_trades"
            case fixedQuantityLots = "fixed_quantity_lots"
        }
    }

    public struct CorrelationGroup: Codable, Sendable, Equatable {
        public var name: String
        public var symbols: [String]
        /// Open positions allowed across the group at once.
        public var maxOpenPositions: Int

        enum CodingKeys: String, CodingKey { case name, symbols, maxOpenPositions = "max_open_positions" }
    }

    public struct RollingCorrelation: Codable, Sendable, Equatable {
        public var enabled: Bool
        public var windowDays: Int
        /// Two symbols more correlated than this count as one group.
        public var maxCorrelation: Double

        enum CodingKeys: String, CodingKey { case enabled, windowDays = "window_days", maxCorrelation = "max_correlation" }
    }

    public struct Correlation: Codable, Sendable, Equatable {
        public var groups: [CorrelationGroup]
        public var rolling: RollingCorrelation
    }

    public struct CircuitBreakers: Codable, Sendable, Equatable {
        /// Losing trades in a row that stop new entries.
        public var maxConsecutiveLosses: Int
        /// How long entries stay stopped after the losing streak; absent = for the rest of the day.
        public var consecutiveLossPauseMinutes: Int?
        /// Pause new entries this long after losing half the daily limit; absent = rule off.
        public var halfDailyLimitPauseMinutes: Int?

        enum CodingKeys: String, CodingKey {
            case maxConsecutiveLosses = "max_consecutive_losses"
            case consecutiveLossPauseMinutes = "consecutive_loss_pause_minutes"
            case halfDailyLimitPauseMinutes = "half_daily_limit_pause_minutes"
        }
    }

    public struct BlackoutWindow: Codable, Sendable, Equatable {
        public var start: TimeOfDay
        public var end: TimeOfDay
        public var reason: String?
    }

    public struct TimeFilters: Codable, Sendable, Equatable {
        public var noEntryFirstMinutes: Int
        public var noEntryLastMinutes: Int
        /// Intraday (MIS) positions are closed at this time; must lie inside the session.
        public var squareOffTime: TimeOfDay
        public var blackoutWindows: [BlackoutWindow]

        enum CodingKeys: String, CodingKey {
            case noEntryFirstMinutes = "no_entry_first_minutes", noEntryLastMinutes = "no_entry_last_minutes"
            case squareOffTime = "square_off_time", blackoutWindows = "blackout_windows"
        }
    }

    public struct VIXFilter: Codable, Sendable, Equatable {
        public var enabled: Bool
        /// No new entries when India VIX is below `min` or above `max`.
        public var min: Double
        public var max: Double
    }

    /// Thresholds at which the engine flattens everything and halts (set below the firm's limits).
    public struct KillSwitch: Codable, Sendable, Equatable {
        public var dailyLossPct: Double
        public var drawdownPct: Double

        enum CodingKeys: String, CodingKey { case dailyLossPct = "daily_loss_pct", drawdownPct = "drawdown_pct" }
    }

    /// A prop firm's evaluation rules; breaking one fails the account.
    public struct PropFirm: Codable, Sendable, Equatable {
        public var name: String
        public var dailyLossLimitPct: Double
        public var maxDrawdownPct: Double
        public var drawdownMode: DrawdownMode
        public var profitTargetPct: Double?
        /// Trading days the target must be reached in (the firm's window, "8% in 30 days"),
        /// counted from the first day of the period; absent = no window.
        public var profitTargetDays: Int?
        public var minTradingDays: Int?

        enum CodingKeys: String, CodingKey {
            case name, dailyLossLimitPct = "daily_loss_limit_pct", maxDrawdownPct = "max_drawdown_pct"
            case drawdownMode = "drawdown_mode", profitTargetPct = "profit_target_pct", profitTargetDays = "profit_target_days"
            case minTradingDays = "min_trading_days"
        }
    }

    /// The strategies a preset keeps out. A strategy's own file still has to enable it: a preset
    /// can take a strategy away, never add one the trader switched off.
    public struct Strategies: Codable, Sendable, Equatable {
        /// Names from config/strategies this preset never trades, in a backtest or a session.
        public var disabled: [String]

        public init(disabled: [String]) { self.disabled = disabled }
    }

    public var name: String
    public var description: String
    public var risk: Limits
    public var sizing: Sizing
    public var correlation: Correlation
    public var circuitBreakers: CircuitBreakers
    public var timeFilters: TimeFilters
    public var vixFilter: VIXFilter
    public var killSwitch: KillSwitch
    public var propFirm: PropFirm?
    /// Optional: strategies this preset disables.
    public var strategies: Strategies?

    enum CodingKeys: String, CodingKey {
        case name, description, risk, sizing, correlation, circuitBreakers = "circuit_breakers"
        case timeFilters = "time_filters", vixFilter = "vix_filter", killSwitch = "kill_switch", propFirm = "prop_firm"
        case strategies
    }

    /// Whether this preset keeps the strategy out (`strategies.disabled`).
    public func disables(strategy name: String) -> Bool {
        strategies?.disabled.contains(name) ?? false
    }

    public static let fileName = "risk_config.yaml"

    /// The file of a preset: `prop_challenge` → `risk_config_prop_challenge.yaml`.
    public static func fileName(preset: String?) -> String {
        guard let preset, !preset.isEmpty, preset != "default" else { return fileName }
        if preset.hasSuffix(".yaml") { return preset }
        return preset.hasPrefix("risk_config_") ? preset + ".yaml" : "risk_config_\(preset).yaml"
    }

    public func validate(_ v: inout ConfigValidator) {
        let f = ConfigValidator.format
        v.nonEmpty(name, "name")
        v.percent(risk.perTradeRiskPct, "risk.per_trade_risk_pct")
        v.percent(risk.dailyMaxLossPct, "risk.daily_max_loss_pct")
        v.percent(risk.maxDrawdownPct, "risk.max_drawdown_pct")
        v.check(risk.perTradeRiskPct <= risk.dailyMaxLossPct, "risk.per_trade_risk_pct",
                "\(f(risk.perTradeRiskPct))% per trade is more than the daily max loss (\(f(risk.dailyMaxLossPct))%)",
                involving: ["risk.daily_max_loss_pct"])
        v.check(risk.dailyMaxLossPct <= risk.maxDrawdownPct, "risk.daily_max_loss_pct",
                "a daily max loss of \(f(risk.dailyMaxLossPct))% is above the max drawdown (\(f(risk.maxDrawdownPct))%)",
                involving: ["risk.max_drawdown_pct"])
        v.positive(risk.maxOpenPositions, "risk.max_open_positions")
        v.percent(risk.maxExposurePerSymbolPct, "risk.max_exposure_per_symbol_pct", max: 1_000)
        v.percent(risk.maxTotalExposurePct, "risk.max_total_exposure_pct", max: 2_000)
        v.check(risk.maxExposurePerSymbolPct <= risk.maxTotalExposurePct, "risk.max_exposure_per_symbol_pct",
                "is above max_total_exposure_pct (\(f(risk.maxTotalExposurePct))%)", involving: ["risk.max_total_exposure_pct"])

        // Every value given is range-checked, whether or not its method is the one selected: a
        // nonsense value waiting in the file would take effect the day the method is switched.
        if let fraction = sizing.kellyFraction {
            v.check(fraction > 0 && fraction <= 1, "sizing.kelly_fraction",
                    "must be more than 0 and at most 1 (a fraction of full Kelly), got \(f(fraction))")
        }
        if let lookback = sizing.kellyLookbackTrades {
            v.check(lookback >= 10, "sizing.kelly_lookback_trades", "needs at least 10 trades, got \(lookback)")
        }
        if let lots = sizing.fixedQuantityLots { v.positive(lots, "sizing.fixed_quantity_lots") }
        switch sizing.method {
        case .kelly:
            if sizing.kellyFraction == nil {
                v.error("sizing.kelly_fraction", "required when sizing.method is kelly", involving: ["sizing.method"])
            }
            if sizing.kellyLookbackTrades == nil {
                v.error("sizing.kelly_lookback_trades", "required when sizing.method is kelly", involving: ["sizing.method"])
            }
        case .fixedQuantity:
            if sizing.fixedQuantityLots == nil {
                v.error("sizing.fixed_quantity_lots", "required when sizing.method is fixed_quantity", involving: ["sizing.method"])
            }
        case .fixedFractional:
            break
        }

        v.unique(correlation.groups.map(\.name), path: { "correlation.groups[\($0)].name" }, describe: { "group '\($0)'" })
        for (i, group) in correlation.groups.enumerated() {
            let path = "correlation.groups[\(i)]"
            v.nonEmpty(group.name, path + ".name")
            v.check(group.symbols.count >= 2, path + ".symbols", "a correlation group needs at least two symbols")
            v.unique(group.symbols, path: { "\(path).symbols[\($0)]" }, describe: { "symbol '\($0)'" })
            v.positive(group.maxOpenPositions, path + ".max_open_positions")
        }
        do {
            v.check(correlation.rolling.windowDays >= 5, "correlation.rolling.window_days",
                    "needs at least 5 days, got \(correlation.rolling.windowDays)")
            v.check(correlation.rolling.maxCorrelation > 0 && correlation.rolling.maxCorrelation <= 1,
                    "correlation.rolling.max_correlation", "must be more than 0 and at most 1, got \(f(correlation.rolling.maxCorrelation))")
        }

        v.positive(circuitBreakers.maxConsecutiveLosses, "circuit_breakers.max_consecutive_losses")
        if let minutes = circuitBreakers.consecutiveLossPauseMinutes {
            v.positive(minutes, "circuit_breakers.consecutive_loss_pause_minutes")
        }
        if let minutes = circuitBreakers.halfDailyLimitPauseMinutes {
            v.positive(minutes, "circuit_breakers.half_daily_limit_pause_minutes")
        }

        v.nonNegative(timeFilters.noEntryFirstMinutes, "time_filters.no_entry_first_minutes")
        v.nonNegative(timeFilters.noEntryLastMinutes, "time_filters.no_entry_last_minutes")
        for (i, window) in timeFilters.blackoutWindows.enumerated() {
            v.check(window.start < window.end, "time_filters.blackout_windows[\(i)]",
                    "starts at \(window.start) but ends at \(window.end); the start must be before the end")
        }

        do {
            v.check(vixFilter.min >= 0, "vix_filter.min", "must be 0 or more, got \(f(vixFilter.min))")
            v.check(vixFilter.max > vixFilter.min, "vix_filter.max",
                    "must be above vix_filter.min (\(f(vixFilter.min))), got \(f(vixFilter.max))", involving: ["vix_filter.min"])
        }

        v.percent(killSwitch.dailyLossPct, "kill_switch.daily_loss_pct")
        v.percent(killSwitch.drawdownPct, "kill_switch.drawdown_pct")
        // The kill switch is the hard stop behind the soft limits: below them it would trip first.
        v.check(killSwitch.dailyLossPct >= risk.dailyMaxLossPct, "kill_switch.daily_loss_pct",
                "\(f(killSwitch.dailyLossPct))% is below risk.daily_max_loss_pct (\(f(risk.dailyMaxLossPct))%), the limit it backs: "
                + "the kill switch would halt the run before the daily limit pauses it", involving: ["risk.daily_max_loss_pct"])
        v.check(killSwitch.drawdownPct >= risk.maxDrawdownPct, "kill_switch.drawdown_pct",
                "\(f(killSwitch.drawdownPct))% is below risk.max_drawdown_pct (\(f(risk.maxDrawdownPct))%), the limit it backs",
                involving: ["risk.max_drawdown_pct"])

        if let firm = propFirm {
            v.nonEmpty(firm.name, "prop_firm.name")
            v.percent(firm.dailyLossLimitPct, "prop_firm.daily_loss_limit_pct")
            v.percent(firm.maxDrawdownPct, "prop_firm.max_drawdown_pct")
            if let target = firm.profitTargetPct { v.percent(target, "prop_firm.profit_target_pct", max: 1_000) }
            if let days = firm.minTradingDays { v.nonNegative(days, "prop_firm.min_trading_days") }
            if let window = firm.profitTargetDays {
                v.positive(window, "prop_firm.profit_target_days")
                v.check(firm.profitTargetPct != nil, "prop_firm.profit_target_days", "a window needs prop_firm.profit_target_pct")
                if let least = firm.minTradingDays {
                    v.check(window >= least, "prop_firm.profit_target_days",
                            "a \(window)-day window is shorter than min_trading_days (\(least))", involving: ["prop_firm.min_trading_days"])
                }
            }
            v.check(killSwitch.dailyLossPct < firm.dailyLossLimitPct, "kill_switch.daily_loss_pct",
                    "must be below the firm's daily loss limit (\(f(firm.dailyLossLimitPct))%) so the engine halts first",
                    involving: ["prop_firm.daily_loss_limit_pct"])
            v.check(killSwitch.drawdownPct < firm.maxDrawdownPct, "kill_switch.drawdown_pct",
                    "must be below the firm's max drawdown (\(f(firm.maxDrawdownPct))%) so the engine halts first",
                    involving: ["prop_firm.max_drawdown_pct"])
            v.check(risk.dailyMaxLossPct <= firm.dailyLossLimitPct, "risk.daily_max_loss_pct",
                    "is above the firm's daily loss limit (\(f(firm.dailyLossLimitPct))%)", involving: ["prop_firm.daily_loss_limit_pct"])
            v.check(risk.maxDrawdownPct <= firm.maxDrawdownPct, "risk.max_drawdown_pct",
                    "is above the firm's max drawdown (\(f(firm.maxDrawdownPct))%)", involving: ["prop_firm.max_drawdown_pct"])
        }
    }

    /// Checks against the strategies of config/strategies: every name a preset disables exists.
    package func validate(_ v: inout ConfigValidator, strategyNames: Set<String>) {
        guard let disabled = strategies?.disabled else { return }
        v.unique(disabled, path: { "strategies.disabled[\($0)]" }, describe: { "strategy '\($0)'" })
        for (i, name) in disabled.enumerated() {
            let known = strategyNames.sorted().joined(separator: ", ")
            v.check(strategyNames.contains(name), "strategies.disabled[\(i)]",
                    "no strategy named '\(name)' in config/strategies (known: \(known))")
        }
    }

    /// Checks against the trading hours: square-off inside the session, entry filters that leave time to trade.
    package func validate(_ v: inout ConfigValidator, against hours: TradingHoursConfig) {
        let square = timeFilters.squareOffTime
        let outside = hours.squareOffWindows().filter { !(square > $0.1.open && square <= $0.1.close) }
        if !outside.isEmpty {
            let windows = outside.map { "\($0.0) \($0.1)" }.joined(separator: "; ")
            v.error("time_filters.square_off_time", "\(square) is outside the session in trading_hours.yaml (\(windows))")
        }
        let normal = hours.sessions.normal
        let entryMinutes = normal.close.minutes - normal.open.minutes - timeFilters.noEntryFirstMinutes - timeFilters.noEntryLastMinutes
        v.check(entryMinutes > 0, "time_filters.no_entry_last_minutes",
                "no_entry_first_minutes (\(timeFilters.noEntryFirstMinutes)) and no_entry_last_minutes (\(timeFilters.noEntryLastMinutes)) leave no time to enter in the \(normal.open)–\(normal.close) session",
                involving: ["time_filters.no_entry_first_minutes"])
    }
}
