import AlphaPrimeSupport

/// What a live market source (the broker's ticker) hands the engine.
public enum LiveSourceEvent: Sendable, Equatable {
    /// Trade prints, in the order they arrived. A tick's `time` is the exchange's timestamp (UTC
    /// epoch seconds) when the source has one, else when it was received; its `volume` is the
    /// day's cumulative traded volume (0 for an index, which has none).
    case ticks([LiveTick])
    /// Connected and subscribed to this many instruments.
    case connected(subscribed: Int)
    /// The connection ended; the source connects again by itself.
    case disconnected(String)
    /// The source said something went wrong (an error message, a frame it could not read).
    case error(String)
    /// The broker reported a change to one of the account's orders (order id, status).
    case orderUpdate(orderId: String, status: String)
    /// India VIX as the feed shows it: the previous session's close in paise (what the VIX filter
    /// judges a day's entries by) and when it was received (UTC epoch seconds).
    case indiaVIX(previousClose: Int64, time: Int64)
}

/// One trade print of one instrument.
public struct LiveTick: Sendable, Equatable {
    public var tick: Tick
    public var symbol: SymbolID
    public init(_ tick: Tick, symbol: SymbolID) {
        self.tick = tick
        self.symbol = symbol
    }
}

/// How a live source stands, for `engine status`.
public struct LiveSourceStatus: Sendable, Equatable, Codable {
    /// A message came over the current connection.
    public var connected: Bool
    /// When the current connection's first message came (UTC epoch seconds, on the source's clock).
    public var connectedAt: Int64?
    /// Instruments subscribed on the current connection.
    public var subscribed: Int
    /// Connections made so far (1 without a reconnect).
    public var connections: Int
    /// When the source last heard anything over the current connection — prints, a heartbeat
    /// (UTC epoch seconds, on the source's clock) — set after what it brought was queued. Nil: the
    /// source does not say.
    public var lastMessageAt: Int64?
    public init(connected: Bool = false, connectedAt: Int64? = nil, subscribed: Int = 0, connections: Int = 0, lastMessageAt: Int64? = nil) {
        self.connected = connected
        self.connectedAt = connectedAt
        self.subscribed = subscribed
        self.connections = connections
        self.lastMessageAt = lastMessageAt
    }
}

/// The live market-source port: a broker's ticker, connected (and reconnected, with back-off) in
/// the background, whose prints the engine's live feed turns into 1-minute bars.
public protocol LiveMarketSource: AnyObject, Sendable {
    /// Where the prints come from, for logs and status (`kite ticker ws://127.0.0.1:…`, never a token).
    var name: String { get }
    /// Starts connecting in the background; returns at once.
    func start()
    /// What arrived since the last call; waits up to `timeout` when nothing has.
    func take(timeout: Duration) -> [LiveSourceEvent]
    /// Drops the connection and connects again at once (the staleness watchdog's remedy).
    func reconnect(reason: String)
    /// Closes the connection for good.
    func stop()
    var status: LiveSourceStatus { get }
}
