import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// A strategy with its last signal kept, so the engine can log every signal with what the risk
/// stage made of it. Adds one branch per bar; the signal is stored only when one is emitted.
public struct ObservedStrategy<Base: Strategy>: Strategy {
    public var base: Base
    /// Signals emitted so far.
    public private(set) var signalCount = 0
    public private(set) var lastSignal: Signal?

    public init(_ base: Base) { self.base = base }

    public var symbol: SymbolID { base.symbol }
    public var name: String { base.name }

    public mutating func onStart() { base.onStart() }
    public mutating func onStop() { base.onStop() }

    @inlinable
    public mutating func onBar(_ bar: Bar, context: BarContext) -> Signal? {
        let signal = base.onBar(bar, context: context)
        if let signal { record(signal) }
        return signal
    }

    public mutating func onTick(_ tick: Tick, context: BarContext) -> Signal? {
        let signal = base.onTick(tick, context: context)
        if let signal { record(signal) }
        return signal
    }

    @usableFromInline
    mutating func record(_ signal: Signal) {
        lastSignal = signal
        signalCount += 1
    }
}
