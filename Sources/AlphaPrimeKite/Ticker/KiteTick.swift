/// The streaming mode of an instrument on Kite's ticker: what each of its packets carries.
///
/// - `ltp`: the last traded price only (8-byte packets).
/// - `quote`: prices, quantities and the day's OHLC, no depth (44 bytes; 28 for an index).
/// - `full`: `quote` plus the last trade time, open interest, the exchange timestamp and five levels
///   of market depth (184 bytes; 32 for an index, which has no depth).
public enum KiteTickerMode: String, Sendable, Codable, CaseIterable {
    case ltp, quote, full
}

/// The exchange segment in the low byte of an instrument token (`token & 0xff`), as Kite numbers it.
public enum KiteTickerSegment: UInt8, Sendable, CaseIterable {
    case nse = 1, nfo = 2, cds = 3, bse = 4, bfo = 5, bcd = 6, mcx = 7, mcxsx = 8, indices = 9

    /// What an integer price of this segment must be divided by to give rupees: 10,000,000 for NSE
    /// currency derivatives (CDS), 10,000 for BSE currency derivatives (BCD), 100 (paise) for every
    /// other segment.
    public var priceDivisor: Int64 { KiteTick.priceDivisor(segment: rawValue) }
}

/// One level of market depth: the quantity bid or offered at a price, and by how many orders.
public struct KiteDepthEntry: Sendable, Equatable {
    public var quantity: Int64
    /// The raw integer price: paise for divisor-100 segments (see `KiteTick.priceDivisor`).
    public var price: Int64
    public var orders: Int64

    public init(quantity: Int64, price: Int64, orders: Int64) {
        self.quantity = quantity
        self.price = price
        self.orders = orders
    }
}

/// One instrument's packet from Kite's ticker, with its integers exactly as sent.
///
/// Prices are the raw integers of the packet: paise for every segment whose `priceDivisor` is 100,
/// ten-millionths of a rupee for CDS and ten-thousandths for BCD. `lastPricePaise` and `paise(_:)`
/// convert exactly or not at all. Fields the packet's mode does not carry are nil (depth: empty).
/// Times are UTC epoch seconds.
public struct KiteTick: Sendable, Equatable {
    public var instrumentToken: UInt32
    /// `instrumentToken & 0xff`: Kite's exchange segment (`KiteTickerSegment`).
    public var segment: UInt8
    public var mode: KiteTickerMode
    /// An index (segment 9, or a packet in the index layout of 28 or 32 bytes).
    public var isIndex: Bool
    /// False for indices, which cannot be traded.
    public var isTradable: Bool
    /// 100, 10_000_000 (CDS) or 10_000 (BCD): what the raw prices divide by to give rupees.
    public var priceDivisor: Int64
    /// The raw integer as sent (paise when `priceDivisor == 100`).
    public var lastPrice: Int64
    public var lastTradedQuantity: Int64?
    public var averageTradedPrice: Int64?
    /// Cumulative for the day.
    public var volumeTraded: Int64?
    public var totalBuyQuantity: Int64?
    public var totalSellQuantity: Int64?
    /// The day's open, high and low; `close` is the previous session's close.
    public var open: Int64?, high: Int64?, low: Int64?, close: Int64?
    /// Index packets only: the change the exchange sends, raw.
    public var change: Int64?
    /// UTC epoch seconds.
    public var lastTradeTime: Int64?
    public var openInterest: Int64?, openInterestDayHigh: Int64?, openInterestDayLow: Int64?
    /// UTC epoch seconds.
    public var exchangeTimestamp: Int64?
    /// Five levels each in `full` mode (best first), empty otherwise.
    public var buyDepth: [KiteDepthEntry], sellDepth: [KiteDepthEntry]

    /// A tick of `instrumentToken`; the segment, index flag, tradability and price divisor follow
    /// from the token unless `isIndex` says otherwise.
    public init(
        instrumentToken: UInt32, mode: KiteTickerMode, lastPrice: Int64, isIndex: Bool? = nil,
        lastTradedQuantity: Int64? = nil, averageTradedPrice: Int64? = nil, volumeTraded: Int64? = nil,
        totalBuyQuantity: Int64? = nil, totalSellQuantity: Int64? = nil,
        open: Int64? = nil, high: Int64? = nil, low: Int64? = nil, close: Int64? = nil, change: Int64? = nil,
        lastTradeTime: Int64? = nil, openInterest: Int64? = nil, openInterestDayHigh: Int64? = nil,
        openInterestDayLow: Int64? = nil, exchangeTimestamp: Int64? = nil,
        buyDepth: [KiteDepthEntry] = [], sellDepth: [KiteDepthEntry] = []
    ) {
        let segment = UInt8(truncatingIfNeeded: instrumentToken)
        let index = isIndex ?? (segment == KiteTickerSegment.indices.rawValue)
        self.instrumentToken = instrumentToken
        self.segment = segment
        self.mode = mode
        self.isIndex = index
        self.isTradable = !index
        self.priceDivisor = Self.priceDivisor(segment: segment)
        self.lastPrice = lastPrice
        self.lastTradedQuantity = lastTradedQuantity
        self.averageTradedPrice = averageTradedPrice
        self.volumeTraded = volumeTraded
        self.totalBuyQuantity = totalBuyQuantity
        self.totalSellQuantity = totalSellQuantity
        self.open = open
        self.high = high
        self.low = low
        self.close = close
        self.change = change
        self.lastTradeTime = lastTradeTime
        self.openInterest = openInterest
        self.openInterestDayHigh = openInterestDayHigh
        self.openInterestDayLow = openInterestDayLow
        self.exchangeTimestamp = exchangeTimestamp
        self.buyDepth = buyDepth
        self.sellDepth = sellDepth
    }

    /// The segment's `KiteTickerSegment`, nil for a number Kite does not document.
    public var exchangeSegment: KiteTickerSegment? { KiteTickerSegment(rawValue: segment) }

    /// The last price in paise, or nil when the segment's divisor makes it inexact.
    public var lastPricePaise: Int64? { paise(lastPrice) }

    /// A raw price of this tick's segment in paise: itself for divisor 100; for CDS and BCD the
    /// exact paise when the raw value is a whole number of paise, else nil.
    public func paise(_ raw: Int64) -> Int64? {
        guard priceDivisor != 100 else { return raw }
        guard priceDivisor > 100, priceDivisor % 100 == 0 else { return nil }
        let perPaisa = priceDivisor / 100
        return raw % perPaisa == 0 ? raw / perPaisa : nil
    }

    /// The price divisor of a segment: 10,000,000 for CDS (3), 10,000 for BCD (6), else 100.
    public static func priceDivisor(segment: UInt8) -> Int64 {
        switch segment {
        case KiteTickerSegment.cds.rawValue: 10_000_000
        case KiteTickerSegment.bcd.rawValue: 10_000
        default: 100
        }
    }
}
