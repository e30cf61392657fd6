/// Why a trade ended: what closed the position. Carried by every closed trade, in the backtest's
/// trade list, its JSON and the engine's `trades.exit_reason` alike.
public enum ExitReason: String, Sendable, Codable, CaseIterable {
    /// The protective stop-loss order filled.
    case stopLoss = "stop_loss"
    /// The protective take-profit (target) order filled.
    case takeProfit = "take_profit"
    /// The strategy's own exit rule (back to the mean, an EMA cross-back …).
    case strategyExit = "strategy_exit"
    /// `max_bars_in_trade` reached.
    case timeLimit = "time_limit"
    /// The intraday square-off: at the square-off time, at the session's close, or an engine stop
    /// with `--flatten`.
    case squareOff = "square_off"
    /// The kill switch, an emergency stop, or a risk limit that closes every position (daily max
    /// loss, max drawdown, a prop firm's rule).
    case killSwitch = "kill_switch"

    /// What an order of `purpose` closes a trade as, unless told otherwise.
    public init(purpose: OrderPurpose) {
        switch purpose {
        case .stopLoss: self = .stopLoss
        case .takeProfit: self = .takeProfit
        case .squareOff: self = .squareOff
        case .entry, .exit: self = .strategyExit
        }
    }

    /// The words a report prints.
    public var label: String {
        switch self {
        case .stopLoss: "stop loss"
        case .takeProfit: "target"
        case .strategyExit: "strategy exit"
        case .timeLimit: "time limit"
        case .squareOff: "square-off"
        case .killSwitch: "kill switch"
        }
    }
}
