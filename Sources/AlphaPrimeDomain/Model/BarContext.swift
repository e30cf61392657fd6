/// What the engine tells a strategy alongside a bar: its own position and where the bar sits in the
/// session. A strategy never reads the broker, the database or the clock directly.
public struct BarContext: Sendable {
    /// The strategy's signed quantity in this symbol (+ long, − short, 0 flat).
    public var position: Int64
    /// Total entry value (paise × quantity) of the open position, 0 when flat. Average entry price is
    /// `entryValue / |position|`.
    public var entryValue: Int64
    /// Minutes since the session opened at the bar's start, or -1 when unknown (no calendar).
    public var minutesSinceOpen: Int
    /// Minutes from the bar's start to the session close, or -1 when unknown.
    public var minutesToClose: Int

    @inlinable
    public init(position: Int64 = 0, entryValue: Int64 = 0, minutesSinceOpen: Int = -1, minutesToClose: Int = -1) {
        self.position = position; self.entryValue = entryValue
        self.minutesSinceOpen = minutesSinceOpen; self.minutesToClose = minutesToClose
    }

    @inlinable public var isFlat: Bool { position == 0 }
}

/// A trade print from a live feed. Price in paise; `time` UTC epoch seconds.
public struct Tick: Sendable, Equatable {
    public var time: Int64
    public var lastPrice: Int64
    public var lastQuantity: Int64
    public var volume: Int64

    public init(time: Int64, lastPrice: Int64, lastQuantity: Int64 = 0, volume: Int64 = 0) {
        self.time = time; self.lastPrice = lastPrice; self.lastQuantity = lastQuantity; self.volume = volume
    }
}
