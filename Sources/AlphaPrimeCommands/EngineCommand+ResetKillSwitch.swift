import AlphaPrimeDomain
import AlphaPrimeCore
import AlphaPrimeStore
import ArgumentParser
import Foundation

extension EngineCommand {
    public struct ResetKillSwitch: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "reset-kill-switch",
            abstract: "Clear the kill switch (only with --confirm); recorded with who, when and why.")

        @OptionGroup public var own: CommonOptions
        @ParentCommand var parent: EngineCommand

        /// The shared flags, given after the subcommand or before it.
        public var common: CommonOptions { EngineCommand.merged(own, parent.common) }

        @Flag(name: .long, help: "Confirm the reset.")
        public var confirm = false

        @Option(name: .long, help: ArgumentHelp("Why it is safe to trade again.", valueName: "text"))
        public var reason: String?

        @Option(name: .long, help: ArgumentHelp("Who resets it (default: the login name).", valueName: "name"))
        public var by: String?

        @Option(name: .long, help: ArgumentHelp("The account: paper or live.", valueName: "mode"))
        public var mode: TradingMode = .paper

        public init() {}

        public func run() async throws {
            try await ToolRunner.run(tool: "engine reset-kill-switch") {
                guard confirm else {
                    ToolRunner.printError("engine reset-kill-switch: refused: the kill switch is cleared only with --confirm (and --reason TEXT)")
                    return .refused
                }
                guard let reason, !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
                    ToolRunner.printError("engine reset-kill-switch: refused: say why with --reason TEXT; it is recorded")
                    return .refused
                }
                let context = try ToolContext.load(common, tool: "engine")
                let database = try context.openDatabase()
                try Migrator(database: database, logger: context.logger).migrate()
                let who = EngineCommand.person(by)
                switch try EngineControl.resetKillSwitch(repository: StateRepository(database: database, url: context.databaseURL), mode: mode, by: who, reason: reason) {
                case .notSet:
                    ToolRunner.printOut("kill switch (\(mode.rawValue)) is not set; nothing to do")
                case .cleared(let previousBy, let previousReason):
                    ToolRunner.printOut("kill switch (\(mode.rawValue)) cleared by \(who): \(reason) (it was set by \(previousBy ?? "?"): \(previousReason ?? ""))")
                }
                return .ok
            }
        }
    }
}
