import AlphaPrimeDomain
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
                // The live feed of a running engine, as it last wrote it.
                var feeds: [String: LiveFeedReport] = [:]
                if let holder = report.engine, let mode = holder.mode.flatMap(EngineMode.init(rawValue:)),
                   let feed = LiveFeedReport.read(home: context.home, mode: mode.tradingMode) {
                    feeds[mode.tradingMode.rawValue] = feed
                }
                // A running engine's state from the live-state cache, when there is one.
                let running = report.engine.flatMap { $0.mode.flatMap(EngineMode.init(rawValue:))?.tradingMode }.map { [$0] } ?? []
                let cache = LiveCacheView.read(context, modes: running)
                if common.json {
                    try EngineCommand.printJSON(StatusWithFeed(report: report, feeds: feeds, live: cache.states, liveProblem: cache.problem))
                } else {
                    ToolRunner.printOut(Self.text(report, feeds: feeds, live: cache.states, liveProblem: cache.problem))
                }
                return .ok
            }
        }

        /// The status report with the live feed of each running mode (`feeds`, by mode).
        struct StatusWithFeed: Encodable {
            var report: EngineControl.StatusReport
            var feeds: [String: LiveFeedReport]
            /// The live-state cache's copy of each running mode (`live`), and why it could not be read (`live_cache_error`).
            var live: [String: LiveStateSnapshot] = [:]
            var liveProblem: String?
            func encode(to encoder: any Encoder) throws {
                try report.encode(to: encoder)
                enum Key: String, CodingKey { case feed, live, liveCacheError }
                var c = encoder.container(keyedBy: Key.self)
                if let feed = feeds.values.first { try c.encode(feed, forKey: .feed) }
                if !live.isEmpty { try c.encode(live, forKey: .live) }
                if let liveProblem { try c.encode(liveProblem, forKey: .liveCacheError) }
            }
        }

        /// `kite, connected, 2 subscribed, last tick 1 s ago; STALE: …` (the dashboard shows it too).
        static func feedLine(_ f: LiveFeedReport) -> String {
            var line = "\(f.source), \(f.connected ? "connected" : "not connected"), \(f.subscribed) subscribed"
            if let age = f.lastTickAgeSeconds { line += ", last tick \(age) s ago" } else { line += ", no tick yet" }
            if f.connections > 1 { line += ", \(f.connections - 1) reconnect\(f.connections == 2 ? "" : "s")" }
            if let stale = f.stale { line += "; STALE: \(stale) (entries paused)" }
            return line
        }

        static func text(_ r: EngineControl.StatusReport, feeds: [String: LiveFeedReport] = [:],
                         live: [String: LiveStateSnapshot] = [:], liveProblem: String? = nil) -> String {
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
                if let f = feeds[m.mode], m.status.hasPrefix("running") { lines.append("  feed: " + feedLine(f)) }
                if let state = live[m.mode] { lines.append("  live: " + LiveCacheView.line(state)) }
                if let liveProblem, m.status.hasPrefix("running") {
                    lines.append("  live-state cache: cannot be read (\(liveProblem)); the figures above are the database's")
                }
                if !m.breakers.isEmpty {
                    lines.append("  breakers and halts:")
                    for b in m.breakers { lines.append("    \(b)") }
                }
            }
            return lines.joined(separator: "\n")
        }
    }
}
