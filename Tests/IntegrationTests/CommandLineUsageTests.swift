import Foundation
import Testing

/// A wrong flag or argument is a usage error (exit 64) that says what was expected, for every
/// tool and every subcommand; nothing is done.
@Suite struct CommandLineUsageTests {
    static let tools = [
        "health-check", "engine", "report", "backup", "reset-portfolio", "archive",
        "analyze-logs", "db-maintenance", "backtest", "optimize", "stress-test", "cleanup-logs",
        "trading-calendar", "config-check", "dashboard",
    ]

    static let subcommands: [[String]] = [
        ["db-maintenance", "migrate"], ["db-maintenance", "status"], ["db-maintenance", "integrity-check"],
        ["db-maintenance", "vacuum"], ["db-maintenance", "checkpoint"], ["db-maintenance", "stats"],
        ["trading-calendar", "is-trading-day"], ["trading-calendar", "session"], ["trading-calendar", "next"],
        ["trading-calendar", "minutes-to-close"], ["trading-calendar", "holidays"],
        ["report", "daily"], ["report", "weekly"], ["report", "monthly"],
        ["backup", "create"], ["backup", "list"], ["backup", "prune"],
        ["alert", "test"], ["alert", "send"],
    ]

    /// Flags a tool cannot start without (a missing one would be reported before the unknown flag).
    static let required: [String: [String]] = [
        "backtest": ["--strategy", "momentum"], "optimize": ["--strategy", "momentum"],
        "alert send": ["--kind", "test", "--title", "x"],
    ]

    @Test(arguments: tools) func unknownFlag(tool: String) throws {
        let home = try TestHome()
        defer { home.remove() }
        let result = try home.run(tool, (Self.required[tool] ?? []) + ["--no-such-flag"])
        #expect(result.status == 64, "\(tool): \(result.output)")
        #expect(result.stderr.contains("Unknown option '--no-such-flag'"), "\(result.stderr)")
        #expect(result.stderr.contains("Usage: \(tool)"), "the usage line shows what is expected")
        #expect(result.stdout.isEmpty)
        #expect(try home.logFiles().isEmpty, "a usage error does nothing, not even open the logs")
    }

    /// A negative number is read as the flag's value and refused with what is expected, not taken
    /// for an unknown flag ("Missing value").
    @Test(arguments: [(["--capital", "-5"], "--capital expects a positive amount in rupees, got '-5'"),
                      (["--slippage-ticks", "-1"], "--slippage-ticks expects 0 or more, got -1"),
                      (["--monte-carlo", "--simulations", "-3"], "--simulations expects 1 to 10000000, got -3")])
    func aNegativeValueSaysWhatIsExpected(arguments: [String], message: String) throws {
        let result = try ToolProcess.run("backtest", ["--strategy", "momentum"] + arguments)
        #expect(result.status == 64, "\(result.output)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(!result.stderr.contains("Missing value"))
    }

    @Test(arguments: subcommands) func unknownFlagOfASubcommand(command: [String]) throws {
        let result = try ToolProcess.run(command[0], Array(command.dropFirst()) + (Self.required[command.joined(separator: " ")] ?? []) + ["--bogus"])
        #expect(result.status == 64, "\(command): \(result.output)")
        #expect(result.stderr.contains("Unknown option '--bogus'"))
        #expect(result.stderr.contains("Usage: \(command.joined(separator: " "))"))
    }

    @Test(arguments: subcommands) func subcommandsAnswerHelp(command: [String]) throws {
        let result = try ToolProcess.run(command[0], Array(command.dropFirst()) + ["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("USAGE: \(command.joined(separator: " "))"))
        #expect(result.stdout.contains("--home") && result.stdout.contains("--json") && result.stdout.contains("--log-level"))
    }

    @Test func badLogLevelListsTheLevels() throws {
        let result = try ToolProcess.run("health-check", ["--log-level", "loud"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("The value 'loud' is invalid for '--log-level <level>'"))
        #expect(result.stderr.contains("- warning"))
    }

    @Test func unknownSubcommand() throws {
        let result = try ToolProcess.run("db-maintenance", ["shrink"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("Unexpected argument 'shrink'"))
    }
}
