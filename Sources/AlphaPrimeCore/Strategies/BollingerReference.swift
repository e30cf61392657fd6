import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// The reference preset `bollinger_reference`, kept exactly so its trades can be compared one for one
/// with other backtesting engines.
///
/// On each bar close: SMA(20) and **population** standard deviation of the last 20 closes. When flat
/// and close < SMA − 2σ, buy `quantity` (next bar's open). When long and close > SMA, sell it all. Long
/// only; comparisons are strict and decided exactly in integer paise, so a close equal to the SMA or
/// on the band gives no signal.
public struct BollingerReference: SignalWritingStrategy {
    public static let kind = "bollinger_reference"
    public static let specs = [
        StrategyParameterSpec("period", default: 20, min: 2, max: 1000, integer: true, help: "bars in the SMA and σ window"),
        StrategyParameterSpec("deviations", default: 2, min: 1, max: 10, integer: true, help: "lower band at SMA − k·σ"),
        StrategyParameterSpec("quantity", default: 1, min: 1, max: 1_000_000, integer: true, help: "units per entry"),
    ]

    public let symbol: SymbolID
    public let name: String
    let deviations: Int64
    let quantity: Int64
    var stats: RollingIntegerStats
    /// The entry's reason, written once.
    let entryReason: SignalReason

    public init(symbol: SymbolID, name: String = kind, parameters: ParameterValues) {
        self.symbol = symbol
        self.name = name
        deviations = parameters.int64("deviations")
        quantity = parameters.int64("quantity")
        stats = RollingIntegerStats(period: parameters.int("period"))
        entryReason = SignalReason("close below SMA − \(deviations)σ")
    }

    @inline(__always)
    public mutating func onBar(_ bar: Bar, context: BarContext, signal: inout Signal) -> Bool {
        stats.update(bar.close)
        guard stats.isReady else { return false }
        if context.position == 0 {
            if stats.isBelowLowerBand(bar.close, sigmas: deviations) {
                return emit(Signal(symbol: symbol, side: .buy, intent: .enter, quantity: quantity,
                                   explanation: entryReason, time: bar.time), into: &signal)
            }
        } else if context.position > 0 && stats.isAboveMean(bar.close) {
            return emit(Signal(symbol: symbol, side: .sell, intent: .exit, explanation: SignalReason("close above SMA"), time: bar.time), into: &signal)
        }
        return false
    }
}
