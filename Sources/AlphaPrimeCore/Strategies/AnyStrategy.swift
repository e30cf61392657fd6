import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// One of the built-in strategies, as a single concrete type so a portfolio can mix kinds while the
/// engine loop stays specialised (a switch per bar, no existential, no copy of the strategy's state).
public struct AnyStrategy: SignalWritingStrategy {
    enum Kind: Sendable { case bollingerReference, meanReversion, breakoutScalper, momentum }

    let kind: Kind
    public let symbol: SymbolID
    public let name: String
    var bollingerReference: BollingerReference?
    var meanReversion: MeanReversion?
    var breakoutScalper: BreakoutScalper?
    var momentum: Momentum?

    public init(_ s: BollingerReference) { kind = .bollingerReference; symbol = s.symbol; name = s.name; bollingerReference = s }
    public init(_ s: MeanReversion) { kind = .meanReversion; symbol = s.symbol; name = s.name; meanReversion = s }
    public init(_ s: BreakoutScalper) { kind = .breakoutScalper; symbol = s.symbol; name = s.name; breakoutScalper = s }
    public init(_ s: Momentum) { kind = .momentum; symbol = s.symbol; name = s.name; momentum = s }

    @inline(__always)
    public mutating func onBar(_ bar: Bar, context: BarContext, signal: inout Signal) -> Bool {
        switch kind {
        case .bollingerReference: return bollingerReference!.onBar(bar, context: context, signal: &signal)
        case .meanReversion: return meanReversion!.onBar(bar, context: context, signal: &signal)
        case .breakoutScalper: return breakoutScalper!.onBar(bar, context: context, signal: &signal)
        case .momentum: return momentum!.onBar(bar, context: context, signal: &signal)
        }
    }
}

/// The built-in strategies by kind: their parameter specs, and how to make an instance from a setup.
public enum StrategyRegistry {
    public static let specs: [String: [StrategyParameterSpec]] = [
        BollingerReference.kind: BollingerReference.specs,
        MeanReversion.kind: MeanReversion.specs,
        BreakoutScalper.kind: BreakoutScalper.specs,
        Momentum.kind: Momentum.specs,
    ]

    public static var kinds: [String] { specs.keys.sorted() }

    /// Checks the setup's parameters against the kind's specs and makes one instance for `symbol`.
    public static func make(_ setup: StrategySetup, symbol: SymbolID, instrument: Instrument) throws -> AnyStrategy {
        guard let specs = specs[setup.kind] else {
            throw StrategyError(strategy: setup.name, "unknown kind '\(setup.kind)' (built in: \(kinds.joined(separator: ", ")))")
        }
        let values = try ParameterValues(strategy: setup.name, specs: specs, given: setup.parameters)
        switch setup.kind {
        case BollingerReference.kind:
            return AnyStrategy(BollingerReference(symbol: symbol, name: setup.name, parameters: values))
        case MeanReversion.kind:
            return AnyStrategy(MeanReversion(setup: setup, symbol: symbol, instrument: instrument, parameters: values))
        case BreakoutScalper.kind:
            return AnyStrategy(BreakoutScalper(setup: setup, symbol: symbol, instrument: instrument, parameters: values))
        default:
            if values.int("fast_ma") >= values.int("slow_ma") {
                throw StrategyError(strategy: setup.name, "fast_ma (\(values.int("fast_ma"))) must be shorter than slow_ma (\(values.int("slow_ma")))")
            }
            return AnyStrategy(Momentum(setup: setup, symbol: symbol, instrument: instrument, parameters: values))
        }
    }
}
