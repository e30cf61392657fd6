import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeCore
import AlphaPrimeStore
import AlphaPrimeAlerts
import Foundation

extension EngineCommand.Run {
    /// Today's session on the wall clock with the live feed (Kite's ticker): monitor (signals
    /// only), paper (the paper broker fills on the live bars) or live (the Kite adapter).
    func runLive(context: ToolContext, setup: EngineSetup, repository: StateRepository, pid: Int64, host: String) throws -> ExitStatus {
        let tradingMode = mode.tradingMode
        let clock = try EngineLiveSession.clock(context)
        let today = IST.dateTime(clock.now().date).date
        let logs = EngineLogs(level: context.logger.logLevel)
        let source = try EngineLiveSession.source(context, setup: setup, store: repository, clock: clock, date: today, logger: logs.engine)
        if source.indiaVIXToken != nil {
            logs.risk.notice("the VIX filter takes the day's India VIX from the live feed once it comes (INDIA VIX, the previous session's close)")
        }
        guard let session = context.calendar.session(on: today) else {
            ToolRunner.printOut("no trading session today: \(context.calendar.explain(today))")
            return .ok
        }
        let warmup = EngineLiveSession.warmup(setup: setup, calendar: context.calendar, store: MarketDataStore(home: context.home),
                                              date: today, days: warmupDays)
        EngineSignals.install()
        // A live session drives kite-sim's market from its bars only when rehearsing on kite-sim.
        let broker = mode == .monitor ? nil
            : try BrokerAccounts.account(for: tradingMode, store: repository, setup: setup, context: context,
                                         replaying: context.configuration.broker.kite.isLoopback)
        let runner = EngineRunner(setup: setup, calendar: context.calendar, repository: repository, broker: broker, logs: logs,
                                  options: EngineRunOptions(mode: mode, speed: .max, warmupDays: warmupDays, pid: pid, host: host),
                                  clock: clock)
        let state = LiveFeedState()
        let home = context.home
        var lastReport = ContinuousClock.now - .seconds(10)
        let writeReport = {
            guard ContinuousClock.now - lastReport >= .seconds(1) else { return }
            lastReport = ContinuousClock.now
            try? LiveFeedReport(feed: state, source: source.name, clock: clock).write(home: home, mode: tradingMode)
        }
        runner.control = Self.controlChannel(mode: mode, repository: repository, pid: pid, host: host, clock: clock, everyPoll: writeReport)
        installCrashHook(runner, context: context)
        let alerts = Self.installAlerts(runner, context: context)
        defer { Self.finishAlerts(alerts) }
        let cache = Self.installLiveCache(runner, context: context, mode: mode)
        defer { cache?.stop() }
        var ended: EngineCommand.SessionSummary?
        let json = common.json
        runner.sessionEnded = { outcome in
            let summary = EngineCommand.SessionSummary(outcome, mode: mode)
            ended = summary
            if !json { ToolRunner.printOut(summary.text) }
        }
        try repository.recordHeartbeat(mode: tradingMode, status: mode.rawValue, pid: pid, host: host, at: clock.now())
        let logger = logs.engine
        let result: Result<SessionOutcome, LiveSessionFailure>
        do {
            result = try runner.runLive(warmup: warmup) { open, close, firstMinute in
                var feed = LiveFeed(source: source, clock: clock, symbols: setup.instruments.count, open: open, close: close,
                                    settings: LiveFeedSettings(staleAfterSeconds: Int64(context.configuration.broker.kite.websocket.staleAfterSeconds.rounded(.up))),
                                    state: state, firstMinute: firstMinute, logger: logger)
                feed.onStale = { why in
                    ToolRunner.printError("engine: the market feed is stale (\(why)): new entries are paused until prints return")
                }
                feed.onFresh = { _ in ToolRunner.printError("engine: the market feed has prints again: entries resume") }
                feed.backfill = EngineLiveSession.backfill(context, subscriptions: source.subscriptions, accessToken: source.accessToken)
                return feed
            }
        } catch {
            try? LiveFeedReport(feed: state, source: source.name, clock: clock).write(home: home, mode: tradingMode)
            logs.engine.error("the engine stopped on an error; restart it to resume the session (nothing recorded is sent twice)",
                              metadata: ["error": "\(error)", "mode": "\(mode.rawValue)", "database": "\(context.databaseURL)"])
            throw error
        }
        try? LiveFeedReport(feed: state, source: source.name, clock: clock).write(home: home, mode: tradingMode)
        switch result {
        case .failure(let failure):
            let text: String
            switch failure.start {
            case .noSession(let why): text = "no trading session today: \(why)"
            case .afterClose(let date): text = "the \(date) session has closed; nothing to run"
            case .stoppedBeforeOpen(let why): text = "\(why)"
            }
            ToolRunner.printOut(text)
            try repository.recordHeartbeat(mode: tradingMode, status: "stopped", pid: pid, host: host, at: clock.now())
            return .ok
        case .success(let outcome):
            if mode != .monitor, case .completed = outcome.ending {
                EngineLiveSession.storeBars(setup: setup, repository: repository, mode: tradingMode, session: session,
                                            store: MarketDataStore(home: context.home), logger: logs.engine)
            }
            if mode == .live { EngineCommand.Run.demoteAfterSession(outcome, setup: setup, context: context, repository: repository, alerts: alerts) }
            let final: String
            switch outcome.ending {
            case .emergencyStopped: final = "emergency_stopped"
            default: final = "stopped"
            }
            try repository.recordHeartbeat(mode: tradingMode, status: final, pid: pid, host: host, at: clock.now())
            if json, let ended { try EngineCommand.printJSON([ended]) }
            return .ok
        }
    }
}
