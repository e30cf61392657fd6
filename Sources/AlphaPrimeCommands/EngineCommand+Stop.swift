import AlphaPrimeCore
import ArgumentParser

extension EngineCommand {
    public struct Stop: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "stop",
            abstract: "Ask the running engine to stop between bars (no new entries), optionally closing every position first.",
            discussion: "The request goes through the state database (and SIGTERM when the engine runs on this host); the command waits for the engine to exit.")

        @OptionGroup public var own: CommonOptions
        @ParentCommand var parent: EngineCommand

        /// The shared flags, given after the subcommand or before it.
        public var common: CommonOptions { EngineCommand.merged(own, parent.common) }

        @Flag(name: .long, help: "Close every position (and cancel working orders) before exiting.")
        public var flatten = false

        @Option(name: .long, help: ArgumentHelp("Seconds to wait for the engine to exit.", valueName: "seconds"))
        public var timeout: Double = 30

        @Option(name: .long, help: ArgumentHelp("Who asks (default: the login name).", valueName: "name"))
        public var by: String?

        @Option(name: .long, help: ArgumentHelp("Why, for the record.", valueName: "text"))
        public var reason: String?

        public init() {}

        public func run() async throws {
            try await ToolRunner.run(tool: "engine stop") {
                let context = try ToolContext.load(common, tool: "engine")
                guard let store = try EngineCommand.existingStore(context) else {
                    ToolRunner.printOut("no engine is running; nothing to stop")
                    return .ok
                }
                let result = try EngineControl.stop(store: store, flatten: flatten,
                                                    by: EngineCommand.person(by), reason: reason, timeout: .seconds(timeout))
                switch result {
                case .notRunning:
                    ToolRunner.printOut("no engine is running; nothing to stop")
                    return .ok
                case .stopped(let outcome):
                    ToolRunner.printOut("the engine stopped\(outcome.map { ": \($0)" } ?? "")")
                    return .ok
                case .stillRunning(let holder):
                    ToolRunner.printError("engine stop: the engine (\(holder)) is still running after \(Int(timeout)) s; if it is hung, use: engine emergency-stop")
                    return .failure
                }
            }
        }
    }
}
