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

/// What a broker answered to a placement.
public enum BrokerPlacement: Sendable, Equatable {
    case accepted(brokerOrderId: String)
    case rejected(reason: String)
}

/// Something that happened to an order at the broker, reported to the engine in the order it happened.
public enum BrokerEvent: Sendable, Equatable {
    /// An execution. `brokerTradeId` is unique per order (a replayed fill is recognised by it).
    case filled(Fill, brokerTradeId: String)
    /// The broker cancelled the order on its own (its OCO sibling filled, it expired).
    case cancelled(orderID: Int64, reason: String)
    case rejected(orderID: Int64, reason: String)
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

/// The port every broker adapter implements (the paper broker now; Kite Connect and Upstox later).
///
/// Placement is never retried blindly: an order whose placement outcome is unknown (a timeout, a
/// 5xx) is looked up in ``orders()`` by its client order id. Order updates and fills arrive through
/// ``takeEvents(into:)`` in the order they happened. A broker that simulates the market (the paper
/// broker) sees the bars through ``marketBar(_:symbol:)``; a real broker ignores them.
public protocol Broker: AnyObject {
    /// `paper`, `kite`, …, for logs.
    var name: String { get }

    /// Places an order tagged with its client order id.
    func place(_ request: BrokerOrderRequest) throws -> BrokerPlacement

    /// Cancels a working order; false when it is not working any more (filled, cancelled, unknown).
    func cancel(orderID: Int64, clientOrderId: String) throws -> Bool

    /// A new bar: working orders may fill against it, from its open.
    func marketBar(_ bar: Bar, symbol: SymbolID)

    /// Orders placed while the current bar was being processed may fill within the rest of it.
    func marketRestOfBar(_ bar: Bar, symbol: SymbolID)

    /// Fills and order updates since the last call, oldest first (appended to `events`).
    func takeEvents(into events: inout [BrokerEvent])

    /// The day's order book.
    func orders() throws -> [BrokerOrder]

    /// Open positions.
    func positions() throws -> [BrokerPosition]

    /// The day's executions.
    func fills() throws -> [BrokerFill]
}

extension Broker {
    public func marketBar(_ bar: Bar, symbol: SymbolID) {}
    public func marketRestOfBar(_ bar: Bar, symbol: SymbolID) {}
}
