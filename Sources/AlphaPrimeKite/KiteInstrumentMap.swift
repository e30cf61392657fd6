import AlphaPrimeDomain

/// How the engine's instruments are named at Kite: each symbol id's exchange and trading symbol
/// (from `general_config.yaml`'s `instruments`: `exchange` and `trading_symbol`), and back.
public struct KiteInstrumentMap: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        /// The engine's name (`NIFTY 50`).
        public var symbol: String
        public var exchange: String
        /// Kite's (`NIFTY`).
        public var tradingsymbol: String
        public var tickSize: Int64

        public init(symbol: String, exchange: String, tradingsymbol: String, tickSize: Int64) {
            self.symbol = symbol; self.exchange = exchange; self.tradingsymbol = tradingsymbol; self.tickSize = tickSize
        }

        /// `NSE:NIFTY`, the key the quote API takes.
        public var key: String { "\(exchange):\(tradingsymbol)" }
    }

    /// Indexed by ``SymbolID``.
    public var entries: [Entry]
    private var byKey: [String: SymbolID]

    public init(_ entries: [Entry]) {
        self.entries = entries
        byKey = Dictionary(entries.enumerated().map { ($0.element.key, $0.offset) }, uniquingKeysWith: { a, _ in a })
    }

    public init(_ instruments: [InstrumentConfig]) {
        self.init(instruments.map {
            Entry(symbol: $0.symbol, exchange: $0.exchange.rawValue, tradingsymbol: $0.tradingSymbol, tickSize: Int64($0.tickSizePaise))
        })
    }

    /// The symbol id of a Kite instrument, if the engine trades it.
    public func symbol(exchange: String, tradingsymbol: String) -> SymbolID? {
        byKey["\(exchange):\(tradingsymbol)"]
    }
}
