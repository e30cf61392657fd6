import AlphaPrimeSupport

/// Typed rows of the state database. Money is ``Paise``, times are ``UTCTimestamp``, and every
/// record carries its ``TradingMode``. `id` is nil until the record has been inserted.

/// An order as the order manager tracks it. Written before the broker is called (write-ahead).
public struct OrderRecord: Sendable, Equatable, Codable {
    public var id: Int64?
    public var mode: TradingMode
    /// Deterministic, derived from the order intent; 1–20 ASCII letters and digits (Kite's `tag`).
    /// Unique per mode.
    public var clientOrderId: String
    public var brokerOrderId: String?
    public var strategy: String
    public var symbol: String
    public var exchange: String
    public var side: Side
    public var orderType: OrderType
    public var product: ProductType
    public var quantity: Int64
    public var limitPrice: Paise?
    public var triggerPrice: Paise?
    public var status: OrderStatus
    public var filledQuantity: Int64
    public var averagePrice: Paise?
    public var statusReason: String?
    public var createdAt: UTCTimestamp
    public var updatedAt: UTCTimestamp
    /// The engine session's step at which the engine learnt of the order's latest status from the
    /// broker (see `EngineJournal`), nil when it was not learnt from a broker's event or book. Not
    /// part of the record's JSON form.
    public var learntStep: Int64?

    enum CodingKeys: String, CodingKey {
        case id, mode, clientOrderId, brokerOrderId, strategy, symbol, exchange, side, orderType, product, quantity,
             limitPrice, triggerPrice, status, filledQuantity, averagePrice, statusReason, createdAt, updatedAt
    }

    public init(
        id: Int64? = nil, mode: TradingMode, clientOrderId: String, brokerOrderId: String? = nil,
        strategy: String, symbol: String, exchange: String, side: Side, orderType: OrderType,
        product: ProductType, quantity: Int64, limitPrice: Paise? = nil, triggerPrice: Paise? = nil,
        status: OrderStatus = .created, filledQuantity: Int64 = 0, averagePrice: Paise? = nil,
        statusReason: String? = nil, createdAt: UTCTimestamp, updatedAt: UTCTimestamp? = nil
    ) {
        self.id = id
        self.mode = mode
        self.clientOrderId = clientOrderId
        self.brokerOrderId = brokerOrderId
        self.strategy = strategy
        self.symbol = symbol
        self.exchange = exchange
        self.side = side
        self.orderType = orderType
        self.product = product
        self.quantity = quantity
        self.limitPrice = limitPrice
        self.triggerPrice = triggerPrice
        self.status = status
        self.filledQuantity = filledQuantity
        self.averagePrice = averagePrice
        self.statusReason = statusReason
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
    }

    /// Whether `id` can be a client order id: 1 to 20 ASCII letters and digits.
    public static func isValidClientOrderId(_ id: String) -> Bool {
        let bytes = id.utf8
        return (1...20).contains(bytes.count)
            && bytes.allSatisfy { (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0) }
    }
}

/// An execution against an order (a broker trade).
public struct FillRecord: Sendable, Equatable, Codable {
    public var id: Int64?
    public var mode: TradingMode
    public var orderId: Int64
    /// The broker's or exchange's trade id; unique per order when present (a replayed fill is refused).
    public var brokerTradeId: String?
    public var quantity: Int64
    public var price: Paise
    public var charges: Paise
    public var filledAt: UTCTimestamp
    /// The engine session's step at which the engine learnt of the execution (see `EngineJournal`):
    /// a restart releases the recorded execution at the same step. Nil for fills not recorded by a
    /// session's broker events. Not part of the record's JSON form.
    public var learntStep: Int64?

    enum CodingKeys: String, CodingKey {
        case id, mode, orderId, brokerTradeId, quantity, price, charges, filledAt
    }

    public init(id: Int64? = nil, mode: TradingMode, orderId: Int64, brokerTradeId: String? = nil, quantity: Int64,
                price: Paise, charges: Paise = .zero, filledAt: UTCTimestamp, learntStep: Int64? = nil) {
        self.id = id
        self.mode = mode
        self.orderId = orderId
        self.brokerTradeId = brokerTradeId
        self.quantity = quantity
        self.price = price
        self.charges = charges
        self.filledAt = filledAt
        self.learntStep = learntStep
    }
}

/// A closed round trip: entry and exit, with its P&L to the paisa (`netPnl = grossPnl - charges`).
public struct TradeRecord: Sendable, Equatable, Codable {
    public var id: Int64?
    public var mode: TradingMode
    public var strategy: String
    public var symbol: String
    public var exchange: String
    /// The entry side: `.buy` for a long trade, `.sell` for a short one.
    public var side: Side
    public var quantity: Int64
    public var entryPrice: Paise
    public var exitPrice: Paise
    public var entryAt: UTCTimestamp
    public var exitAt: UTCTimestamp
    public var grossPnl: Paise
    public var charges: Paise
    public var netPnl: Paise { grossPnl - charges }
    public var entryOrderId: Int64?
    public var exitOrderId: Int64?
    public var exitReason: String?

    public init(id: Int64? = nil, mode: TradingMode, strategy: String, symbol: String, exchange: String, side: Side,
                quantity: Int64, entryPrice: Paise, exitPrice: Paise, entryAt: UTCTimestamp, exitAt: UTCTimestamp,
                grossPnl: Paise, charges: Paise, entryOrderId: Int64? = nil, exitOrderId: Int64? = nil,
                exitReason: String? = nil) {
        self.id = id
        self.mode = mode
        self.strategy = strategy
        self.symbol = symbol
        self.exchange = exchange
        self.side = side
        self.quantity = quantity
        self.entryPrice = entryPrice
        self.exitPrice = exitPrice
        self.entryAt = entryAt
        self.exitAt = exitAt
        self.grossPnl = grossPnl
        self.charges = charges
        self.entryOrderId = entryOrderId
        self.exitOrderId = exitOrderId
        self.exitReason = exitReason
    }
}

/// The portfolio at one moment.
public struct PortfolioSnapshot: Sendable, Equatable, Codable {
    public var id: Int64?
    public var mode: TradingMode
    public var recordedAt: UTCTimestamp
    public var cash: Paise
    /// Market value of the open positions.
    public var positionsValue: Paise
    public var equity: Paise
    public var realizedPnl: Paise
    public var unrealizedPnl: Paise
    public var openPositions: Int

    public init(id: Int64? = nil, mode: TradingMode, recordedAt: UTCTimestamp, cash: Paise, positionsValue: Paise,
                equity: Paise, realizedPnl: Paise, unrealizedPnl: Paise, openPositions: Int) {
        self.id = id
        self.mode = mode
        self.recordedAt = recordedAt
        self.cash = cash
        self.positionsValue = positionsValue
        self.equity = equity
        self.realizedPnl = realizedPnl
        self.unrealizedPnl = unrealizedPnl
        self.openPositions = openPositions
    }
}

/// One strategy's results for one trading day (IST). One row per mode, strategy and day.
public struct StrategyPerformanceRecord: Sendable, Equatable, Codable {
    public var mode: TradingMode
    public var strategy: String
    public var tradingDate: LocalDate
    public var trades: Int
    public var wins: Int
    public var losses: Int
    public var grossPnl: Paise
    public var charges: Paise
    public var netPnl: Paise
    /// The largest peak-to-trough fall of the day's cumulative P&L, as a positive amount.
    public var maxDrawdown: Paise
    public var updatedAt: UTCTimestamp

    public init(mode: TradingMode, strategy: String, tradingDate: LocalDate, trades: Int, wins: Int, losses: Int,
                grossPnl: Paise, charges: Paise, netPnl: Paise, maxDrawdown: Paise, updatedAt: UTCTimestamp) {
        self.mode = mode
        self.strategy = strategy
        self.tradingDate = tradingDate
        self.trades = trades
        self.wins = wins
        self.losses = losses
        self.grossPnl = grossPnl
        self.charges = charges
        self.netPnl = netPnl
        self.maxDrawdown = maxDrawdown
        self.updatedAt = updatedAt
    }
}

public enum RiskSeverity: String, Sendable, Codable, CaseIterable {
    case info, warning, critical
}

/// Something the risk manager did or saw: a rejected signal, a breached limit, the kill switch.
public struct RiskEventRecord: Sendable, Equatable, Codable {
    public var id: Int64?
    public var mode: TradingMode
    public var occurredAt: UTCTimestamp
    /// The rule, in config words: `daily_loss_limit`, `max_positions`, `kill_switch`…
    public var rule: String
    public var severity: RiskSeverity
    /// What was done: `rejected`, `reduced`, `halted`, `kill_switch_set`…
    public var action: String
    public var strategy: String?
    public var symbol: String?
    public var message: String

    public init(id: Int64? = nil, mode: TradingMode, occurredAt: UTCTimestamp, rule: String, severity: RiskSeverity,
                action: String, strategy: String? = nil, symbol: String? = nil, message: String) {
        self.id = id
        self.mode = mode
        self.occurredAt = occurredAt
        self.rule = rule
        self.severity = severity
        self.action = action
        self.strategy = strategy
        self.symbol = symbol
        self.message = message
    }
}

/// The engine's persisted state for one mode: what it is doing, its heartbeat, and the kill switch
/// (which survives restarts; only an explicit reset clears it).
public struct EngineStateRecord: Sendable, Equatable, Codable {
    public var mode: TradingMode
    /// What the engine says it is doing: `monitor`, `paper`, `live`, `stopped`…
    public var status: String
    public var killSwitch: Bool
    /// Who set (or last cleared) the kill switch, when and why.
    public var killSwitchBy: String?
    public var killSwitchAt: UTCTimestamp?
    public var killSwitchReason: String?
    public var heartbeatAt: UTCTimestamp?
    public var pid: Int64?
    public var host: String?
    public var updatedAt: UTCTimestamp

    public init(mode: TradingMode, status: String, killSwitch: Bool = false, killSwitchBy: String? = nil,
                killSwitchAt: UTCTimestamp? = nil, killSwitchReason: String? = nil, heartbeatAt: UTCTimestamp? = nil,
                pid: Int64? = nil, host: String? = nil, updatedAt: UTCTimestamp) {
        self.mode = mode
        self.status = status
        self.killSwitch = killSwitch
        self.killSwitchBy = killSwitchBy
        self.killSwitchAt = killSwitchAt
        self.killSwitchReason = killSwitchReason
        self.heartbeatAt = heartbeatAt
        self.pid = pid
        self.host = host
        self.updatedAt = updatedAt
    }
}
