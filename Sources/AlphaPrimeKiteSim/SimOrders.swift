import AlphaPrimeDomain

/// An order as Kite's order book shows it at one moment: one entry of its history.
struct SimOrderState: Sendable, Equatable {
    var orderID: String
    /// The simulated exchange's id of the order (`OrderRequest.id`).
    var sequence: Int64
    var instrument: Int
    var side: Side
    var orderType: OrderType
    var product: ProductType
    var quantity: Int64
    /// Limit price, paise (0 for MARKET and SL-M).
    var price: Int64
    /// Trigger price, paise (0 for MARKET and LIMIT).
    var triggerPrice: Int64
    var tag: String?
    /// `PUT ORDER REQ RECEIVED`, …, `OPEN`, `TRIGGER PENDING`, `COMPLETE`, `CANCELLED`, `REJECTED`.
    var status: String
    var statusMessage: String?
    var filledQuantity: Int64 = 0
    /// The fill's price, paise (every fill is the whole order).
    var averagePrice: Int64 = 0
    var cancelledQuantity: Int64 = 0
    var modified = false
    /// An SL order whose trigger was reached but whose limit was not: it works as a LIMIT order now.
    var triggered = false
    /// When the order was placed (market time, UTC epoch seconds).
    var placedAt: Int64
    /// When the exchange last changed it; nil before the exchange has it.
    var updatedAt: Int64?
    /// When the exchange accepted it; nil until then (and for a rejected order).
    var acceptedAt: Int64?

    var pendingQuantity: Int64 { isWorking ? quantity - filledQuantity : 0 }
    var isWorking: Bool { status == SimOrderState.open || status == SimOrderState.triggerPending }

    static let open = "OPEN", triggerPending = "TRIGGER PENDING", complete = "COMPLETE"
    static let cancelled = "CANCELLED", rejected = "REJECTED"

    /// The status an accepted order works in.
    static func workingStatus(_ type: OrderType, triggered: Bool) -> String {
        (type == .stopLoss || type == .stopLossMarket) && !triggered ? triggerPending : open
    }

    /// The exchange's id once the exchange has the order.
    var exchangeOrderID: String? { acceptedAt == nil ? nil : String(1_300_000_000_000_000 + sequence) }

    /// The order in the shape of Kite's `orders.json`.
    func json(_ instrument: SimInstrument, userID: String) -> JSON {
        var members: [(String, JSON)] = [
            ("placed_by", .string(userID)),
            ("order_id", .string(orderID)),
            ("exchange_order_id", .string(exchangeOrderID)),
            ("parent_order_id", .null),
            ("status", .string(status)),
            ("status_message", .string(statusMessage)),
            ("status_message_raw", .string(statusMessage)),
            ("order_timestamp", .string(IST.kiteText(epochSeconds: placedAt))),
            ("exchange_update_timestamp", .string(updatedAt.map { IST.kiteText(epochSeconds: $0) })),
            ("exchange_timestamp", .string(acceptedAt.map { IST.kiteText(epochSeconds: $0) })),
            ("variety", .string("regular")),
            ("modified", .bool(modified)),
            ("exchange", .string(instrument.exchange)),
            ("tradingsymbol", .string(instrument.tradingsymbol)),
            ("instrument_token", .int(instrument.token)),
            ("order_type", .string(orderType.rawValue)),
            ("transaction_type", .string(side.rawValue)),
            ("validity", .string("DAY")),
            ("validity_ttl", .int(0)),
            ("product", .string(product.rawValue)),
            ("quantity", .int(quantity)),
            ("disclosed_quantity", .int(0)),
            ("price", .rupees(price)),
            ("trigger_price", .rupees(triggerPrice)),
            ("average_price", .rupees(averagePrice)),
            ("filled_quantity", .int(filledQuantity)),
            ("pending_quantity", .int(pendingQuantity)),
            ("cancelled_quantity", .int(cancelledQuantity)),
            ("market_protection", .int(0)),
            ("meta", .object([])),
            ("tag", .string(tag)),
        ]
        if let tag { members.append(("tags", .array([.string(tag)]))) }
        members.append(("guid", .string("kite-sim-\(sequence)")))
        return .object(members)
    }
}

/// A change of an order's status that Kite's ticker reports (`{"type":"order","data":…}`, the
/// postback payload): the order as it stands after the change. `status` is the order's, except
/// after a modification, which Kite reports as `UPDATE`.
struct SimOrderUpdate: Sendable, Equatable {
    static let modified = "UPDATE"
    var state: SimOrderState
    var status: String

    init(_ state: SimOrderState, status: String? = nil) {
        self.state = state
        self.status = status ?? state.status
    }

    /// The postback payload: Kite's `user_id`, `unfilled_quantity`, `app_id` and `checksum`, then
    /// the order as `GET /orders` shows it (with `status` as above).
    func payload(_ instrument: SimInstrument, userID: String, checksum: String) -> JSON {
        var members: [(String, JSON)] = [
            ("user_id", .string(userID)),
            ("unfilled_quantity", .int(state.quantity - state.filledQuantity)),
            ("app_id", .int(0)),
            ("checksum", .string(checksum)),
        ]
        if case .object(let order) = state.json(instrument, userID: userID) {
            members += order.map { $0.0 == "status" ? ("status", .string(status)) : $0 }
        }
        return .object(members)
    }
}

/// An order in the book: where it is now and every state it went through, oldest first.
struct SimBookOrder: Sendable {
    var state: SimOrderState
    var history: [SimOrderState]

    /// Moves the order to `status` (at market time `time` when the exchange did it) and records it.
    mutating func record(_ status: String, at time: Int64?, message: String? = nil) {
        state.status = status
        if let message { state.statusMessage = message }
        if let time { state.updatedAt = time }
        history.append(state)
    }
}

/// One fill, as `GET /trades` shows it.
struct SimTrade: Sendable, Equatable {
    var tradeID: String
    var orderID: String
    var exchangeOrderID: String?
    var instrument: Int
    var product: ProductType
    var side: Side
    var quantity: Int64
    var price: Int64
    /// The fill's market time (the bar's), UTC epoch seconds.
    var time: Int64

    func json(_ instrument: SimInstrument) -> JSON {
        .object([
            ("trade_id", .string(tradeID)),
            ("order_id", .string(orderID)),
            ("exchange", .string(instrument.exchange)),
            ("tradingsymbol", .string(instrument.tradingsymbol)),
            ("instrument_token", .int(instrument.token)),
            ("product", .string(product.rawValue)),
            ("average_price", .rupees(price)),
            ("quantity", .int(quantity)),
            ("exchange_order_id", .string(exchangeOrderID)),
            ("transaction_type", .string(side.rawValue)),
            ("fill_timestamp", .string(IST.kiteText(epochSeconds: time))),
            ("order_timestamp", .string(IST.clockText(IST.dateTime(epochSeconds: time)))),
            ("exchange_timestamp", .string(IST.kiteText(epochSeconds: time))),
        ])
    }
}
