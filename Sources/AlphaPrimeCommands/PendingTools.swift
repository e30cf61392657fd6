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

public struct ArchiveCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "archive",
        abstract: "Move old orders, fills and trades into compressed archives.",
        version: AlphaPrimeVersion.string)

    @OptionGroup public var common: CommonOptions

    public init() {}

    public func run() async throws {
        try await ToolRunner.run(tool: Self.configuration.commandName!) { throw NotBuiltYet("archive") }
    }
}

public struct StressTestCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "stress-test",
        abstract: "Replay historical stress days and shocks through the strategies and risk rules.",
        version: AlphaPrimeVersion.string)

    @OptionGroup public var common: CommonOptions

    public init() {}

    public func run() async throws {
        try await ToolRunner.run(tool: Self.configuration.commandName!) { throw NotBuiltYet("stress-test") }
    }
}
