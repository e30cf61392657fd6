import AlphaPrimeSupport

// The broker's instrument master as the state database keeps it (migration 6, `instruments`):
// the daily list of every tradable instrument with its token, lot and tick, replaced whole per
// exchange by `market-data instruments`.

/// One instrument of the broker's master list (Kite's `instruments` CSV, without the last price).
public struct InstrumentRecord: Sendable, Hashable, Codable {
    /// The token the quote, historical and ticker APIs take (unique across exchanges).
    public var instrumentToken: Int64
    public var exchangeToken: Int64
    /// `NIFTY 50`, `RELIANCE`, `NIFTY26JANFUT`.
    public var tradingsymbol: String
    /// The underlying or company (`NIFTY`, `RELIANCE INDUSTRIES`); Kite leaves it empty for some rows.
    public var name: String
    /// Nil for instruments without an expiry (indices, equities).
    public var expiry: LocalDate?
    /// Nil when the broker's strike is finer than a paisa (some currency options).
    public var strike: Paise?
    /// Nil when the broker's tick is finer than a paisa (currency derivatives: ₹0.0025).
    public var tickSize: Paise?
    /// Units per lot (1 for equities, 0 for indices).
    public var lotSize: Int64
    /// `EQ`, `FUT`, `CE`, `PE`.
    public var instrumentType: String
    /// `INDICES`, `NSE`, `NFO-FUT`, `NFO-OPT`, `BSE`, …
    public var segment: String
    /// `NSE`, `NFO`, `BSE`, …
    public var exchange: String

    public init(instrumentToken: Int64, exchangeToken: Int64, tradingsymbol: String, name: String, expiry: LocalDate?,
                strike: Paise?, tickSize: Paise?, lotSize: Int64, instrumentType: String, segment: String, exchange: String) {
        self.instrumentToken = instrumentToken
        self.exchangeToken = exchangeToken
        self.tradingsymbol = tradingsymbol
        self.name = name
        self.expiry = expiry
        self.strike = strike
        self.tickSize = tickSize
        self.lotSize = lotSize
        self.instrumentType = instrumentType
        self.segment = segment
        self.exchange = exchange
    }

    /// `NSE:NIFTY 50`, as Kite's quote API names an instrument.
    public var key: String { "\(exchange):\(tradingsymbol)" }
}

/// Which instruments to look up; every field given must match exactly, an empty query matches all.
public struct InstrumentQuery: Sendable, Hashable {
    public var exchange: String?
    public var segment: String?
    public var tradingsymbol: String?
    /// The underlying's name (`NIFTY` for NIFTY futures and options).
    public var name: String?
    public var instrumentType: String?
    /// Only instruments expiring on this date or later (instruments without an expiry are left out).
    public var expiringOnOrAfter: LocalDate?

    public init(exchange: String? = nil, segment: String? = nil, tradingsymbol: String? = nil, name: String? = nil,
                instrumentType: String? = nil, expiringOnOrAfter: LocalDate? = nil) {
        self.exchange = exchange
        self.segment = segment
        self.tradingsymbol = tradingsymbol
        self.name = name
        self.instrumentType = instrumentType
        self.expiringOnOrAfter = expiringOnOrAfter
    }
}

/// How many instruments of one exchange and segment the master holds, and when they were downloaded.
public struct InstrumentListSummary: Sendable, Hashable, Codable {
    public var exchange: String
    public var segment: String
    public var count: Int
    /// The day the list was downloaded (IST).
    public var downloadedOn: LocalDate

    public init(exchange: String, segment: String, count: Int, downloadedOn: LocalDate) {
        self.exchange = exchange
        self.segment = segment
        self.count = count
        self.downloadedOn = downloadedOn
    }
}

extension InstrumentRecord {
    /// The look-up order: exchange, expiry (none first), trading symbol by its bytes, token.
    public static func lookupOrder(_ a: InstrumentRecord, _ b: InstrumentRecord) -> Bool {
        if a.exchange != b.exchange { return a.exchange.utf8.lexicographicallyPrecedes(b.exchange.utf8) }
        if a.expiry != b.expiry {
            guard let x = a.expiry else { return true }
            guard let y = b.expiry else { return false }
            return x < y
        }
        if a.tradingsymbol != b.tradingsymbol { return a.tradingsymbol.utf8.lexicographicallyPrecedes(b.tradingsymbol.utf8) }
        return a.instrumentToken < b.instrumentToken
    }
}
