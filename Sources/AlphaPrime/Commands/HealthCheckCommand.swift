import ArgumentParser

public struct HealthCheckCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "health-check",
        abstract: "Check configuration, state database, migrations, disk and clock before trading.",
        version: AlphaPrimeVersion.string)

    @OptionGroup public var common: CommonOptions

    public init() {}

    public func run() async throws {
        try await ToolRunner.run(tool: Self.configuration.commandName!) { throw NotBuiltYet("health-check") }
    }
}
