import Foundation
import Testing
@testable import AlphaPrimeSupport
@testable import AlphaPrimeDomain
@testable import AlphaPrimeExecution
@testable import AlphaPrimeCore
@testable import AlphaPrimePaper
@testable import AlphaPrimeStore
@testable import AlphaPrimeCommands

/// A real broker repeats execution reports (a postback sent twice, updates replayed after a
/// reconnect) and delivers them late. Here the paper broker's events pass through an adapter that,
/// from a seeded generator, repeats fills and holds back the rest of a batch until the engine next
/// asks: the engine counts every execution once, records it once, and ends the day as the broker
/// says (flat, nothing working), whatever the seed.
@Suite struct RepeatedEventsTests {
    /// SplitMix64.
    struct Seeded {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < p }
    }

    /// The paper broker's session, its events repeated and delayed.
    final class UnreliableWire: Broker, SimulatedMarket {
        let inner: PaperBroker
        var random: Seeded
        var held: [BrokerEvent] = []
        /// Distinct executions the paper broker made: the truth.
        private(set) var executions: Set<String> = []
        private(set) var repeated = 0
        private(set) var delayed = 0
        var name: String { "unreliable \(inner.name)" }

        init(_ inner: PaperBroker, seed: UInt64) {
            self.inner = inner
            random = Seeded(state: seed)
        }

        func submit(_ request: BrokerOrderRequest) { inner.submit(request) }
        func requestCancel(orderID: Int64, clientOrderId: String) { inner.requestCancel(orderID: orderID, clientOrderId: clientOrderId) }
        func requestModify(orderID: Int64, clientOrderId: String, triggerPrice: Int64) {
            inner.requestModify(orderID: orderID, clientOrderId: clientOrderId, triggerPrice: triggerPrice)
        }

        func takeEvents(into events: inout [BrokerEvent]) {
            var fresh: [BrokerEvent] = []
            inner.takeEvents(into: &fresh)
            var batch = held
            held.removeAll()
            for event in fresh {
                batch.append(event)
                if case .filled(let fill, let tradeId) = event {
                    executions.insert("\(fill.orderID)|\(tradeId)")
                    if random.chance(0.3) { batch.append(event); repeated += 1 }
                }
            }
            // Sometimes the end of the batch arrives only with the next one (order kept).
            if batch.count > 1, random.chance(0.2) {
                let cut = 1 + Int(random.next() % UInt64(batch.count - 1))
                held = Array(batch[cut...])
                batch.removeSubrange(cut...)
                delayed += 1
            }
            events.append(contentsOf: batch)
        }

        func orders() throws -> [BrokerOrder] { try inner.orders() }
        func positions() throws -> [BrokerPosition] { try inner.positions() }
        func fills() throws -> [BrokerFill] { try inner.fills() }

        func marketBar(_ bar: Bar, symbol: SymbolID) { inner.marketBar(bar, symbol: symbol) }
        func marketRestOfBar(_ bar: Bar, symbol: SymbolID) { inner.marketRestOfBar(bar, symbol: symbol) }
        func fillMarketOrdersAtLastPrice(symbol: SymbolID, time: Int64) { inner.fillMarketOrdersAtLastPrice(symbol: symbol, time: time) }
        func adoptWorking(_ order: OrderRequest, clientOrderId: String, filledSoFar: Int) {
            inner.adoptWorking(order, clientOrderId: clientOrderId, filledSoFar: filledSoFar)
        }
        func forget(orderID: Int64) { inner.forget(orderID: orderID) }
    }

    /// The paper account whose sessions go through the unreliable wire.
    final class UnreliableAccount: BrokerAccount {
        let inner: PaperBrokerAccount
        let seed: UInt64
        var wires: [UnreliableWire] = []
        var name: String { inner.name }

        init(_ inner: PaperBrokerAccount, seed: UInt64) { self.inner = inner; self.seed = seed }

        func cash(at time: UTCTimestamp) throws -> Int64 { try inner.cash(at: time) }
        func positions() throws -> [BrokerPosition] { try inner.positions() }
        func session(date: LocalDate, open: UTCTimestamp, close: UTCTimestamp) throws -> BrokerSession {
            let session = try inner.session(date: date, open: open, close: close)
            let paper = try #require(session.broker as? PaperBroker)
            let wire = UnreliableWire(paper, seed: seed &+ UInt64(wires.count))
            wires.append(wire)
            return BrokerSession(broker: wire, market: wire)
        }
        func settle(before open: UTCTimestamp, at time: UTCTimestamp) throws -> (expired: [String], closed: [ClosedPosition]) {
            try inner.settle(before: open, at: time)
        }
        func cancelWorkingOrders(createdBefore before: UTCTimestamp?, reason: String, at time: UTCTimestamp) throws -> [String] {
            try inner.cancelWorkingOrders(createdBefore: before, reason: reason, at: time)
        }
        func closePositions(reason: String, at time: UTCTimestamp) throws -> [ClosedPosition] {
            try inner.closePositions(reason: reason, at: time)
        }
    }

    static var seeds: [UInt64] {
        let count = ProcessInfo.processInfo.environment["ALPHA_PRIME_LONG_TESTS"] == "1" ? 200 : 12
        return (0..<UInt64(count)).map { 0xA1FA_0000 + $0 }
    }

    @Test func everyExecutionIsCountedOnceWhateverTheWireDoes() throws {
        let fixture = try EngineFixture(riskPreset: "dev")
        let days = try fixture.days(["2021-02-22"])
        var repeatedTotal = 0
        for seed in Self.seeds {
            let database = try migratedMemoryDatabase()
            let repository = StateRepository(database: database)
            let account = UnreliableAccount(PaperBrokerAccount(store: repository, mode: .paper, settings: PaperSettings(fixture.setup)),
                                            seed: seed)
            let runner = EngineRunner(setup: fixture.setup, calendar: fixture.calendar, repository: repository, broker: account,
                                      logs: .silent, options: EngineRunOptions(mode: .paper, pid: 1, host: "test"))
            let outcome = try #require(try runner.run(days).first, "seed \(seed)")
            let wire = try #require(account.wires.first)
            repeatedTotal += wire.repeated
            #expect(outcome.ending == .completed, "seed \(seed)")
            #expect(outcome.fills == wire.executions.count, "seed \(seed): \(outcome.fills) fills applied, \(wire.executions.count) made")
            #expect(try database.queryFirst("SELECT COUNT(*) AS n FROM fills")?.int64("n") == Int64(wire.executions.count), "seed \(seed)")
            #expect(try repository.openOrders(mode: .paper).isEmpty, "seed \(seed): an order was left working")
            #expect(try account.positions().isEmpty, "seed \(seed): the broker holds a position")
            let recordedNet = try database.queryFirst("SELECT COALESCE(SUM(net_pnl_paise), 0) AS n FROM trades")?.int64("n")
            #expect(recordedNet == outcome.netPnL, "seed \(seed): the recorded trades and the engine's P&L agree")
        }
        #expect(repeatedTotal > 0, "the wire repeated executions")
    }
}
