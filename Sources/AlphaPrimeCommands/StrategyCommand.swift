import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeCore
import AlphaPrimeStore
import ArgumentParser
import Foundation

extension StrategyStage: ExpressibleByArgument {}

/// `strategy status | evaluate | promote | demote`: the lifecycle from research to full size,
/// recorded in the state database and enforced by the engine (docs/lifecycle.md).
public struct StrategyCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "strategy",
        abstract: "Each strategy's lifecycle stage, the evidence for it, and the gated steps between stages.",
        discussion: """
            Stages: research, paper, live-10, live-25, live-50, live-100 (the share of the intended size traded \
            live), retired. A strategy is its name and a hash of its parameters: changing a parameter starts it \
            again at research. Gates come from general_config.yaml lifecycle:. Exit codes: 0 done, 5 a promotion \
            refused (each unmet gate named), 64 bad flag, 65/66 bad or missing data (evaluate), 78 bad configuration.
            """,
        version: AlphaPrimeVersion.string,
        subcommands: [Status.self, Evaluate.self, Promote.self, Demote.self])

    @OptionGroup public var common: CommonOptions

    public init() {}

    public struct Status: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "status", abstract: "Each strategy's stage and what the next gate still needs, in numbers.")

        @OptionGroup public var own: CommonOptions
        @ParentCommand var parent: StrategyCommand
        var common: CommonOptions { EngineCommand.merged(own, parent.common) }
        @Argument(help: ArgumentHelp("One strategy (default: every configured one).", valueName: "name"))
        public var name: String?

        public init() {}

        public func run() async throws {
            try await ToolRunner.run(tool: "strategy status") {
                let context = try ToolContext.load(common, tool: "strategy")
                let lifecycle = try StrategyLifecycle.open(context)
                let configs = try name.map { [try lifecycle.strategy($0)] } ?? context.configuration.strategies.sorted { $0.name < $1.name }
                let standings = try configs.map { try lifecycle.standing($0) }
                try ToolRunner.printResult(standings, json: common.json) {
                    standings.map(StrategyLifecycle.text).joined(separator: "\n\n")
                }
                return .ok
            }
        }
    }

    public struct Promote: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "promote", abstract: "Move a strategy to its next stage, if every gate is met (exit 5 naming each that is not).")

        @OptionGroup public var own: CommonOptions
        @ParentCommand var parent: StrategyCommand
        var common: CommonOptions { EngineCommand.merged(own, parent.common) }
        @Argument(help: ArgumentHelp("The strategy.", valueName: "name"))
        public var name: String
        @Flag(name: .long, help: "Required: a promotion changes what trades, and at what size.")
        public var confirm = false
        @Option(name: .long, help: ArgumentHelp("Why, recorded with the change.", valueName: "text"))
        public var reason: String?

        public init() {}

        public func validate() throws {
            if !confirm { throw ValidationError("strategy promote changes what trades and at what size: add --confirm") }
            if (reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
                throw ValidationError("strategy promote needs --reason TEXT, recorded with the change")
            }
        }

        public func run() async throws {
            try await ToolRunner.run(tool: "strategy promote") {
                let context = try ToolContext.load(common, tool: "strategy")
                let lifecycle = try StrategyLifecycle.open(context)
                let config = try lifecycle.strategy(name)
                let standing = try lifecycle.standing(config)
                guard let next = standing.next else {
                    throw StrategyLifecycleError.refused("\(name) is \(standing.stage.rawValue): there is no stage to promote it to")
                }
                let unmet = standing.checks.filter { !$0.met }
                guard unmet.isEmpty else {
                    throw StrategyLifecycleError.refused(
                        "\(name) stays \(standing.stage.rawValue): \(unmet.count) of \(standing.checks.count) gates to \(next.rawValue) unmet\n"
                        + unmet.map { "  \($0.gate): \($0.detail)" }.joined(separator: "\n"))
                }
                let change = StrategyStageChange(
                    identity: StrategyIdentity(config: config), stage: next, previousStage: standing.stage, changedAt: try StrategyLifecycle.now(),
                    actor: "trader", reason: reason!, evidence: StrategyCommand.evidenceJSON(standing.checks))
                try lifecycle.store.recordStageChange(change)
                context.logger.notice("strategy promoted", metadata: [
                    "strategy": "\(name)", "parameters": "\(change.identity.parametersHash)", "from": "\(standing.stage.rawValue)",
                    "to": "\(next.rawValue)", "reason": "\(reason!)",
                ])
                let after = try lifecycle.standing(config)
                try ToolRunner.printResult(after, json: common.json) {
                    "promoted \(name) from \(standing.stage.rawValue) to \(next.rawValue)\n" + StrategyLifecycle.text(after)
                }
                return .ok
            }
        }
    }

    public struct Demote: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "demote", abstract: "Move a strategy down (to paper, research, a smaller live stage) or retire it.")

        @OptionGroup public var own: CommonOptions
        @ParentCommand var parent: StrategyCommand
        var common: CommonOptions { EngineCommand.merged(own, parent.common) }
        @Argument(help: ArgumentHelp("The strategy.", valueName: "name"))
        public var name: String
        @Option(name: .long, help: ArgumentHelp("The stage: a lower one, or retired.", valueName: "stage"))
        public var to: StrategyStage
        @Flag(name: .long, help: "Required: a demotion changes what trades.")
        public var confirm = false
        @Option(name: .long, help: ArgumentHelp("Why, recorded with the change.", valueName: "text"))
        public var reason: String?

        public init() {}

        public func validate() throws {
            if !confirm { throw ValidationError("strategy demote changes what trades: add --confirm") }
            if (reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
                throw ValidationError("strategy demote needs --reason TEXT, recorded with the change")
            }
        }

        public func run() async throws {
            try await ToolRunner.run(tool: "strategy demote") {
                let context = try ToolContext.load(common, tool: "strategy")
                let lifecycle = try StrategyLifecycle.open(context)
                let config = try lifecycle.strategy(name)
                let identity = StrategyIdentity(config: config)
                let current = try lifecycle.stage(of: identity).stage
                let allowed: Bool
                switch (current, to) {
                case (.retired, .research): allowed = true   // starting over, through every gate again
                case (.retired, _): allowed = false
                case (_, .retired): allowed = true
                default: allowed = to < current
                }
                guard allowed else {
                    throw StrategyLifecycleError.usage(current == .retired
                        ? "\(name) is retired: it can only start again at research (--to research), got \(to.rawValue)"
                        : "\(name) is \(current.rawValue): --to must be a lower stage or retired, got \(to.rawValue)"
                            + (to > current ? " (moving up is strategy promote)" : ""))
                }
                try lifecycle.store.recordStageChange(StrategyStageChange(
                    identity: identity, stage: to, previousStage: current, changedAt: try StrategyLifecycle.now(), actor: "trader", reason: reason!,
                    evidence: "{}"))
                context.logger.notice("strategy demoted", metadata: [
                    "strategy": "\(name)", "parameters": "\(identity.parametersHash)", "from": "\(current.rawValue)",
                    "to": "\(to.rawValue)", "reason": "\(reason!)",
                ])
                let after = try lifecycle.standing(config)
                try ToolRunner.printResult(after, json: common.json) {
                    "demoted \(name) from \(current.rawValue) to \(to.rawValue)\n" + StrategyLifecycle.text(after)
                }
                return .ok
            }
        }
    }

    /// The gates a promotion passed, as recorded with it.
    static func evidenceJSON(_ checks: [GateCheck]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(["gates": checks])) ?? Data("{}".utf8), as: UTF8.self)
    }
}
