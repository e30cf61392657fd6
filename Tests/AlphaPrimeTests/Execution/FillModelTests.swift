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
}
