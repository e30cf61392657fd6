/// An order as the order book (`GET /orders`), an order's history (`GET /orders/:id`) and the
/// postback describe it. Fields that Kite leaves `null` until the exchange answers are optional.
public struct KiteOrder: Decodable, Sendable, Hashable {
    public var orderID: String
    public var exchangeOrderID: String?
    public var parentOrderID: String?
    public var placedBy: String
    /// `PUT ORDER REQ RECEIVED`, `VALIDATION PENDING`, `OPEN PENDING`, `OPEN`, `TRIGGER PENDING`,
    /// `COMPLETE`, `CANCELLED`, `REJECTED`, … as Kite spells it.
    public var status: String
    public var statusMessage: String?
    public var statusMessageRaw: String?
    public var orderTimestamp: KiteTimestamp?
    public var exchangeUpdateTimestamp: KiteTimestamp?
    public var exchangeTimestamp: KiteTimestamp?
    public var variety: String
    public var modified: Bool?
    public var exchange: String
    public var tradingsymbol: String
    public var instrumentToken: Int64
    public var orderType: String
    public var transactionType: String
    public var validity: String
    public var validityTTL: Int?
    public var product: String
    public var quantity: Int64
    public var disclosedQuantity: Int64
    public var price: KitePrice
    public var triggerPrice: KitePrice
    public var averagePrice: KitePrice
    public var filledQuantity: Int64
    public var pendingQuantity: Int64
    public var cancelledQuantity: Int64
    public var marketProtection: Double?
    public var tag: String?
    public var tags: [String]?
    public var guid: String?

    enum CodingKeys: String, CodingKey {
        case orderID = "order_id", exchangeOrderID = "exchange_order_id", parentOrderID = "parent_order_id"
        case placedBy = "placed_by", status, statusMessage = "status_message"
        case statusMessageRaw = "status_message_raw", orderTimestamp = "order_timestamp"
        case exchangeUpdateTimestamp = "exchange_update_timestamp", exchangeTimestamp = "exchange_timestamp"
        case variety, modified, exchange, tradingsymbol, instrumentToken = "instrument_token"
        case orderType = "order_type", transactionType = "transaction_type", validity
        case validityTTL = "validity_ttl", product, quantity, disclosedQuantity = "disclosed_quantity"
        case price, triggerPrice = "trigger_price", averagePrice = "average_price"
        case filledQuantity = "filled_quantity", pendingQuantity = "pending_quantity"
        case cancelledQuantity = "cancelled_quantity", marketProtection = "market_protection"
        case tag, tags, guid
    }
}

/// The order postback Kite POSTs to the app's URL when an order changes: the order plus who it is
/// for and a `checksum` (SHA-256 of order_id + order_timestamp + api_secret, which the receiver must
/// verify before trusting the payload).
public struct KitePostback: Decodable, Sendable, Hashable {
    public var order: KiteOrder
    public var userID: String
    public var appID: Int64
    public var unfilledQuantity: Int64
    public var checksum: String

    enum CodingKeys: String, CodingKey {
        case userID = "user_id", appID = "app_id", unfilledQuantity = "unfilled_quantity", checksum
    }

    public init(order: KiteOrder, userID: String, appID: Int64, unfilledQuantity: Int64, checksum: String) {
        self.order = order
        self.userID = userID
        self.appID = appID
        self.unfilledQuantity = unfilledQuantity
        self.checksum = checksum
    }

    public init(from decoder: Decoder) throws {
        order = try KiteOrder(from: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        userID = try c.decode(String.self, forKey: .userID)
        appID = try c.decode(Int64.self, forKey: .appID)
        unfilledQuantity = try c.decode(Int64.self, forKey: .unfilledQuantity)
        checksum = try c.decode(String.self, forKey: .checksum)
    }

    /// The same payload as an order update on the ticker's WebSocket (`{"type":"order","data":{…}}`).
    /// The connection is already the user's own, so the fields that identify and sign a postback
    /// are not required there: a missing `user_id` is the order's `placed_by`, a missing `app_id` 0,
    /// a missing `unfilled_quantity` the order's `pending_quantity`, a missing `checksum` empty.
    init(tickerUpdateFrom decoder: Decoder) throws {
        order = try KiteOrder(from: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        userID = try c.decodeIfPresent(String.self, forKey: .userID) ?? order.placedBy
        appID = try c.decodeIfPresent(Int64.self, forKey: .appID) ?? 0
        unfilledQuantity = try c.decodeIfPresent(Int64.self, forKey: .unfilledQuantity) ?? order.pendingQuantity
        checksum = try c.decodeIfPresent(String.self, forKey: .checksum) ?? ""
    }
}

/// A fill (`GET /trades`, `GET /orders/:id/trades`).
public struct KiteTrade: Decodable, Sendable, Hashable {
    public var tradeID: String
    public var orderID: String
    public var exchangeOrderID: String?
    public var exchange: String
    public var tradingsymbol: String
    public var instrumentToken: Int64
    public var product: String
    public var averagePrice: KitePrice
    public var quantity: Int64
    public var transactionType: String
    public var fillTimestamp: KiteTimestamp?
    /// Kite sends only the IST time of day here (`"09:16:39"`), so it stays text.
    public var orderTimestamp: String?
    public var exchangeTimestamp: KiteTimestamp?

    enum CodingKeys: String, CodingKey {
        case tradeID = "trade_id", orderID = "order_id", exchangeOrderID = "exchange_order_id"
        case exchange, tradingsymbol, instrumentToken = "instrument_token", product
        case averagePrice = "average_price", quantity, transactionType = "transaction_type"
        case fillTimestamp = "fill_timestamp", orderTimestamp = "order_timestamp"
        case exchangeTimestamp = "exchange_timestamp"
    }
}

/// The answer to an autoslice placement (an order split into exchange-sized children): the parent
/// order id and, per child, its order id or the error that stopped it.
public struct KiteAutosliceResponse: Decodable, Sendable, Hashable {
    public var orderID: String
    public var children: [Child]

    public struct Child: Decodable, Sendable, Hashable {
        public var orderID: String?
        public var error: ChildError?
        enum CodingKeys: String, CodingKey { case orderID = "order_id", error }
    }

    /// A child's error, in Kite's error shape (`code` is the HTTP status it would have had).
    public struct ChildError: Decodable, Sendable, Hashable {
        public var code: Int
        public var errorType: String
        public var message: String
        enum CodingKeys: String, CodingKey { case code, errorType = "error_type", message }

        /// The child's error as a `KiteError`.
        public var kiteError: KiteError {
            KiteError(kind: .init(errorType: errorType), httpStatus: code, message: message)
        }
    }

    enum CodingKeys: String, CodingKey { case orderID = "order_id", children }
}
