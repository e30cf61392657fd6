import AlphaPrimeDomain
import AlphaPrimeCore
import AlphaPrimeStore
import ArgumentParser

extension EngineCommand {
    public struct EmergencyStop: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "emergency-stop",
            abstract: "Set the kill switch, cancel every order and close every position — even when the engine is hung or gone.",
            discussion: """
                The kill switch is set first (it survives restarts; only reset-kill-switch --confirm clears it). A \
                running engine is asked to cancel and flatten; if it does not exit within --timeout it is killed. \
                Then this command takes the engine lock itself and closes whatever is still open through the paper \
                broker's recorded book, at the last known prices.
                """)

        @OptionGroup public var own: CommonOptions
        @ParentCommand var parent: EngineCommand

        /// The shared flags, given after the subcommand or before it.
        public var common: CommonOptions { EngineCommand.merged(own, parent.common) }

        @Option(name: .long, help: ArgumentHelp("The account: paper or live (default: the running engine's, else paper).", valueName: "mode"))
        public var mode: TradingMode?

        @Option(name: .long, help: ArgumentHelp("Why, for the record.", valueName: "text"))
        public var reason: String = "emergency stop"

        @Option(name: .long, help: ArgumentHelp("Who (default: the login name).", valueName: "name"))
        public var by: String?

        @Option(name: .long, help: ArgumentHelp("Seconds the running engine gets to stop itself before it is killed.", valueName: "seconds"))
        public var timeout: Double = 10

        public init() {}

        public func run() async throws {
            try await ToolRunner.run(tool: "engine emergency-stop") {
                let context = try ToolContext.load(common, tool: "engine")
                let database = try context.openDatabase()
                try Migrator(database: database, logger: context.logger).migrate()
                let store = StateRepository(database: database, url: context.databaseURL)
                let setup = try EngineSetup(configuration: context.configuration)
                var unreachable: String?
                let result = try EngineControl.emergencyStop(
                    store: store, accounts: { mode in
                        do {
                            return try BrokerAccounts.account(for: mode, store: store, setup: setup, context: context)
                        } catch {
                            unreachable = "\(error)"
                            return nil
                        }
                    },
                    mode: mode, by: EngineCommand.person(by), reason: reason, timeout: .seconds(timeout))
                if common.json {
                    try EngineCommand.printJSON(result)
                } else {
                    ToolRunner.printOut("kill switch (\(result.mode)): SET")
                    ToolRunner.printOut("engine: \(result.engine)\(result.engineOutcome.map { " — \($0)" } ?? "")")
                    ToolRunner.printOut("orders cancelled: \(result.cancelledOrders.isEmpty ? "none" : result.cancelledOrders.joined(separator: ", "))")
                    ToolRunner.printOut("positions closed: \(result.closedPositions.isEmpty ? "none" : "")")
                    for line in result.closedPositions { ToolRunner.printOut("  \(line)") }
                }
                if result.brokerUnreachable {
                    if let unreachable {
                        ToolRunner.printError("engine emergency-stop: the live broker could not be reached (\(unreachable)): the kill switch is set, but cancel and close the live orders and positions in the broker's own terminal")
                        return .unavailable
                    }
                    throw NotBuiltYet("reaching the live broker (active_broker is neither kite nor upstox): the kill switch is set, but cancel and close the live orders and positions in the broker's own terminal")
                }
                return .ok
            }
        }
    }
}
