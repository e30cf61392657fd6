import ArgumentParser

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
