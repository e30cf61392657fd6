import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeCore
import AlphaPrimeStore
import AlphaPrimeConfig
import AlphaPrimeLogs
import AlphaPrimeOps
import AlphaPrimeExecution
import AlphaPrimePaper
import ArgumentParser
import Foundation

extension EngineMode: ExpressibleByArgument {}
extension TradingMode: ExpressibleByArgument {}

/// A replay speed as a command-line value.
public struct ReplaySpeedArgument: ExpressibleByArgument, Sendable {
    public let speed: ReplaySpeed
    public init?(argument: String) {
        guard let speed = ReplaySpeed(argument) else { return nil }
        self.speed = speed
    }
    public init(_ speed: ReplaySpeed) { self.speed = speed }
    public var defaultValueDescription: String { speed.description }
}

/// `engine run | status | stop | emergency-stop | reset-kill-switch`.
public struct EngineCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "engine",
        abstract: "Run the trading engine: monitor, paper or live; status, stop, emergency-stop.",
        discussion: """
            engine run --mode monitor|paper|live --replay DATE|FILE [--speed max|1x|10x|60x] [--confirm-live]
            engine status | engine stop [--flatten] | engine emergency-stop | engine reset-kill-switch --confirm --reason TEXT

            'run' is the default: 'engine --mode paper --replay 2021-02-22' runs it. Every subcommand takes \
            --home DIR (the ALPHA-PRIME home), --json and --log-level. One engine per state database: a second \
            start exits 4 naming the first one's pid. Exit codes: 0 done, 1 check failed, 3 not built yet \
            (the live feed, a live broker), 4 another engine holds the lock, 5 refused by a safety gate (live \
            gates, kill switch, no --confirm), 66 market data missing. See docs/engine.md.
            """,
        version: AlphaPrimeVersion.string,
        subcommands: [Run.self, Status.self, Stop.self, EmergencyStop.self, ResetKillSwitch.self, Benchmark.self],
        defaultSubcommand: Run.self)

    /// The shared flags given before the subcommand (`engine --home DIR status`).
    @OptionGroup public var common: CommonOptions

    public init() {}

    /// The shared flags of a subcommand: its own, else those given before its name.
    static func merged(_ own: CommonOptions, _ parent: CommonOptions) -> CommonOptions {
        var merged = own
        if merged.home == nil { merged.home = parent.home }
        if !merged.json { merged.json = parent.json }
        if merged.logLevel == nil { merged.logLevel = parent.logLevel }
        return merged
    }

    /// Who is doing something, for the records: `--by`, else the login name.
    static func person(_ by: String?) -> String {
        if let by, !by.isEmpty { return by }
        if let user = ProcessInfo.processInfo.environment["USER"], !user.isEmpty { return user }
        let name = ProcessInfo.processInfo.userName
        return name.isEmpty ? "unknown" : name
    }

    /// The state database when it exists; nil for a SQLite file not created yet (nothing has run).
    static func existingStore(_ context: ToolContext) throws -> StateRepository? {
        if case .sqlite(let path) = context.databaseURL, path != ":memory:", !FileManager.default.fileExists(atPath: path) {
            return nil
        }
        return StateRepository(database: try context.openDatabase(), url: context.databaseURL)
    }

    static func printJSON<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        ToolRunner.printOut(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}

extension EngineCommand {
    // MARK: run

    public struct Run: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Run sessions: market data in, strategies, risk, orders to the paper broker (or none in monitor mode).",
            discussion: """
                --replay DATE replays that trading day's 1-minute bars from data/market_data/<SYMBOL>/1m/; \
                --replay FILE replays a canonical CSV (every session in it). Repeat --replay for more. All \
                enabled strategies run on their symbols through one trading core. A session started before is \
                resumed: its bars are replayed from the open to rebuild the state, nothing recorded is sent \
                again, and the run carries on from where it stopped. Live mode needs ENVIRONMENT=production, \
                ENABLE_REAL_TRADING=true and --confirm-live.
                """)

        @OptionGroup public var own: CommonOptions
        @ParentCommand var parent: EngineCommand

        /// The shared flags, given after the subcommand or before it.
        public var common: CommonOptions { EngineCommand.merged(own, parent.common) }

        @Option(name: .long, help: ArgumentHelp("monitor (signals only), paper or live.", valueName: "mode"))
        public var mode: EngineMode = .paper

        @Option(name: .long, help: ArgumentHelp("A trading date (YYYY-MM-DD) or a canonical bar CSV to replay; repeatable.",
                                                valueName: "date|file"))
        public var replay: [String] = []

        @Option(name: .long, help: ArgumentHelp("Replay speed: max, or a multiple of real time (1x, 10x, 60x).", valueName: "speed"))
        public var speed: ReplaySpeedArgument = ReplaySpeedArgument(.max)

        @Flag(name: .long, help: "Confirm that live orders may be sent (with ENVIRONMENT=production and ENABLE_REAL_TRADING=true).")
        public var confirmLive = false

        @Option(name: .long, help: ArgumentHelp("Earlier sessions fed to the strategies first, to warm their indicators up.", valueName: "n"))
        public var warmupDays = 2

        @Option(name: .long, help: ArgumentHelp("Use config/risk_config_NAME.yaml instead of risk_config.yaml.", valueName: "name"))
        public var riskPreset: String?

        public init() {}

        public func validate() throws {
            guard warmupDays >= 0 else { throw ValidationError("--warmup-days must be 0 or more, got \(warmupDays)") }
        }

        /// The test hook that ends the process with SIGKILL after this many database commits.
        static let crashHookVariable = "ALPHA_PRIME_ENGINE_CRASH_AFTER_COMMITS"

        public func run() async throws {
            try await ToolRunner.run(tool: "engine") {
                let context = try ToolContext.load(common, tool: "engine", riskPreset: riskPreset)
                let settings = context.configuration.environment
                // Safety gates, each refusal naming the gate that is closed.
                switch mode {
                case .live:
                    var closed: [String] = []
                    if settings.environment != .live {
                        closed.append("ENVIRONMENT is '\(settings.environment.rawValue)': live trading runs only with ENVIRONMENT=production (or live)")
                    }
                    if !settings.enableRealTrading { closed.append("ENABLE_REAL_TRADING is not true") }
                    if !confirmLive { closed.append("--confirm-live was not given") }
                    if !closed.isEmpty {
                        for gate in closed { ToolRunner.printError("engine: refused: live trading gate closed: \(gate)") }
                        return .refused
                    }
                    let broker = context.configuration.broker.activeBroker
                    ToolRunner.printError("engine: every live gate is open, but no live broker adapter exists yet (active_broker: \(broker.rawValue)); no order was sent")
                    throw NotBuiltYet("live trading")
                case .paper:
                    if !settings.enablePaperTrading {
                        ToolRunner.printError("engine: refused: ENABLE_PAPER_TRADING is false")
                        return .refused
                    }
                case .monitor:
                    break
                }
                guard !replay.isEmpty else {
                    ToolRunner.printError("engine: no live market feed exists yet; replay recorded bars with --replay DATE|FILE")
                    throw NotBuiltYet("the live market feed (the broker's WebSocket)")
                }
                let database = try context.openDatabase()
                try Migrator(database: database, logger: context.logger).migrate()
                let repository = StateRepository(database: database, url: context.databaseURL)
                let pid = Int64(ProcessInfo.processInfo.processIdentifier)
                let host = ProcessInfo.processInfo.hostName
                let lock = try repository.acquireEngineLock(holder: EngineLockHolder(
                    pid: pid, host: host, mode: mode.rawValue, since: UTCTimestamp.now().description))
                defer { lock.release() }
                let tradingMode = mode.tradingMode
                if mode != .monitor, let state = try repository.engineState(mode: tradingMode), state.killSwitch {
                    ToolRunner.printError("""
                        engine: refused: the \(tradingMode.rawValue) kill switch is set (by \(state.killSwitchBy ?? "?") at \
                        \(state.killSwitchAt.map { IST.dateTime($0.date).description } ?? "?"): \(state.killSwitchReason ?? "")); \
                        clear it with: engine reset-kill-switch --confirm --reason TEXT
                        """)
                    return .refused
                }
                let setup = try EngineSetup(configuration: context.configuration)
                let plan = try ReplayData.load(
                    sources: replay.map(ReplaySource.init), setup: setup, calendar: context.calendar,
                    store: MarketDataStore(home: context.home), warmupDays: warmupDays,
                    currentDirectory: URL(filePath: FileManager.default.currentDirectoryPath, directoryHint: .isDirectory))
                for closed in plan.closedDates { ToolRunner.printError("engine: nothing to replay: \(closed)") }
                for symbol in plan.symbolsWithoutBars {
                    ToolRunner.printError("engine: warning: no bars of \(symbol) in the replayed files; its strategies see nothing")
                }
                guard !plan.days.isEmpty else {
                    if !common.json { ToolRunner.printOut("no trading session to replay") } else { try EngineCommand.printJSON([SessionSummary]()) }
                    return .ok
                }

                EngineSignals.install()
                let logs = EngineLogs(level: context.logger.logLevel)
                let broker = mode == .monitor ? nil : BrokerAccounts.account(for: tradingMode, store: repository, setup: setup)
                let runner = EngineRunner(setup: setup, calendar: context.calendar, repository: repository, broker: broker, logs: logs,
                                          options: EngineRunOptions(mode: mode, speed: speed.speed, warmupDays: warmupDays, pid: pid, host: host))
                var lastBeat = ContinuousClock.now
                runner.control = EngineControlChannel(
                    poll: {
                        if mode == .monitor, ContinuousClock.now - lastBeat >= .seconds(2) {
                            lastBeat = ContinuousClock.now
                            try repository.recordHeartbeat(mode: tradingMode, status: mode.rawValue, pid: pid, host: host, at: .now())
                        }
                        return try repository.pendingEngineControl(mode: tradingMode).first
                    },
                    markHandled: { request, outcome in try repository.markEngineControlHandled(id: try request.id.required("the control request's id"), outcome: outcome, at: .now()) },
                    signalled: { EngineSignals.stopRequested })
                if let text = ProcessInfo.processInfo.environment[Self.crashHookVariable], let limit = Int(text), limit > 0 {
                    runner.afterCommit = { commits in if commits >= limit { kill(getpid(), SIGKILL) } }
                }
                try repository.recordHeartbeat(mode: tradingMode, status: mode.rawValue, pid: pid, host: host, at: .now())
                let outcomes: [SessionOutcome]
                do {
                    outcomes = try runner.run(plan.days)
                } catch {
                    logs.engine.error("the engine stopped on an error; restart it to resume the session (nothing recorded is sent twice)",
                                      metadata: ["error": "\(error)", "mode": "\(mode.rawValue)",
                                                 "replay": "\(replay.joined(separator: " "))", "database": "\(context.databaseURL)"])
                    throw error
                }
                let final = outcomes.last.map { outcome -> String in
                    switch outcome.ending {
                    case .emergencyStopped: "emergency_stopped"
                    default: "stopped"
                    }
                } ?? "stopped"
                try repository.recordHeartbeat(mode: tradingMode, status: final, pid: pid, host: host, at: .now())
                let summaries = outcomes.map { SessionSummary($0, mode: mode) }
                if common.json {
                    try EngineCommand.printJSON(summaries)
                } else {
                    for s in summaries { ToolRunner.printOut(s.text) }
                }
                return .ok
            }
        }
    }

    /// One session's result as printed.
    public struct SessionSummary: Codable, Sendable {
        public var date: String
        public var mode: String
        public var ending: String
        public var bars: Int
        public var recoveredBars: Int
        public var signals: Int
        public var orders: Int
        public var fills: Int
        public var trades: Int
        public var rejections: Int
        public var netPnl: String
        public var charges: String
        public var dayStartCash: String
        public var equity: String
        public var repairs: Int
        public var adoptedOrders: Int
        public var commits: Int

        init(_ o: SessionOutcome, mode: EngineMode) {
            date = o.date.description
            self.mode = mode.rawValue
            switch o.ending {
            case .completed: ending = "completed"
            case .alreadyCompleted: ending = "already completed"
            case .stopped(let why): ending = why
            case .emergencyStopped: ending = "emergency stop"
            case .killSwitch(let why): ending = "kill switch: \(why)"
            }
            bars = o.bars; recoveredBars = o.recoveredBars; signals = o.signals; orders = o.orders; fills = o.fills
            trades = o.trades; rejections = o.rejections; netPnl = Paise(o.netPnL).description
            charges = Paise(o.charges).description; dayStartCash = Paise(o.dayStartCash).description
            equity = Paise(o.equity).description; repairs = o.repairs; adoptedOrders = o.adoptedOrders
            commits = o.commits
        }

        var text: String {
            if ending == "already completed" { return "\(date) \(mode): already completed; nothing to do" }
            var line = "\(date) \(mode): \(ending): \(bars) bars, \(signals) signals, \(orders) orders, \(fills) fills, "
                + "\(trades) trades, net P&L \(netPnl) (charges \(charges)), equity \(equity)"
            if recoveredBars > 0 || repairs > 0 || adoptedOrders > 0 {
                line += " [resumed: \(recoveredBars) bars replayed to rebuild the state, \(repairs) repairs, \(adoptedOrders) orders taken in]"
            }
            return line
        }
    }

    // MARK: status

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

    // MARK: stop

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

    // MARK: emergency-stop

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
                let result = try EngineControl.emergencyStop(
                    store: store, accounts: { BrokerAccounts.account(for: $0, store: store, setup: setup) },
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
                    throw NotBuiltYet("reaching the live broker (no live broker adapter exists yet): the kill switch is set, but cancel and close the live orders and positions in the broker's own terminal")
                }
                return .ok
            }
        }
    }

    // MARK: reset-kill-switch

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

    // MARK: benchmark (hidden)

    /// Figures for the benchmark suite: replayed sessions without a database, with an in-memory
    /// SQLite database and with a SQLite file (`synchronous=FULL`), and the decision latency of
    /// every order. Nothing is asserted; build with `-c release` for meaningful numbers.
    public struct Benchmark: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "benchmark",
            abstract: "Measure replayed sessions and the decision latency (prints JSON).",
            shouldDisplay: false)

        @OptionGroup public var own: CommonOptions
        @ParentCommand var parent: EngineCommand

        /// The shared flags, given after the subcommand or before it.
        public var common: CommonOptions { EngineCommand.merged(own, parent.common) }

        @Option(name: .long, help: ArgumentHelp("A trading date or canonical CSV; repeatable.", valueName: "date|file"))
        public var replay: [String] = []

        @Option(name: .long, help: ArgumentHelp("Earlier sessions that warm the strategies up.", valueName: "n"))
        public var warmupDays = 2

        @Option(name: .long, help: ArgumentHelp("Use config/risk_config_NAME.yaml instead of risk_config.yaml.", valueName: "name"))
        public var riskPreset: String?

        public init() {}

        public func run() async throws {
            try await ToolRunner.run(tool: "engine benchmark") {
                let context = try ToolContext.load(common, tool: "engine", riskPreset: riskPreset)
                let setup = try EngineSetup(configuration: context.configuration)
                let plan = try ReplayData.load(
                    sources: replay.map(ReplaySource.init), setup: setup, calendar: context.calendar,
                    store: MarketDataStore(home: context.home), warmupDays: warmupDays,
                    currentDirectory: URL(filePath: FileManager.default.currentDirectoryPath, directoryHint: .isDirectory))
                guard !plan.days.isEmpty else { throw EngineError.badReplay("no trading session to measure") }
                let directory = FileManager.default.temporaryDirectory.appending(path: "alpha-prime-engine-benchmark-\(UUID().uuidString)")
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(at: directory) }
                var results: [EngineBenchmark.Replay] = []
                results.append(try EngineBenchmark.replay(plan.days, setup: setup, calendar: context.calendar, store: nil,
                                                          broker: PaperBrokerAccount(store: nil, settings: PaperSettings(setup)),
                                                          persistence: "none"))
                for (name, path) in [("sqlite-memory", ":memory:"), ("sqlite-file", directory.appending(path: "state.db").path)] {
                    let database = try SQLiteConnection(path: path)
                    try Migrator(database: database, logger: context.logger).migrate()
                    let store = StateRepository(database: database)
                    results.append(try EngineBenchmark.replay(plan.days, setup: setup, calendar: context.calendar, store: store,
                                                              broker: PaperBrokerAccount(store: store, settings: PaperSettings(setup)),
                                                              persistence: name))
                }
                try EngineCommand.printJSON(results)
                return .ok
            }
        }
    }
}
