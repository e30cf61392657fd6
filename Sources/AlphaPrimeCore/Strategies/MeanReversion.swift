import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// Mean reversion: fade a move of `entry_z` standard deviations away from the moving average; exit
/// back within `exit_z` of the mean, at the stop, or after `max_bars_in_trade`.
public struct MeanReversion: SignalWritingStrategy {
    public static let kind = "mean_reversion"
    public static let specs = StrategyFrame.specs + [
        StrategyParameterSpec("lookback", default: 20, min: 2, max: 1000, integer: true, help: "bars in the mean and σ"),
        StrategyParameterSpec("entry_z", default: 2, min: 0.1, max: 10, help: "σ from the mean that triggers an entry"),
        StrategyParameterSpec("exit_z", default: 0.25, min: 0, max: 5, help: "exit once back within this many σ"),
        StrategyParameterSpec("atr_period", default: 14, min: 1, max: 500, integer: true, help: "ATR bars for the stop"),
        StrategyParameterSpec("stop_atr_multiple", default: 1.5, min: 0.1, max: 20, help: "stop distance in ATRs"),
    ]

    public var symbol: SymbolID { frame.symbol }
    public var name: String { frame.name }
    var frame: StrategyFrame
    let entryZ: Double
    let exitZ: Double
    var deviation: RollingStandardDeviation
    var atr: AverageTrueRange
    /// The fixed text of the reasons, written once.
    let belowText: String
    let aboveText: String
    let exitReason: SignalReason

    public init(setup: StrategySetup, symbol: SymbolID, instrument: Instrument, parameters p: ParameterValues) {
        frame = StrategyFrame(setup: setup, symbol: symbol, instrument: instrument, quantity: p.int64("quantity"))
        entryZ = p["entry_z"]
        exitZ = p["exit_z"]
        deviation = RollingStandardDeviation(period: p.int("lookback"))
        atr = AverageTrueRange(period: p.int("atr_period"))
        belowText = "σ below SMA(\(p.int("lookback")))"
        aboveText = "σ above SMA(\(p.int("lookback")))"
        exitReason = SignalReason("back within \(format(exitZ))σ of the mean")
    }

    public mutating func onBar(_ minute: Bar, context: BarContext, signal: inout Signal) -> Bool {
        guard let bar = frame.strategyBar(minute, context: context) else { return false }
        let close = Double(bar.close)
        deviation.update(close)
        atr.update(high: Double(bar.high), low: Double(bar.low), close: close)
        guard let sigma = deviation.population, sigma > 0, let mean = deviation.mean else { return false }
        let z = (close - mean) / sigma
        if context.position == 0 {
            guard frame.entryAllowed(bar) else { return false }
            if z < -entryZ && frame.allowsLong {
                return emit(frame.enter(.buy, bar: bar, atr: atr.value, confidence: min(1, abs(z) / (2 * entryZ)),
                                        reason: SignalReason("close ", .magnitude(z), belowText)), into: &signal)
            }
            if z > entryZ && frame.allowsShort {
                return emit(frame.enter(.sell, bar: bar, atr: atr.value, confidence: min(1, abs(z) / (2 * entryZ)),
                                        reason: SignalReason("close ", .magnitude(z), aboveText)), into: &signal)
            }
            return false
        }
        if frame.timedOut { return emit(frame.timeLimitExit(position: context.position, bar: bar), into: &signal) }
        if (context.position > 0 && z >= -exitZ) || (context.position < 0 && z <= exitZ) {
            return emit(frame.exit(position: context.position, bar: bar, reason: exitReason), into: &signal)
        }
        return false
    }
}
