import AlphaPrimeSupport

/// What a strategy wants: to enter or exit a position in one symbol, with its stop and target.
///
/// Strategies only emit signals. Every signal passes the risk stage, which sizes it or rejects it
/// with a reason; only then does it become an order.
public struct Signal: Sendable, Equatable {
    public enum Intent: String, Sendable, Codable {
        /// Open a position, or add to one, in `side`'s direction.
        case enter
        /// Close the strategy's position in the symbol (`side` is the closing side).
        case exit
        /// Move the position's protective stop order to `stopLoss` (a trailing stop): only ever in
        /// the position's favour; nothing happens without a working stop order.
        case moveStop = "move_stop"
    }

    public var symbol: SymbolID
    public var side: Side
    public var intent: Intent
    /// Quantity the strategy asks for; the risk stage may size it differently. For `exit`, 0 means all.
    public var quantity: Int64
    public var orderType: OrderType
    /// Limit price in paise for LIMIT and SL orders; 0 when not used.
    public var limitPrice: Int64
    /// Protective stop price in paise; 0 when the strategy sets none.
    public var stopLoss: Int64
    /// Target price in paise; 0 when the strategy sets none.
    public var takeProfit: Int64
    /// 0…1: how sure the strategy is. Informational; sizing rules may use it.
    public var confidence: Double
    /// Why, in the trader's words ("close 2.1σ below SMA(20)"), written from ``explanation`` when read.
    public var reason: String {
        get { explanation.description }
        set { explanation = SignalReason(newValue) }
    }
    /// The reason as its parts: its numbers become text only when it is read (most signals the risk
    /// stage refuses are never read one by one).
    public var explanation: SignalReason
    /// Start time (UTC epoch seconds) of the bar that produced the signal.
    public var time: Int64
    /// For an exit: which of the strategy's rules it is (its own exit, or the time limit).
    public var exitReason: ExitReason

    public init(symbol: SymbolID, side: Side, intent: Intent, quantity: Int64 = 0, orderType: OrderType = .market,
                limitPrice: Int64 = 0, stopLoss: Int64 = 0, takeProfit: Int64 = 0, confidence: Double = 1,
                reason: String = "", time: Int64 = 0, exitReason: ExitReason = .strategyExit) {
        self.init(symbol: symbol, side: side, intent: intent, quantity: quantity, orderType: orderType, limitPrice: limitPrice,
                  stopLoss: stopLoss, takeProfit: takeProfit, confidence: confidence, explanation: SignalReason(reason),
                  time: time, exitReason: exitReason)
    }

    public init(symbol: SymbolID, side: Side, intent: Intent, quantity: Int64 = 0, orderType: OrderType = .market,
                limitPrice: Int64 = 0, stopLoss: Int64 = 0, takeProfit: Int64 = 0, confidence: Double = 1,
                explanation: SignalReason, time: Int64 = 0, exitReason: ExitReason = .strategyExit) {
        self.symbol = symbol; self.side = side; self.intent = intent; self.quantity = quantity
        self.orderType = orderType; self.limitPrice = limitPrice; self.stopLoss = stopLoss
        self.takeProfit = takeProfit; self.confidence = confidence; self.explanation = explanation; self.time = time
        self.exitReason = exitReason
    }
}

/// A signal's reason as text around at most one number: `prefix`, the number written as money or
/// as a two-decimal magnitude, `suffix`. A strategy keeps its fixed text ready and adds the bar's
/// number, so emitting a signal formats nothing; the sentence is written when it is read. Two
/// reasons are equal when they read the same.
public struct SignalReason: Sendable, Equatable, CustomStringConvertible, ExpressibleByStringLiteral {
    public enum Value: Sendable, Equatable {
        case none
        /// Paise, written as rupees (`24512.35`).
        case paise(Int64)
        /// A magnitude, written unsigned and rounded to two decimals (`2.13`, `31.0`).
        case magnitude(Double)
    }

    public var prefix: String
    public var value: Value
    public var suffix: String

    public init(_ text: String) {
        prefix = text; value = .none; suffix = ""
    }

    public init(stringLiteral text: String) {
        self.init(text)
    }

    public init(_ prefix: String, _ value: Value, _ suffix: String = "") {
        self.prefix = prefix; self.value = value; self.suffix = suffix
    }

    public var description: String {
        switch value {
        case .none: prefix + suffix
        case .paise(let p): prefix + Paise(p).description + suffix
        case .magnitude(let x): prefix + format(x) + suffix
        }
    }

    public static func == (a: SignalReason, b: SignalReason) -> Bool { a.description == b.description }
}
