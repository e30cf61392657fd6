import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeStore
import AlphaPrimeCommands
import Foundation
import Testing

/// `db-maintenance vacuum` and `checkpoint` beside a running engine (the built `engine` replaying a
/// day in the background), at pretend market times (`ALPHA_PRIME_NOW`, honoured by debug
/// builds): refused during market hours whatever the flags, refused outside them without --force,
/// run with it; `stats` is never refused.
@Suite struct DBMaintenanceEngineTests {
    /// 2021-02-23 is a Tuesday and a trading day.
    static let inSession = "2021-02-23T11:00:00+05:30"
    static let evening = "2021-02-23T20:00:00+05:30"

    static func run(_ home: EngineTestHome, _ tool: String, _ arguments: [String], at instant: String) throws -> ToolProcess.Result {
        try ToolProcess.run(tool, arguments, environment: home.environment([MarketClock.testVariable: instant]),
                            currentDirectory: home.home.root)
    }

    static func refusesBesideARunningEngine(postgres: Bool) throws {
        let home = try EngineTestHome(postgres: postgres)
        let engine = try home.start(["run", "--mode", "paper", "--replay", "2021-02-23", "--speed", "60x"])
        defer {
            if engine.isRunning { engine.kill() }
            _ = engine.wait()
        }
        #expect(try EngineToolTests.waitUntilRunning(home))
        let pid = "pid \(engine.pid)"

        for operation in ["vacuum", "checkpoint"] {
            for flags in [[], ["--force"]] {
                let refused = try run(home, "db-maintenance", [operation] + flags, at: inSession)
                #expect(refused.status == 4, "\(operation) \(flags): \(refused.output)")
                #expect(refused.stderr.hasPrefix("db-maintenance \(operation): an engine is running on this database (\(pid)"),
                        "\(refused.stderr)")
                #expect(refused.stderr.contains("the market is in session (2021-02-23 normal session 09:15–15:30 IST; now 11:00 IST)"))
                #expect(refused.stderr.contains("use --force outside market hours"))
                #expect(refused.stdout.isEmpty)
            }
        }
        let withoutForce = try run(home, "db-maintenance", ["vacuum"], at: evening)
        #expect(withoutForce.status == 4, "\(withoutForce.output)")
        #expect(withoutForce.stderr.contains(pid) && withoutForce.stderr.contains("db-maintenance vacuum --force"))

        let vacuum = try run(home, "db-maintenance", ["vacuum", "--force"], at: evening)
        #expect(vacuum.status == 0, "\(vacuum.output)")
        #expect(vacuum.stdout.hasPrefix("vacuum: "))
        #expect(vacuum.stderr.contains("\(pid)") && vacuum.stderr.contains("going ahead (--force)"))
        let checkpoint = try run(home, "db-maintenance", ["checkpoint", "--force"], at: evening)
        #expect(checkpoint.status == 0, "\(checkpoint.output)")
        #expect(checkpoint.stdout.contains(postgres ? "does not apply to PostgreSQL" : "busy 0, log "))
        let stats = try run(home, "db-maintenance", ["stats"], at: inSession)
        #expect(stats.status == 0, "stats is never refused: \(stats.output)")

        let health = try run(home, "health-check", ["--fast"], at: inSession)
        #expect(health.stdout.contains("[ OK ] engine: running (\(pid)"), "\(health.stdout)")
        #expect(health.stdout.contains("heartbeat "))
        #expect(engine.isRunning, "the maintenance did not stop the engine")

        let stop = try home.engine(["stop"])
        #expect(stop.status == 0, "\(stop.output)")
        let end = engine.wait()
        #expect(end.status == 0, "\(end.stderr)")
        let afterwards = try run(home, "db-maintenance", ["vacuum"], at: inSession)
        #expect(afterwards.status == 0, "no engine, no question: \(afterwards.output)")
        let idle = try run(home, "health-check", ["--fast"], at: inSession)
        #expect(idle.stdout.contains("[WARN] engine: not running and the market is in session"), "\(idle.stdout)")
    }

    @Test func onSQLite() throws {
        try Self.refusesBesideARunningEngine(postgres: false)
    }

    @Test(.enabled(if: TestPostgres.enabled, TestPostgres.skipNote))
    func onPostgreSQL() throws {
        try Self.refusesBesideARunningEngine(postgres: true)
    }
}
