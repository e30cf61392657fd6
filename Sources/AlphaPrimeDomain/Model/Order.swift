import AlphaPrimeSupport

/// Why an order exists. Protective orders (stop loss, take profit) are placed by the engine when an
/// entry fills; square-off orders by the session rules.
public enum OrderPurpose: String, Sendable, Codable {
    case entry, exit, stopLoss = "stop_loss", takeProfit = "take_profit", squareOff = "square_off"

    public var isProtective: Bool { self == .stopLoss || self == .takeProfit }
}

/// An order the engine wants at the broker. Prices in paise; times UTC epoch seconds.
public struct OrderRequest: Sendable, Equatable {
    /// Engine-assigned sequence number, unique within a run and an account.
    public var id: Int64
    /// Index of the strategy instance that owns the order.
    public var strategy: Int
    public var symbol: SymbolID
    public var quantity: Int64
    /// Limit price for LIMIT and SL orders, else 0.
    public var limitPrice: Int64
    /// Trigger price for SL and SL-M orders, else 0.
    public var triggerPrice: Int64
    /// Orders sharing a non-zero group cancel each other when one fills (stop loss + take profit).
    public var ocoGroup: Int64
    /// When the order was created (the close of the bar that caused it).
    public var time: Int64
    // The one-byte fields last, together: 72 bytes an order instead of 88.
    public var side: Side
    public var type: OrderType
    public var product: ProductType
    public var purpose: OrderPurpose

    public init(id: Int64, strategy: Int, symbol: SymbolID, side: Side, quantity: Int64, type: OrderType = .market,
                limitPrice: Int64 = 0, triggerPrice: Int64 = 0, product: ProductType = .mis,
                purpose: OrderPurpose = .entry, ocoGroup: Int64 = 0, time: Int64) {
        self.id = id; self.strategy = strategy; self.symbol = symbol; self.side = side; self.quantity = quantity
        self.type = type; self.limitPrice = limitPrice; self.triggerPrice = triggerPrice; self.product = product
        self.purpose = purpose; self.ocoGroup = ocoGroup; self.time = time
    }
}

/// An execution reported by a broker (simulated, paper or live).
public struct Fill: Sendable, Equatable {
    public var orderID: Int64
    public var strategy: Int
    public var symbol: SymbolID
    public var side: Side
    public var quantity: Int64
    /// Execution price in paise.
    public var price: Int64
    /// All charges for this fill, in paise.
    public var charges: Int64
    public var time: Int64

    public init(orderID: Int64, strategy: Int, symbol: SymbolID, side: Side, quantity: Int64, price: Int64,
                charges: Int64 = 0, time: Int64) {
        self.orderID = orderID; self.strategy = strategy; self.symbol = symbol; self.side = side
        self.quantity = quantity; self.price = price; self.charges = charges; self.time = time
    }
}

/// An order and where it is in its life.
public struct OrderState: Sendable, Equatable {
    public var request: OrderRequest
    public var status: OrderStatus
    public var filledQuantity: Int64
    /// Σ quantity × price of the fills, paise.
    public var filledValue: Int64
    public var charges: Int64
    public var statusReason: String
    public var updatedAt: Int64

    public init(request: OrderRequest) {
        self.request = request; status = .created; filledQuantity = 0; filledValue = 0; charges = 0
        statusReason = ""; updatedAt = request.time
    }

    public var remainingQuantity: Int64 { request.quantity - filledQuantity }
}
