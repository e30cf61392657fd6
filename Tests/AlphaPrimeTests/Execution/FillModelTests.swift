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

@Suite struct FillModelTests {
    @Test func basisPointSlippageRoundsToTheTickAgainstTheTrader() {
        let model = FillModel(slippage: .basisPoints(1))
        // 1 bp of ₹14,000.00 = 140 paise → already a multiple of 5.
        #expect(model.slipped(1_400_000, side: .buy, tickSize: 5) == 1_400_140)
        // 1 bp of ₹100.03 = 1.0003 paise → 2 paise → rounded up to one tick of 5.
        #expect(model.slipped(10_003, side: .sell, tickSize: 5) == 9_998)
    }

    @Test func tickRoundingDirections() {
        let i = Instrument(symbol: "X", tickSize: 5)
        #expect(i.roundToTick(10_003, .down) == 10_000)
        #expect(i.roundToTick(10_003, .up) == 10_005)
        #expect(i.roundToTick(10_003, .nearest) == 10_005)
        #expect(i.roundToTick(10_002, .nearest) == 10_000)
        #expect(i.roundToTick(10_005, .up) == 10_005)
    }

    @Test func aStopLimitThatCannotFillWithinItsLimitKeepsWorkingAsALimit() {
        var broker = SimulatedBroker(tickSizes: [5])
        broker.submit(OrderRequest(id: 1, strategy: 0, symbol: 0, side: .sell, quantity: 1, type: .stopLoss,
                                   limitPrice: 9_950, triggerPrice: 9_980, time: 0))
        var fills: [Fill] = []
        broker.processBar(Bar(time: 60, open: 9_900, high: 9_920, low: 9_850, close: 9_900), symbol: 0, fills: &fills)
        #expect(fills.isEmpty)
        #expect(broker.working.first?.type == .limit)
        broker.processBar(Bar(time: 120, open: 9_900, high: 9_960, low: 9_890, close: 9_955), symbol: 0, fills: &fills)
        #expect(fills.first?.price == 9_950)
    }

    // docs/backtesting.md: "A protective order never fills better than the market: a stop whose
    // trigger the market had already crossed when it was placed fills at the market price (the
    // entry's fill, with slippage), and a target already crossed fills at that price, not at its own."

    /// A short entered at 38,009.70 with its stop at 38,009.55 (already crossed): the stop fills at
    /// the entry's price plus slippage, a loss, never the "+₹4.50" its trigger would book.
    @Test func aStopAlreadyCrossedWhenPlacedFillsAtTheMarketNotItsTrigger() {
        var broker = SimulatedBroker(fillModel: FillModel(slippage: .ticks(1)), tickSizes: [5])
        broker.submit(OrderRequest(id: 1, strategy: 0, symbol: 0, side: .sell, quantity: 15, type: .market, time: 0))
        var fills: [Fill] = []
        let bar = Bar(time: 60, open: 3_800_975, high: 3_802_000, low: 3_799_000, close: 3_800_000)
        broker.processBar(bar, symbol: 0, fills: &fills)
        #expect(fills.map(\.price) == [3_800_970])  // the open less one tick
        broker.submit(OrderRequest(id: 2, strategy: 0, symbol: 0, side: .buy, quantity: 15, type: .stopLossMarket,
                                   triggerPrice: 3_800_955, purpose: .stopLoss, ocoGroup: 7, time: 60))
        broker.submit(OrderRequest(id: 3, strategy: 0, symbol: 0, side: .buy, quantity: 15, type: .limit,
                                   limitPrice: 3_790_000, purpose: .takeProfit, ocoGroup: 7, time: 60))
        fills.removeAll()
        broker.processRestOfBar(bar, symbol: 0, fills: &fills)
        #expect(fills.map(\.orderID) == [2])
        #expect(fills.first?.price == 3_800_975, "at the market (the entry's fill) plus one tick, not the trigger")
    }

    /// A long's target placed below the market it was entered at fills at the market, not lower.
    @Test func aTargetAlreadyCrossedWhenPlacedFillsAtTheMarket() {
        var broker = SimulatedBroker(tickSizes: [5])
        broker.submit(OrderRequest(id: 1, strategy: 0, symbol: 0, side: .buy, quantity: 1, type: .market, time: 0))
        var fills: [Fill] = []
        let bar = Bar(time: 60, open: 10_100, high: 10_150, low: 10_050, close: 10_120)
        broker.processBar(bar, symbol: 0, fills: &fills)
        broker.submit(OrderRequest(id: 2, strategy: 0, symbol: 0, side: .sell, quantity: 1, type: .limit,
                                   limitPrice: 10_080, purpose: .takeProfit, time: 60))
        fills.removeAll()
        broker.processRestOfBar(bar, symbol: 0, fills: &fills)
        #expect(fills.first?.price == 10_100, "at the entry's price, not the 10,080 limit below it")
    }

    /// Not yet crossed when placed: the stop fills at its own trigger when the rest of the bar reaches it.
    @Test func aStopNotYetCrossedFillsAtItsTriggerWithinTheBar() {
        var broker = SimulatedBroker(tickSizes: [5])
        broker.submit(OrderRequest(id: 1, strategy: 0, symbol: 0, side: .buy, quantity: 1, type: .market, time: 0))
        var fills: [Fill] = []
        let bar = Bar(time: 60, open: 10_100, high: 10_150, low: 10_000, close: 10_120)
        broker.processBar(bar, symbol: 0, fills: &fills)
        broker.submit(OrderRequest(id: 2, strategy: 0, symbol: 0, side: .sell, quantity: 1, type: .stopLossMarket,
                                   triggerPrice: 10_050, purpose: .stopLoss, time: 60))
        fills.removeAll()
        broker.processRestOfBar(bar, symbol: 0, fills: &fills)
        #expect(fills.first?.price == 10_050)
    }
}
