/// The last traded price of an instrument (`GET /quote/ltp`, keyed by `EXCHANGE:SYMBOL`).
public struct KiteLTPQuote: Decodable, Sendable, Hashable {
    public var instrumentToken: Int64
    public var lastPrice: KitePrice
    enum CodingKeys: String, CodingKey { case instrumentToken = "instrument_token", lastPrice = "last_price" }
}

/// The last price and the day's OHLC (`GET /quote/ohlc`, keyed by `EXCHANGE:SYMBOL`).
public struct KiteOHLCQuote: Decodable, Sendable, Hashable {
    public var instrumentToken: Int64
    public var lastPrice: KitePrice
    public var ohlc: KiteOHLC
    enum CodingKeys: String, CodingKey { case instrumentToken = "instrument_token", lastPrice = "last_price", ohlc }
}

/// Five levels of the order book on each side.
public struct KiteDepth: Decodable, Sendable, Hashable {
    public var buy: [Level]
    public var sell: [Level]

    public struct Level: Decodable, Sendable, Hashable {
        public var price: KitePrice
        public var quantity: Int64
        public var orders: Int64
        enum CodingKeys: String, CodingKey { case price, quantity, orders }
    }

    enum CodingKeys: String, CodingKey { case buy, sell }
}

/// The full market quote (`GET /quote`, keyed by `EXCHANGE:SYMBOL`).
public struct KiteQuote: Decodable, Sendable, Hashable {
    public var instrumentToken: Int64
    public var timestamp: KiteTimestamp?
    public var lastTradeTime: KiteTimestamp?
    public var lastPrice: KitePrice
    public var lastQuantity: Int64
    public var buyQuantity: Int64
    public var sellQuantity: Int64
    public var volume: Int64
    public var averagePrice: KitePrice
    public var oi: Int64
    public var oiDayHigh: Int64
    public var oiDayLow: Int64
    public var netChange: Double
    public var lowerCircuitLimit: KitePrice
    public var upperCircuitLimit: KitePrice
    public var ohlc: KiteOHLC
    public var depth: KiteDepth
    enum CodingKeys: String, CodingKey {
        case instrumentToken = "instrument_token", timestamp, lastTradeTime = "last_trade_time"
        case lastPrice = "last_price", lastQuantity = "last_quantity", buyQuantity = "buy_quantity"
        case sellQuantity = "sell_quantity", volume, averagePrice = "average_price", oi
        case oiDayHigh = "oi_day_high", oiDayLow = "oi_day_low", netChange = "net_change"
        case lowerCircuitLimit = "lower_circuit_limit", upperCircuitLimit = "upper_circuit_limit", ohlc, depth
    }
}

/// The range a stop-loss trigger must fall in (`GET /instruments/trigger_range`), keyed by
/// `EXCHANGE:SYMBOL`. The bounds are computed, so they carry sub-paisa digits.
public struct KiteTriggerRange: Decodable, Sendable, Hashable {
    public var instrumentToken: Int64
    public var lower: KitePrice
    public var upper: KitePrice
    enum CodingKeys: String, CodingKey { case instrumentToken = "instrument_token", lower, upper }
}

/// A tick as the WebSocket ticker's client libraries render it in JSON (mode `ltp`, `quote` or
/// `full`); the fields beyond the LTP are present only in the richer modes. The binary frames
/// themselves are decoded elsewhere.
public struct KiteTickRendering: Decodable, Sendable, Hashable {
    public var mode: String
    public var tradable: Bool
    public var instrumentToken: Int64
    public var lastPrice: KitePrice
    public var lastQuantity: Int64?
    public var averagePrice: KitePrice?
    public var volume: Int64?
    public var buyQuantity: Int64?
    public var sellQuantity: Int64?
    public var ohlc: KiteOHLC?
    /// Percentage change of the last price from the previous close.
    public var change: Double?
    public var lastTradeTime: KiteTimestamp?
    public var timestamp: KiteTimestamp?
    public var oi: Int64?
    public var oiDayHigh: Int64?
    public var oiDayLow: Int64?
    public var depth: KiteDepth?
    enum CodingKeys: String, CodingKey {
        case mode, tradable, instrumentToken = "instrument_token", lastPrice = "last_price"
        case lastQuantity = "last_quantity", averagePrice = "average_price", volume
        case buyQuantity = "buy_quantity", sellQuantity = "sell_quantity", ohlc, change
        case lastTradeTime = "last_trade_time", timestamp, oi, oiDayHigh = "oi_day_high"
        case oiDayLow = "oi_day_low", depth
    }
}

/// Historical candles (`GET /instruments/historical/:token/:interval`): `{"candles": [[…], …]}`.
public struct KiteCandles: Decodable, Sendable, Hashable {
    public var candles: [KiteCandle]
    enum CodingKeys: String, CodingKey { case candles }
}

/// One candle, sent as an array `[timestamp, open, high, low, close, volume]`, with open interest as
/// a seventh element when asked for (`oi=1`). The timestamp is ISO 8601 with a `+0530` offset and
/// labels the candle's start.
public struct KiteCandle: Decodable, Sendable, Hashable {
    public var timestamp: KiteTimestamp
    public var open: KitePrice
    public var high: KitePrice
    public var low: KitePrice
    public var close: KitePrice
    public var volume: Int64
    public var openInterest: Int64?

    public init(from decoder: Decoder) throws {
        var c = try decoder.unkeyedContainer()
        timestamp = try c.decode(KiteTimestamp.self)
        open = try c.decode(KitePrice.self)
        high = try c.decode(KitePrice.self)
        low = try c.decode(KitePrice.self)
        close = try c.decode(KitePrice.self)
        volume = try c.decode(Int64.self)
        openInterest = c.isAtEnd ? nil : try c.decode(Int64.self)
        guard c.isAtEnd else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "a candle has more than 7 elements")
        }
    }
}
