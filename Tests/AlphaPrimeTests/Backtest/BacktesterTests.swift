import Testing
@testable import AlphaPrimeSupport
@testable import AlphaPrimeDomain
@testable import AlphaPrimeExecution
@testable import AlphaPrimeCore
@testable import AlphaPrimePaper
@testable import AlphaPrimeStore
@testable import AlphaPrimeConfig
@testable import AlphaPrimeLogs
@testable import AlphaPrimeOps
@testable import AlphaPrimeCommands

/// A scripted strategy: emits the given signal on the bar with the given index.
struct ScriptedStrategy: Strategy {
    var symbol: SymbolID = 0
    var name = "scripted"
    var script: [Int: Signal]
    var seen = 0
    var contexts: [BarContext] = []

    mutating func onBar(_ bar: Bar, context: BarContext) -> Signal? {
        defer { seen += 1 }
        contexts.append(context)
        guard var s = script[seen] else { return nil }
        s.time = bar.time
        return s
    }
}

func minuteSeries(_ prices: [(Int64, Int64, Int64, Int64)], start: Int64 = 1_609_472_700) -> BarSeries {
    var series = BarSeries(symbol: "TEST", timeframeSeconds: 60)
    for (i, p) in prices.enumerated() {
        series.append(Bar(time: start + Int64(i) * 60, open: p.0, high: p.1, low: p.2, close: p.3))
    }
    return series
}

@Suite struct BacktesterTests {
    let instruments = [Instrument(symbol: "TEST")]

    @Test func marketOrdersFillAtTheNextOpenAndTheTradeReconciles() {
        let series = minuteSeries([
            (10_000, 10_100, 9_900, 10_050),   // 0: buy signal on close
            (10_060, 10_200, 10_000, 10_150),  // 1: fills at open 10_060
            (10_150, 10_300, 10_100, 10_250),  // 2: sell signal on close
            (10_240, 10_260, 10_000, 10_010),  // 3: fills at open 10_240
        ])
        let strategy = ScriptedStrategy(script: [
            0: Signal(symbol: 0, side: .buy, intent: .enter, quantity: 3),
            2: Signal(symbol: 0, side: .sell, intent: .exit),
        ])
        let core = TradingCore(strategies: [strategy], instruments: instruments, startingCapital: 1_000_000)
        let outcome = Backtester.run(core: core, series: [series], broker: SimulatedBroker(tickSizes: [5]))
        #expect(outcome.trades.count == 1)
        let trade = outcome.trades[0]
        #expect(trade.entryValue == 3 * 10_060)
        #expect(trade.exitValue == 3 * 10_240)
        #expect(trade.grossPnL == 3 * 180)
        #expect(trade.direction == .buy)
        #expect(outcome.ledger.cash == 1_000_000 + 540)
        #expect(outcome.ledger.equity == outcome.ledger.cash)
        #expect(outcome.core.strategies[0].contexts[2].position == 3)
        #expect(outcome.core.orders.map(\.status) == [.filled, .filled])
    }

    @Test func aSignalOnTheLastBarNeverTradesAndAnOpenPositionStaysOpen() {
        let series = minuteSeries([
            (10_000, 10_000, 10_000, 10_000),
            (10_100, 10_100, 10_100, 10_200),
            (10_300, 10_300, 10_300, 10_300),
        ])
        let strategy = ScriptedStrategy(script: [
            0: Signal(symbol: 0, side: .buy, intent: .enter, quantity: 1),
            2: Signal(symbol: 0, side: .sell, intent: .exit),
        ])
        let core = TradingCore(strategies: [strategy], instruments: instruments, startingCapital: 0)
        let outcome = Backtester.run(core: core, series: [series], broker: SimulatedBroker(tickSizes: [5]))
        #expect(outcome.trades.isEmpty)
        #expect(outcome.ledger.books[0].quantity == 1)
        #expect(outcome.ledger.unrealizedPnL == 10_300 - 10_100)
        #expect(outcome.ledger.equity == 200)
        #expect(outcome.core.orders.last?.status == .cancelled)
        #expect(outcome.core.orders.last?.statusReason == "end of data")
    }

    @Test func whenStopAndTargetAreBothInsideOneBarTheStopFills() {
        let series = minuteSeries([
            (10_000, 10_000, 10_000, 10_000),  // buy, stop 9_900, target 10_200
            (10_000, 10_010, 9_995, 10_000),   // entry fills at 10_000; neither inside
            (10_000, 10_300, 9_800, 10_000),   // both inside: stop wins
            (10_000, 10_000, 10_000, 10_000),
        ])
        let strategy = ScriptedStrategy(script: [
            0: Signal(symbol: 0, side: .buy, intent: .enter, quantity: 2, stopLoss: 9_900, takeProfit: 10_200),
        ])
        let core = TradingCore(strategies: [strategy], instruments: instruments, startingCapital: 0)
        let outcome = Backtester.run(core: core, series: [series], broker: SimulatedBroker(tickSizes: [5]))
        #expect(outcome.trades.count == 1)
        #expect(outcome.trades[0].exitValue == 2 * 9_900)
        let statuses = outcome.core.orders.map { "\($0.request.purpose.rawValue):\($0.status.rawValue)" }
        #expect(statuses == ["entry:FILLED", "stop_loss:FILLED", "take_profit:CANCELLED"])
    }

    @Test func aGapThroughTheStopFillsAtTheOpen() {
        let series = minuteSeries([
            (10_000, 10_000, 10_000, 10_000),
            (10_000, 10_000, 10_000, 10_000),
            (9_700, 9_750, 9_600, 9_650),
        ])
        let strategy = ScriptedStrategy(script: [
            0: Signal(symbol: 0, side: .buy, intent: .enter, quantity: 1, stopLoss: 9_900),
        ])
        let core = TradingCore(strategies: [strategy], instruments: instruments, startingCapital: 0)
        let outcome = Backtester.run(core: core, series: [series], broker: SimulatedBroker(tickSizes: [5]))
        #expect(outcome.trades.first?.exitValue == 9_700)
    }

    @Test func slippageMovesFillsAgainstTheOrder() {
        let series = minuteSeries([
            (10_000, 10_000, 10_000, 10_000),
            (10_000, 10_000, 10_000, 10_000),
            (10_000, 10_000, 10_000, 10_000),
            (10_000, 10_000, 10_000, 10_000),
        ])
        let strategy = ScriptedStrategy(script: [
            0: Signal(symbol: 0, side: .buy, intent: .enter, quantity: 1),
            2: Signal(symbol: 0, side: .sell, intent: .exit),
        ])
        let core = TradingCore(strategies: [strategy], instruments: instruments, startingCapital: 0)
        let broker = SimulatedBroker(fillModel: FillModel(slippage: .ticks(2)), tickSizes: [5])
        let outcome = Backtester.run(core: core, series: [series], broker: broker)
        #expect(outcome.trades.first?.entryValue == 10_010)
        #expect(outcome.trades.first?.exitValue == 9_990)
        #expect(outcome.trades.first?.grossPnL == -20)
    }

    @Test func dailyEquityClosesEachISTDay() {
        // 2021-01-01 09:15 IST and 2021-01-04 09:15 IST.
        var series = BarSeries(symbol: "TEST", timeframeSeconds: 60)
        series.append(Bar(time: 1_609_472_700, open: 100, high: 100, low: 100, close: 100))
        series.append(Bar(time: 1_609_731_900, open: 100, high: 100, low: 100, close: 100))
        let core = TradingCore(strategies: [ScriptedStrategy(script: [:])], instruments: instruments, startingCapital: 5)
        let outcome = Backtester.run(core: core, series: [series], broker: SimulatedBroker(tickSizes: [5]))
        #expect(outcome.dailyEquity.map(\.date.description) == ["2021-01-01", "2021-01-04"])
        #expect(outcome.dailyEquity.allSatisfy { $0.equity == 5 })
    }
}
