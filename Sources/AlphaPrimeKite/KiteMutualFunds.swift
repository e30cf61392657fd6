/// A mutual fund holding (`GET /mf/holdings`). Units are fractional.
public struct KiteMFHolding: Decodable, Sendable, Hashable {
    public var folio: String
    public var fund: String
    public var tradingsymbol: String
    public var averagePrice: KitePrice
    public var lastPrice: KitePrice
    /// A date (`yyyy-MM-dd`) or empty.
    public var lastPriceDate: String
    public var pledgedQuantity: Double
    public var pnl: KitePrice
    public var quantity: Double
    enum CodingKeys: String, CodingKey {
        case folio, fund, tradingsymbol, averagePrice = "average_price", lastPrice = "last_price"
        case lastPriceDate = "last_price_date", pledgedQuantity = "pledged_quantity", pnl, quantity
    }
}

/// A mutual fund order (`GET /mf/orders`, `GET /mf/orders/:id`).
public struct KiteMFOrder: Decodable, Sendable, Hashable {
    /// A UUID, unlike equity order ids.
    public var orderID: String
    public var exchangeOrderID: String?
    public var tradingsymbol: String
    public var fund: String
    public var status: String
    public var statusMessage: String?
    public var folio: String?
    public var variety: String
    public var transactionType: String
    public var purchaseType: String
    public var quantity: Double
    public var amount: KitePrice
    public var lastPrice: KitePrice
    public var averagePrice: KitePrice
    public var placedBy: String
    public var orderTimestamp: KiteTimestamp
    /// A date (`yyyy-MM-dd`), not an instant.
    public var exchangeTimestamp: String?
    public var lastPriceDate: String?
    public var settlementID: String?
    public var tag: String?
    enum CodingKeys: String, CodingKey {
        case orderID = "order_id", exchangeOrderID = "exchange_order_id", tradingsymbol, fund, status
        case statusMessage = "status_message", folio, variety, transactionType = "transaction_type"
        case purchaseType = "purchase_type", quantity, amount, lastPrice = "last_price"
        case averagePrice = "average_price", placedBy = "placed_by", orderTimestamp = "order_timestamp"
        case exchangeTimestamp = "exchange_timestamp", lastPriceDate = "last_price_date"
        case settlementID = "settlement_id", tag
    }
}

/// A systematic investment plan (`GET /mf/sips`, `GET /mf/sips/:id`).
public struct KiteMFSIP: Decodable, Sendable, Hashable {
    public var sipID: String
    public var sipRegNum: String?
    public var tradingsymbol: String
    public var fund: String
    public var status: String
    public var sipType: String
    public var dividendType: String
    public var transactionType: String
    public var frequency: String
    public var instalmentAmount: KitePrice
    /// -1 for a SIP without an end.
    public var instalments: Int64
    public var pendingInstalments: Int64
    public var completedInstalments: Int64
    public var instalmentDay: Int64
    public var created: KiteTimestamp
    public var lastInstalment: KiteTimestamp?
    /// A date (`yyyy-MM-dd`).
    public var nextInstalment: String
    public var triggerPrice: KitePrice
    /// Yearly step-up: `dd-MM` → percent.
    public var stepUp: [String: Double]
    public var fundSource: String?
    public var tag: String?
    enum CodingKeys: String, CodingKey {
        case sipID = "sip_id", sipRegNum = "sip_reg_num", tradingsymbol, fund, status, sipType = "sip_type"
        case dividendType = "dividend_type", transactionType = "transaction_type", frequency
        case instalmentAmount = "instalment_amount", instalments, pendingInstalments = "pending_instalments"
        case completedInstalments = "completed_instalments", instalmentDay = "instalment_day", created
        case lastInstalment = "last_instalment", nextInstalment = "next_instalment"
        case triggerPrice = "trigger_price", stepUp = "step_up", fundSource = "fund_source", tag
    }
}

/// The answer to placing, modifying or cancelling a SIP: `{"sip_id": …}`.
public struct KiteSIPReference: Decodable, Sendable, Hashable {
    public var sipID: String
    enum CodingKeys: String, CodingKey { case sipID = "sip_id" }
}
