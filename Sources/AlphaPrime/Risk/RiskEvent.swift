/// One thing the risk stage decided or saw: an entry approved with its size, a signal rejected, a
/// breaker or the kill switch tripping. The trading core keeps them in order; the engine writes them
/// to `risk_events` and the reports read them. Made only when a signal arrives or a limit trips,
/// never on a quiet bar.
public struct RiskEvent: Sendable, Equatable, Codable {
    public enum Action: String, Sendable, Codable, CaseIterable {
        /// An entry approved at the size the rules gave.
        case approved
        /// An entry approved at less than its sizing asked for (an exposure cap).
        case reduced
        /// A signal refused.
        case rejected
        /// New entries paused until a time (a circuit breaker).
        case paused
        /// New entries stopped for the rest of the day.
        case haltedForDay = "halted_for_day"
        /// New entries stopped for the run, positions left to their exits.
        case halted
        /// Every position flattened and entries stopped for the run.
        case killSwitch = "kill_switch_set"
        /// Intraday positions closed at the square-off time; no entries for the rest of the day.
        case squaredOff = "squared_off"
        /// The prop firm's profit target reached: flattened, no more entries.
        case targetReached = "target_reached"
        /// A prop firm's limit broken: the account has failed its rules.
        case failed
    }

    /// UTC epoch seconds: the bar (or fill) at which it happened.
    public var time: Int64
    /// The rule, as its key path in `risk_config.yaml` (see ``RiskRule``).
    public var rule: String
    public var severity: RiskSeverity
    public var action: Action
    /// Strategy instance and symbol the event is about; nil for account-wide events.
    public var strategy: Int?
    public var symbol: SymbolID?
    /// Approved quantity for approvals; 0 otherwise.
    public var quantity: Int64
    /// The measured number and the limit it was held against (paise, units, minutes or the VIX,
    /// as the rule measures), when the rule has them.
    public var value: Double?
    public var limit: Double?
    /// What happened with the numbers, in the trader's words.
    public var message: String

    public init(time: Int64, rule: String, severity: RiskSeverity, action: Action, strategy: Int? = nil,
                symbol: SymbolID? = nil, quantity: Int64 = 0, value: Double? = nil, limit: Double? = nil, message: String) {
        self.time = time; self.rule = rule; self.severity = severity; self.action = action
        self.strategy = strategy; self.symbol = symbol; self.quantity = quantity
        self.value = value; self.limit = limit; self.message = message
    }

    /// The row the engine stores in `risk_events`.
    public func record(mode: TradingMode, strategyName: String? = nil, symbolName: String? = nil) -> RiskEventRecord {
        RiskEventRecord(mode: mode, occurredAt: UTCTimestamp(secondsSinceEpoch: time), rule: rule, severity: severity,
                        action: action.rawValue, strategy: strategyName, symbol: symbolName, message: message)
    }
}

/// A limit crossed by the account's equity or the clock, and what the core must do about it.
public struct RiskTrip: Sendable, Equatable {
    public var rule: String
    public var action: RiskEvent.Action
    public var severity: RiskSeverity
    /// Close every position now.
    public var flatten: Bool
    /// Stop new entries for the run (the kill switch, a broken firm rule, the target reached).
    public var haltsRun: Bool
    public var value: Double?
    public var limit: Double?
    public var message: String

    public func event(time: Int64) -> RiskEvent {
        RiskEvent(time: time, rule: rule, severity: severity, action: action, value: value, limit: limit, message: message)
    }
}
