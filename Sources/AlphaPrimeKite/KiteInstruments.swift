import AlphaPrimeDomain

/// A tradable instrument from Kite's instrument master (`GET /instruments`, `GET /instruments/:exchange`,
/// a CSV refreshed daily).
public struct KiteInstrument: Sendable, Hashable {
    /// The token the quote, historical and ticker APIs take.
    public var instrumentToken: Int64
    public var exchangeToken: Int64
    public var tradingsymbol: String
    /// Empty for derivatives.
    public var name: String
    public var lastPrice: KitePrice
    /// Nil for instruments without an expiry (equities).
    public var expiry: LocalDate?
    public var strike: KitePrice
    public var tickSize: KitePrice
    public var lotSize: Int64
    /// `EQ`, `FUT`, `CE`, `PE`.
    public var instrumentType: String
    /// `NSE`, `NFO-OPT`, `NFO-FUT`, `BSE`, `INDICES`, …
    public var segment: String
    public var exchange: String

    /// The CSV's columns, in order.
    public static let columns = [
        "instrument_token", "exchange_token", "tradingsymbol", "name", "last_price", "expiry", "strike",
        "tick_size", "lot_size", "instrument_type", "segment", "exchange",
    ]

    /// Parses an instrument master CSV. `file` names it in errors.
    /// - Throws: `KiteCSVError` naming the file and line of the first malformed row.
    public static func parseCSV(_ text: String, file: String) throws -> [KiteInstrument] {
        try KiteCSV.records(text, file: file, header: columns).map { record in
            let row = KiteCSV.Row(file: file, line: record.line, columns: columns, fields: record.fields)
            // Every instrument is named by its trading symbol: a row without one names nothing.
            guard !row.text("tradingsymbol").isEmpty else { throw row.fail("tradingsymbol", "a trading symbol") }
            let expiryText = row.text("expiry")
            var expiry: LocalDate?
            if !expiryText.isEmpty {
                guard let date = LocalDate(expiryText) else { throw row.fail("expiry", "a yyyy-MM-dd date") }
                expiry = date
            }
            return KiteInstrument(
                instrumentToken: try row.int("instrument_token"), exchangeToken: try row.int("exchange_token"),
                tradingsymbol: row.text("tradingsymbol"), name: row.text("name"), lastPrice: try row.price("last_price"),
                expiry: expiry, strike: try row.price("strike"), tickSize: try row.price("tick_size"),
                lotSize: try row.int("lot_size"), instrumentType: row.text("instrument_type"),
                segment: row.text("segment"), exchange: row.text("exchange"))
        }
    }
}

/// A mutual fund scheme from Kite's MF instrument master (`GET /mf/instruments`).
public struct KiteMFInstrument: Sendable, Hashable {
    /// The scheme's ISIN.
    public var tradingsymbol: String
    public var amc: String
    public var name: String
    public var purchaseAllowed: Bool
    public var redemptionAllowed: Bool
    public var minimumPurchaseAmount: KitePrice
    public var purchaseAmountMultiplier: Double
    public var minimumAdditionalPurchaseAmount: KitePrice
    public var minimumRedemptionQuantity: Double
    public var redemptionQuantityMultiplier: Double
    /// `growth`, `payout`, `reinvest`, …
    public var dividendType: String
    public var schemeType: String
    /// `direct` or `regular`.
    public var plan: String
    public var settlementType: String
    /// The latest NAV.
    public var lastPrice: KitePrice
    public var lastPriceDate: LocalDate

    public static let columns = [
        "tradingsymbol", "amc", "name", "purchase_allowed", "redemption_allowed", "minimum_purchase_amount",
        "purchase_amount_multiplier", "minimum_additional_purchase_amount", "minimum_redemption_quantity",
        "redemption_quantity_multiplier", "dividend_type", "scheme_type", "plan", "settlement_type",
        "last_price", "last_price_date",
    ]

    /// Parses the MF instrument master CSV. `file` names it in errors.
    /// - Throws: `KiteCSVError` naming the file and line of the first malformed row.
    public static func parseCSV(_ text: String, file: String) throws -> [KiteMFInstrument] {
        try KiteCSV.records(text, file: file, header: columns).map { record in
            let row = KiteCSV.Row(file: file, line: record.line, columns: columns, fields: record.fields)
            guard let date = LocalDate(row.text("last_price_date")) else {
                throw row.fail("last_price_date", "a yyyy-MM-dd date")
            }
            return KiteMFInstrument(
                tradingsymbol: row.text("tradingsymbol"), amc: row.text("amc"), name: row.text("name"),
                purchaseAllowed: try row.flag("purchase_allowed"), redemptionAllowed: try row.flag("redemption_allowed"),
                minimumPurchaseAmount: try row.price("minimum_purchase_amount"),
                purchaseAmountMultiplier: try row.double("purchase_amount_multiplier"),
                minimumAdditionalPurchaseAmount: try row.price("minimum_additional_purchase_amount"),
                minimumRedemptionQuantity: try row.double("minimum_redemption_quantity"),
                redemptionQuantityMultiplier: try row.double("redemption_quantity_multiplier"),
                dividendType: row.text("dividend_type"), schemeType: row.text("scheme_type"), plan: row.text("plan"),
                settlementType: row.text("settlement_type"), lastPrice: try row.price("last_price"),
                lastPriceDate: date)
        }
    }
}
