import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// One thing the risk stage decided or saw: an entry approved with its size, a signal rejected, a
/// breaker or the kill switch tripping. The trading core keeps them in order; the engine writes them
/// to `risk_events` and the reports read them. Made only when a signal arrives or a limit trips,
/// never on a quiet bar; the sentence (``message``) is written when it is read.
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
    /// as the rule measures), when the rule has them. For an approval: the quantity and the size
    /// the sizing rule gave before any cap.
    public var value: Double?
    public var limit: Double?
    var content: Content

    /// What happened with the numbers, in the trader's words.
    public var message: String {
        get { content.text }
        set { content = .text(newValue) }
    }

    public init(time: Int64, rule: String, severity: RiskSeverity, action: Action, strategy: Int? = nil,
                symbol: SymbolID? = nil, quantity: Int64 = 0, value: Double? = nil, limit: Double? = nil, message: String) {
        self.init(time: time, rule: rule, severity: severity, action: action, strategy: strategy, symbol: symbol,
                  quantity: quantity, value: value, limit: limit, content: .text(message))
    }

    init(time: Int64, rule: String, severity: RiskSeverity, action: Action, strategy: Int?, symbol: SymbolID?,
         quantity: Int64, value: Double?, limit: Double?, content: Content) {
        self.time = time; self.rule = rule; self.severity = severity; self.action = action
        self.strategy = strategy; self.symbol = symbol; self.quantity = quantity
        self.value = value; self.limit = limit; self.content = content
    }

    /// The sentence's parts, kept until someone reads it.
    enum Content: Sendable, Equatable {
        case text(String)
        case approved(Side, quantity: Int64, symbol: String, sizing: SizingDetail)
        indirect case rejected(Side, symbol: String, RiskRejection)

        var text: String {
            switch self {
            case .text(let s): s
            case let .approved(side, quantity, symbol, sizing):
                "\(side.rawValue) \(quantity) \(symbol) approved: \(sizing)"
            case let .rejected(side, symbol, rejection):
                "\(side.rawValue) \(symbol) rejected: \(rejection.reason)"
            }
        }
    }

    public static func == (a: RiskEvent, b: RiskEvent) -> Bool {
        a.time == b.time && a.rule == b.rule && a.severity == b.severity && a.action == b.action && a.strategy == b.strategy
            && a.symbol == b.symbol && a.quantity == b.quantity && a.value == b.value && a.limit == b.limit
            && (a.content == b.content || a.message == b.message)
    }

    enum CodingKeys: String, CodingKey { case time, rule, severity, action, strategy, symbol, quantity, value, limit, message }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(time: try c.decode(Int64.self, forKey: .time), rule: try c.decode(String.self, forKey: .rule),
                  severity: try c.decode(RiskSeverity.self, forKey: .severity), action: try c.decode(Action.self, forKey: .action),
                  strategy: try c.decodeIfPresent(Int.self, forKey: .strategy), symbol: try c.decodeIfPresent(Int.self, forKey: .symbol),
                  quantity: try c.decode(Int64.self, forKey: .quantity), value: try c.decodeIfPresent(Double.self, forKey: .value),
                  limit: try c.decodeIfPresent(Double.self, forKey: .limit), message: try c.decode(String.self, forKey: .message))
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(time, forKey: .time); try c.encode(rule, forKey: .rule); try c.encode(severity, forKey: .severity)
        try c.encode(action, forKey: .action); try c.encodeIfPresent(strategy, forKey: .strategy)
        try c.encodeIfPresent(symbol, forKey: .symbol); try c.encode(quantity, forKey: .quantity)
        try c.encodeIfPresent(value, forKey: .value); try c.encodeIfPresent(limit, forKey: .limit)
        try c.encode(message, forKey: .message)
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
