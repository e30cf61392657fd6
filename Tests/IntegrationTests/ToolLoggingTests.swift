import Foundation
import Testing

/// The tools that do real work write their events to `logs/alpha_prime.log`, one JSON object per
/// line; standard output carries the result and standard error only problems.
@Suite struct ToolLoggingTests {
    @Test func eventsLandInTheLogAsJSONLines() throws {
        let home = try TestHome()
        defer { home.remove() }
        let runs: [(String, [String])] = [
            ("config-check", []), ("db-maintenance", ["migrate"]), ("db-maintenance", ["status"]),
            ("health-check", ["--fast"]), ("trading-calendar", ["is-trading-day", "2026-01-27"]),
        ]
        for (tool, arguments) in runs {
            let result = try home.run(tool, arguments)
            #expect(result.status == 0, "\(tool) \(arguments): \(result.output)")
            #expect(result.stderr.isEmpty, "\(tool) \(arguments) wrote to stderr: \(result.stderr)")
        }
        let records = try home.logRecords()
        for tool in ["config-check", "db-maintenance", "health-check", "trading-calendar"] {
            #expect(records.contains { $0["process"] as? String == tool && $0["label"] as? String == "alpha_prime.ops.\(tool)" },
                    "no event of \(tool) in logs/alpha_prime.log")
        }
        let migration = try #require(records.first { $0["message"] as? String == "applied migration" })
        #expect(migration["category"] as? String == "store")
        #expect(migration["migration.version"] as? String == "1")
        #expect(records.allSatisfy { ($0["timestamp"] as? String)?.hasSuffix("Z") == true && $0["level"] is String })
        #expect(try home.logRecords("errors.log").isEmpty, "nothing failed")
    }

    @Test func logLevelFlagAndDotEnvLevel() throws {
        let home = try TestHome()
        defer { home.remove() }
        try home.writeDotEnv("LOG_LEVEL=warning\n")
        _ = try home.run("trading-calendar", ["is-trading-day", "2026-01-27"])
        #expect(try home.logRecords().isEmpty, "LOG_LEVEL=warning in .env keeps info events out")
        _ = try home.run("trading-calendar", ["is-trading-day", "2026-01-27", "--log-level", "info"])
        #expect(try home.logRecords().count == 1, "--log-level wins over LOG_LEVEL")
    }

    @Test func failuresGoToErrorsLog() throws {
        let home = try TestHome()
        defer { home.remove() }
        let result = try home.run("db-maintenance", ["status"], environment: ["DATABASE_URL": "postgres://trader@127.0.0.1:1/alpha"])
        #expect(result.status == 69)
        let errors = try home.logRecords("errors.log")
        #expect(errors.contains { $0["message"] as? String == "db-maintenance status failed" && $0["exit_status"] as? Int == 69 })
    }

    @Test func aHomeWithoutConfigGetsNoLogs() throws {
        let home = try TestHome(copyConfig: false)
        defer { home.remove() }
        let result = try home.run("health-check", ["--fast"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("[FAIL] home: no config/ directory"))
        #expect(!FileManager.default.fileExists(atPath: home.path("logs").path))
    }
}
