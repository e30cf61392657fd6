import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// Breakout scalper: a close beyond the recent range (the previous `range_bars` bars' high/low) by
/// `breakout_buffer_ticks`, when that range is at least `min_range_atr` ATRs wide. Tight stop, small
/// R-multiple target, and an exit after `max_bars_in_trade`.
public struct BreakoutScalper: SignalWritingStrategy {
    public static let kind = "breakout_scalper"
    public static let specs = StrategyFrame.specs + [
        StrategyParameterSpec("range_bars", default: 15, min: 2, max: 500, integer: true, help: "bars in the recent range"),
        StrategyParameterSpec("breakout_buffer_ticks", default: 2, min: 0, max: 1000, integer: true,
                              help: "ticks beyond the range that confirm the break"),
        StrategyParameterSpec("min_range_atr", default: 0.5, min: 0, max: 50, help: "skip ranges narrower than this many ATRs"),
        StrategyParameterSpec("atr_period", default: 14, min: 1, max: 500, integer: true, help: "ATR bars"),
        StrategyParameterSpec("stop_atr_multiple", default: 0.75, min: 0.1, max: 20, help: "stop distance in ATRs"),
        StrategyParameterSpec("target_r", default: 1.5, min: 0.1, max: 20, help: "target as a multiple of the risk"),
    ]

    public var symbol: SymbolID { frame.symbol }
    public var name: String { frame.name }
    var frame: StrategyFrame
    let buffer: Int64
    let minRangeATR: Double
    var range: DonchianChannel
    var atr: AverageTrueRange
    /// The fixed text of the entries' reasons, before the range's level.
    let highBreakText: String
    let lowBreakText: String

    public init(setup: StrategySetup, symbol: SymbolID, instrument: Instrument, parameters p: ParameterValues) {
        frame = StrategyFrame(setup: setup, symbol: symbol, instrument: instrument, quantity: p.int64("quantity"))
        buffer = p.int64("breakout_buffer_ticks") * instrument.tickSize
        minRangeATR = p["min_range_atr"]
        range = DonchianChannel(period: p.int("range_bars"))
        atr = AverageTrueRange(period: p.int("atr_period"))
        highBreakText = "close broke the \(p.int("range_bars"))-bar high "
        lowBreakText = "close broke the \(p.int("range_bars"))-bar low "
    }

    public mutating func onBar(_ minute: Bar, context: BarContext, signal: inout Signal) -> Bool {
        guard let bar = frame.strategyBar(minute, context: context) else { return false }
        // The range is of the bars before this one: read it, then add this bar.
        let channel = range.value
        let currentATR = atr.value
        range.update(high: Double(bar.high), low: Double(bar.low))
        atr.update(high: Double(bar.high), low: Double(bar.low), close: Double(bar.close))
        if context.position != 0 {
            return frame.timedOut && emit(frame.timeLimitExit(position: context.position, bar: bar), into: &signal)
        }
        guard let channel, let currentATR, frame.entryAllowed(bar) else { return false }
        let width = channel.upper - channel.lower
        guard width >= minRangeATR * currentATR else { return false }
        let upper = Int64(channel.upper), lower = Int64(channel.lower)
        if frame.allowsLong && bar.close > upper + buffer {
            return emit(frame.enter(.buy, bar: bar, atr: currentATR, swing: lower, confidence: 0.5,
                                    reason: SignalReason(highBreakText, .paise(upper))), into: &signal)
        }
        if frame.allowsShort && bar.close < lower - buffer {
            return emit(frame.enter(.sell, bar: bar, atr: currentATR, swing: upper, confidence: 0.5,
                                    reason: SignalReason(lowBreakText, .paise(lower))), into: &signal)
        }
        return false
    }
}
