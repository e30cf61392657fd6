import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeCore
import AlphaPrimeStore
import AlphaPrimePaper
import AlphaPrimeOps
import ArgumentParser
import Foundation

/// `reset-portfolio --confirm`: closes the paper account's history into a new account epoch with
/// fresh capital. The history stays in the database (reports of earlier days still render); a
/// backup is taken first; who, when and why are recorded.
public struct ResetPortfolioCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "reset-portfolio",
        abstract: "Reset the paper portfolio to its starting capital (confirmed, backed up first).",
        discussion: """
            Paper only. Refused while an engine runs (exit 4), without --confirm, for the live account, with open \
            positions or working orders, or while a session is unfinished (exit 5). The kill switch is left as it is: \
            only engine reset-kill-switch clears it.
            """,
        version: AlphaPrimeVersion.string)

    @OptionGroup public var common: CommonOptions
    @Flag(name: .long, help: "Required: the paper account starts again from its capital.") public var confirm = false
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("The new capital in rupees (default: capital.starting_capital of general_config.yaml).", valueName: "rupees"))
    public var capital: String?
    @Option(name: .long, help: ArgumentHelp("Why, recorded with the reset.", valueName: "text")) public var reason: String?
    @Option(name: .long, help: ArgumentHelp("Who, recorded with the reset (default: $USER).", valueName: "name")) public var by: String?
    @Option(name: .long, help: ArgumentHelp("The account: paper (live is the broker's and is refused).", valueName: "mode"))
    public var mode = "paper"

    public init() {}

    public func validate() throws {
        if let capital {
            guard let paise = Paise(rupees: capital), paise.value > 0 else {
                throw ValidationError("--capital expects a positive amount in rupees, got '\(capital)'")
            }
        }
        guard ["paper", "live"].contains(mode) else { throw ValidationError("--mode expects paper, got '\(mode)'") }
    }

    struct Outcome: Encodable {
        var mode: String
        var epoch: Int
        var capital: String
        var previousCash: String
        var backup: String
        var by: String
        var reason: String
        var killSwitch: Bool

        enum CodingKeys: String, CodingKey {
            case mode, epoch, capital, previousCash = "previous_cash", backup, by, reason, killSwitch = "kill_switch"
        }
    }

    public func run() async throws {
        try await ToolRunner.run(tool: "reset-portfolio") {
            guard mode == "paper" else {
                ToolRunner.printError("reset-portfolio: refused: the live account is the broker's; only the paper account can be reset")
                return .refused
            }
            let context = try ToolContext.load(common, tool: "reset-portfolio")
            guard confirm else {
                ToolRunner.printError("reset-portfolio: refused without --confirm: the paper account would start again from its capital (its history is kept)")
                return .refused
            }
            guard let store = try EngineCommand.existingStore(context), try store.engineSchemaStatus().hasEngineTables else {
                ToolRunner.printError("reset-portfolio: nothing to reset: no engine has written to \(context.databaseURL)")
                return .ok
            }
            let setup = try EngineSetup(configuration: context.configuration)
            // Held throughout: no engine starts while the account changes under it.
            let lease = try store.acquireEngineLock(holder: EngineLockHolder.thisProcess(doing: "reset-portfolio"))
            defer { lease.release() }

            let book = PaperBook(repository: store, mode: .paper, settings: PaperSettings(setup))
            let account = try book.account()
            var problems: [String] = []
            for p in account.positions { problems.append("open position \(p.symbol) \(p.strategy ?? ""): \(p.quantity)") }
            for o in try store.openOrders(mode: .paper) { problems.append("working order \(o.clientOrderId) \(o.symbol) \(o.side.rawValue) \(o.quantity)") }
            if let session = try store.latestEngineSession(mode: .paper), session.status != .completed {
                problems.append("the \(session.tradingDate) session is \(session.status.rawValue), not completed (engine run resumes it)")
            }
            guard problems.isEmpty else {
                ToolRunner.printError("reset-portfolio: refused: " + problems.joined(separator: "; ")
                    + "; flatten and finish first (engine stop --flatten, engine emergency-stop)")
                return .refused
            }

            let backup = try BackupJob(context: context).create(kind: .manual)
            let who = EngineCommand.person(by)
            let why = reason ?? "reset-portfolio"
            let newCapital = capital.flatMap { Paise(rupees: $0) } ?? Paise(setup.startingCapital)
            let now = UTCTimestamp(Date())
            let epoch = try store.transaction {
                let epoch = try store.openAccountEpoch(mode: .paper, startingCapital: newCapital, previousCash: Paise(account.cash),
                                                       by: who, reason: why, backupFile: backup.file, at: now)
                try store.recordRiskEvent(RiskEventRecord(
                    mode: .paper, occurredAt: now, rule: "account_reset", severity: .warning, action: "reset",
                    message: "paper account reset by \(who) to \(newCapital) (epoch \(epoch.epoch); cash was \(Paise(account.cash))): \(why)"))
                return epoch
            }
            let killSwitch = try store.engineState(mode: .paper)?.killSwitch ?? false
            context.logger.notice("paper account reset", metadata: [
                "epoch": "\(epoch.epoch)", "capital": "\(newCapital)", "previous_cash": "\(Paise(account.cash))", "by": "\(who)",
                "reason": "\(why)", "backup": "\(backup.file)"])
            let outcome = Outcome(mode: "paper", epoch: epoch.epoch, capital: newCapital.description,
                                  previousCash: Paise(account.cash).description, backup: backup.file, by: who, reason: why,
                                  killSwitch: killSwitch)
            try ToolRunner.printResult(outcome, json: common.json) {
                var lines = [
                    "paper account reset: epoch \(epoch.epoch) starts with \(newCapital) (cash was \(Paise(account.cash)))",
                    "  by \(who): \(why)",
                    "  backup taken first: \(backup.file)",
                    "  earlier days keep their history and reports",
                ]
                if killSwitch { lines.append("  the paper kill switch is still SET: only engine reset-kill-switch clears it") }
                return lines.joined(separator: "\n")
            }
            return .ok
        }
    }
}
