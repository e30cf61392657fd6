import AlphaPrimeCore
import ArgumentParser

extension EngineCommand {
    public struct Status: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Show the engine: running or not, mode, pid, heartbeat age, positions, today's P&L, kill switch, breakers.")

        @OptionGroup public var own: CommonOptions
        @ParentCommand var parent: EngineCommand

        /// The shared flags, given after the subcommand or before it.
        public var common: CommonOptions { EngineCommand.merged(own, parent.common) }

        public init() {}

        public func run() async throws {
            try await ToolRunner.run(tool: "engine status") {
                let context = try ToolContext.load(common, tool: "engine")
                guard let store = try EngineCommand.existingStore(context) else {
                    let report = EngineControl.StatusReport(database: context.databaseURL.description, running: false, engine: nil, modes: [])
                    if common.json { try EngineCommand.printJSON(report) } else { ToolRunner.printOut(Self.text(report)) }
                    return .ok
                }
                let setup = try EngineSetup(configuration: context.configuration)
                let report = try EngineControl.status(store: store,
                                                      accounts: { BrokerAccounts.recordedBook(for: $0, store: store, setup: setup) },
                                                      calendar: context.calendar)
                if common.json {
                    try EngineCommand.printJSON(report)
                } else {
                    ToolRunner.printOut(Self.text(report))
                }
                return .ok
            }
        }

        static func text(_ r: EngineControl.StatusReport) -> String {
            var lines: [String] = []
            lines.append("engine:   \(r.engine.map { "running (\($0))" } ?? "not running")")
            lines.append("database: \(r.database)")
            if r.pendingMigrations > 0 {
                lines.append("schema:   \(r.pendingMigrations) migration(s) pending (an engine starting applies them; else run db-maintenance migrate)")
            }
            if r.modes.isEmpty { lines.append("no engine has run on this database") }
            for m in r.modes {
                var head = "\(m.mode): \(m.status)"
                if let age = m.heartbeatAgeSeconds { head += ", heartbeat \(age) s ago" }
                if let pid = m.pid { head += " (pid \(pid)\(m.host.map { " on \($0)" } ?? ""))" }
                lines.append(head)
                lines.append("  kill switch: " + (m.killSwitch
                    ? "SET by \(m.killSwitchBy ?? "?") at \(m.killSwitchAt ?? "?"): \(m.killSwitchReason ?? "")"
                    : "clear" + (m.killSwitchBy.map { " (last changed by \($0): \(m.killSwitchReason ?? ""))" } ?? "")))
                if let s = m.session {
                    var line = "  session \(s.date): \(s.status)"
                    if let last = s.lastBar { line += ", last bar \(last)" }
                    if s.recoveries > 0 { line += ", resumed \(s.recoveries) time\(s.recoveries == 1 ? "" : "s")" }
                    lines.append(line)
                    lines.append("  P&L: \(s.pnl) (realized \(s.realizedPnL), unrealized \(s.unrealizedPnL)), \(s.trades) trades; cash at the open \(s.dayStartCash)")
                    if let halted = s.entriesHalted { lines.append("  entries halted: \(halted)") }
                }
                if m.openPositions.isEmpty {
                    lines.append("  open positions: none")
                } else {
                    lines.append("  open positions:")
                    for p in m.openPositions {
                        var line = "    \(p.symbol) \(p.strategy): \(p.quantity > 0 ? "+" : "")\(p.quantity) at \(p.averagePrice)"
                        if let last = p.lastPrice { line += ", last \(last), unrealized \(p.unrealizedPnL ?? "?")" }
                        lines.append(line)
                    }
                }
                lines.append("  working orders: \(m.workingOrders)")
                if !m.breakers.isEmpty {
                    lines.append("  breakers and halts:")
                    for b in m.breakers { lines.append("    \(b)") }
                }
            }
            return lines.joined(separator: "\n")
        }
    }
}
