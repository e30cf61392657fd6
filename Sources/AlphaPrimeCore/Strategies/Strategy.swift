import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution


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
    /// ``onBar(_:context:)`` for the engine's loop: the signal, if any, is written to `signal` and
    /// the result says whether there is one. A strategy need not implement it; the built-in ones do
    /// (``SignalWritingStrategy``), so that a bar without a signal (nearly all of them) moves no
    /// signal-sized value around.
    mutating func onBar(_ bar: Bar, context: BarContext, signal: inout Signal) -> Bool
}

extension Strategy {
    public mutating func onStart() {}
    public mutating func onTick(_ tick: Tick, context: BarContext) -> Signal? { nil }
    public mutating func onStop() {}

    @inline(__always)
    public mutating func onBar(_ bar: Bar, context: BarContext, signal: inout Signal) -> Bool {
        emit(onBar(bar, context: context), into: &signal)
    }
}

/// A strategy written the other way round: it implements ``Strategy/onBar(_:context:signal:)`` and
/// gets ``Strategy/onBar(_:context:)`` from it (the built-in strategies and ``AnyStrategy``).
protocol SignalWritingStrategy: Strategy {}

extension SignalWritingStrategy {
    public mutating func onBar(_ bar: Bar, context: BarContext) -> Signal? {
        var signal = Signal(symbol: symbol, side: .buy, intent: .enter)
        return onBar(bar, context: context, signal: &signal) ? signal : nil
    }
}

/// Writes a signal a strategy emitted into the loop's `signal`: true when there is one.
@inline(__always)
func emit(_ emitted: Signal?, into signal: inout Signal) -> Bool {
    guard let emitted else { return false }
    signal = emitted
    return true
}
