/// Positions (`GET /portfolio/positions`): `net` (the carried-forward view) and `day` (today's).
public struct KitePositions: Decodable, Sendable, Hashable {
    public var net: [KitePosition]
    public var day: [KitePosition]
    enum CodingKeys: String, CodingKey { case net, day }
}

/// One position. `value`, `pnl`, `m2m`, `realised`, `unrealised` are rupees computed by Kite.
public struct KitePosition: Decodable, Sendable, Hashable {
    public var tradingsymbol: String
    public var exchange: String
    public var instrumentToken: Int64
    public var product: String
    /// Net quantity (negative when short).
    public var quantity: Int64
    public var overnightQuantity: Int64
    public var multiplier: Double
    public var averagePrice: KitePrice
    public var closePrice: KitePrice
    public var lastPrice: KitePrice
    public var value: KitePrice
    public var pnl: KitePrice
    public var m2m: KitePrice
    public var unrealised: KitePrice
    public var realised: KitePrice
    public var buyQuantity: Int64
    public var buyPrice: KitePrice
    public var buyValue: KitePrice
    public var sellQuantity: Int64
    public var sellPrice: KitePrice
    public var sellValue: KitePrice
    public var dayBuyQuantity: Int64
    public var dayBuyPrice: KitePrice
    public var daySellQuantity: Int64
    public var daySellPrice: KitePrice

    enum CodingKeys: String, CodingKey {
        case tradingsymbol, exchange, instrumentToken = "instrument_token", product, quantity
        case overnightQuantity = "overnight_quantity", multiplier, averagePrice = "average_price"
        case closePrice = "close_price", lastPrice = "last_price", value, pnl, m2m, unrealised, realised
        case buyQuantity = "buy_quantity", buyPrice = "buy_price", buyValue = "buy_value"
        case sellQuantity = "sell_quantity", sellPrice = "sell_price", sellValue = "sell_value"
        case dayBuyQuantity = "day_buy_quantity", dayBuyPrice = "day_buy_price"
        case daySellQuantity = "day_sell_quantity", daySellPrice = "day_sell_price"
    }
}

/// A demat holding (`GET /portfolio/holdings`) or a holding under auction (`GET /portfolio/holdings/auctions`,
/// which adds `auction_number`).
public struct KiteHolding: Decodable, Sendable, Hashable {
    public var tradingsymbol: String
    public var exchange: String
    public var instrumentToken: Int64
    public var isin: String
    public var product: String
    public var quantity: Int64
    public var usedQuantity: Int64?
    public var t1Quantity: Int64
    public var realisedQuantity: Int64
    public var authorisedQuantity: Int64
    public var authorisedDate: KiteTimestamp?
    public var openingQuantity: Int64
    public var shortQuantity: Int64?
    public var collateralQuantity: Int64
    public var collateralType: String
    public var discrepancy: Bool
    public var averagePrice: KitePrice
    public var lastPrice: KitePrice
    public var closePrice: KitePrice
    public var pnl: KitePrice
    public var dayChange: Double
    public var dayChangePercentage: Double
    /// Margin trading facility quantities, when the account has them.
    public var mtf: MTF?
    /// Set only for holdings in an auction.
    public var auctionNumber: String?

    public struct MTF: Decodable, Sendable, Hashable {
        public var quantity: Int64
        public var usedQuantity: Int64
        public var averagePrice: KitePrice
        public var value: KitePrice
        public var initialMargin: KitePrice
        enum CodingKeys: String, CodingKey {
            case quantity, usedQuantity = "used_quantity", averagePrice = "average_price", value
            case initialMargin = "initial_margin"
        }
    }

    enum CodingKeys: String, CodingKey {
        case tradingsymbol, exchange, instrumentToken = "instrument_token", isin, product, quantity
        case usedQuantity = "used_quantity", t1Quantity = "t1_quantity", realisedQuantity = "realised_quantity"
        case authorisedQuantity = "authorised_quantity", authorisedDate = "authorised_date"
        case openingQuantity = "opening_quantity", shortQuantity = "short_quantity"
        case collateralQuantity = "collateral_quantity", collateralType = "collateral_type", discrepancy
        case averagePrice = "average_price", lastPrice = "last_price", closePrice = "close_price", pnl
        case dayChange = "day_change", dayChangePercentage = "day_change_percentage", mtf
        case auctionNumber = "auction_number"
    }
}

/// A holding in the compact listing (`GET /portfolio/holdings/compact`).
public struct KiteCompactHolding: Decodable, Sendable, Hashable {
    public var exchange: String
    public var tradingsymbol: String
    public var instrumentToken: Int64
    public var t1Quantity: Int64
    public var quantity: Int64
    enum CodingKeys: String, CodingKey {
        case exchange, tradingsymbol, instrumentToken = "instrument_token", t1Quantity = "t1_quantity", quantity
    }
}

/// The holdings summary (`GET /portfolio/holdings/summary`).
public struct KiteHoldingsSummary: Decodable, Sendable, Hashable {
    public var totalPnL: KitePrice
    public var totalPnLPercent: Double
    public var todayPnL: KitePrice
    public var todayPnLPercent: Double
    public var investedAmount: KitePrice
    public var currentValue: KitePrice
    enum CodingKeys: String, CodingKey {
        case totalPnL = "total_pnl", totalPnLPercent = "total_pnl_percent", todayPnL = "today_pnl"
        case todayPnLPercent = "today_pnl_percent", investedAmount = "invested_amount"
        case currentValue = "current_value"
    }
}

/// The answer to a holdings authorisation (CDSL TPIN) request: the id to send the user to authorise.
public struct KiteHoldingsAuthorisation: Decodable, Sendable, Hashable {
    public var requestID: String
    enum CodingKeys: String, CodingKey { case requestID = "request_id" }
}
