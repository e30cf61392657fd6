import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import Foundation
import Logging

/// How an engine run is asked to behave.
public struct EngineRunOptions: Sendable {
    public var mode: EngineMode
    public var speed: ReplaySpeed
    /// Earlier trading sessions fed to the strategies before each session (indicators warm up; no orders).
    public var warmupDays: Int
    /// Record the decision latency of every order (see ``SessionOutcome/decisionLatencies``).
    public var measureLatency: Bool
    public var pid: Int64
    public var host: String

    public init(mode: EngineMode, speed: ReplaySpeed = .max, warmupDays: Int = 2, measureLatency: Bool = false,
                pid: Int64 = Int64(ProcessInfo.processInfo.processIdentifier), host: String = ProcessInfo.processInfo.hostName) {
        self.mode = mode
        self.speed = speed
        self.warmupDays = warmupDays
        self.measureLatency = measureLatency
        self.pid = pid
        self.host = host
    }
}

/// Runs replayed sessions through the trading core with a broker account and the state database:
/// prepares each session (what earlier sessions left behind, the day's opening cash, recovery of a
/// session started before), warms the strategies up, and drives a ``SessionRun``. The broker is a
/// port (``BrokerAccount``): the paper account, or any adapter that implements it.
public final class EngineRunner {
    public let setup: EngineSetup
    public let calendar: TradingCalendar
    public let repository: (any StateStore)?
    /// Where orders go (nil: monitor mode sends none).
    public let broker: (any BrokerAccount)?
    public let logs: EngineLogs
    public let options: EngineRunOptions
    /// The wall clock records are stamped with and a replay is paced by.
    public let clock: any EngineClock
    /// Requests from other processes and signals, checked between bars.
    public var control: EngineControlChannel?
    /// Called after every commit with the number of commits so far (a crash-test hook).
    public var afterCommit: ((Int) throws -> Void)?
    /// Called inside each of the journal's transactions before its COMMIT (a test's crash point).
    public var insideCommit: ((Int) throws -> Void)?
    /// Told of each session as it ends, before the next one starts (so a later error loses nothing).
    public var sessionEnded: ((SessionOutcome) -> Void)?
    /// Where the session's alerts go (kill switch, breakers, a stale feed); nil: none are raised.
    public var alerts: (any AlertSink)?
    /// Where the live state is mirrored for the screens (Redis when `REDIS_URL` is set); nil: nowhere.
    public var liveCache: (any LiveStateSink)?

    public init(setup: EngineSetup, calendar: TradingCalendar, repository: (any StateStore)?, broker: (any BrokerAccount)?,
                logs: EngineLogs, options: EngineRunOptions, clock: any EngineClock = SystemClock()) {
        self.clock = clock
        self.broker = broker
        self.setup = setup
        self.calendar = calendar
        self.repository = repository
        self.logs = logs
        self.options = options
    }

    /// Runs the days in order; stops after a day that ended with a stop, an emergency stop or the kill switch.
    public func run(_ days: [ReplayDay]) throws -> [SessionOutcome] {
        var outcomes: [SessionOutcome] = []
        for day in days {
            let outcome = try runSession(day)
            outcomes.append(outcome)
            sessionEnded?(outcome)
            switch outcome.ending {
            case .completed, .alreadyCompleted: continue
            case .stopped, .emergencyStopped, .killSwitch: return outcomes
            }
        }
        return outcomes
    }

    public func runSession(_ day: ReplayDay) throws -> SessionOutcome {
        try runSession(day, live: nil)
    }

    /// One session: a replay of `day`'s bars, or, with `live`, the bars an earlier run of this
    /// live session recorded (`day.series`, replayed to rebuild the state) followed by the live feed.
    func runSession(_ day: ReplayDay, live: LiveSessionFeed?) throws -> SessionOutcome {
        let mode = options.mode.tradingMode
        let session = day.session
        let open = UTCTimestamp(secondsSinceEpoch: session.openEpochSeconds)
        let close = UTCTimestamp(secondsSinceEpoch: session.closeEpochSeconds)
        var journal: EngineJournal?
        var brokerSession: BrokerSession?
        var dayStartCash = setup.startingCapital
        var riskState: RiskState?
        var killSwitchSet = false
        if options.mode != .monitor, let repository {
            let month = String(day.date.description.prefix(7))
            if let batch = try repository.archivedBatches().first(where: { $0.month == month }) {
                // The account before this day is only known as of the month's end: the month's rows are archived.
                throw EngineError.badReplay("the rows of \(month) are archived (\(batch.file)); a session of \(day.date) cannot "
                    + "be run until they are back: archive restore backups/archive/\(batch.file) --confirm")
            }
            try settleEarlierSessions(before: day.date, open: open)
            var record = try repository.engineSession(mode: mode, date: day.date)
            if let existing = record, existing.status == .completed {
                logs.engine.notice("the session was already run to its close; nothing to do", metadata: [
                    "session.date": "\(day.date)", "mode": "\(mode.rawValue)"])
                var outcome = SessionOutcome(date: day.date, ending: .alreadyCompleted)
                outcome.dayStartCash = existing.dayStartCash.value
                return outcome
            }
            if let existing = record {
                dayStartCash = existing.dayStartCash.value
                try repository.setEngineSessionStatus(sessionId: try existing.id.required("the engine session's id"), status: .running, countRecovery: true, at: clock.now())
            } else {
                dayStartCash = try broker?.cash(at: open) ?? setup.startingCapital
                // The risk stage carries on from where the last session before this one left it.
                // Not across a reset-portfolio: a new account epoch starts its risk state afresh.
                let epoch = try repository.currentAccountEpoch(mode: mode)
                let carried = try repository.latestEngineSession(mode: mode, before: day.date)
                    .flatMap { previous in (previous.id ?? 0) >= (epoch?.firstSessionId ?? 0) ? previous.riskStateClose : nil }
                record = try repository.insertEngineSession(EngineSessionRecord(
                    mode: mode, tradingDate: day.date, source: day.source, dayStartCash: Paise(dayStartCash), startedAt: clock.now(),
                    riskStateOpen: carried))
            }
            if let json = record?.riskStateOpen {
                do {
                    riskState = try JSONDecoder().decode(RiskState.self, from: Data(json.utf8))
                } catch {
                    throw EngineError.badReplay("the risk state the \(day.date) session opened with cannot be read (\(error)); the database was written by another version")
                }
            }
            killSwitchSet = try repository.engineState(mode: mode)?.killSwitch ?? false
            journal = try EngineJournal(
                repository: repository, clock: clock, session: try record.required("the \(day.date) engine session"), sessionFrom: open, sessionBefore: close,
                symbols: setup.instruments.count,
                heartbeat: .init(mode: mode, status: options.mode.rawValue, pid: options.pid, host: options.host),
                logs: logs, afterCommit: afterCommit, insideCommit: insideCommit)
        }
        if options.mode != .monitor, let broker {
            brokerSession = try broker.session(date: day.date, open: open, close: close)
        }
        let strategies = try warmedStrategies(day)
        var core = TradingCore(strategies: strategies.map(ObservedStrategy.init), instruments: setup.instruments,
                               startingCapital: dayStartCash, risk: setup.risk, product: setup.product)
        core.livePercent = setup.instanceLivePercent
        if let riskState {
            core.restoreRiskState(riskState)
            if let halt = riskState.halt {
                if killSwitchSet {
                    logs.risk.warning("the run is halted by the risk stage; entries stay refused", metadata: ["halt": "\(halt)"])
                } else {
                    // Recorded as the kill switch when it tripped; the switch was reset since.
                    logs.risk.notice("the run halt carried from the last session was reset with reset-kill-switch; entries are allowed",
                                     metadata: ["halt": "\(halt)"])
                    core.clearEntriesHalt()
                }
            }
        }
        for rule in setup.risk.inactiveRules { logs.risk.warning("risk rule not active in this run", metadata: ["rule": "\(rule)"]) }
        let plan = SessionPlan(date: day.date, open: session.openEpochSeconds, close: session.closeEpochSeconds, series: day.series,
                               source: day.source)
        logs.engine.info("session starting", metadata: [
            "session.date": "\(day.date)", "session": "\(session.description)", "mode": "\(options.mode.rawValue)",
            "speed": "\(options.speed)", "strategies": "\(strategies.count)", "cash": "\(Paise(dayStartCash))",
            "source": "\(day.source)"])
        var pauses: [(at: Int64, reason: String?)] = []
        var vix: [(at: Int64, value: Double)] = []
        if live != nil, let repository, journal != nil {
            let events = try repository.riskEvents(mode: mode, from: open, before: close)
            pauses = SessionRun<AnyStrategy>.recordedPauses(in: events)
            vix = SessionRun<AnyStrategy>.recordedVIX(in: events)
        }
        let feed: any MarketFeed = live.map { ChainedFeed(first: ReplayFeed(series: day.series), then: $0.feed) }
            ?? ReplayFeed(series: day.series)
        let run = SessionRun<AnyStrategy>(
            core: core, broker: brokerSession, journal: journal, plan: plan, mode: options.mode, logs: logs,
            speed: live == nil ? options.speed : .max,
            snapshotInterval: setup.snapshotIntervalSeconds, measureLatency: options.measureLatency,
            control: control, clock: clock, feed: feed, live: live?.feed.state, recordedPauses: pauses, recordedVIX: vix, alerts: alerts,
            liveCache: liveCache.map { ($0, options.pid) })
        let outcome = try run.run()
        logs.engine.info("session ended", metadata: [
            "session.date": "\(day.date)", "ending": "\(outcome.ending)", "bars": "\(outcome.bars)",
            "signals": "\(outcome.signals)", "orders": "\(outcome.orders)", "fills": "\(outcome.fills)",
            "trades": "\(outcome.trades)", "pnl.net": "\(Paise(outcome.netPnL))", "equity": "\(Paise(outcome.equity))"])
        return outcome
    }

    /// What an earlier session left at the broker: day orders still working expire, intraday
    /// positions still open are squared off at their last known price.
    func settleEarlierSessions(before date: LocalDate, open: UTCTimestamp) throws {
        guard let repository, let broker else { return }
        let earlier = try repository.latestEngineSession(mode: options.mode.tradingMode, before: date)
        let at = earlier?.lastBarAt ?? open.adding(seconds: -60)
        let (expired, closed) = try broker.settle(before: open, at: at)
        if !expired.isEmpty {
            logs.trades.warning("orders left working by an earlier session expired", metadata: ["orders": "\(expired.joined(separator: ", "))"])
        }
        for c in closed {
            logs.trades.warning("position left open by an earlier session squared off at its last price", metadata: [
                "order.client_id": "\(c.clientOrderId)", "strategy": "\(c.strategy)", "symbol": "\(c.symbol)",
                "side": "\(c.side.rawValue)", "quantity": "\(c.quantity)", "price": "\(Paise(c.price))", "pnl.net": "\(Paise(c.netPnL))"])
        }
    }

    /// The strategies, their indicators fed with the warm-up bars (flat, no orders).
    func warmedStrategies(_ day: ReplayDay) throws -> [AnyStrategy] {
        try Self.warm(try setup.makeStrategies(), warmup: day.warmup, calendar: calendar)
    }

    /// Feeds each strategy the warm-up bars of its symbol (the sessions before), as the engine does
    /// before a session: indicators filled, no position, no order.
    public static func warm(_ made: [AnyStrategy], warmup: [BarSeries], calendar: TradingCalendar) throws -> [AnyStrategy] {
        var strategies = made
        var sessions: [Int64: (open: Int64, close: Int64)?] = [:]
        for i in strategies.indices {
            let bars = warmup[strategies[i].symbol]
            for k in 0..<bars.count {
                let bar = bars[k]
                let local = IST.dateTime(epochSeconds: bar.time).date
                let key = Int64(local.daysSinceEpoch)
                if sessions[key] == nil {
                    sessions[key] = calendar.session(on: local).map { ($0.openEpochSeconds, $0.closeEpochSeconds) }
                }
                var context = BarContext()
                if let s = sessions[key] ?? nil {
                    context.minutesSinceOpen = Int((bar.time - s.open) / 60)
                    context.minutesToClose = Int((s.close - bar.time) / 60)
                }
                _ = strategies[i].onBar(bar, context: context)
            }
        }
        return strategies
    }
}
