import AlphaPrimeSupport
import AlphaPrimeDomain

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

/// A trading strategy: reads bars (and ticks), keeps its own indicators, emits signals.
///
/// One instance trades one symbol. The engine calls `onStart` once, then `onBar` for every bar of the
/// strategy's symbol in time order (and `onTick` for live ticks), then `onStop`. Implementations are
/// value types updated in place; `onBar` must not allocate unless it emits a signal.
public protocol Strategy: Sendable {
    /// The symbol this instance trades.
    var symbol: SymbolID { get }
    /// The instance's name as shown in reports and stored with orders (`mean_reversion`, …).
    var name: String { get }

    mutating func onStart()
    mutating func onBar(_ bar: Bar, context: BarContext) -> Signal?
    mutating func onTick(_ tick: Tick, context: BarContext) -> Signal?
    mutating func onStop()
}

extension Strategy {
    public mutating func onStart() {}
    public mutating func onTick(_ tick: Tick, context: BarContext) -> Signal? { nil }
    public mutating func onStop() {}
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
