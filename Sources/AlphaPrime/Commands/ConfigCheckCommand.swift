import ArgumentParser

public struct ConfigCheckCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "config-check",
        abstract: "Validate the whole configuration and print the effective values (secrets masked).",
        version: AlphaPrimeVersion.string)

    @OptionGroup public var common: CommonOptions

    public init() {}

    public func run() async throws {
        try await ToolRunner.run(tool: Self.configuration.commandName!) { throw NotBuiltYet("config-check") }
    }
}
