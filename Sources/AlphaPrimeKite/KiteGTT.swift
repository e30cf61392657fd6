/// A good-till-triggered order (`GET /gtt/triggers`, `GET /gtt/triggers/:id`): a condition on the
/// last price and the orders placed when it triggers.
public struct KiteGTT: Decodable, Sendable, Hashable {
    public var id: Int64
    public var userID: String
    public var parentTrigger: Int64?
    /// `single` or `two-leg` (OCO).
    public var type: String
    public var createdAt: KiteTimestamp
    public var updatedAt: KiteTimestamp
    public var expiresAt: KiteTimestamp?
    /// `active`, `triggered`, `disabled`, `expired`, `cancelled`, `rejected`, `deleted`.
    public var status: String
    public var condition: Condition
    public var orders: [Order]

    public struct Condition: Decodable, Sendable, Hashable {
        public var exchange: String
        public var tradingsymbol: String
        public var instrumentToken: Int64
        public var lastPrice: KitePrice
        /// One value for `single`, two (lower, upper) for `two-leg`.
        public var triggerValues: [KitePrice]
        enum CodingKeys: String, CodingKey {
            case exchange, tradingsymbol, instrumentToken = "instrument_token", lastPrice = "last_price"
            case triggerValues = "trigger_values"
        }
    }

    public struct Order: Decodable, Sendable, Hashable {
        public var exchange: String
        public var tradingsymbol: String
        public var product: String
        public var orderType: String
        public var transactionType: String
        public var quantity: Int64
        public var price: KitePrice
        /// What happened when the trigger fired; null until then.
        public var result: Result?
        enum CodingKeys: String, CodingKey {
            case exchange, tradingsymbol, product, orderType = "order_type"
            case transactionType = "transaction_type", quantity, price, result
        }
    }

    public struct Result: Decodable, Sendable, Hashable {
        public var accountID: String
        public var timestamp: KiteTimestamp
        public var triggeredAt: KitePrice
        public var orderResult: OrderResult
        enum CodingKeys: String, CodingKey {
            case accountID = "account_id", timestamp, triggeredAt = "triggered_at", orderResult = "order_result"
        }
    }

    public struct OrderResult: Decodable, Sendable, Hashable {
        /// `success` or `failed`.
        public var status: String
        /// Empty when the order failed.
        public var orderID: String
        public var rejectionReason: String
        enum CodingKeys: String, CodingKey {
            case status, orderID = "order_id", rejectionReason = "rejection_reason"
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, userID = "user_id", parentTrigger = "parent_trigger", type, createdAt = "created_at"
        case updatedAt = "updated_at", expiresAt = "expires_at", status, condition, orders
    }
}

/// The answer to placing, modifying or deleting a GTT: `{"trigger_id": …}`.
public struct KiteGTTReference: Decodable, Sendable, Hashable {
    public var triggerID: Int64
    enum CodingKeys: String, CodingKey { case triggerID = "trigger_id" }
}
