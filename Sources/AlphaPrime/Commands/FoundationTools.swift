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

public struct TradingCalendarCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "trading-calendar",
        abstract: "Answer whether a date is an NSE trading day and print its session.",
        version: AlphaPrimeVersion.string)

    @OptionGroup public var common: CommonOptions

    public init() {}

    public func run() async throws {
        try await ToolRunner.run(tool: Self.configuration.commandName!) { throw NotBuiltYet("trading-calendar") }
    }
}

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
