import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import AlphaPrimeCore
import AlphaPrimePaper
import AlphaPrimeStore
import AlphaPrimeConfig
import AlphaPrimeLogs
import AlphaPrimeOps
import AlphaPrimeCommands
import Foundation
import Testing

/// Crash recovery of the built engine: a replayed trading day killed with SIGKILL at many points and
/// restarted each time ends with exactly the orders, fills, trades, snapshots and P&L (to the paisa)
/// of the same day run without interruption, and no order is ever recorded twice.
///
/// Two ways of killing it: the hidden hook `ALPHA_PRIME_ENGINE_CRASH_AFTER_COMMITS=n` (the engine
/// sends itself SIGKILL right after its n-th database commit — so each restart dies a little further
/// into the day, some of them while still recovering), and a real `kill -9` from outside at random
/// moments.
@Suite(.serialized) struct EngineKillTests {
    static let day = "2021-02-22"
    /// The `dev` risk preset (one lot, wide limits) makes the day busy: over 200 orders.
    static let run = ["run", "--mode", "paper", "--replay", day, "--risk-preset", "dev", "--json"]
    static let crashHook = "ALPHA_PRIME_ENGINE_CRASH_AFTER_COMMITS"

    static func summary(_ output: String) throws -> [String: Any] {
        let sessions = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: Any]])
        return try #require(sessions.first)
    }

    /// The uninterrupted run: its record and how many commits it made.
    static func reference(postgres: Bool) throws -> (record: EngineRecord, commits: Int) {
        let home = try EngineTestHome(postgres: postgres)
        let result = try home.engine(run)
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try Self.summary(result.stdout)
        #expect(summary["ending"] as? String == "completed")
        let record = try EngineRecord.read(home.database())
        #expect(record.orders.count > 100, "a busy day: \(record)")
        return (record, summary["commits"] as? Int ?? 0)
    }

    static func expectSame(_ record: EngineRecord, _ reference: EngineRecord, _ what: String,
                           sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(Set(record.clientOrderIds).count == record.clientOrderIds.count, "\(what): a client order id recorded twice",
                sourceLocation: sourceLocation)
        #expect(record.orders.count == reference.orders.count, "\(what): \(record.orders.count) orders vs \(reference.orders.count)",
                sourceLocation: sourceLocation)
        #expect(record.netPnL == reference.netPnL, "\(what): net P&L \(Paise(record.netPnL)) vs \(Paise(reference.netPnL))",
                sourceLocation: sourceLocation)
        #expect(record == reference, "\(what): \(record.firstDifference(from: reference) ?? "")", sourceLocation: sourceLocation)
    }

    /// Restarts until the engine finishes, each run dying after `step` commits.
    static func crashRepeatedly(postgres: Bool, step: Int, crashes: Int) throws -> (EngineRecord, Int) {
        let home = try EngineTestHome(postgres: postgres)
        var killed = 0
        for _ in 0..<crashes {
            let result = try home.engine(run, [crashHook: "\(step)"])
            if result.status == 0 { break }  // it finished before its crash point
            #expect(result.status == SIGKILL, "a crashed run ends by SIGKILL, got \(result.status): \(result.stderr)")
            killed += 1
        }
        let final = try home.engine(run)
        #expect(final.status == 0, "\(final.stderr)")
        let summary = try Self.summary(final.stdout)
        #expect(summary["ending"] as? String == "completed")
        return (try EngineRecord.read(home.database()), killed)
    }

    /// Kills the engine with SIGKILL from outside at random moments, then lets it finish. The runs
    /// are paced at 3600x (a minute bar every 17 ms, the day in about 6 s) so that each one gets a
    /// random way further into the day before it dies; a restart replays what was done at full speed.
    ///
    /// The delays come from a seeded generator: the seed is printed and named in every failure, and
    /// `ALPHA_PRIME_TEST_SEED=N` replays the same delays.
    static func killRandomly(postgres: Bool, times: Int) throws -> (EngineRecord, Int) {
        let home = try EngineTestHome(postgres: postgres)
        let seed = TestSeed.take("EngineKillTests: random kill delays")
        var random = SplitMix64(seed: seed)
        var killed = 0
        for _ in 0..<times {
            let delay = 0.3 + Double(random.next() >> 11) / Double(1 << 53)  // 0.3 … 1.3 s
            let engine = try home.start(run + ["--speed", "3600x"])
            Thread.sleep(forTimeInterval: delay)
            engine.kill(SIGKILL)
            let end = engine.wait()
            if end.killed { killed += 1 } else { #expect(end.status == 0, "seed \(seed), delay \(delay) s: \(end.stderr)") }
        }
        let final = try home.engine(run)
        #expect(final.status == 0, "seed \(seed): \(final.stderr)")
        return (try EngineRecord.read(home.database()), killed)
    }

    /// Kills the engine at `points` seeded crash points, each run at a random commit of its own (1 …
    /// `reach`), half of them right after that commit (after a write-ahead commit: between the
    /// intent being saved and the broker's answer) and half inside its transaction (writes made,
    /// COMMIT not yet); then lets it finish.
    static func crashAtSeededPoints(postgres: Bool, points: Int, reach: Int) throws -> (EngineRecord, Int, UInt64) {
        let home = try EngineTestHome(postgres: postgres)
        let seed = TestSeed.take("EngineKillTests: crash points")
        var random = SplitMix64(seed: seed)
        var killed = 0
        for _ in 0..<points * 2 where killed < points {
            let commit = 1 + Int(random.next() % UInt64(max(1, reach)))
            let variable = random.next() % 2 == 0 ? crashHook : "ALPHA_PRIME_ENGINE_CRASH_INSIDE_COMMIT"
            let result = try home.engine(run, [variable: "\(commit)"])
            if result.status == 0 { break }  // it finished before its crash point
            #expect(result.status == SIGKILL, "seed \(seed): a crashed run ends by SIGKILL, got \(result.status): \(result.stderr)")
            killed += 1
        }
        let final = try home.engine(run)
        #expect(final.status == 0, "seed \(seed): \(final.stderr)")
        return (try EngineRecord.read(home.database()), killed, seed)
    }

    static var long: Bool { ProcessInfo.processInfo.environment["ALPHA_PRIME_LONG_TESTS"] == "1" }

    /// The long mode's crash test: at least 100 seeded points of the busy day, on SQLite and on
    /// PostgreSQL, every one ending like the uninterrupted day.
    @Test(.enabled(if: EngineKillTests.long, "the long mode (ALPHA_PRIME_LONG_TESTS=1) kills the engine at 100 points"),
          arguments: [false, true])
    func killedAtAHundredSeededPointsEndsLikeTheUninterruptedDay(postgres: Bool) throws {
        if postgres && !TestPostgres.enabled { return }
        let (reference, commits) = try Self.reference(postgres: postgres)
        // Each run gets about a hundredth of the day further before it dies (a restart's own
        // catch-up commits count too), so a hundred kills spread over the whole day.
        let (crashed, killed, seed) = try Self.crashAtSeededPoints(postgres: postgres, points: 100, reach: max(4, commits / 40))
        print("EngineKillTests: \(postgres ? "PostgreSQL" : "SQLite"): \(killed) kills over a day of \(commits) commits")
        #expect(killed >= 100, "seed \(seed): only \(killed) runs were killed before the day ended")
        Self.expectSame(crashed, reference, "seed \(seed): after \(killed) kills at seeded commit points")
    }

    @Test func sqliteKilledAtTwelvePointsAndAtRandomEndsLikeTheUninterruptedDay() throws {
        let (reference, commits) = try Self.reference(postgres: false)
        #expect(commits > 50)
        let crashes = 12
        let (crashed, killed) = try Self.crashRepeatedly(postgres: false, step: max(2, commits / (crashes + 1)), crashes: crashes)
        #expect(killed >= crashes - 1, "only \(killed) runs were killed")
        Self.expectSame(crashed, reference, "after \(killed) crashes at commit boundaries")

        let (random, randomKills) = try Self.killRandomly(postgres: false, times: 6)
        #expect(randomKills >= 4, "only \(randomKills) of 6 runs were still running when killed")
        Self.expectSame(random, reference, "after \(randomKills) kill -9 at random moments")

        // A few seeded points, half of them inside a transaction (the long mode runs a hundred).
        let (seeded, seededKills, seed) = try Self.crashAtSeededPoints(postgres: false, points: 6, reach: max(4, commits / 6))
        #expect(seededKills >= 3, "seed \(seed): only \(seededKills) runs were killed")
        Self.expectSame(seeded, reference, "seed \(seed): after \(seededKills) kills at seeded commit points")
    }

    @Test(.enabled(if: TestPostgres.enabled, TestPostgres.skipNote))
    func postgresqlKilledAtEightPointsAndAtRandomEndsLikeTheUninterruptedDay() throws {
        let (reference, commits) = try Self.reference(postgres: true)
        let crashes = 8
        let (crashed, killed) = try Self.crashRepeatedly(postgres: true, step: max(2, commits / (crashes + 1)), crashes: crashes)
        #expect(killed >= crashes - 1, "only \(killed) runs were killed")
        Self.expectSame(crashed, reference, "after \(killed) crashes at commit boundaries")

        let (random, randomKills) = try Self.killRandomly(postgres: true, times: 4)
        #expect(randomKills >= 3, "only \(randomKills) of 4 runs were still running when killed")
        Self.expectSame(random, reference, "after \(randomKills) kill -9 at random moments")
    }
}
