import Foundation
import Testing
@testable import AlphaPrimeSupport
@testable import AlphaPrimeDomain
@testable import AlphaPrimeExecution
@testable import AlphaPrimeCore
@testable import AlphaPrimePaper
@testable import AlphaPrimeStore
@testable import AlphaPrimeCommands

/// Failures that NautilusTrader users reported after restarts, each turned into a check of
/// ALPHA-PRIME's engine: a replayed day (risk preset `dev`, a busy day) is stopped dead after one of
/// many commits, as a SIGKILL would stop it, and started again on the same database with a fresh
/// paper broker. The paper broker's sessions pass through a wire that records what the broker
/// itself did (the executions it made, the orders it was given or took back into its book), so the
/// database can be held against the broker's own truth and against an uninterrupted reference run.
@Suite struct PeerFailureRegressionTests {
    static let day = "2021-02-22"
    static let working = "('CREATED', 'SUBMITTED', 'OPEN', 'PARTIALLY_FILLED')"

    // MARK: A paper broker whose sessions are watched

    /// Every execution report delivered a second time, as a broker replaying its updates after a
    /// reconnect.
    final class RedeliveringWire: PaperBrokerWire {
        override func relay(_ fresh: [BrokerEvent], into events: inout [BrokerEvent]) {
            for event in fresh {
                events.append(event)
                if case .filled = event { events.append(event) }
            }
        }
    }

    /// One engine process on `repository`, its broker watched; `crashAt` stops it after that commit.
    static func process(_ fixture: EngineFixture, _ repository: StateRepository, redeliver: Bool = false,
                        crashAt point: Int? = nil, commits: ((Int) -> Void)? = nil) -> (EngineRunner, WiredPaperAccount) {
        let account = WiredPaperAccount(PaperBrokerAccount(store: repository, mode: .paper, settings: PaperSettings(fixture.setup))) { paper, _ in
            redeliver ? RedeliveringWire(paper) : PaperBrokerWire(paper)
        }
        let runner = EngineRunner(setup: fixture.setup, calendar: fixture.calendar, repository: repository, broker: account,
                                  logs: .silent, options: EngineRunOptions(mode: .paper, pid: 1, host: "test"))
        runner.afterCommit = { n in
            commits?(n)
            if n == point { throw SimulatedCrash() }
        }
        return (runner, account)
    }

    struct Reference {
        var record: SessionRecord
        var commits: Int
        /// Final status and filled quantity of every order, by client order id.
        var orders: [String: String]
        var executions: Set<String>
    }

    static func reference(_ fixture: EngineFixture, _ days: [ReplayDay]) throws -> Reference {
        let database = try migratedMemoryDatabase()
        var commits = 0
        let (runner, account) = process(fixture, StateRepository(database: database), commits: { commits = $0 })
        let outcome = try #require(try runner.run(days).first)
        #expect(outcome.ending == .completed)
        return Reference(record: try SessionRecord.read(database), commits: commits, orders: try orderEnds(database),
                         executions: account.executions)
    }

    static func orderEnds(_ database: any SQLDatabase) throws -> [String: String] {
        var ends: [String: String] = [:]
        for row in try database.query("SELECT client_order_id AS id, status, filled_quantity AS q FROM orders") {
            ends[try row.string("id")] = "\(try row.string("status"))/\(try row.int64("q"))"
        }
        return ends
    }

    /// Crash points spread over the day, the first and last commits included.
    static func points(_ commits: Int, count: Int) -> [Int] {
        let step = max(1, commits / count)
        return Array(Set(Array(stride(from: 1, to: commits, by: step)) + [1, 2, commits - 1])).sorted()
    }

    // MARK: The four failures

    /// NautilusTrader #4736: a node restarted while its cache held an open netting position had
    /// reconciliation add a made-up fill, equal and opposite to the real opening one, so the position
    /// looked closed while the venue still held it.
    ///
    /// Here, after a crash at any of many commits and a restart, the database holds exactly the
    /// fills of the uninterrupted day: no more, no fewer, none twice, every one an execution the paper
    /// broker actually made, and every order's filled quantity the sum of its recorded fills.
    @Test func aRestartNeverInventsAFill() throws {
        let fixture = try EngineFixture(riskPreset: "dev")
        let days = try fixture.days([Self.day])
        let reference = try Self.reference(fixture, days)
        #expect(reference.record.fills.count > 50, "a busy day: \(reference.record)")
        #expect(reference.executions.count == reference.record.fills.count)
        for point in Self.points(reference.commits, count: 16) {
            let database = try migratedMemoryDatabase()
            let repository = StateRepository(database: database)
            let (crashing, before) = Self.process(fixture, repository, crashAt: point)
            #expect(throws: SimulatedCrash.self) { _ = try crashing.run(days) }
            let (runner, after) = Self.process(fixture, repository)
            _ = try runner.run(days)
            let made = before.executions.union(after.executions)
            let record = try SessionRecord.read(database)
            #expect(record.fills.count == reference.record.fills.count, "crash after commit \(point)")
            #expect(record.fills == reference.record.fills, "crash after commit \(point): \(record.firstDifference(from: reference.record) ?? "")")
            let recorded = try database.query("SELECT broker_trade_id AS t FROM fills").map { try $0.string("t") }
            #expect(Set(recorded).count == recorded.count, "crash after commit \(point): a fill recorded twice")
            let invented = Set(recorded).subtracting(made)
            #expect(invented.isEmpty, "crash after commit \(point): fills no broker made: \(invented.sorted().prefix(5))")
            #expect(Set(recorded).isSubset(of: reference.executions))
            let mismatched = try database.queryFirst("""
                SELECT COUNT(*) AS n FROM orders o
                WHERE o.filled_quantity != (SELECT COALESCE(SUM(f.quantity), 0) FROM fills f WHERE f.order_id = o.id)
                """)?.int64("n")
            #expect(mismatched == 0, "crash after commit \(point): an order's filled quantity is not its fills'")
        }
    }

    /// NautilusTrader #3054: after a restart, positions the account had already closed were
    /// "closed" by an inferred fill that instead opened the opposite side, leaving a long and a
    /// short of the same instrument side by side in a netting account.
    ///
    /// Here every execution report is delivered twice, and the day is crashed and restarted (some
    /// restarts crashing again while recovering): walking the recorded fills of each strategy and
    /// symbol in time order, the running position never goes from long to short or short to long
    /// within one fill, and every book ends the day flat with the reference's fills.
    @Test func aReplayedFillNeverFlipsAPositionsSide() throws {
        let fixture = try EngineFixture(riskPreset: "dev")
        let days = try fixture.days([Self.day])
        let reference = try Self.reference(fixture, days)
        let c = reference.commits
        let scenarios: [[Int]] = [[c / 4], [c / 2], [3 * c / 4], [c - 1], [c / 3, 3, 3, 5], Array(repeating: 4, count: 6)]
        for points in scenarios {
            let database = try migratedMemoryDatabase()
            let repository = StateRepository(database: database)
            var crashed = 0
            for point in points {
                let (runner, _) = Self.process(fixture, repository, redeliver: true, crashAt: point)
                do { _ = try runner.run(days); break } catch is SimulatedCrash { crashed += 1 }
            }
            #expect(crashed >= 1)
            let (runner, _) = Self.process(fixture, repository, redeliver: true)
            let outcome = try #require(try runner.run(days).first)
            #expect(outcome.ending == .completed || outcome.ending == .alreadyCompleted, "crashes \(points)")
            let record = try SessionRecord.read(database)
            #expect(record.fills == reference.record.fills && record.trades == reference.record.trades,
                    "crashes \(points): \(record.firstDifference(from: reference.record) ?? "")")

            var position: [String: Int64] = [:]
            var walked = 0
            for row in try database.query("""
                SELECT o.strategy AS strategy, o.symbol AS symbol, o.side AS side, f.quantity AS q, o.client_order_id AS cid
                FROM fills f JOIN orders o ON o.id = f.order_id ORDER BY f.filled_at_us, f.id
                """) {
                let book = "\(try row.string("strategy"))|\(try row.string("symbol"))"
                let q = try row.int64("q"), cid = try row.string("cid")
                let before = position[book, default: 0]
                let after = before + (try row.string("side") == "BUY" ? q : -q)
                #expect(!(before > 0 && after < 0) && !(before < 0 && after > 0),
                        "crashes \(points): \(book) went from \(before) to \(after) in one fill of \(cid)")
                position[book] = after
                walked += 1
            }
            #expect(walked == reference.record.fills.count)
            #expect(position.values.allSatisfy { $0 == 0 }, "crashes \(points): a book ends the day open: \(position.filter { $0.value != 0 })")
        }
    }

    /// NautilusTrader #3104: a restart with reconciliation on found the locally rebuilt net
    /// quantity disagreeing with the venue's (75 against -65) for a long-held position, declared the
    /// execution state unreconcilable and would not start the trading node.
    ///
    /// Here, whichever commit the engine dies after (the first ones, the last ones, and while it is
    /// still recovering from an earlier crash), the next start neither throws nor stops short: the
    /// session completes, the broker's positions rebuilt from the database are flat, and the engine's
    /// P&L is what its recorded trades add up to and what the uninterrupted day made.
    @Test func aCrashNeverKeepsTheEngineFromStartingAgain() throws {
        let fixture = try EngineFixture(riskPreset: "dev")
        let days = try fixture.days([Self.day])
        let reference = try Self.reference(fixture, days)
        var scenarios = Self.points(reference.commits, count: 12).map { [$0] }
        scenarios.append([reference.commits / 2, 1, 2, 3])
        for points in scenarios {
            let database = try migratedMemoryDatabase()
            let repository = StateRepository(database: database)
            for point in points {
                let (runner, _) = Self.process(fixture, repository, crashAt: point)
                do { _ = try runner.run(days); break } catch is SimulatedCrash {}
            }
            let (runner, account) = Self.process(fixture, repository)
            var outcomes: [SessionOutcome] = []
            #expect(throws: Never.self, "crashes \(points)") { outcomes = try runner.run(days) }
            let outcome = try #require(outcomes.first, "crashes \(points): the engine did not run the day")
            #expect(outcome.ending == .completed, "crashes \(points): \(outcome.ending)")
            #expect(try account.positions().isEmpty, "crashes \(points): the broker holds a position")
            let record = try SessionRecord.read(database)
            #expect(outcome.netPnL == record.netPnL, "crashes \(points)")
            #expect(record.netPnL == reference.record.netPnL, "crashes \(points)")
            #expect(record.sessions == reference.record.sessions, "crashes \(points): \(record.sessions)")
        }
    }

    /// NautilusTrader #5000: after a SIGKILL and restart, startup reconciliation discarded the
    /// order reports of an instrument whose fills did not rebuild the venue's position, and with them
    /// 14 limit orders that were still resting at the venue: the node no longer knew about them.
    ///
    /// Here, at many crash points with orders working, every order the database shows working at
    /// the moment of the crash is handed back to the restarted broker's book (or had already ended),
    /// ends the day exactly as it did in the uninterrupted run, and no order is left CREATED,
    /// SUBMITTED, OPEN or PARTIALLY_FILLED at the day's end.
    @Test func aKillNeverLeavesAWorkingOrderForgotten() throws {
        let fixture = try EngineFixture(riskPreset: "dev")
        let days = try fixture.days([Self.day])
        let reference = try Self.reference(fixture, days)
        var withWorking = 0
        for point in Self.points(reference.commits, count: 20) {
            let database = try migratedMemoryDatabase()
            let repository = StateRepository(database: database)
            let (crashing, _) = Self.process(fixture, repository, crashAt: point)
            #expect(throws: SimulatedCrash.self) { _ = try crashing.run(days) }
            let workingAtCrash = try database.query("SELECT client_order_id AS id FROM orders WHERE status IN \(Self.working)")
                .map { try $0.string("id") }
            if !workingAtCrash.isEmpty { withWorking += 1 }

            let (runner, after) = Self.process(fixture, repository)
            let outcome = try #require(try runner.run(days).first)
            #expect(outcome.ending == .completed, "crash after commit \(point)")
            let ends = try Self.orderEnds(database)
            for id in workingAtCrash {
                #expect(after.known.contains(id), "crash after commit \(point): \(id) was working and the restarted broker never had it")
                #expect(ends[id] == reference.orders[id], "crash after commit \(point): \(id) ended \(ends[id] ?? "missing"), reference \(reference.orders[id] ?? "missing")")
            }
            let left = try database.query("SELECT client_order_id AS id, status FROM orders WHERE status IN \(Self.working)")
                .map { "\(try $0.string("id")) \(try $0.string("status"))" }
            #expect(left.isEmpty, "crash after commit \(point): left working at the day's end: \(left)")
            #expect(ends == reference.orders, "crash after commit \(point)")
        }
        #expect(withWorking >= 5, "enough crashes found orders working")
    }
}
