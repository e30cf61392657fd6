import AlphaPrimeSupport

/// An order as it is handed to a broker: the engine's request and the client order id that tags it
/// (Kite's `tag`), stored in the database before the broker is called.
public struct BrokerOrderRequest: Sendable, Equatable {
    public var clientOrderId: String
    public var order: OrderRequest

    public init(clientOrderId: String, order: OrderRequest) {
        self.clientOrderId = clientOrderId
        self.order = order
    }
}

/// Something that happened to an order at the broker, reported to the engine in the order it happened.
public enum BrokerEvent: Sendable, Equatable {
    /// The broker took the order into its book under its own id.
    case accepted(orderID: Int64, brokerOrderId: String)
    /// The broker refused the order.
    case rejected(orderID: Int64, reason: String)
    /// An execution, whole or partial. `brokerTradeId` is unique per order (a replayed fill is
    /// recognised by it).
    case filled(Fill, brokerTradeId: String)
    /// The order stopped working without filling (further): cancelled on the engine's request, by
    /// the broker (its OCO sibling filled), or expired.
    case cancelled(orderID: Int64, reason: String)
    /// A placement whose outcome is not known (a timeout, a reset connection, a 5xx): the order may
    /// or may not be at the broker. The engine resolves it from ``Broker/orders()`` by the client
    /// order id; the placement is never simply sent again.
    case outcomeUnknown(orderID: Int64, reason: String)
    /// A cancel request that found the order no longer working (filled, cancelled, unknown).
    case cancelRefused(orderID: Int64, reason: String)
    /// A working stop order's trigger was moved as the engine asked.
    case modified(orderID: Int64, triggerPrice: Int64)
    /// A modification that the broker did not make (the order no longer works, or it refused);
    /// the order keeps its previous trigger.
    case modifyRefused(orderID: Int64, reason: String)

    /// The engine's id of the order the event is about.
    public var orderID: Int64 {
        switch self {
        case .filled(let fill, _): fill.orderID
        case .accepted(let id, _), .rejected(let id, _), .cancelled(let id, _), .outcomeUnknown(let id, _),
             .cancelRefused(let id, _), .modified(let id, _), .modifyRefused(let id, _): id
        }
    }
}

/// An order in the broker's order book.
public struct BrokerOrder: Sendable, Equatable {
    public var clientOrderId: String
    public var brokerOrderId: String?
    public var strategy: String?
    public var symbol: String
    public var side: Side
    public var orderType: OrderType
    public var quantity: Int64
    public var filledQuantity: Int64
    public var status: OrderStatus
    public var createdAt: UTCTimestamp

    public init(clientOrderId: String, brokerOrderId: String?, strategy: String?, symbol: String, side: Side,
                orderType: OrderType, quantity: Int64, filledQuantity: Int64, status: OrderStatus, createdAt: UTCTimestamp) {
        self.clientOrderId = clientOrderId
        self.brokerOrderId = brokerOrderId
        self.strategy = strategy
        self.symbol = symbol
        self.side = side
        self.orderType = orderType
        self.quantity = quantity
        self.filledQuantity = filledQuantity
        self.status = status
        self.createdAt = createdAt
    }
}

/// A position the broker holds for the account: signed quantity (+ long, − short).
public struct BrokerPosition: Sendable, Equatable {
    /// The book (strategy) when the broker keeps positions per book (the paper broker does; Kite does not).
    public var strategy: String?
    public var symbol: String
    public var quantity: Int64
    /// Σ quantity × price of the open lots, paise.
    public var openValue: Int64

    public init(strategy: String?, symbol: String, quantity: Int64, openValue: Int64) {
        self.strategy = strategy
        self.symbol = symbol
        self.quantity = quantity
        self.openValue = openValue
    }
}

/// An execution in the broker's trade book.
public struct BrokerFill: Sendable, Equatable {
    public var clientOrderId: String
    public var brokerTradeId: String
    public var quantity: Int64
    public var price: Int64
    public var charges: Int64
    public var time: UTCTimestamp

    public init(clientOrderId: String, brokerTradeId: String, quantity: Int64, price: Int64, charges: Int64, time: UTCTimestamp) {
        self.clientOrderId = clientOrderId
        self.brokerTradeId = brokerTradeId
        self.quantity = quantity
        self.price = price
        self.charges = charges
        self.time = time
    }
}

/// The port every broker adapter implements for a session (the paper broker now; Kite Connect and
/// Upstox later).
///
/// Commands go out without waiting for an answer: ``submit(_:)`` and ``requestCancel(orderID:clientOrderId:)``
/// return at once, and what came of them arrives through ``takeEvents(into:)`` with the fills and
/// order updates, in the order they happened, whenever the engine asks (between bars, on a timer).
/// A real broker answers in 50 ms or in 90 s, or not at all (``BrokerEvent/outcomeUnknown(orderID:reason:)``);
/// the decision loop never waits on it. The book (``orders()``, ``positions()``, ``fills()``) is
/// read to reconcile and to resolve an unknown outcome by the client order id.
public protocol Broker: AnyObject {
    /// `paper`, `kite`, …, for logs.
    var name: String { get }

    /// Sends an order tagged with its client order id; its outcome comes back as an event.
    func submit(_ request: BrokerOrderRequest)

    /// Asks for a working order to be cancelled; `.cancelled` or `.cancelRefused` comes back as an event.
    func requestCancel(orderID: Int64, clientOrderId: String)

    /// Asks for a working stop order's trigger to be moved (a trailing stop); `.modified` or
    /// `.modifyRefused` comes back as an event.
    func requestModify(orderID: Int64, clientOrderId: String, triggerPrice: Int64)

    /// What happened since the last call, oldest first (appended to `events`).
    func takeEvents(into events: inout [BrokerEvent])

    /// The day's order book.
    func orders() throws -> [BrokerOrder]

    /// Open positions.
    func positions() throws -> [BrokerPosition]

    /// The day's executions.
    func fills() throws -> [BrokerFill]

    /// Takes an order already at the broker under this session's watch without placing it: one an
    /// earlier run of the session placed (a restart), or one another process placed (an emergency
    /// close). `countedFills` are its executions the engine has already counted; only later ones
    /// come back as events.
    func adopt(_ order: OrderRequest, clientOrderId: String, countedFills: [BrokerFill])
}

/// A broker that makes its own market from the bars the engine sees (the paper broker, the
/// backtest's simulator): the engine hands it each bar before the strategies see it. A real broker
/// has no such hooks.
public protocol SimulatedMarket: AnyObject {
    /// A new bar: working orders of `symbol` may fill against it, from its open.
    func marketBar(_ bar: Bar, symbol: SymbolID)
    /// Orders placed while the bar was being processed may fill within the rest of it.
    func marketRestOfBar(_ bar: Bar, symbol: SymbolID)
    /// Working market orders of `symbol` fill at the last price seen: the broker squaring off at the
    /// close, or an engine stopping with `--flatten` between bars.
    func fillMarketOrdersAtLastPrice(symbol: SymbolID, time: Int64)
    /// Drops a working order the book says is no longer working.
    func forget(orderID: Int64)
}

/// One session's broker: the port the engine sends orders through and, for a broker that
/// simulates the market, the hooks it is fed bars through.
public struct BrokerSession {
    public var broker: any Broker
    public var market: (any SimulatedMarket)?
    /// Whether a restarted session's replay of its bars through this broker re-creates the fills of
    /// the earlier run (the paper broker fills from the bars, the same way each time). A real
    /// broker's fills happened once: a restart takes them from the state database instead, at the
    /// bars they were first seen at, and hands the orders still working back to the broker after.
    public var recreatesFillsOnReplay: Bool

    public init(broker: any Broker, market: (any SimulatedMarket)?, recreatesFillsOnReplay: Bool? = nil) {
        self.broker = broker
        self.market = market
        self.recreatesFillsOnReplay = recreatesFillsOnReplay ?? (market != nil)
    }
}

/// A position closed outside a session (an emergency flatten, a square-off of what an earlier
/// session left open).
public struct ClosedPosition: Sendable, Equatable {
    public var clientOrderId: String
    public var strategy: String
    public var symbol: String
    public var side: Side
    public var quantity: Int64
    public var price: Int64
    public var netPnL: Int64
    public var time: UTCTimestamp

    public init(clientOrderId: String, strategy: String, symbol: String, side: Side, quantity: Int64, price: Int64,
                netPnL: Int64, time: UTCTimestamp) {
        self.clientOrderId = clientOrderId; self.strategy = strategy; self.symbol = symbol; self.side = side
        self.quantity = quantity; self.price = price; self.netPnL = netPnL; self.time = time
    }
}

/// The broker account across sessions, as the engine runner and the control commands use it: the
/// account's cash and positions, a session's broker, what the broker does between sessions, and the
/// emergency cancel-all and flatten-all.
public protocol BrokerAccount: AnyObject {
    /// `paper`, `kite`, …, for logs.
    var name: String { get }

    /// The cash the account held at `time` (a session's opening cash).
    func cash(at time: UTCTimestamp) throws -> Int64

    /// Open positions now, per book where the broker keeps books.
    func positions() throws -> [BrokerPosition]

    /// The broker for the session `[open, close)` of `date`.
    func session(date: LocalDate, open: UTCTimestamp, close: UTCTimestamp) throws -> BrokerSession

    /// What the broker does to what sessions before `open` left behind, stamped `at`: day orders
    /// still working expire; intraday positions still open are squared off at their last price.
    func settle(before open: UTCTimestamp, at time: UTCTimestamp) throws -> (expired: [String], closed: [ClosedPosition])

    /// Cancels every working order (created before `before`, when given), stamped `at`; their client order ids.
    func cancelWorkingOrders(createdBefore before: UTCTimestamp?, reason: String, at time: UTCTimestamp) throws -> [String]

    /// Closes every open position at the last known price, stamped `at`.
    func closePositions(reason: String, at time: UTCTimestamp) throws -> [ClosedPosition]
}
