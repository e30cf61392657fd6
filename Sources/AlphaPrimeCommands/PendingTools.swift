import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeCore
import AlphaPrimeStore
import AlphaPrimeConfig
import AlphaPrimeLogs
import AlphaPrimeOps
import AlphaPrimeExecution
import AlphaPrimePaper
import ArgumentParser

// Tools whose work is not built yet. Each answers --help and --version, accepts the shared
// flags, says plainly that nothing was done and exits with ExitStatus.notImplemented (3).

public struct AnalyzeLogsCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "analyze-logs",
        abstract: "Summarise errors, warnings, risk events and trades from the structured logs.",
        version: AlphaPrimeVersion.string)

    @OptionGroup public var common: CommonOptions

    public init() {}

    public func run() async throws {
        try await ToolRunner.run(tool: Self.configuration.commandName!) { throw NotBuiltYet("analyze-logs") }
    }
}

public struct CleanupLogsCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "cleanup-logs",
        abstract: "Rotate, compress and expire the log files.",
        version: AlphaPrimeVersion.string)

    @OptionGroup public var common: CommonOptions

    public init() {}

    public func run() async throws {
        try await ToolRunner.run(tool: Self.configuration.commandName!) { throw NotBuiltYet("cleanup-logs") }
    }
}
