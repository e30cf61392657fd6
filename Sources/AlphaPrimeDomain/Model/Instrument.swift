import AlphaPrimeSupport

/// An index into the run's instrument table. The hot path refers to symbols by this, never by name.
public typealias SymbolID = Int

/// A tradable instrument: how it is named, which lot and tick it trades in.
public struct Instrument: Hashable, Sendable, Codable {
    /// Trading symbol as the trader says it: `NIFTY 50`, `BANKNIFTY`, `RELIANCE`.
    public var symbol: String
    public var exchange: String
    /// Units per lot (1 for cash equities and for an index traded as a notional).
    public var lotSize: Int64
    /// Minimum price step in paise (5 = ₹0.05).
    public var tickSize: Int64
    /// Largest quantity one order may carry at the exchange; larger orders are sliced. 0 = no limit.
    public var freezeQuantity: Int64

    public init(symbol: String, exchange: String = "NSE", lotSize: Int64 = 1, tickSize: Int64 = 5, freezeQuantity: Int64 = 0) {
        self.symbol = symbol; self.exchange = exchange; self.lotSize = lotSize
        self.tickSize = tickSize; self.freezeQuantity = freezeQuantity
    }

    /// Rounds a price to this instrument's tick: down for a buy limit, up for a sell limit keeps the
    /// order no worse than asked; `.nearest` for display and stops.
    @inlinable
    public func roundToTick(_ price: Int64, _ rule: TickRounding = .nearest) -> Int64 {
        Self.roundToTick(price, tickSize: tickSize, rule)
    }

    /// ``roundToTick(_:_:)`` with the tick given, for a hot path that holds the tick alone rather
    /// than a copy of the instrument (whose names are reference-counted).
    @inlinable
    public static func roundToTick(_ price: Int64, tickSize: Int64, _ rule: TickRounding = .nearest) -> Int64 {
        guard tickSize > 1 else { return price }
        let r = price % tickSize
        if r == 0 { return price }
        let down = price - (r + tickSize) % tickSize
        switch rule {
        case .down: return down
        case .up: return down + tickSize
        case .nearest: return (price - down) * 2 >= tickSize ? down + tickSize : down
        }
    }
}

public enum TickRounding: Sendable { case down, up, nearest }
