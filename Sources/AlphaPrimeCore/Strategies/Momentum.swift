import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// Momentum / trend: on its slower timeframe, enters with the trend when the fast EMA is above (below)
/// the slow one, price is on the trend's side of the slow EMA, the last `swing_bars` bars made a higher
/// high and higher low (lower high and lower low) than the `swing_bars` before, and ADX shows strength.
/// Exits when the EMAs cross back (unless `exit_on_cross` is 0), at the protective stop or target,
/// or after `max_bars_in_trade`. With a trailing stop the protective stop order itself is moved
/// (modified at the broker) as the price goes the trade's way.
public struct Momentum: SignalWritingStrategy {
    public static let kind = "momentum"
    public static let specs = StrategyFrame.specs + [
        StrategyParameterSpec("fast_ma", default: 9, min: 1, max: 500, integer: true, help: "fast EMA bars"),
        StrategyParameterSpec("slow_ma", default: 21, min: 2, max: 1000, integer: true, help: "slow EMA bars"),
        StrategyParameterSpec("swing_bars", default: 3, min: 1, max: 50, integer: true, help: "bars per swing window"),
        StrategyParameterSpec("adx_period", default: 14, min: 2, max: 500, integer: true, help: "ADX bars"),
        StrategyParameterSpec("min_adx", default: 25, min: 0, max: 100, help: "no entries below this ADX"),
        StrategyParameterSpec("atr_period", default: 14, min: 1, max: 500, integer: true, help: "ATR bars"),
        StrategyParameterSpec("stop_atr_multiple", default: 2, min: 0.1, max: 20, help: "stop distance in ATRs"),
        StrategyParameterSpec("target_r", default: 2, min: 0.1, max: 20, help: "target as a multiple of the risk"),
        StrategyParameterSpec("exit_on_cross", default: 1, min: 0, max: 1, integer: true,
                              help: "1: exit when the EMAs cross back against the trade; 0: no such exit"),
    ]

    public var symbol: SymbolID { frame.symbol }
    public var name: String { frame.name }
    var frame: StrategyFrame
    let minADX: Double
    /// Whether the EMA cross-back closes the trade (`exit_on_cross`).
    let exitOnCross: Bool
    let trailing: Bool
    let trailMultiple: Double
    var fast: ExponentialMovingAverage
    var slow: ExponentialMovingAverage
    var adx: AverageDirectionalIndex
    var atr: AverageTrueRange
    /// The highest high and lowest low of the last `swing_bars` bars, and of the `swing_bars` before them.
    var recent: DonchianChannel
    var prior: DonchianChannel
    var delayedHighs: FixedRing<Double>
    var delayedLows: FixedRing<Double>
    /// The trailing stop level of the trade in progress, paise (0 when none).
    var trailStop: Int64 = 0
    /// The fixed text of the reasons, written once.
    let crossText: SignalReason
    let uptrendText: String
    let downtrendText: String

    public init(setup: StrategySetup, symbol: SymbolID, instrument: Instrument, parameters p: ParameterValues) {
        frame = StrategyFrame(setup: setup, symbol: symbol, instrument: instrument, quantity: p.int64("quantity"))
        minADX = p["min_adx"]
        exitOnCross = p.int("exit_on_cross") != 0
        fast = ExponentialMovingAverage(period: p.int("fast_ma"))
        slow = ExponentialMovingAverage(period: p.int("slow_ma"))
        crossText = SignalReason("EMA(\(p.int("fast_ma"))) crossed EMA(\(p.int("slow_ma")))")
        uptrendText = "uptrend: EMA(\(p.int("fast_ma"))) > EMA(\(p.int("slow_ma"))), higher high and low, ADX "
        downtrendText = "downtrend: EMA(\(p.int("fast_ma"))) < EMA(\(p.int("slow_ma"))), lower high and low, ADX "
        adx = AverageDirectionalIndex(period: p.int("adx_period"))
        atr = AverageTrueRange(period: p.int("atr_period"))
        let swing = p.int("swing_bars")
        recent = DonchianChannel(period: swing); prior = DonchianChannel(period: swing)
        delayedHighs = FixedRing(capacity: swing, filler: 0); delayedLows = FixedRing(capacity: swing, filler: 0)
        if case .atrMultiple(let k) = setup.stop, setup.trailingStop {
            trailing = true; trailMultiple = k
        } else {
            trailing = false; trailMultiple = 0
        }
    }

    public mutating func onBar(_ minute: Bar, context: BarContext, signal: inout Signal) -> Bool {
        guard let bar = frame.strategyBar(minute, context: context) else { return false }
        let high = Double(bar.high), low = Double(bar.low), close = Double(bar.close)
        fast.update(close); slow.update(close)
        adx.update(high: high, low: low, close: close)
        atr.update(high: high, low: low, close: close)
        recent.update(high: high, low: low)
        // The window before the recent one: bars leave the recent window into the prior one.
        let leftHigh = delayedHighs.push(high), leftLow = delayedLows.push(low)
        if let leftHigh, let leftLow { prior.update(high: leftHigh, low: leftLow) }
        guard let f = fast.value, let s = slow.value else { return false }

        if context.position != 0 {
            if frame.timedOut { return emit(frame.timeLimitExit(position: context.position, bar: bar), into: &signal) }
            let long = context.position > 0
            if exitOnCross && ((long && f < s) || (!long && f > s)) {
                return emit(frame.exit(position: context.position, bar: bar, reason: crossText), into: &signal)
            }
            if trailing, let a = atr.value {
                // The stop order at the broker follows the price: moved to close ∓ k·ATR whenever that
                // is in the trade's favour (the core moves it only past its current trigger).
                let level = Int64((long ? close - trailMultiple * a : close + trailMultiple * a).rounded())
                if trailStop == 0 || (long ? level > trailStop : level < trailStop) {
                    trailStop = level
                    return emit(Signal(symbol: frame.symbol, side: long ? .sell : .buy, intent: .moveStop, stopLoss: level,
                                       explanation: SignalReason("trailing stop ", .paise(level)), time: bar.time), into: &signal)
                }
            }
            return false
        }
        trailStop = 0
        guard frame.entryAllowed(bar), let strength = adx.value, strength >= minADX,
              let recentRange = recent.value, let priorRange = prior.value
        else { return false }
        let rh = recentRange.upper, rl = recentRange.lower, ph = priorRange.upper, pl = priorRange.lower
        let confidence = min(1, strength / 50)
        if frame.allowsLong && f > s && close > s && rh > ph && rl > pl {
            return emit(frame.enter(.buy, bar: bar, atr: atr.value, swing: Int64(rl), confidence: confidence,
                                    reason: SignalReason(uptrendText, .magnitude(strength))), into: &signal)
        }
        if frame.allowsShort && f < s && close < s && rh < ph && rl < pl {
            return emit(frame.enter(.sell, bar: bar, atr: atr.value, swing: Int64(rh), confidence: confidence,
                                    reason: SignalReason(downtrendText, .magnitude(strength))), into: &signal)
        }
        return false
    }
}
