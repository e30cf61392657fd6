import ArgumentParser

public struct DBMaintenanceCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "db-maintenance",
        abstract: "Apply migrations, check integrity, vacuum and analyse the state database.",
        version: AlphaPrimeVersion.string)

    @OptionGroup public var common: CommonOptions

    public init() {}

    public func run() async throws {
        try await ToolRunner.run(tool: Self.configuration.commandName!) { throw NotBuiltYet("db-maintenance") }
    }
}
