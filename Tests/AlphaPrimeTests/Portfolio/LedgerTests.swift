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

@Suite struct LedgerTests {
    func fill(_ side: Side, _ q: Int64, _ p: Int64, charges: Int64 = 0, t: Int64 = 0) -> Fill {
        Fill(orderID: 1, strategy: 0, symbol: 0, side: side, quantity: q, price: p, charges: charges, time: t)
    }

    @Test func fifoLotsRealiseExactlyAndReconcileWithCash() {
        var ledger = Ledger(startingCapital: 1_000_00, instruments: 1, bookSymbols: [0])
        ledger.apply(fill(.buy, 2, 10_000, charges: 7))
        ledger.apply(fill(.buy, 1, 10_105, charges: 3))
        ledger.mark(0, price: 10_200)
        #expect(ledger.unrealizedPnL == 2 * 200 + 95)
        ledger.apply(fill(.sell, 2, 10_300, charges: 5))   // closes the two 10_000 lots
        #expect(ledger.realizedPnL == 600)
        #expect(ledger.books[0].quantity == 1)
        ledger.apply(fill(.sell, 1, 10_005, charges: 2))   // closes the 10_105 lot at a loss
        #expect(ledger.realizedPnL == 600 - 100)
        #expect(ledger.closedTrades.count == 1)
        let trade = ledger.closedTrades[0]
        #expect(trade.grossPnL == 500)
        #expect(trade.charges == 17)
        #expect(trade.netPnL == 483)
        #expect(ledger.cash == 1_000_00 + 500 - 17)
        #expect(ledger.equity == ledger.cash)
    }

    @Test func aFillThroughZeroClosesOneTradeAndOpensTheNext() {
        var ledger = Ledger(startingCapital: 0, instruments: 1, bookSymbols: [0])
        ledger.apply(fill(.buy, 1, 10_000, charges: 4, t: 1))
        ledger.apply(fill(.sell, 3, 10_100, charges: 6, t: 2))
        #expect(ledger.closedTrades.count == 1)
        #expect(ledger.closedTrades[0].grossPnL == 100)
        #expect(ledger.closedTrades[0].charges == 4 + 2)
        #expect(ledger.books[0].quantity == -2)
        ledger.apply(fill(.buy, 2, 10_050, t: 3))
        #expect(ledger.closedTrades.count == 2)
        #expect(ledger.closedTrades[1].direction == .sell)
        #expect(ledger.closedTrades[1].grossPnL == 100)
        #expect(ledger.closedTrades[1].charges == 4)
        let sumTrades = ledger.closedTrades.reduce(0) { $0 + $1.netPnL }
        #expect(ledger.cash == sumTrades)
        #expect(ledger.openPositionCount == 0)
    }
}
