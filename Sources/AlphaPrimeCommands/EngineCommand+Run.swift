import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeCore
import AlphaPrimeStore
import AlphaPrimeAlerts
import AlphaPrimeRedis
import ArgumentParser
import Foundation

extension EngineCommand {
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

        /// The test hooks that end the process with SIGKILL after this many database commits, or
        /// inside the transaction of that commit (its writes made, COMMIT not yet). They work only in
        /// a debug build (the test suite's) and never in live mode: a stray variable in a trader's
        /// environment is ignored, with a warning.
        static let crashHookVariable = "ALPHA_PRIME_ENGINE_CRASH_AFTER_COMMITS"
        static let crashInsideHookVariable = "ALPHA_PRIME_ENGINE_CRASH_INSIDE_COMMIT"

        /// Whether the crash hook may act in this build and mode.
        static func crashHookAllowed(mode: EngineMode) -> Bool {
            #if DEBUG
            return mode != .live
            #else
            return false
            #endif
        }

        /// Arms the crash hook when it is set and allowed; a stray one is ignored with a warning.
        func installCrashHook(_ runner: EngineRunner, context: ToolContext) {
            let environment = ProcessInfo.processInfo.environment
            for variable in [Self.crashHookVariable, Self.crashInsideHookVariable] {
                guard let text = environment[variable] else { continue }
                if Self.crashHookAllowed(mode: mode), let limit = Int(text), limit > 0 {
                    let hook: (Int) throws -> Void = { commits in if commits >= limit { kill(getpid(), SIGKILL) } }
                    if variable == Self.crashHookVariable { runner.afterCommit = hook } else { runner.insideCommit = hook }
                } else {
                    let why = "\(variable) is a test hook; ignored (it acts only in a debug build, never in live mode)"
                    ToolRunner.printError("engine: warning: \(why)")
                    context.logger.warning("\(why)")
                }
            }
        }

        /// The alert channels `.env` configures, on their own thread (docs/alerts.md), handed to the
        /// runner; nil when none is configured. A channel that cannot be set up is a warning, never a
        /// reason not to trade.
        /// After a live session (its bars stored): the lifecycle's automatic demotion (docs/lifecycle.md), each said on
        /// standard error, logged and alerted. A failure to check is logged, never a reason to stop.
        static func demoteAfterSession(_ outcome: SessionOutcome, setup: EngineSetup, context: ToolContext, repository: StateRepository,
                                       alerts: AlertDispatcher?) {
            do {
                let lifecycle = StrategyLifecycle(context: context, store: repository)
                for line in try lifecycle.demoteAfterSession(date: outcome.date, openingEquity: outcome.dayStartCash, setup: setup,
                                                             now: try StrategyLifecycle.now()) {
                    ToolRunner.printError("engine: \(line)")
                    context.logger.warning("strategy demoted", metadata: ["detail": "\(line)"])
                    alerts?.raise(Alert(kind: .strategyDemoted, severity: .critical, title: "strategy demoted to paper", message: line,
                                        key: "strategy-demoted-\(line.prefix { $0 != " " })", raisedAt: Int64(Date().timeIntervalSince1970)))
                }
            } catch {
                context.logger.error("the lifecycle's drawdown check failed", metadata: ["error": "\(error)"])
                ToolRunner.printError("engine: warning: the lifecycle's after-session check failed: \(error)")
            }
        }

        static func installAlerts(_ runner: EngineRunner, context: ToolContext) -> AlertDispatcher? {
            do {
                let channels = try AlertChannels.configured(environment: context.configuration.environment,
                                                            settings: context.configuration.general.alertSettings)
                guard !channels.isEmpty else { return nil }
                let dispatcher = AlertDispatcher(channels: channels,
                                                 dedupSeconds: Int64(context.configuration.general.alertSettings.dedupMinutes * 60),
                                                 ledger: MemoryAlertLedger(), logger: context.logger)
                runner.alerts = dispatcher
                return dispatcher
            } catch {
                ToolRunner.printError("engine: warning: the alert channels could not be set up (\(error)); no alert will be sent")
                context.logger.warning("the alert channels could not be set up; no alert will be sent", metadata: ["error": "\(error)"])
                return nil
            }
        }

        /// The live-state cache (Redis) when `REDIS_URL` is set: the runner mirrors its state there on
        /// a thread of its own. A cache that is down is a warning (and health-check's), never a reason
        /// not to trade.
        static func installLiveCache(_ runner: EngineRunner, context: ToolContext, mode: EngineMode) -> RedisLiveStateMirror? {
            guard mode != .monitor, let text = context.configuration.environment.redisURL else { return nil }
            do {
                let mirror = RedisLiveStateMirror(url: try RedisURL(text), logger: context.logger)
                runner.liveCache = mirror
                context.logger.info("mirroring the live state into Redis", metadata: ["redis": "\(mirror.url)", "ttl_seconds": "\(mirror.ttlSeconds)"])
                return mirror
            } catch {
                ToolRunner.printError("engine: warning: \(error); the live state is not mirrored")
                context.logger.warning("the live-state cache is not used", metadata: ["error": "\(error)"])
                return nil
            }
        }

        /// Gives the alerts still waiting a little time to go out before the process ends.
        static func finishAlerts(_ dispatcher: AlertDispatcher?) {
            guard let dispatcher else { return }
            dispatcher.drain(timeout: 20)
            dispatcher.stop()
        }

        /// Says on standard error why a gate stopped the run and gives its exit status, or nil when
        /// the run may go on; what is not built yet is thrown as ``NotBuiltYet``.
        static func exitStatus(ifRefused decision: EngineStartPolicy.Decision) throws -> ExitStatus? {
            guard case .refused(let refusal) = decision else { return nil }
            for message in refusal.messages { ToolRunner.printError("engine: \(message)") }
            if case .notBuilt(let what) = refusal.cause { throw NotBuiltYet(what) }
            return refusal.exitStatus
        }

        /// Requests from other processes (`engine stop`, `emergency-stop`) and signals; in monitor
        /// mode, which commits nothing, the heartbeat too. `everyPoll` runs at each poll.
        static func controlChannel(mode: EngineMode, repository: StateRepository, pid: Int64, host: String,
                                   clock: any EngineClock = SystemClock(), everyPoll: @escaping () -> Void = {}) -> EngineControlChannel {
            var lastBeat = ContinuousClock.now
            let tradingMode = mode.tradingMode
            return EngineControlChannel(
                poll: {
                    everyPoll()
                    if mode == .monitor, ContinuousClock.now - lastBeat >= .seconds(2) {
                        lastBeat = ContinuousClock.now
                        try repository.recordHeartbeat(mode: tradingMode, status: mode.rawValue, pid: pid, host: host, at: clock.now())
                    }
                    return try repository.pendingEngineControl(mode: tradingMode).first
                },
                markHandled: { request, outcome in
                    try repository.markEngineControlHandled(id: try request.id.required("the control request's id"), outcome: outcome, at: .now())
                },
                signalled: { EngineSignals.stopRequested })
        }

        public func run() async throws {
            try await ToolRunner.run(tool: "engine") {
                let context = try ToolContext.load(common, tool: "engine", riskPreset: riskPreset)
                // Private files other users can read: live refuses to start, paper and monitor warn.
                let exposed = PrivateFiles.exposed(home: context.home, database: context.databaseURL)
                for file in exposed {
                    ToolRunner.printError("engine: \(mode == .live ? "" : "warning: ")\(file.message)")
                    context.logger.warning("a private file is readable by group or others", metadata: ["path": "\(file.path)"])
                }
                if mode == .live && !exposed.isEmpty {
                    ToolRunner.printError("engine: live trading refused until the files above are private")
                    return .refused
                }
                // The safety gates, each refusal naming the gate that is closed.
                let gates = EngineStartPolicy(context.configuration)
                if let status = try Self.exitStatus(ifRefused: gates.decide(mode: mode, confirmLive: confirmLive, replaying: !replay.isEmpty)) {
                    return status
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
                if let status = try Self.exitStatus(ifRefused: EngineStartPolicy.killSwitch(mode: mode) { try repository.engineState(mode: $0) }) {
                    return status
                }
                var setup = try EngineSetup(configuration: context.configuration, indiaVIX: try context.indiaVIX())
                if mode == .live {
                    // The lifecycle: no strategy below live-10 trades live; each trades its stage's share.
                    let lifecycle = StrategyLifecycle(context: context, store: repository)
                    let below = try lifecycle.applyLiveStages(to: &setup)
                    guard below.isEmpty else {
                        for line in below { ToolRunner.printError("engine: \(line)") }
                        ToolRunner.printError("engine: live trading refused: every enabled strategy must be at live-10 or above "
                                              + "(strategy status; strategy promote NAME --confirm --reason TEXT), or disabled in its file")
                        return .refused
                    }
                }
                if replay.isEmpty {
                    return try runLive(context: context, setup: setup, repository: repository, pid: pid, host: host)
                }
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
                let broker = mode == .monitor ? nil
                    : try BrokerAccounts.account(for: tradingMode, store: repository, setup: setup, context: context, replaying: !replay.isEmpty)
                let runner = EngineRunner(setup: setup, calendar: context.calendar, repository: repository, broker: broker, logs: logs,
                                          options: EngineRunOptions(mode: mode, speed: speed.speed, warmupDays: warmupDays, pid: pid, host: host))
                runner.control = Self.controlChannel(mode: mode, repository: repository, pid: pid, host: host)
                installCrashHook(runner, context: context)
                let alerts = Self.installAlerts(runner, context: context)
                defer { Self.finishAlerts(alerts) }
                let cache = Self.installLiveCache(runner, context: context, mode: mode)
                defer { cache?.stop() }
                try repository.recordHeartbeat(mode: tradingMode, status: mode.rawValue, pid: pid, host: host, at: .now())
                // Each session's line is written as the session ends, so an error on a later day loses
                // none of them; with --json the sessions that ended are printed before the error.
                var ended: [SessionSummary] = []
                let json = common.json
                runner.sessionEnded = { outcome in
                    let summary = SessionSummary(outcome, mode: mode)
                    ended.append(summary)
                    if !json { ToolRunner.printOut(summary.text) }
                    if mode == .live { Self.demoteAfterSession(outcome, setup: setup, context: context, repository: repository, alerts: alerts) }
                }
                let outcomes: [SessionOutcome]
                do {
                    outcomes = try runner.run(plan.days)
                } catch {
                    if json, !ended.isEmpty { try? EngineCommand.printJSON(ended) }
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
                if common.json { try EngineCommand.printJSON(outcomes.map { SessionSummary($0, mode: mode) }) }
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
        public var reconciledEvents: Int
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
            reconciledEvents = o.reconciledEvents; commits = o.commits
        }

        var text: String {
            if ending == "already completed" { return "\(date) \(mode): already completed; nothing to do" }
            var line = "\(date) \(mode): \(ending): \(bars) bars, \(signals) signals, \(orders) orders, \(fills) fills, "
                + "\(trades) trades, net P&L \(netPnl) (charges \(charges)), equity \(equity)"
            if recoveredBars > 0 || repairs > 0 || adoptedOrders > 0 {
                line += " [resumed: \(recoveredBars) bars replayed to rebuild the state, \(repairs) repairs, \(adoptedOrders) orders taken in]"
            }
            if reconciledEvents > 0 { line += " [\(reconciledEvents) broker events found only in its book]" }
            return line
        }
    }
}
