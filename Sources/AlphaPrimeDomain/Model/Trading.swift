import AlphaPrimeSupport

/// Where an order, fill or row of state belongs. Paper and live never mix: every stored row carries it.
public enum TradingMode: String, Codable, Sendable, CaseIterable {
    case backtest, paper, live
}

public enum Side: String, Codable, Sendable, CaseIterable {
    case buy = "BUY", sell = "SELL"

    /// +1 for a buy, -1 for a sell: the sign a fill gives to a position.
    @inlinable public var sign: Int64 { self == .buy ? 1 : -1 }
    public var opposite: Side { self == .buy ? .sell : .buy }
}

/// Order types as NSE brokers name them.
public enum OrderType: String, Codable, Sendable, CaseIterable {
    case market = "MARKET", limit = "LIMIT", stopLoss = "SL", stopLossMarket = "SL-M"
}

/// Product: MIS (intraday, squared off by the broker), CNC (equity delivery), NRML (F&O carry-forward).
public enum ProductType: String, Codable, Sendable, CaseIterable {
    case mis = "MIS", cnc = "CNC", nrml = "NRML"
}

/// The life of an order: created → submitted → open → partially filled → filled / cancelled / rejected.
public enum OrderStatus: String, Codable, Sendable, CaseIterable {
    case created = "CREATED"
    case submitted = "SUBMITTED"
    case open = "OPEN"
    case partiallyFilled = "PARTIALLY_FILLED"
    case filled = "FILLED"
    case cancelled = "CANCELLED"
    case rejected = "REJECTED"

    public var isTerminal: Bool { self == .filled || self == .cancelled || self == .rejected }
}
