import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// What the three built-in strategies share: their own timeframe built from 1-minute bars, the entry
/// window, the allowed directions, the exit plan and the bar count of the trade in progress.
struct StrategyFrame: Sendable {
    let symbol: SymbolID
    let name: String
    let tickSize: Int64
    let quantity: Int64
    let allowsLong: Bool
    let allowsShort: Bool
    let entryStart: Int
    let entryEnd: Int
    let maxBarsInTrade: Int
    let exits: ExitPlan
    var aggregator: BarAggregator
    var barsInTrade = 0

    init(setup: StrategySetup, symbol: SymbolID, instrument: Instrument, quantity: Int64) {
        self.symbol = symbol
        name = setup.name
        tickSize = instrument.tickSize
        self.quantity = quantity
        allowsLong = setup.allowsLong
        allowsShort = setup.allowsShort
        entryStart = setup.entryStart.minutes
        entryEnd = setup.entryEnd.minutes
        maxBarsInTrade = setup.maxBarsInTrade
        exits = ExitPlan(stop: setup.stop, target: setup.target)
        aggregator = BarAggregator(minutes: setup.timeframeMinutes)
    }

    /// The strategy's bar, when this minute completes one; counts bars in the trade in progress.
    mutating func strategyBar(_ bar: Bar, context: BarContext) -> Bar? {
        guard let b = aggregator.add(bar, minutesSinceOpen: context.minutesSinceOpen, minutesToClose: context.minutesToClose)
        else { return nil }
        barsInTrade = context.position == 0 ? 0 : barsInTrade + 1
        return b
    }

    /// Entries are allowed when the strategy bar's close time (IST) is inside the window.
    func entryAllowed(_ bar: Bar) -> Bool {
        let closeMinute = istMinuteOfDay(bar.time) + aggregator.minutes
        return closeMinute > entryStart && closeMinute <= entryEnd
    }

    var timedOut: Bool { maxBarsInTrade > 0 && barsInTrade >= maxBarsInTrade }

    func enter(_ side: Side, bar: Bar, atr: Double?, swing: Int64 = 0, confidence: Double, reason: SignalReason) -> Signal? {
        guard let (stop, target) = exits.prices(side: side, entry: bar.close, atr: atr, swing: swing) else { return nil }
        return Signal(symbol: symbol, side: side, intent: .enter, quantity: quantity, stopLoss: stop, takeProfit: target,
                      confidence: confidence, explanation: reason, time: bar.time)
    }

    func exit(position: Int64, bar: Bar, reason: SignalReason, kind: ExitReason = .strategyExit) -> Signal {
        Signal(symbol: symbol, side: position > 0 ? .sell : .buy, intent: .exit, explanation: reason, time: bar.time, exitReason: kind)
    }

    /// The exit after `max_bars_in_trade`.
    func timeLimitExit(position: Int64, bar: Bar) -> Signal {
        exit(position: position, bar: bar, reason: SignalReason("max bars in trade"), kind: .timeLimit)
    }

    static let specs = [
        StrategyParameterSpec("quantity", default: 0, min: 0, max: 10_000_000, integer: true,
                              help: "units per entry; 0 lets the risk manager size it"),
    ]
}
