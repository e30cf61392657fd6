/// What the risk stage knows when it judges a signal: the account and the position, now.
public struct RiskContext: Sendable {
    public var time: Int64
    public var equity: Int64
    public var cash: Int64
    public var startingCapital: Int64
    /// Equity at the start of the current trading day.
    public var dayStartEquity: Int64
    /// Highest equity seen so far.
    public var peakEquity: Int64
    /// Books (strategy × symbol) with a position.
    public var openPositions: Int
    /// The signalling strategy's own signed position in the symbol.
    public var position: Int64
    /// Net signed position in the symbol across strategies.
    public var netPosition: Int64
    /// Last price of the symbol, paise.
    public var lastPrice: Int64
    public var lotSize: Int64
    public var minutesSinceOpen: Int
    public var minutesToClose: Int

    public init(time: Int64, equity: Int64, cash: Int64, startingCapital: Int64, dayStartEquity: Int64,
                peakEquity: Int64, openPositions: Int, position: Int64, netPosition: Int64, lastPrice: Int64,
                lotSize: Int64, minutesSinceOpen: Int = -1, minutesToClose: Int = -1) {
        self.time = time; self.equity = equity; self.cash = cash; self.startingCapital = startingCapital
        self.dayStartEquity = dayStartEquity; self.peakEquity = peakEquity; self.openPositions = openPositions
        self.position = position; self.netPosition = netPosition; self.lastPrice = lastPrice; self.lotSize = lotSize
        self.minutesSinceOpen = minutesSinceOpen; self.minutesToClose = minutesToClose
    }
}

/// A rule's refusal, with the numbers that decided it.
public struct RiskRejection: Sendable, Equatable, Error, CustomStringConvertible {
    /// The rule's name as in risk_config.yaml (`max_open_positions`, `daily_max_loss_pct`, …).
    public var rule: String
    /// The numbers, in the trader's words: "3 open positions, limit 3".
    public var reason: String

    public init(rule: String, reason: String) { self.rule = rule; self.reason = reason }
    public var description: String { "\(rule): \(reason)" }
}

public enum RiskDecision: Sendable, Equatable {
    case approved(quantity: Int64)
    case rejected(RiskRejection)
}

/// The one risk stage every signal passes, in backtests, paper and live alike.
///
/// Exits are never blocked: reducing risk is always allowed, for the whole position. Entries are
/// sized here; a signal the rules refuse comes back with the rule and the numbers.
public struct RiskManager: Sendable {
    public enum Sizing: Sendable, Equatable {
        /// The strategy's own quantity, or `lots` lots when the signal asks for none.
        case fixedQuantity(lots: Int64)
    }

    public var sizing: Sizing

    public init(sizing: Sizing = .fixedQuantity(lots: 1)) { self.sizing = sizing }

    public func evaluate(_ signal: Signal, context: RiskContext) -> RiskDecision {
        switch signal.intent {
        case .exit:
            guard context.position != 0 else {
                return .rejected(RiskRejection(rule: "no_position", reason: "exit signal while flat"))
            }
            let closing = context.position > 0 ? Side.sell : Side.buy
            guard signal.side == closing else {
                return .rejected(RiskRejection(
                    rule: "exit_side", reason: "exit \(signal.side.rawValue) does not close a position of \(context.position)"))
            }
            let all = abs(context.position)
            return .approved(quantity: signal.quantity > 0 ? min(signal.quantity, all) : all)
        case .enter:
            let quantity: Int64
            switch sizing {
            case .fixedQuantity(let lots):
                quantity = signal.quantity > 0 ? signal.quantity : lots * max(1, context.lotSize)
            }
            guard quantity > 0 else {
                return .rejected(RiskRejection(rule: "sizing", reason: "sized to 0 units"))
            }
            return .approved(quantity: quantity)
        }
    }
}
