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
    /// The paper broker's events as the engine hears them: from a seeded generator, fills repeated
    /// and the tail of a batch held back until the engine next asks (order kept).
    final class UnreliableWire: PaperBrokerWire {
        var random: SplitMix64
        var held: [BrokerEvent] = []
        private(set) var repeated = 0
        private(set) var delayed = 0

        init(_ inner: PaperBroker, seed: UInt64) {
            random = SplitMix64(seed: seed)
            super.init(inner)
        }

        func chance(_ p: Double) -> Bool { Double(random.next() >> 11) / Double(1 << 53) < p }

        override func relay(_ fresh: [BrokerEvent], into events: inout [BrokerEvent]) {
            var batch = held
            held.removeAll()
            for event in fresh {
                batch.append(event)
                if case .filled = event, chance(0.3) { batch.append(event); repeated += 1 }
            }
            // Sometimes the end of the batch arrives only with the next one.
            if batch.count > 1, chance(0.2) {
                let cut = 1 + Int(random.next() % UInt64(batch.count - 1))
                held = Array(batch[cut...])
                batch.removeSubrange(cut...)
                delayed += 1
            }
            events.append(contentsOf: batch)
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
            let account = WiredPaperAccount(PaperBrokerAccount(store: repository, mode: .paper, settings: PaperSettings(fixture.setup))) {
                UnreliableWire($0, seed: seed &+ UInt64($1))
            }
            let runner = EngineRunner(setup: fixture.setup, calendar: fixture.calendar, repository: repository, broker: account,
                                      logs: .silent, options: EngineRunOptions(mode: .paper, pid: 1, host: "test"))
            let outcome = try #require(try runner.run(days).first, "seed \(seed)")
            let wire = try #require(account.wires.first as? UnreliableWire)
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
