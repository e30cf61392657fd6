import AlphaPrimeSupport

/// What a running engine says of itself between commits, for the screens that watch it (the
/// dashboard, `engine status`): mirrored into a live-state cache (Redis) with an expiry, so a copy
/// that is not refreshed disappears on its own. Amounts in paise.
public struct LiveStateSnapshot: Codable, Sendable, Equatable {
    public struct Position: Codable, Sendable, Equatable {
        public var strategy: String
        public var symbol: String
        /// Signed: + long, − short.
        public var quantity: Int64
        public var averagePrice: Int64
        public var lastPrice: Int64
        public var unrealizedPnL: Int64

        public init(strategy: String, symbol: String, quantity: Int64, averagePrice: Int64, lastPrice: Int64, unrealizedPnL: Int64) {
            self.strategy = strategy; self.symbol = symbol; self.quantity = quantity
            self.averagePrice = averagePrice; self.lastPrice = lastPrice; self.unrealizedPnL = unrealizedPnL
        }

        enum CodingKeys: String, CodingKey {
            case strategy, symbol, quantity, averagePrice = "average_price_paise", lastPrice = "last_price_paise"
            case unrealizedPnL = "unrealized_pnl_paise"
        }
    }

    public var mode: TradingMode
    /// The engine's status line (`paper: trading 2021-02-23`).
    public var status: String
    public var pid: Int64
    /// When it was taken, on the wall clock (UTC epoch seconds): the heartbeat.
    public var heartbeatAt: Int64
    /// The market time of the last bar the engine processed (UTC epoch seconds), if any.
    public var marketTime: Int64?
    public var sessionDate: String
    public var realizedPnL: Int64
    public var unrealizedPnL: Int64
    public var charges: Int64
    public var equity: Int64
    public var trades: Int
    public var positions: [Position]
    /// The last price of each instrument, by symbol.
    public var prices: [String: Int64]
    public var entriesHalted: String?

    public var pnl: Int64 { realizedPnL + unrealizedPnL }

    public init(mode: TradingMode, status: String, pid: Int64, heartbeatAt: Int64, marketTime: Int64?, sessionDate: String,
                realizedPnL: Int64, unrealizedPnL: Int64, charges: Int64, equity: Int64, trades: Int, positions: [Position],
                prices: [String: Int64], entriesHalted: String?) {
        self.mode = mode; self.status = status; self.pid = pid; self.heartbeatAt = heartbeatAt; self.marketTime = marketTime
        self.sessionDate = sessionDate; self.realizedPnL = realizedPnL; self.unrealizedPnL = unrealizedPnL
        self.charges = charges; self.equity = equity; self.trades = trades; self.positions = positions
        self.prices = prices; self.entriesHalted = entriesHalted
    }

    enum CodingKeys: String, CodingKey {
        case mode, status, pid, heartbeatAt = "heartbeat_at", marketTime = "market_time", sessionDate = "session_date"
        case realizedPnL = "realized_pnl_paise", unrealizedPnL = "unrealized_pnl_paise", charges = "charges_paise"
        case equity = "equity_paise", trades, positions, prices = "prices_paise", entriesHalted = "entries_halted"
    }
}

/// Where the engine hands its live state. `publish` never blocks and never fails: a cache that is
/// down is the sink's concern (it logs and reconnects); trading goes on.
public protocol LiveStateSink: AnyObject, Sendable {
    func publish(_ snapshot: LiveStateSnapshot)
}
