/// A price alert (`/alerts`): `simple` (notify) or `ato` (alert-triggers-order, with a basket).
/// The condition is `lhs operator rhs`, e.g. `LastTradedPrice(INDICES:NIFTY 50) >= 27000`.
public struct KiteAlert: Decodable, Sendable, Hashable {
    public var type: String
    public var userID: String
    public var uuid: String
    public var name: String
    /// `enabled` or `disabled`.
    public var status: String
    public var disabledReason: String
    public var lhsAttribute: String
    public var lhsExchange: String
    public var lhsTradingsymbol: String
    public var `operator`: String
    /// `constant` or `instrument`.
    public var rhsType: String
    public var rhsAttribute: String
    public var rhsExchange: String
    public var rhsTradingsymbol: String
    public var rhsConstant: KitePrice?
    public var alertCount: Int64
    public var createdAt: KiteTimestamp
    public var updatedAt: KiteTimestamp
    /// The orders an `ato` alert places.
    public var basket: Basket?

    public struct Basket: Decodable, Sendable, Hashable {
        public var items: [Item]
        enum CodingKeys: String, CodingKey { case items }
    }

    public struct Item: Decodable, Sendable, Hashable {
        public var id: Int64
        public var tradingsymbol: String
        public var exchange: String
        public var instrumentToken: Int64
        public var weight: Int64
        public var params: Params
        enum CodingKeys: String, CodingKey {
            case id, tradingsymbol, exchange, instrumentToken = "instrument_token", weight, params
        }
    }

    public struct Params: Decodable, Sendable, Hashable {
        public var variety: String
        public var product: String
        public var orderType: String
        public var transactionType: String
        public var validity: String
        public var quantity: Int64
        public var price: KitePrice
        public var triggerPrice: KitePrice
        enum CodingKeys: String, CodingKey {
            case variety, product, orderType = "order_type", transactionType = "transaction_type", validity
            case quantity, price, triggerPrice = "trigger_price"
        }
    }

    enum CodingKeys: String, CodingKey {
        case type, userID = "user_id", uuid, name, status, disabledReason = "disabled_reason"
        case lhsAttribute = "lhs_attribute", lhsExchange = "lhs_exchange", lhsTradingsymbol = "lhs_tradingsymbol"
        case `operator`, rhsType = "rhs_type", rhsAttribute = "rhs_attribute", rhsExchange = "rhs_exchange"
        case rhsTradingsymbol = "rhs_tradingsymbol", rhsConstant = "rhs_constant", alertCount = "alert_count"
        case createdAt = "created_at", updatedAt = "updated_at", basket
    }
}

/// One firing of an alert (`GET /alerts/:uuid/history`): the condition and the quotes that met it.
public struct KiteAlertHistoryEntry: Decodable, Sendable, Hashable {
    public var uuid: String
    public var type: String
    public var condition: String
    public var createdAt: KiteTimestamp
    public var meta: [Quote]

    /// The quote of one instrument when the alert fired. `lastTradeTime` is `0001-01-01 00:00:00`
    /// for an index (it has no trades).
    public struct Quote: Decodable, Sendable, Hashable {
        public var instrumentToken: Int64
        public var tradingsymbol: String
        public var exchange: String
        public var timestamp: KiteTimestamp
        public var lastTradeTime: KiteTimestamp?
        public var lastPrice: KitePrice
        public var ohlc: KiteOHLC
        public var netChange: Double
        public var volume: Int64
        enum CodingKeys: String, CodingKey {
            case instrumentToken = "instrument_token", tradingsymbol, exchange, timestamp
            case lastTradeTime = "last_trade_time", lastPrice = "last_price", ohlc, netChange = "net_change", volume
        }
    }

    enum CodingKeys: String, CodingKey { case uuid, type, condition, createdAt = "created_at", meta }
}
