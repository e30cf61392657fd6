import Foundation
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

/// Crash recovery in process: a replayed day stopped dead after its n-th commit (nothing more
/// written, all memory lost) and run again ends with exactly the rows of the same day run without
/// interruption. The built binary is killed with SIGKILL in `EngineKillTests`.
@Suite struct EngineRecoveryTests {
    static let day = "2021-02-22"

    /// The reference run and how many commits it made.
    static func reference(_ fixture: EngineFixture, _ days: [ReplayDay]) throws -> (record: SessionRecord, commits: Int) {
        let database = try migratedMemoryDatabase()
        var commits = 0
        let outcomes = try fixture.runner(StateRepository(database: database), afterCommit: { commits = $0 }).run(days)
        #expect(outcomes.allSatisfy { $0.repairs == 0 && $0.recoveredBars == 0 })
        return (try SessionRecord.read(database), commits)
    }

    /// Runs `days` on a fresh database, crashing after the given commit of each successive run, then
    /// once more to the end. Returns the record and how many runs crashed.
    static func crashing(_ fixture: EngineFixture, _ days: [ReplayDay], at points: [Int]) throws -> (SessionRecord, Int) {
        let database = try migratedMemoryDatabase()
        let repository = StateRepository(database: database)
        var crashed = 0
        for point in points {
            do {
                _ = try fixture.runner(repository, afterCommit: { if $0 == point { throw SimulatedCrash() } }).run(days)
                break  // finished before reaching that commit
            } catch is SimulatedCrash {
                crashed += 1
            }
        }
        let outcomes = try fixture.runner(repository).run(days)
        #expect(outcomes.allSatisfy { $0.ending == .completed || $0.ending == .alreadyCompleted || $0.ending != .emergencyStopped })
        return (try SessionRecord.read(database), crashed)
    }

    @Test(arguments: ["dev", nil])
    func aSessionStoppedAfterAnyCommitEndsAsIfItHadNeverStopped(riskPreset: String?) throws {
        let fixture = try EngineFixture(riskPreset: riskPreset)
        let days = try fixture.days([Self.day])
        let (reference, commits) = try Self.reference(fixture, days)
        #expect(reference.orders.count > (riskPreset == nil ? 30 : 150), "a busy day: \(reference)")
        #expect(reference.trades.count > 10)
        #expect(reference.riskEvents.count > 10, "the risk stage's approvals and refusals are recorded")
        let step = max(1, commits / 60)
        var checked = 0
        for point in stride(from: 1, to: commits, by: step) {
            let (record, crashed) = try Self.crashing(fixture, days, at: [point])
            #expect(crashed == 1)
            #expect(record == reference, "crash after commit \(point) of \(commits): \(record.firstDifference(from: reference) ?? "")")
            checked += 1
        }
        #expect(checked >= (riskPreset == nil ? 25 : 30))
    }

    @Test func aSessionCrashedAgainAndAgainWhileRecoveringStillEndsTheSame() throws {
        let fixture = try EngineFixture(riskPreset: "dev")
        let days = try fixture.days([Self.day])
        let (reference, _) = try Self.reference(fixture, days)
        // Each run crashes a few commits after it starts (some of them while still recovering).
        let (record, crashed) = try Self.crashing(fixture, days, at: Array(repeating: 3, count: 12) + [1, 2, 5, 8, 13, 21, 34])
        #expect(crashed >= 10)
        #expect(record == reference, "\(record.firstDifference(from: reference) ?? "")")
    }

    @Test func aKillSwitchTripIsRecordedOnceAcrossRestarts() throws {
        let fixture = try EngineFixture(riskPreset: "dev", killSwitchDailyLossPct: 1.0)  // trips on this day
        let days = try fixture.days([Self.day])
        let (reference, commits) = try Self.reference(fixture, days)
        #expect(reference.riskEvents.contains { $0.contains("|kill_switch|") && $0.contains("kill_switch_set") })
        for point in [commits / 3, commits / 2, commits - 5, commits - 1] {
            let (record, _) = try Self.crashing(fixture, days, at: [point])
            #expect(record == reference, "crash after commit \(point): \(record.firstDifference(from: reference) ?? "")")
            #expect(record.riskEvents.filter { $0.contains("|kill_switch|") && $0.contains("kill_switch_set") }.count == 1)
        }
    }

    @Test func aCompletedSessionRunAgainChangesNothing() throws {
        let fixture = try EngineFixture()
        let days = try fixture.days([Self.day])
        let database = try migratedMemoryDatabase()
        _ = try fixture.runner(StateRepository(database: database)).run(days)
        let first = try SessionRecord.read(database)
        let again = try fixture.runner(StateRepository(database: database)).run(days)
        #expect(again.map(\.ending) == [.alreadyCompleted])
        #expect(try SessionRecord.read(database) == first)
    }

    @Test func clientOrderIdsAreUniqueAndFitKitesTag() throws {
        let fixture = try EngineFixture(riskPreset: "dev")
        let database = try migratedMemoryDatabase()
        _ = try fixture.runner(StateRepository(database: database)).run(try fixture.days(["2021-02-22", "2021-02-23"]))
        let ids = try database.query("SELECT client_order_id AS id FROM orders").map { try $0.string("id") }
        #expect(ids.count > 50)
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { OrderRecord.isValidClientOrderId($0) && $0.count <= 20 })
    }

    // MARK: The journal's repairs: the database disagrees with the re-created state

    /// A day crashed halfway; then `tamper` edits the database; then the run resumes to the end.
    static func resumeAfterTampering(_ fixture: EngineFixture, _ days: [ReplayDay], crashAt point: Int,
                                     _ tamper: (any SQLDatabase) throws -> Void) throws -> (record: SessionRecord, outcome: SessionOutcome, database: any SQLDatabase) {
        let database = try migratedMemoryDatabase()
        let repository = StateRepository(database: database)
        #expect(throws: SimulatedCrash.self) {
            _ = try fixture.runner(repository, afterCommit: { if $0 == point { throw SimulatedCrash() } }).run(days)
        }
        try tamper(database)
        let outcome = try #require(try fixture.runner(repository).run(days).first)
        #expect(outcome.ending == .completed)
        return (try SessionRecord.read(database), outcome, database)
    }

    /// A fill the broker made but the database lost (the order still open, no fill, no trade) is
    /// recovered from the replay and recorded: the day ends as the uninterrupted one.
    @Test func aFillTheDatabaseLostIsRecoveredFromTheReplay() throws {
        let fixture = try EngineFixture(riskPreset: "dev")
        let days = try fixture.days([Self.day])
        let (reference, commits) = try Self.reference(fixture, days)
        let (record, outcome, _) = try Self.resumeAfterTampering(fixture, days, crashAt: commits / 2) { db in
            // The last fill of an entry that has not been closed by a trade yet is forgotten.
            let row = try #require(try db.queryFirst("""
                SELECT f.id AS fill, o.id AS orderid FROM fills f JOIN orders o ON o.id = f.order_id
                WHERE o.client_order_id NOT IN (SELECT client_order_id FROM orders o2 JOIN trades t ON t.entry_order_id = o2.id OR t.exit_order_id = o2.id)
                ORDER BY f.id DESC LIMIT 1
                """))
            let fill = try row.int64("fill"), order = try row.int64("orderid")
            try db.execute("DELETE FROM fills WHERE id = ?", [.integer(fill)])
            try db.execute("UPDATE orders SET status = 'OPEN', filled_quantity = 0, average_price_paise = NULL WHERE id = ?", [.integer(order)])
        }
        #expect(outcome.repairs >= 1, "the lost fill is counted as a repair")
        #expect(record.fills == reference.fills && record.trades == reference.trades, "\(record.firstDifference(from: reference) ?? "")")
    }

    /// An order the database still shows working that the replay cancels (its cancellation was not
    /// recorded) is moved forward to CANCELLED, never back.
    @Test func aStatusTheDatabaseMissedIsMovedForward() throws {
        let fixture = try EngineFixture(riskPreset: "dev")
        let days = try fixture.days([Self.day])
        let (reference, commits) = try Self.reference(fixture, days)
        let (record, outcome, database) = try Self.resumeAfterTampering(fixture, days, crashAt: commits / 2) { db in
            let id = try #require(try db.queryFirst("SELECT id FROM orders WHERE status = 'CANCELLED' ORDER BY id DESC LIMIT 1")?.int64("id"))
            try db.execute("UPDATE orders SET status = 'OPEN' WHERE id = ?", [.integer(id)])
        }
        #expect(outcome.repairs >= 1)
        #expect(try database.queryFirst("SELECT COUNT(*) AS n FROM orders WHERE status NOT IN ('FILLED', 'CANCELLED', 'REJECTED')")?.int64("n") == 0)
        #expect(record.fills == reference.fills && record.trades == reference.trades, "\(record.firstDifference(from: reference) ?? "")")
    }

    /// A fill recorded with another price than the replay re-creates: the recorded fill wins (the
    /// broker's truth) and is counted as a repair; no fill is recorded twice.
    @Test func aRecordedFillThatDiffersWinsOverTheReplay() throws {
        let fixture = try EngineFixture(riskPreset: "dev")
        let days = try fixture.days([Self.day])
        let (_, commits) = try Self.reference(fixture, days)
        var tampered: (id: Int64, price: Int64) = (0, 0)
        let (_, outcome, database) = try Self.resumeAfterTampering(fixture, days, crashAt: commits / 2) { db in
            let row = try #require(try db.queryFirst("SELECT id, price_paise FROM fills ORDER BY id DESC LIMIT 1"))
            tampered = (try row.int64("id"), try row.int64("price_paise") + 5)
            try db.execute("UPDATE fills SET price_paise = ? WHERE id = ?", [.integer(tampered.price), .integer(tampered.id)])
        }
        #expect(outcome.repairs >= 1)
        #expect(try database.queryFirst("SELECT price_paise FROM fills WHERE id = ?", [.integer(tampered.id)])?.int64("price_paise") == tampered.price)
        #expect(try database.queryFirst("""
            SELECT COUNT(*) AS n FROM (SELECT order_id, broker_trade_id FROM fills GROUP BY order_id, broker_trade_id HAVING COUNT(*) > 1) d
            """)?.int64("n") == 0)
    }
}
