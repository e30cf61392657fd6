import AlphaPrimeDomain
import Foundation

/// The envelope of every Upstox API v2 answer but the token exchange: `{"status": "success",
/// "data": …}` or `{"status": "error", "errors": [{"errorCode", "message", "propertyPath",
/// "invalidValue", …}]}`.
public enum UpstoxResponse {
    /// The `data` of a 2xx answer as `type`; the ``UpstoxError`` of any other.
    public static func decode<T: Decodable>(_ body: Data, as type: T.Type, httpStatus: Int) throws -> T {
        guard (200...299).contains(httpStatus) else { throw error(body, httpStatus: httpStatus) }
        return try JSONDecoder().decode(Success<T>.self, from: body).data
    }

    struct Success<T: Decodable>: Decodable {
        var status: String
        var data: T
    }

    struct Failure: Decodable {
        struct Entry: Decodable {
            var errorCode: String?
            var message: String?
            var propertyPath: String?
            // The snake_case twins Upstox sends beside the camelCase names.
            var error_code: String?
            var property_path: String?
        }
        var status: String?
        var errors: [Entry]?
    }

    /// The error a non-2xx answer carries: Upstox's first error, or the HTTP status alone.
    public static func error(_ body: Data, httpStatus: Int) -> UpstoxError {
        if let failure = try? JSONDecoder().decode(Failure.self, from: body), let first = failure.errors?.first {
            return UpstoxError(code: first.errorCode ?? first.error_code ?? "HTTP \(httpStatus)", httpStatus: httpStatus,
                               message: first.message ?? "no message", propertyPath: first.propertyPath ?? first.property_path)
        }
        return UpstoxError(code: "HTTP \(httpStatus)", httpStatus: httpStatus, message: "the answer is not an Upstox error envelope")
    }
}

/// `{"order_id": "…"}`: the answer to a placement, a modification and a cancellation.
public struct UpstoxOrderReference: Decodable, Sendable, Hashable {
    public var orderID: String
    enum CodingKeys: String, CodingKey { case orderID = "order_id" }
}

/// An order of the day's order book (`GET /order/retrieve-all`) or one state of an order's history
/// (`GET /order/history`).
public struct UpstoxOrder: Decodable, Sendable, Hashable {
    public var exchange: String
    /// `I` (intraday), `D` (delivery / carry forward), `CO`, `MTF`.
    public var product: String
    public var price: UpstoxPrice
    public var quantity: Int64
    /// `open`, `complete`, `cancelled`, `rejected`, `trigger pending`, `validation pending`, …
    public var status: String
    /// The client order id the order was placed with.
    public var tag: String?
    /// `NSE_EQ|INE002A01018`.
    public var instrumentToken: String
    public var tradingSymbol: String
    public var orderType: String
    public var validity: String
    public var triggerPrice: UpstoxPrice
    public var disclosedQuantity: Int64?
    public var transactionType: String
    public var averagePrice: UpstoxPrice
    public var filledQuantity: Int64
    public var pendingQuantity: Int64
    public var statusMessage: String?
    public var exchangeOrderID: String?
    public var parentOrderID: String?
    public var orderID: String
    public var variety: String?
    public var orderTimestamp: String?
    public var exchangeTimestamp: String?
    public var isAMO: Bool?
    public var orderRefID: String?

    enum CodingKeys: String, CodingKey {
        case exchange, product, price, quantity, status, tag, validity, variety
        case instrumentToken = "instrument_token", tradingSymbol = "trading_symbol", orderType = "order_type"
        case triggerPrice = "trigger_price", disclosedQuantity = "disclosed_quantity", transactionType = "transaction_type"
        case averagePrice = "average_price", filledQuantity = "filled_quantity", pendingQuantity = "pending_quantity"
        case statusMessage = "status_message", exchangeOrderID = "exchange_order_id", parentOrderID = "parent_order_id"
        case orderID = "order_id", orderTimestamp = "order_timestamp", exchangeTimestamp = "exchange_timestamp"
        case isAMO = "is_amo", orderRefID = "order_ref_id"
    }

    /// When the order was placed, if Upstox says.
    public var orderTime: UTCTimestamp? { orderTimestamp.flatMap(UpstoxTimestamp.init)?.utc }
}

/// An execution of the day's trade book (`GET /order/trades/get-trades-for-day`, `GET /order/trades`).
public struct UpstoxTrade: Decodable, Sendable, Hashable {
    public var exchange: String
    public var product: String
    public var tradingSymbol: String
    public var instrumentToken: String
    public var orderType: String
    public var transactionType: String
    public var quantity: Int64
    public var exchangeOrderID: String?
    public var orderID: String
    public var exchangeTimestamp: String?
    public var averagePrice: UpstoxPrice
    public var tradeID: String
    public var orderRefID: String?
    public var orderTimestamp: String?

    enum CodingKeys: String, CodingKey {
        case exchange, product, quantity
        case tradingSymbol = "trading_symbol", instrumentToken = "instrument_token", orderType = "order_type"
        case transactionType = "transaction_type", exchangeOrderID = "exchange_order_id", orderID = "order_id"
        case exchangeTimestamp = "exchange_timestamp", averagePrice = "average_price", tradeID = "trade_id"
        case orderRefID = "order_ref_id", orderTimestamp = "order_timestamp"
    }

    /// When it executed (the exchange's time, else the order's).
    public var time: UTCTimestamp? {
        (exchangeTimestamp.flatMap(UpstoxTimestamp.init) ?? orderTimestamp.flatMap(UpstoxTimestamp.init))?.utc
    }
}

/// A position of `GET /portfolio/short-term-positions`.
public struct UpstoxPosition: Decodable, Sendable, Hashable {
    public var exchange: String
    public var product: String
    public var instrumentToken: String
    public var tradingSymbol: String
    /// Net quantity: + long, − short.
    public var quantity: Int64
    /// Null when the position is flat or new.
    public var averagePrice: UpstoxPrice?
    public var lastPrice: UpstoxPrice?
    public var closePrice: UpstoxPrice?
    public var buyPrice: UpstoxPrice?
    public var sellPrice: UpstoxPrice?
    public var pnl: UpstoxPrice?
    public var realised: UpstoxPrice?
    public var unrealised: UpstoxPrice?
    public var overnightQuantity: Int64?
    public var dayBuyQuantity: Int64?
    public var daySellQuantity: Int64?
    public var multiplier: Double?

    enum CodingKeys: String, CodingKey {
        case exchange, product, quantity, pnl, realised, unrealised, multiplier
        case instrumentToken = "instrument_token", tradingSymbol = "trading_symbol", averagePrice = "average_price"
        case lastPrice = "last_price", closePrice = "close_price", buyPrice = "buy_price", sellPrice = "sell_price"
        case overnightQuantity = "overnight_quantity", dayBuyQuantity = "day_buy_quantity", daySellQuantity = "day_sell_quantity"
    }

    /// The price the open quantity was bought (long) or sold (short) at: `average_price`, else
    /// the day's buy or sell price.
    public var openPrice: Paise {
        averagePrice?.paise ?? (quantity >= 0 ? buyPrice?.paise : sellPrice?.paise) ?? .zero
    }
}

/// `GET /user/get-funds-and-margin`: one segment's funds.
public struct UpstoxFunds: Decodable, Sendable, Hashable {
    public struct Segment: Decodable, Sendable, Hashable {
        public var usedMargin: UpstoxPrice
        public var payinAmount: UpstoxPrice
        public var spanMargin: UpstoxPrice
        public var adhocMargin: UpstoxPrice
        public var notionalCash: UpstoxPrice
        /// Total margin available for trading.
        public var availableMargin: UpstoxPrice
        public var exposureMargin: UpstoxPrice

        enum CodingKeys: String, CodingKey {
            case usedMargin = "used_margin", payinAmount = "payin_amount", spanMargin = "span_margin"
            case adhocMargin = "adhoc_margin", notionalCash = "notional_cash", availableMargin = "available_margin"
            case exposureMargin = "exposure_margin"
        }
    }

    public var equity: Segment?
    public var commodity: Segment?
}

/// One instrument of `GET /market-quote/ltp`, keyed by `EXCHANGE_SEGMENT:TRADINGSYMBOL` in the answer.
public struct UpstoxLTP: Decodable, Sendable, Hashable {
    public var lastPrice: UpstoxPrice
    public var instrumentToken: String

    enum CodingKeys: String, CodingKey { case lastPrice = "last_price", instrumentToken = "instrument_token" }
}

/// The answer to the token exchange (`POST /login/authorization/token`): the user's profile and the
/// access token (good until 03:30 IST the next day). Not wrapped in the `status`/`data` envelope.
/// Its description never shows a token.
public struct UpstoxTokenResponse: Decodable, Sendable, Hashable, CustomStringConvertible {
    public var email: String?
    public var exchanges: [String]?
    public var products: [String]?
    public var broker: String?
    public var userID: String
    public var userName: String?
    public var orderTypes: [String]?
    public var userType: String?
    public var poa: Bool?
    public var isActive: Bool?
    public var accessToken: String
    /// A longer-lived read-only token, when the app is allowed one.
    public var extendedToken: String?

    enum CodingKeys: String, CodingKey {
        case email, exchanges, products, broker, poa
        case userID = "user_id", userName = "user_name", orderTypes = "order_types", userType = "user_type"
        case isActive = "is_active", accessToken = "access_token", extendedToken = "extended_token"
    }

    public var description: String { "Upstox login of \(userID)" }
}
