import Foundation
import Testing

/// `stress-test` on its own temporary database: bounded, a table, floors that fail it.
@Suite struct StressToolTests {
    @Test func itPrintsItsTableWithinItsBoundAndNeverTouchesTheTradersDatabase() throws {
        let home = try EngineTestHome()
        let started = Date()
        let result = try ToolProcess.run("stress-test", ["--symbols", "3", "--days", "2", "--duration", "30", "--json"],
                                         environment: home.environment())
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Date().timeIntervalSince(started) < 90, "bounded by --duration (plus start-up)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let throughput = try #require(report["throughput"] as? [String: Any])
        #expect((throughput["bars"] as? Int ?? 0) >= 375 * 3, "at least a session of three symbols")
        #expect((throughput["bars_per_second"] as? Double ?? 0) > 0)
        #expect(((report["durable_writes"] as? [String: Any])?["fillsPerSecond"] as? Double
                 ?? (report["durable_writes"] as? [String: Any])?["fills_per_second"] as? Double ?? 0) > 0)
        let hard = try #require(report["hard_days"] as? [[String: Any]])
        #expect(hard.map { $0["scenario"] as? String ?? "" }.contains("feed stalled 10 minutes"))
        #expect(hard.contains { ($0["scenario"] as? String)?.hasPrefix("gap -5%") == true })
        #expect(!FileManager.default.fileExists(atPath: home.home.path("var/alpha_prime.db").path), "the trader's database is not created")
    }

    @Test func aFloorNotMetExitsOneAndBadFlagsSayWhatIsExpected() throws {
        let home = try EngineTestHome()
        let floor = try ToolProcess.run("stress-test", ["--symbols", "1", "--days", "1", "--duration", "20", "--events-per-second", "1e15"],
                                        environment: home.environment())
        #expect(floor.status == 1, "\(floor.stderr)")
        #expect(floor.stdout.contains("FLOORS MISSED: the engine processed"), "\(floor.stdout)")
        for (arguments, message) in [(["--symbols", "0"], "--symbols expects 1 to 200"), (["--days", "-1"], "--days expects 1 to 250"),
                                     (["--duration", "0"], "--duration expects 1 to 3600 seconds")] {
            let result = try ToolProcess.run("stress-test", arguments, environment: home.environment())
            #expect(result.status == 64 && result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
    }
}
