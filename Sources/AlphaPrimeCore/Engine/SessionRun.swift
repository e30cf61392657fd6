import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import Foundation
import Logging

/// One trading session driven through a ``TradingCore``: market data in from the feed port (bars
/// replayed by a ``ReplayFeed``, paced by the replay clock), the broker's fills and order updates,
/// the risk stage's decisions (its limits, breakers, kill switch and MIS square-off trip inside the
/// core; the engine records them and keeps a run halt across restarts), orders out through the order journal (write-ahead) to the broker, snapshots,
/// heartbeat, control requests.
///
/// It is the engine's host of the one ``SessionLoop`` the backtester runs too: for each bar the
/// broker sees it first (working orders fill), fills reach the core (protective orders they cause
/// are placed and may fill within the rest of the bar), then the strategies see the closed bar and
/// the orders the risk stage approves go to the broker for the next bar; the loop's session-close
/// rule ends the day.
///
/// **Recovery.** When the session was started before (the journal knows its orders and how far it
/// got), the bars from the open are replayed at full speed through the same code: every order the
/// core re-creates has the same client order id and is recognised, never placed again; recorded
/// fills are applied as recorded. The paper broker's working orders are rebuilt the same way; a
/// real broker's fills are taken from the database at the bars they were first seen at
/// (``RecordedBroker``) and its working orders handed back to it after. At
/// each minute boundary of that replay, orders the database holds but the core did not create
/// (written by `engine emergency-stop`, or a stop's square-off) are taken in, and cancellations
/// recorded while the engine was down are applied. After the bar the previous run was on, the
/// positions are checked against the broker's and the loop carries on normally.
final class SessionRun<S: Strategy>: SessionHost {
    typealias Core = TradingCore<ObservedStrategy<S>>
    typealias Failure = any Error

    var core: Core
    /// Where orders go; nil in monitor mode. While a restart replays the bars of a broker that
    /// cannot re-create its fills, the ``RecordedBroker`` standing in for it.
    var broker: (any Broker)?
    /// The broker's market hooks when it simulates the market from the bars (the paper broker, a
    /// kite-sim rehearsal).
    let market: (any SimulatedMarket)?
    /// The stand-in while a restart replays the bars (see ``RecordedBroker``).
    var recorded: RecordedBroker?
    let journal: EngineJournal?
    let plan: SessionPlan
    /// The market data of the session, in time order.
    var feed: any MarketFeed
    let mode: EngineMode
    let logs: EngineLogs
    let snapshotInterval: Int64
    let measureLatency: Bool
    /// Paces the replay on ``clock``.
    var pacer: ReplayClock
    let clock: any EngineClock
    var control: EngineControlChannel?
    let strategyNames: [String]
    let bookCodes: [String]
    /// Strategy instances per symbol id.
    let instancesBySymbol: [[Int]]

    var events: [BrokerEvent] = []
    /// Steps taken: each time the session takes the broker's events or reads its book, in an order
    /// a restart's replay repeats (see ``takeStep()``).
    var steps: Int64 = 0
    /// A live session's delivery between bars is under way (its timing is the wall clock's, which
    /// a replay cannot repeat): it takes no step of its own.
    var betweenBars = false
    /// Orders sent whose placement the broker has not answered yet.
    var awaitingPlacement: Set<Int64> = []
    /// Placements whose outcome is unknown, with why: resolved from the broker's order book.
    var unknownOutcomes: [Int64: String] = [:]
    /// Cancellations the engine asked for, with the reason it records.
    var requestedCancels: [Int64: String] = [:]
    /// Stop moves the engine asked for, with the trigger each order had before.
    var requestedModifies: [Int64: Int64] = [:]
    /// Executions already applied, `order id|broker trade id`: a broker that reports one twice (a
    /// repeated postback, a reconnect) never has it counted twice.
    var appliedFills: Set<String> = []
    var entryOrder: [Int64]
    var seenSignals: [Int]
    var ordersSeen = 0
    var rejectionsSeen = 0
    var inCatchUp = false
    var catchUpUntil: Int64 = 0
    var riskEventsRecorded = 0
    var runHaltsSeen = 0
    /// A run halt the replay re-created that the database already had: lifted after the recovery
    /// when the kill switch was reset meanwhile.
    var recordedHaltRecreated = false
    var nextSnapshot: Int64
    var barStart: UInt64 = 0
    var measuringBar = false
    /// Time spent in write-ahead commits since the bar arrived (taken out of the decision latency).
    var barPersistence: UInt64 = 0
    var lastPoll: Duration
    let pollInterval: Duration = .milliseconds(200)
    var outcome: SessionOutcome
    /// Fills and broker cancellations waiting to be logged after the orders they caused were placed.
    var fillLogs: [(fill: Fill, brokerTradeId: String, trades: [TradeRecord])] = []
    /// A live session's feed (nil in a replay): its staleness pauses entries.
    let liveState: LiveFeedState?
    /// The minute the loop is on (UTC epoch seconds of its start; 0 before the first).
    var currentMinute: Int64 = 0
    /// Entry pauses and resumptions an earlier run of this live session recorded (market time it
    /// applied at, the pause's reason or nil for a resumption), re-applied while catching up.
    var recordedPauses: [(at: Int64, reason: String?)] = []
    /// India VIX values an earlier run of this live session took from the feed (market time each
    /// applies from, the value), re-applied while catching up; `feedVIX` is the one in force.
    var recordedVIX: [(at: Int64, value: Double)] = []
    var feedVIX: Double?
    /// Events a restart's record still held when its replay ended, taken in with the broker's next.
    var handedOver: [BrokerEvent] = []
    var cancelLogs: [(coreId: Int64, status: OrderStatus, reason: String)] = []
    /// Where alerts go; a resumed session raises only those its earlier run had not recorded.
    let alerts: (any AlertSink)?
    /// Where the live state is mirrored (a cache the screens read), with the engine's pid.
    let liveCache: (sink: any LiveStateSink, pid: Int64)?
    var lastLiveCachePublish: Duration?
    /// The shares of the daily loss limit (50, 80) the day's loss has reached, each alerted once.
    var dailyLossWarned: Set<Int> = []

    init(core: Core, broker session: BrokerSession?, journal: EngineJournal?, plan: SessionPlan, mode: EngineMode, logs: EngineLogs,
         speed: ReplaySpeed, snapshotInterval: Int64, measureLatency: Bool = false,
         control: EngineControlChannel? = nil, clock: any EngineClock, feed: (any MarketFeed)? = nil,
         live: LiveFeedState? = nil, recordedPauses: [(at: Int64, reason: String?)] = [],
         recordedVIX: [(at: Int64, value: Double)] = [], alerts: (any AlertSink)? = nil,
         liveCache: (sink: any LiveStateSink, pid: Int64)? = nil) {
        self.core = core
        self.alerts = alerts
        self.liveCache = liveCache
        liveState = live
        self.recordedPauses = recordedPauses
        self.recordedVIX = recordedVIX
        self.feed = feed ?? ReplayFeed(series: plan.series)
        self.broker = session?.broker
        self.market = session?.market
        self.journal = journal
        self.plan = plan
        self.mode = mode
        self.logs = logs
        self.snapshotInterval = max(1, snapshotInterval)
        self.measureLatency = measureLatency
        self.control = control
        self.clock = clock
        pacer = ReplayClock(speed: speed, clock: clock)
        lastPoll = clock.monotonic()
        strategyNames = core.strategies.map(\.name)
        bookCodes = core.strategies.map { ClientOrderID.bookCode(strategy: $0.name, symbol: core.instruments[$0.symbol].symbol) }
        var bySymbol = Array(repeating: [Int](), count: core.instruments.count)
        for (i, s) in core.strategies.enumerated() { bySymbol[s.symbol].append(i) }
        instancesBySymbol = bySymbol
        entryOrder = Array(repeating: 0, count: core.strategies.count)
        seenSignals = Array(repeating: 0, count: core.strategies.count)
        nextSnapshot = plan.open + self.snapshotInterval
        outcome = SessionOutcome(date: plan.date, ending: .completed)
        outcome.dayStartCash = core.ledger.cash
        if let journal, journal.recordedProgress > 0 {
            inCatchUp = true
            catchUpUntil = journal.recordedProgress
            journal.inCatchUp = true
            if let session, !session.recreatesFillsOnReplay {
                let stand = RecordedBroker(real: session.broker, journal: journal)
                stand.cancelReason = { [unowned self] in self.requestedCancels[$0] }
                recorded = stand
                broker = stand
            }
        }
        if measureLatency {
            outcome.decisionLatencies.reserveCapacity(4096)
            outcome.placementLatencies.reserveCapacity(4096)
        }
    }

    var tradingMode: TradingMode { mode.tradingMode }

    // MARK: The loop

    func run() throws -> SessionOutcome {
        if inCatchUp {
            logs.engine.notice("resuming the session: replaying its bars to rebuild the state", metadata: [
                "session.date": "\(plan.date)", "session.recorded_until": "\(ist(catchUpUntil))"])
        }
        core.start()
        core.startDay()
        if inCatchUp {
            applyRecordedPauses(through: plan.open)
            applyRecordedVIX(through: plan.open)
        }
        var host = self
        _ = try SessionLoop.run(feed: &feed, host: &host, openDay: Int64(plan.date.daysSinceEpoch))
        core.stop()
        finishFigures()
        return outcome
    }

    // MARK: The engine's side of the loop

    var nextClockEvent: Int64 { core.nextClockEvent }
    var sessionClose: Int64? { plan.close }
    var liveSessionOpen: Int64? { liveState == nil ? nil : plan.open }

    /// An engine session is one day, opened before the loop: a bar of another day is refused.
    func sessionOpens(day: Int64) throws {
        throw EngineError.badReplay("the feed delivered a bar of \(LocalDate(daysSinceEpoch: Int(day))) to the session of \(plan.date)")
    }

    /// The replay clock starts at the first bar's close; between minutes a snapshot when one is
    /// due, the end of recovery, pacing and requests from other processes (a stop ends the run).
    func minuteBegins(_ minute: Int64, previous: Int64?) throws -> Bool {
        if let previous {
            try endOfMinute(previous)
            if (previous / 60 + 1) % Self.reconcileEveryMinutes == 0 { try reconcileWithTheBook(time: previous + 60) }
            if let ending = try betweenMinutes(finished: previous, next: minute) {
                outcome.ending = ending
                return false
            }
        } else if !inCatchUp {
            _ = pacer.wait(untilMarketTime: minute + 60) { false }
            try syncFeedVIX()
        }
        // The minute the earlier run stopped in is only partly recorded: from its start the real
        // broker answers (see ``RecordedBroker``).
        // (With a record of its steps, at the first step past them: see ``takeStep()``.)
        if inCatchUp, minute >= catchUpUntil, journal?.recordedLastStep == nil { recorded?.passThrough { core.isWorking($0) } }
        journal?.currentBarTime = minute
        currentMinute = minute
        return true
    }

    func bar(_ bar: Bar, symbol: SymbolID) throws {
        // During a resumption the recorded bars are written again (a no-op) with the ones the feed
        // brings for the minute the earlier run stopped in.
        if liveState != nil { journal?.recordBar(symbol: core.instruments[symbol].symbol, bar: bar) }
        try process(bar, symbol: symbol)
        if inCatchUp { outcome.recoveredBars += 1 }
        outcome.bars += 1
        if let journal, !inCatchUp { try journal.flushIfDue() }
        publishLiveState()
    }

    /// A price between bars: the mark moves; orders and strategies wait for the bar.
    func tick(_ tick: Tick, symbol: SymbolID) throws {
        journal?.mark(symbol: symbol, name: core.instruments[symbol].symbol, price: tick.lastPrice, time: tick.time)
    }

    /// The last minute is over; a recovery that reached the end of the data ends here. Data that
    /// ends more than ``SessionRun/completeWithin`` before the close (a file cut short) leaves the
    /// session stopped, not completed: nothing is squared off or expired, and a later run with the
    /// rest of the day's data resumes and completes it.
    func feedEnded(lastMinute: Int64?) throws -> Bool {
        if let lastMinute { try endOfMinute(lastMinute) }
        if inCatchUp {
            try endCatchUp(at: lastMinute ?? plan.open)
            if !handedOver.isEmpty {
                try takeAnswers(time: lastMinute ?? plan.open)
                if core.hasRequests { try route(time: lastMinute ?? plan.open) }
                flushEventLogs()
            }
        }
        guard let lastMinute, mode != .monitor else { return true }
        // Complete when the data reaches the square-off instant or comes within 10 minutes of the close.
        let squareOff = core.risk.state.squareOffAt
        let enough = min(squareOff > 0 ? squareOff : plan.close, plan.close - Self.completeWithin)
        guard lastMinute + 60 < enough else { return true }
        let why = "the data ended at \(ist(lastMinute + 60)), before the close at \(ist(plan.close)); the session is left open "
            + "to be completed with the rest of the day's data"
        logs.engine.warning("\(why)", metadata: ["session.date": "\(plan.date)"])
        outcome.ending = .stopped(why)
        recordRiskEvents()
        recordSnapshot(at: lastMinute + 60)
        try recordSessionEnd(.stopped)
        return false
    }

    /// Data that reaches the square-off instant, or this close to the close (10 minutes), completes a
    /// session: the 2021-02-24 outage day, whose last bar comes at 15:21 of a session extended to
    /// 17:00, is complete; a file cut at 09:38 is not.
    static var completeWithin: Int64 { 600 }

    /// Everything that happens when a minute's bars are all processed and the next minute begins:
    /// the end of recovery, pacing, requests from other processes.
    func betweenMinutes(finished: Int64, next: Int64) throws -> SessionOutcome.Ending? {
        if inCatchUp {
            try applyRecorded(upTo: finished)
            applyRecordedPauses(through: finished + 60)
            applyRecordedVIX(through: finished + 60)
            if next > catchUpUntil { try endCatchUp(at: finished) }
        }
        if inCatchUp { return nil }
        try syncFeedPause()
        try syncFeedVIX()
        guard let control else {
            _ = try pacer.wait(untilMarketTime: next + 60) {
                try journal?.flushIfDue()  // the heartbeat goes on while the replay clock waits
                return false
            }
            return nil
        }
        var request: EngineControlRecord?
        var signalled = false
        func check() throws -> Bool {
            try journal?.flushIfDue()
            if control.signalled() { signalled = true; return true }
            let now = clock.monotonic()
            guard now - lastPoll >= pollInterval else { return false }
            lastPoll = now
            request = try control.poll()
            return request != nil
        }
        _ = try pacer.wait(untilMarketTime: next + 60, interrupted: check)
        if request == nil && !signalled { _ = try check() }
        guard request != nil || signalled else { return nil }
        if request == nil { request = try control.poll() }
        return try handleControl(request, time: finished)
    }

    /// One bar: the broker sees it, fills reach the core, the strategies see it, orders go out.
    func process(_ bar: Bar, symbol: SymbolID) throws {
        if measureLatency {
            barStart = DispatchTime.now().uptimeNanoseconds
            barPersistence = 0
            measuringBar = true
        }
        defer { measuringBar = false }
        if broker != nil {
            if !unknownOutcomes.isEmpty { try resolveUnknownOutcomes(time: bar.time) }
            market?.marketBar(bar, symbol: symbol)
            try deliver(bar: bar, symbol: symbol, time: bar.time)
        }
        core.setSessionPosition(minutesSinceOpen: Int((bar.time - plan.open) / 60),
                                minutesToClose: Int((plan.close - bar.time) / 60))
        core.onBar(bar, symbol: symbol)
        try persistRunHalts()
        if core.hasRequests { try route(time: bar.time) }
        // Logged once the orders are at the broker: the decision path does no formatting.
        logDecisions(symbol: symbol, time: bar.time)
        recordRiskEvents()
        journal?.mark(symbol: symbol, name: core.instruments[symbol].symbol, price: bar.close, time: bar.time)
    }
}
