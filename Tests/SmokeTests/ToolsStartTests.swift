import Foundation
import Testing

/// Every tool starts and answers --help and --version.
@Suite struct ToolsStartTests {
    static let tools = [
        "health-check", "engine", "report", "backup", "reset-portfolio", "archive",
        "analyze-logs", "db-maintenance", "backtest", "optimize", "stress-test", "cleanup-logs",
        "trading-calendar", "config-check", "market-data", "alert", "dashboard",
    ]

    @Test(arguments: tools) func answersHelp(tool: String) throws {
        let result = try ToolProcess.run(tool, ["--help"])
        #expect(result.status == 0, "\(tool) --help exited \(result.status): \(result.stderr)")
        #expect(result.stdout.contains("USAGE: \(tool)"))
        #expect(result.stdout.contains("--home"))
    }

    @Test(arguments: tools) func answersVersion(tool: String) throws {
        let result = try ToolProcess.run(tool, ["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
    }

    @Test func badFlagIsAUsageError() throws {
        let result = try ToolProcess.run("health-check", ["--no-such-flag"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--no-such-flag"))
    }
}
