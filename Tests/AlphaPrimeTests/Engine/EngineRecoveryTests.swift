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
}
