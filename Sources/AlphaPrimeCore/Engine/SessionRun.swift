import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import Foundation
import Logging

/// What the engine does, and where its orders go.
public enum EngineMode: String, Sendable, Codable, CaseIterable {
    /// Market data and signals, every signal logged with what the risk stage would have done; no orders.
    case monitor
    /// Orders go to the paper broker.
    case paper
    /// Orders go to the configured live broker.
    case live

    /// The mode rows are stored under: paper and live never mix; monitor writes no orders and
    /// reports its heartbeat on the paper row.
    public var tradingMode: TradingMode { self == .live ? .live : .paper }
}

/// The bars of one trading session and the rules the loop applies to it.
public struct SessionPlan: Sendable {
    public var date: LocalDate
    /// Continuous trading `[open, close)`, UTC epoch seconds.
    public var open: Int64
    public var close: Int64
    /// The session's bars per symbol id (an instrument no strategy trades may have none).
    public var series: [BarSeries]
    /// Where the bars came from, for the session record.
    public var source: String

    public init(date: LocalDate, open: Int64, close: Int64, series: [BarSeries], source: String) {
        self.date = date; self.open = open; self.close = close; self.series = series; self.source = source
    }
}

/// How one session ended, with its figures.
public struct SessionOutcome: Sendable {
    public enum Ending: Sendable, Equatable {
        case completed
        /// Stopped by `engine stop` or a signal; the session can be resumed.
        case stopped(String)
        case emergencyStopped
        /// The risk stage halted the run (the kill switch, max drawdown, a prop firm's rule) during the session.
        case killSwitch(String)
        /// The session had already been run to its end.
        case alreadyCompleted
    }

    public var date: LocalDate
    public var ending: Ending
    public var bars = 0
    /// Bars replayed quickly to rebuild the state of a session the engine had started before.
    public var recoveredBars = 0
    public var signals = 0
    public var orders = 0
    public var fills = 0
    public var trades = 0
    public var rejections = 0
    public var netPnL: Int64 = 0
    public var charges: Int64 = 0
    public var equity: Int64 = 0
    public var dayStartCash: Int64 = 0
    /// Differences between the database and the re-created state that were repaired.
    public var repairs = 0
    /// Orders taken in from the broker's book that the engine had not created in this run.
    public var adoptedOrders = 0
    /// Database transactions committed by this run.
    public var commits = 0
    /// Per order handed to the broker: nanoseconds from the market event to the decision (order
    /// ready; time spent in earlier write-ahead commits of the same bar left out), and to the broker
    /// call (everything included: the write-ahead commit). Empty unless measured.
    public var decisionLatencies: [Int64] = []
    public var placementLatencies: [Int64] = []
}

/// Checks for requests from other processes between bars.
public struct EngineControlChannel {
    /// A pending request, if any (the oldest).
    public var poll: () throws -> EngineControlRecord?
    public var markHandled: (EngineControlRecord, String) throws -> Void
    /// SIGTERM / SIGINT arrived.
    public var signalled: () -> Bool

    public init(poll: @escaping () throws -> EngineControlRecord?, markHandled: @escaping (EngineControlRecord, String) throws -> Void,
                signalled: @escaping () -> Bool) {
        self.poll = poll; self.markHandled = markHandled; self.signalled = signalled
    }
}

/// One trading session driven through a ``TradingCore``: market data in from the feed port (bars
/// replayed by a ``ReplayFeed``, paced by the replay clock), the broker's fills and order updates, the risk stage's decisions (its limits, breakers,
/// kill switch and MIS square-off trip inside the core; the engine records them and keeps a run halt
/// across restarts), orders out through the order journal (write-ahead) to the broker, snapshots,
/// heartbeat, control requests.
///
/// It is the engine's twin of ``Backtester/run(core:series:broker:sessions:)``: for each bar the
/// broker sees it first (working orders fill), fills reach the core (protective orders they cause
/// are placed and may fill within the rest of the bar), then the strategies see the closed bar and
/// the orders the risk stage approves go to the broker for the next bar.
///
/// **Recovery.** When the session was started before (the journal knows its orders and how far it
/// got), the bars from the open are replayed at full speed through the same code: every order the
/// core re-creates has the same client order id and is recognised, never placed again; recorded
/// fills are applied as recorded. The paper broker's working orders are rebuilt the same way. At
/// each minute boundary of that replay, orders the database holds but the core did not create
/// (written by `engine emergency-stop`, or a stop's square-off) are taken in, and cancellations
/// recorded while the engine was down are applied. After the bar the previous run was on, the
/// positions are checked against the broker's and the loop carries on normally.
final class SessionRun<S: Strategy> {
    typealias Core = TradingCore<ObservedStrategy<S>>

    var core: Core
    /// Where orders go; nil in monitor mode.
    let broker: (any Broker)?
    /// The broker's market hooks when it simulates the market from the bars (the paper broker).
    let market: (any SimulatedMarket)?
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

    private var events: [BrokerEvent] = []
    /// Orders sent whose placement the broker has not answered yet.
    private var awaitingPlacement: Set<Int64> = []
    /// Placements whose outcome is unknown, with why: resolved from the broker's order book.
    private var unknownOutcomes: [Int64: String] = [:]
    /// Cancellations the engine asked for, with the reason it records.
    private var requestedCancels: [Int64: String] = [:]
    private var entryOrder: [Int64]
    private var seenSignals: [Int]
    private var ordersSeen = 0
    private var rejectionsSeen = 0
    private var inCatchUp = false
    private var catchUpUntil: Int64 = 0
    private var riskEventsRecorded = 0
    private var runHaltsSeen = 0
    /// A run halt the replay re-created that the database already had: lifted after the recovery
    /// when the kill switch was reset meanwhile.
    private var recordedHaltRecreated = false
    private var nextSnapshot: Int64
    private var barStart: UInt64 = 0
    private var measuringBar = false
    /// Time spent in write-ahead commits since the bar arrived (taken out of the decision latency).
    private var barPersistence: UInt64 = 0
    private var lastPoll: Duration
    let pollInterval: Duration = .milliseconds(200)
    private var stoppedByControl = false
    var outcome: SessionOutcome

    init(core: Core, broker session: BrokerSession?, journal: EngineJournal?, plan: SessionPlan, mode: EngineMode, logs: EngineLogs,
         speed: ReplaySpeed, snapshotInterval: Int64, measureLatency: Bool = false,
         control: EngineControlChannel? = nil, clock: any EngineClock, feed: (any MarketFeed)? = nil) {
        self.core = core
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
        var minute = Int64.min
        var lastBarTime = plan.open
        loop: while let event = feed.next() {
            let bar: Bar, symbol: SymbolID
            switch event {
            case .bar(let b, let s):
                bar = b; symbol = s
            case .tick(let tick, let s):
                // A price between bars: the mark moves; orders and strategies wait for the bar.
                journal?.mark(symbol: s, name: core.instruments[s].symbol, price: tick.lastPrice, time: tick.time)
                continue
            }
            if bar.time != minute {
                if minute == .min && !inCatchUp {
                    _ = pacer.wait(untilMarketTime: bar.time + 60) { false }  // the replay clock starts at the first bar's close
                }
                if minute != .min {
                    try endOfMinute(minute)
                    if let ending = try betweenMinutes(finished: minute, next: bar.time) {
                        outcome.ending = ending
                        stoppedByControl = true
                        break loop
                    }
                }
                minute = bar.time
                journal?.currentBarTime = bar.time
            }
            try process(bar, symbol: symbol)
            lastBarTime = bar.time
            if inCatchUp { outcome.recoveredBars += 1 }
            outcome.bars += 1
            if let journal, !inCatchUp { try journal.flushIfDue() }
        }
        if !stoppedByControl {
            if minute != .min { try endOfMinute(minute) }
            if inCatchUp { try endCatchUp(at: minute == .min ? plan.open : minute) }
            try closeSession(lastBarTime: lastBarTime)
        }
        core.stop()
        finishFigures()
        return outcome
    }

    /// Everything that happens when a minute's bars are all processed and the next minute begins:
    /// the end of recovery, pacing, requests from other processes.
    private func betweenMinutes(finished: Int64, next: Int64) throws -> SessionOutcome.Ending? {
        if inCatchUp {
            try applyRecorded(upTo: finished)
            if next > catchUpUntil { try endCatchUp(at: finished) }
        }
        if inCatchUp { return nil }
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
    private func process(_ bar: Bar, symbol: SymbolID) throws {
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
        if !core.outbox.isEmpty || !core.cancelRequests.isEmpty { try route(time: bar.time) }
        // Logged once the orders are at the broker: the decision path does no formatting.
        logDecisions(symbol: symbol, time: bar.time)
        recordRiskEvents()
        journal?.mark(symbol: symbol, name: core.instruments[symbol].symbol, price: bar.close, time: bar.time)
    }

    /// Broker events until none are left: fills and cancellations reach the core and the journal,
    /// orders they cause go out and may fill within the rest of the bar.
    private func deliver(bar: Bar?, symbol: SymbolID, time: Int64) throws {
        guard let broker else { return }
        var rounds = 0
        while true {
            events.removeAll(keepingCapacity: true)
            broker.takeEvents(into: &events)
            if events.isEmpty { break }
            try apply(events, time: time)
            guard !core.outbox.isEmpty || !core.cancelRequests.isEmpty else { break }
            try route(time: time)
            rounds += 1
            if rounds > 4 { break }
            if let bar { market?.marketRestOfBar(bar, symbol: symbol) }
        }
        flushEventLogs()
    }

    private var fillLogs: [(fill: Fill, brokerTradeId: String, trades: [TradeRecord])] = []
    private var cancelLogs: [(coreId: Int64, status: OrderStatus, reason: String)] = []

    /// Fills and broker cancellations are logged after the orders they caused were placed.
    private func flushEventLogs() {
        for f in fillLogs { logFill(f.fill, brokerTradeId: f.brokerTradeId, trades: f.trades) }
        for c in cancelLogs { logOrder("order \(c.status == .cancelled ? "cancelled" : "rejected") by the broker", c.coreId, reason: c.reason) }
        fillLogs.removeAll(keepingCapacity: true)
        cancelLogs.removeAll(keepingCapacity: true)
        recordRiskEvents()
    }

    /// What the broker reported, in the order it happened: answers to placements and to the
    /// engine's cancellations, fills, and orders ended by the broker.
    private func apply(_ events: [BrokerEvent], time: Int64) throws {
        var fills: [(fill: Fill, brokerTradeId: String, trades: [(trade: TradeRecord, entry: Int64, exit: Int64)])] = []
        var cancels: [(coreId: Int64, status: OrderStatus, reason: String)] = []
        var placements: [(coreId: Int64, status: OrderStatus, reason: String?, brokerOrderId: String?)] = []
        var cancelled: [(coreId: Int64, reason: String)] = []
        for event in events {
            switch event {
            case .filled(let raw, let tradeId):
                let fill = journal?.recordedFill(raw, brokerTradeId: tradeId) ?? raw
                fills.append((fill, tradeId, applyFill(fill)))
            case .accepted(let id, let brokerOrderId):
                guard awaitingPlacement.remove(id) != nil else { continue }
                placements.append((id, .open, nil, brokerOrderId))
            case .rejected(let id, let reason):
                if awaitingPlacement.remove(id) != nil || unknownOutcomes.removeValue(forKey: id) != nil {
                    placements.append((id, .rejected, reason, nil))
                } else {
                    core.orderRejected(id, reason: reason, time: time)
                    cancels.append((id, .rejected, reason))
                }
            case .outcomeUnknown(let id, let reason):
                guard awaitingPlacement.remove(id) != nil else { continue }
                unknownOutcomes[id] = reason
                logOrder("placement outcome unknown: the order will be looked up in the broker's book by its client order id", id,
                         reason: reason, level: .warning)
            case .cancelled(let id, let reason):
                if let ours = requestedCancels.removeValue(forKey: id) {
                    cancelled.append((id, ours))
                } else {
                    core.orderCancelled(id, reason: reason, time: time)
                    cancels.append((id, .cancelled, reason))
                }
            case .cancelRefused(let id, _):
                requestedCancels.removeValue(forKey: id)
            }
        }
        if !placements.isEmpty { placed(placements, time: time) }
        if !cancelled.isEmpty {
            journal?.advance(cancelled.map { ($0.coreId, .cancelled, $0.reason, nil) }, time: time)
            for c in cancelled {
                core.orderCancelled(c.coreId, reason: c.reason, time: time)
                logOrder("order cancelled", c.coreId, reason: c.reason)
            }
        }
        journal?.recordEvents(fills: fills, cancels: cancels)
        for f in fills { fillLogs.append((f.fill, f.brokerTradeId, f.trades.map(\.trade))) }
        cancelLogs.append(contentsOf: cancels)
        try persistRunHalts()
    }

    /// Applies a fill to the core and returns the trades it closed, as database records with the
    /// core ids of their entry and exit orders.
    @discardableResult
    private func applyFill(_ fill: Fill) -> [(trade: TradeRecord, entry: Int64, exit: Int64)] {
        let i = fill.strategy
        let wasFlat = core.ledger.books[i].quantity == 0
        let before = core.ledger.closedTrades.count
        core.onFill(fill)
        outcome.fills += 1
        var trades: [(trade: TradeRecord, entry: Int64, exit: Int64)] = []
        if core.ledger.closedTrades.count > before {
            for t in core.ledger.closedTrades[before...] {
                trades.append((tradeRecord(t, exit: fill.orderID), entryOrder[i], fill.orderID))
            }
        }
        let open = core.ledger.books[i].quantity != 0
        if open && (wasFlat || trades.count > 0) { entryOrder[i] = fill.orderID } else if !open { entryOrder[i] = 0 }
        return trades
    }

    /// The write-ahead commit (new orders and everything learnt since the last commit), then the
    /// cancellations and placements at the broker; the broker's answers go into the next commit.
    private func route(time: Int64) throws {
        let batch = core.outbox
        core.outbox.removeAll(keepingCapacity: true)
        let decided = measuringBar ? DispatchTime.now().uptimeNanoseconds : 0
        let previousPersistence = barPersistence
        guard let broker else {
            // Monitor: nothing leaves the engine.
            core.cancelRequests.removeAll(keepingCapacity: true)
            for order in batch {
                core.orderCancelled(order.id, reason: "monitor mode: not sent", time: time)
                logs.trades.info("order not sent (monitor)", metadata: orderMetadata(order, clientId: "-"))
            }
            return
        }
        if let journal {
            try journal.writeAhead(batch.map { ($0.id, orderRecord($0)) })
            if measuringBar { barPersistence &+= DispatchTime.now().uptimeNanoseconds &- decided }
        }
        if !core.cancelRequests.isEmpty {
            for id in core.cancelRequests {
                requestedCancels[id] = "cancelled by engine"
                broker.requestCancel(orderID: id, clientOrderId: clientId(id))
            }
            core.cancelRequests.removeAll(keepingCapacity: true)
            try takeAnswers(time: time)
        }
        guard !batch.isEmpty else { return }
        outcome.orders += batch.count
        for order in batch {
            if measuringBar {
                let now = DispatchTime.now().uptimeNanoseconds
                outcome.decisionLatencies.append(Int64(decided &- barStart &- previousPersistence))
                outcome.placementLatencies.append(Int64(now &- barStart))
            }
            awaitingPlacement.insert(order.id)
            broker.submit(BrokerOrderRequest(clientOrderId: clientId(order.id), order: order))
        }
        try takeAnswers(time: time)
    }

    /// Whatever the broker has answered by now (a paper broker answers at once; a real one later,
    /// and the answers are taken with the next events).
    private func takeAnswers(time: Int64) throws {
        guard let broker else { return }
        events.removeAll(keepingCapacity: true)
        broker.takeEvents(into: &events)
        if !events.isEmpty { try apply(events, time: time) }
    }

    /// Placements the broker answered: recorded, then the core and the log are told.
    private func placed(_ answers: [(coreId: Int64, status: OrderStatus, reason: String?, brokerOrderId: String?)], time: Int64) {
        journal?.advance(answers, time: time)
        for answer in answers {
            let order = core.orders[Int(answer.coreId - 1)].request
            if answer.status == .rejected {
                core.orderRejected(order.id, reason: answer.reason ?? "rejected", time: time)
                logOrder("order rejected by the broker", order.id, reason: answer.reason ?? "rejected", level: .warning)
            } else {
                core.orderAccepted(order.id, time: time)
                log(logs.trades, "order placed", orderMetadata(order, clientId: clientId(order.id)))
            }
        }
    }

    /// Placements whose outcome was unknown, looked up in the broker's order book by their client
    /// order id: an order found there was placed; one not found was not, and is never sent again.
    private func resolveUnknownOutcomes(time: Int64) throws {
        guard let broker, !unknownOutcomes.isEmpty else { return }
        let book = Dictionary(try broker.orders().map { ($0.clientOrderId, $0) }, uniquingKeysWith: { a, _ in a })
        var answers: [(coreId: Int64, status: OrderStatus, reason: String?, brokerOrderId: String?)] = []
        for (id, why) in unknownOutcomes.sorted(by: { $0.key < $1.key }) {
            if let found = book[clientId(id)] {
                answers.append((id, .open, nil, found.brokerOrderId))
                logOrder("placement outcome resolved: the order is in the broker's book", id, reason: why, level: .notice)
            } else {
                answers.append((id, .rejected, "not in the broker's order book after an unknown placement outcome (\(why))", nil))
            }
        }
        unknownOutcomes.removeAll()
        placed(answers, time: time)
    }

    // MARK: Session rules

    private func halt(_ reason: String) {
        if core.entriesHaltedReason == nil { core.entriesHaltedReason = reason }
        journal?.haltedReason = core.entriesHaltedReason
    }

    /// The risk stage halted the run (kill switch, max drawdown, a prop firm's rule): the halt is
    /// recorded at once as the kill switch, so it survives restarts until a confirmed reset. Runs
    /// before the orders the trip caused (the flattening) go to the broker.
    private func persistRunHalts() throws {
        let events = core.riskEvents
        guard events.count > runHaltsSeen else { return }
        for event in events[runHaltsSeen...] {
            switch event.action {
            case .killSwitch, .halted, .failed, .targetReached:
                journal?.haltedReason = core.entriesHaltedReason
                if event.action == .killSwitch { outcome.ending = .killSwitch(event.message) }
                guard let journal else { continue }
                let recorded = try journal.setKillSwitch(by: "risk stage", reason: "\(event.rule): \(event.message)", time: event.time)
                if recorded && inCatchUp { recordedHaltRecreated = true }
            default:
                continue
            }
        }
        runHaltsSeen = events.count
    }

    /// The risk stage's events (approvals, refusals, breakers, halts, the square-off) become
    /// `risk_events` rows and `risk.log` lines, after the orders of the moment were placed.
    private func recordRiskEvents() {
        let events = core.riskEvents
        guard events.count > riskEventsRecorded else { return }
        for event in events[riskEventsRecorded...] {
            let strategy = event.strategy.map { strategyNames[$0] }
            let symbol = event.symbol.map { core.instruments[$0].symbol }
            journal?.deferRiskEvent(event.record(mode: tradingMode, strategyName: strategy, symbolName: symbol))
            let level: Logger.Level = inCatchUp ? .debug : (event.severity == .critical ? .critical : event.severity == .warning ? .warning : .info)
            var metadata: Logger.Metadata = ["risk.rule": "\(event.rule)", "action": "\(event.action.rawValue)", "time": "\(ist(event.time))"]
            if let strategy { metadata["strategy"] = "\(strategy)" }
            if let symbol { metadata["symbol"] = "\(symbol)" }
            logs.risk.log(level: level, "\(event.message)", metadata: metadata)
        }
        riskEventsRecorded = events.count
        if journal?.haltedReason != core.entriesHaltedReason { journal?.haltedReason = core.entriesHaltedReason }
    }

    /// A minute is over: a snapshot when one is due.
    private func endOfMinute(_ minute: Int64) throws {
        let closeTime = minute + 60
        if closeTime >= nextSnapshot {
            recordSnapshot(at: closeTime)
            while nextSnapshot <= closeTime { nextSnapshot += snapshotInterval }
        }
    }

    private func recordSnapshot(at time: Int64) {
        guard let journal else { return }
        let l = core.ledger
        journal.deferSnapshot(PortfolioSnapshot(
            mode: tradingMode, recordedAt: UTCTimestamp(secondsSinceEpoch: time), cash: Paise(l.cash),
            positionsValue: Paise(l.marketValue), equity: Paise(l.equity), realizedPnl: Paise(l.realizedPnL),
            unrealizedPnl: Paise(l.unrealizedPnL), openPositions: l.openPositionCount))
    }

    /// The end of the data: positions still open are squared off by the broker at the last price,
    /// orders still working expire, the day's figures are written.
    private func closeSession(lastBarTime: Int64) throws {
        if core.ledger.openPositionCount > 0 && mode != .monitor {
            halt("session closed")
            try closeEverything(time: lastBarTime, reason: "the session ended with open positions: squared off at the last price")
        }
        try expireWorkingOrders(time: plan.close, reason: "expired at the close")
        recordRiskEvents()
        recordSnapshot(at: plan.close)
        if let journal {
            let state = try riskStateJSON()
            try journal.commit {
                try writeStrategyPerformance()
                try journal.repository.recordEngineRiskStateClose(sessionId: journal.sessionId, json: state)
                try journal.repository.setEngineSessionStatus(sessionId: journal.sessionId, status: .completed, at: clock.now())
            }
        }
    }

    /// Closes every position now: working entries and protective orders cancelled, square-off
    /// orders filled by the paper broker at the last price seen.
    private func closeEverything(time: Int64, reason: String) throws {
        let queued = core.flattenAll(time: time)
        log(logs.engine, "closing every position", ["orders": "\(queued)", "reason": "\(reason)"])
        if !core.outbox.isEmpty || !core.cancelRequests.isEmpty { try route(time: time) }
        if let market {
            for s in core.instruments.indices { market.fillMarketOrdersAtLastPrice(symbol: s, time: time) }
        }
        try deliver(bar: nil, symbol: 0, time: time)
    }

    private func expireWorkingOrders(time: Int64, reason: String) throws {
        guard let broker else { return }
        try journal?.commitBeforeBrokerCall()
        try resolveUnknownOutcomes(time: time)
        var asked = false
        for order in core.orders where !order.status.isTerminal {
            requestedCancels[order.request.id] = reason
            broker.requestCancel(orderID: order.request.id, clientOrderId: clientId(order.request.id))
            asked = true
        }
        if asked { try takeAnswers(time: time) }
    }

    // MARK: Control

    private func handleControl(_ request: EngineControlRecord?, time: Int64) throws -> SessionOutcome.Ending {
        let command = request?.command ?? .stop
        let who = request?.requestedBy ?? "signal"
        let ending: SessionOutcome.Ending
        switch command {
        case .stop:
            halt("stopped by \(who)")
            ending = .stopped("stopped by \(who)")
        case .stopFlatten:
            halt("stopped by \(who)")
            try closeEverything(time: time, reason: "engine stop --flatten by \(who)")
            try expireWorkingOrders(time: time, reason: "cancelled: engine stop --flatten")
            ending = .stopped("stopped and flattened by \(who)")
        case .emergencyStop:
            core.entriesHaltedReason = "emergency stop by \(who)"
            journal?.haltedReason = core.entriesHaltedReason
            try expireWorkingOrders(time: time, reason: "cancelled: emergency stop")
            try closeEverything(time: time, reason: "emergency stop by \(who)")
            try expireWorkingOrders(time: time, reason: "cancelled: emergency stop")
            ending = .emergencyStopped
        }
        logs.engine.notice("stopping", metadata: ["command": "\(command.rawValue)", "by": "\(who)", "at": "\(ist(time))"])
        recordRiskEvents()
        if let journal {
            let state = try riskStateJSON()
            try journal.commit {
                try journal.repository.recordEngineRiskStateClose(sessionId: journal.sessionId, json: state)
                try journal.repository.setEngineSessionStatus(sessionId: journal.sessionId, status: .stopped, at: clock.now())
            }
        }
        if let request {
            let open = core.ledger.openPositionCount
            try control?.markHandled(request, "\(command.rawValue) at \(ist(time)); \(open) open position\(open == 1 ? "" : "s")")
        }
        return ending
    }

    // MARK: Recovery

    /// During recovery, at the end of `minute`: take in what the database recorded that the
    /// replay does not re-create.
    private func applyRecorded(upTo minute: Int64) throws {
        guard let journal else { return }
        // Recorded orders the core did not create: adopt them (and their fills) in the order recorded.
        for known in journal.unmatchedOrders(createdAtOrBefore: minute) {
            let r = known.record
            guard let i = core.strategies.indices.first(where: {
                core.strategies[$0].name == r.strategy && core.instruments[core.strategies[$0].symbol].symbol == r.symbol
            }) else {
                logs.engine.error("a recorded order belongs to no strategy of this run; left as it is",
                                  metadata: ["order.client_id": "\(r.clientOrderId)", "strategy": "\(r.strategy)", "symbol": "\(r.symbol)"])
                journal.skipAdoption(clientOrderId: r.clientOrderId)
                continue
            }
            let request = OrderRequest(
                id: 0, strategy: i, symbol: core.strategies[i].symbol, side: r.side, quantity: r.quantity, type: r.orderType,
                limitPrice: r.limitPrice?.value ?? 0, triggerPrice: r.triggerPrice?.value ?? 0, product: r.product,
                purpose: ClientOrderID.purpose(of: r.clientOrderId) ?? .squareOff, time: r.createdAt.microseconds / 1_000_000)
            let id = core.adoptExternalOrder(request)
            try journal.adopt(clientOrderId: r.clientOrderId, coreId: id)
            outcome.adoptedOrders += 1
            logs.engine.warning("took in an order recorded outside this run", metadata: [
                "order.client_id": "\(r.clientOrderId)", "order.status": "\(r.status.rawValue)", "order.purpose": "\(request.purpose.rawValue)"])
            var filled = 0
            for f in known.fills where f.filledAt.microseconds <= minute * 1_000_000 {
                applyFill(Fill(orderID: id, strategy: i, symbol: request.symbol, side: r.side, quantity: f.quantity,
                                   price: f.price.value, charges: f.charges.value, time: f.filledAt.microseconds / 1_000_000))
                journal.markSeen(clientOrderId: r.clientOrderId, brokerTradeId: f.brokerTradeId ?? "")
                filled += 1
            }
            var adopted = request
            adopted.id = id
            if r.status == .cancelled || r.status == .rejected {
                core.orderCancelled(id, reason: r.statusReason ?? "recorded \(r.status.rawValue)", time: request.time)
            } else if !r.status.isTerminal {
                market?.adoptWorking(adopted, clientOrderId: r.clientOrderId, filledSoFar: filled)
            }
        }
        // Orders still working here that the database says ended while the engine was down.
        for e in journal.entries.indices {
            let id = Int64(e + 1)
            guard core.isWorking(id), let known = journal.knownOrder(clientOrderId: journal.entries[e].clientOrderId) else { continue }
            let r = known.record
            let limit = minute * 1_000_000
            for f in known.fills where !known.seenTradeIds.contains(f.brokerTradeId ?? "") && f.filledAt.microseconds <= limit {
                let order = core.orders[e].request
                applyFill(Fill(orderID: id, strategy: order.strategy, symbol: order.symbol, side: order.side, quantity: f.quantity,
                                   price: f.price.value, charges: f.charges.value, time: f.filledAt.microseconds / 1_000_000))
                journal.markSeen(clientOrderId: r.clientOrderId, brokerTradeId: f.brokerTradeId ?? "")
                journal.countRepair()
                logs.engine.warning("applied a fill recorded while the engine was down", metadata: ["order.client_id": "\(r.clientOrderId)"])
            }
            if !core.isWorking(id) { market?.forget(orderID: id) }
            if core.isWorking(id), r.status == .cancelled || r.status == .rejected, r.updatedAt.microseconds <= limit {
                market?.forget(orderID: id)
                core.orderCancelled(id, reason: r.statusReason ?? "cancelled while the engine was down", time: minute)
                journal.countRepair()
                logs.engine.warning("applied a cancellation recorded while the engine was down", metadata: [
                    "order.client_id": "\(r.clientOrderId)", "reason": "\(r.statusReason ?? "")"])
            }
        }
        if !core.outbox.isEmpty || !core.cancelRequests.isEmpty { try route(time: minute) }
    }

    /// Recovery is over: compare positions with the broker's, say what was done, carry on normally.
    private func endCatchUp(at minute: Int64) throws {
        guard inCatchUp, let journal else { return }
        try applyRecorded(upTo: minute)
        inCatchUp = false
        journal.inCatchUp = false
        // The previous run's halt, re-created by the replay: lifted if the kill switch was reset since.
        if recordedHaltRecreated, core.entriesHaltedReason != nil,
           try journal.repository.engineState(mode: tradingMode)?.killSwitch == false {
            logs.risk.notice("the run halt recorded before the restart was reset with reset-kill-switch; entries are allowed again",
                             metadata: ["halt": "\(core.entriesHaltedReason ?? "")"])
            core.clearEntriesHalt()
            journal.haltedReason = nil
            if case .killSwitch = outcome.ending { outcome.ending = .completed }
        }
        var mismatches: [String] = []
        if let broker {
            var expected: [String: Int64] = [:]
            for (i, book) in core.ledger.books.enumerated() where book.quantity != 0 {
                expected["\(strategyNames[i])|\(core.instruments[book.symbol].symbol)", default: 0] += book.quantity
            }
            var held: [String: Int64] = [:]
            for p in try broker.positions() { held["\(p.strategy ?? "")|\(p.symbol)", default: 0] += p.quantity }
            for key in Set(expected.keys).union(held.keys) where expected[key, default: 0] != held[key, default: 0] {
                mismatches.append("\(key): engine \(expected[key, default: 0]), broker \(held[key, default: 0])")
            }
        }
        outcome.repairs = journal.repairs
        let metadata: Logger.Metadata = [
            "session.date": "\(plan.date)", "recovered.bars": "\(outcome.recoveredBars)", "recovered.orders": "\(journal.entries.count)",
            "repairs": "\(journal.repairs)", "adopted": "\(outcome.adoptedOrders)",
            "open_positions": "\(core.ledger.openPositionCount)"]
        if mismatches.isEmpty {
            logs.engine.notice("recovered: database and broker agree; resuming", metadata: metadata)
        } else {
            logs.engine.error("recovered with positions that differ from the broker's; the broker's are real", metadata: metadata.merging(
                ["mismatches": "\(mismatches.joined(separator: "; "))"], uniquingKeysWith: { a, _ in a }))
        }
        try journal.commit {}
    }

    // MARK: Records

    func clientId(_ coreId: Int64) -> String {
        if let journal, coreId <= Int64(journal.entries.count) { return journal.entry(coreId).clientOrderId }
        let order = core.orders[Int(coreId - 1)].request
        return ClientOrderID.make(bookCode: bookCodes[order.strategy], time: order.time, purpose: order.purpose, sequence: coreId)
    }

    private func orderRecord(_ order: OrderRequest) -> OrderRecord {
        let instrument = core.instruments[order.symbol]
        return OrderRecord(
            mode: tradingMode,
            clientOrderId: ClientOrderID.make(bookCode: bookCodes[order.strategy], time: order.time, purpose: order.purpose,
                                              sequence: order.id),
            strategy: strategyNames[order.strategy], symbol: instrument.symbol, exchange: instrument.exchange, side: order.side,
            orderType: order.type, product: order.product, quantity: order.quantity,
            limitPrice: order.limitPrice > 0 ? Paise(order.limitPrice) : nil,
            triggerPrice: order.triggerPrice > 0 ? Paise(order.triggerPrice) : nil,
            status: .submitted, createdAt: UTCTimestamp(secondsSinceEpoch: order.time))
    }

    /// A closed trade as a database record; the journal fills in its orders' database ids.
    private func tradeRecord(_ t: ClosedTrade, exit: Int64) -> TradeRecord {
        let instrument = core.instruments[t.symbol]
        func average(_ value: Int64) -> Paise { Paise((value + t.quantity / 2) / t.quantity) }
        return TradeRecord(
            mode: tradingMode, strategy: strategyNames[t.strategy], symbol: instrument.symbol, exchange: instrument.exchange,
            side: t.direction, quantity: t.quantity, entryPrice: average(t.entryValue), exitPrice: average(t.exitValue),
            entryAt: UTCTimestamp(secondsSinceEpoch: t.entryTime), exitAt: UTCTimestamp(secondsSinceEpoch: t.exitTime),
            grossPnl: Paise(t.grossPnL), charges: Paise(t.charges),
            exitReason: exit > 0 ? core.orders[Int(exit - 1)].request.purpose.rawValue : nil)
    }

    /// The risk stage's state as stored (stable key order).
    func riskStateJSON() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(core.riskState), as: UTF8.self)
    }

    private func writeStrategyPerformance() throws {
        guard let journal else { return }
        var byName: [String: [ClosedTrade]] = [:]
        for t in core.ledger.closedTrades { byName[strategyNames[t.strategy], default: []].append(t) }
        for name in Set(strategyNames).sorted() {
            let trades = (byName[name] ?? []).sorted { ($0.exitTime, $0.strategy) < ($1.exitTime, $1.strategy) }
            var cumulative: Int64 = 0, peak: Int64 = 0, drawdown: Int64 = 0
            for t in trades {
                cumulative += t.netPnL
                peak = max(peak, cumulative)
                drawdown = max(drawdown, peak - cumulative)
            }
            try journal.repository.upsertStrategyPerformance(StrategyPerformanceRecord(
                mode: tradingMode, strategy: name, tradingDate: plan.date, trades: trades.count,
                wins: trades.filter { $0.netPnL > 0 }.count, losses: trades.filter { $0.netPnL <= 0 }.count,
                grossPnl: Paise(trades.reduce(0) { $0 + $1.grossPnL }), charges: Paise(trades.reduce(0) { $0 + $1.charges }),
                netPnl: Paise(cumulative), maxDrawdown: Paise(drawdown), updatedAt: UTCTimestamp(secondsSinceEpoch: plan.close)))
        }
    }

    private func finishFigures() {
        let l = core.ledger
        outcome.signals = core.strategies.reduce(0) { $0 + $1.signalCount }
        outcome.trades = l.closedTrades.count
        outcome.rejections = core.rejections.count
        outcome.netPnL = l.closedTrades.reduce(0) { $0 + $1.netPnL }
        outcome.charges = l.totalCharges
        outcome.equity = l.equity
        outcome.repairs = journal?.repairs ?? 0
        outcome.commits = journal?.commits ?? 0
    }

    // MARK: Logs

    private func ist(_ time: Int64) -> ISTDateTime { IST.dateTime(epochSeconds: time) }

    /// Info while running; debug while a recovery replays what was logged before.
    private func log(_ logger: Logger, _ message: Logger.Message, _ metadata: Logger.Metadata) {
        logger.log(level: inCatchUp ? .debug : .info, message, metadata: metadata)
    }

    private func logDecisions(symbol: SymbolID, time: Int64) {
        let newOrders = core.orders.count > ordersSeen
        let newRejections = core.rejections.count > rejectionsSeen
        for i in instancesBySymbol[symbol] where core.strategies[i].signalCount != seenSignals[i] {
            seenSignals[i] = core.strategies[i].signalCount
            guard let s = core.strategies[i].lastSignal else { continue }
            log(logs.strategy, "signal", [
                "strategy": "\(strategyNames[i])", "symbol": "\(core.instruments[symbol].symbol)", "side": "\(s.side.rawValue)",
                "intent": "\(s.intent.rawValue)", "time": "\(ist(s.time))", "reason": "\(s.reason)",
                "stop": "\(Paise(s.stopLoss))", "target": "\(Paise(s.takeProfit))", "confidence": "\(s.confidence)"])
            var decided = false
            if newOrders {
                for o in core.orders[ordersSeen...] where o.request.strategy == i && (o.request.purpose == .entry || o.request.purpose == .exit) {
                    decided = true
                    log(logs.risk, "signal approved", [
                        "strategy": "\(strategyNames[i])", "symbol": "\(core.instruments[symbol].symbol)",
                        "side": "\(o.request.side.rawValue)", "quantity": "\(o.request.quantity)", "intent": "\(s.intent.rawValue)"])
                }
            }
            if newRejections {
                for r in core.rejections[rejectionsSeen...] where r.strategy == i {
                    decided = true
                    log(logs.risk, "signal rejected", [
                        "strategy": "\(strategyNames[i])", "symbol": "\(core.instruments[symbol].symbol)",
                        "risk.rule": "\(r.rejection.rule)", "reason": "\(r.rejection.reason)", "intent": "\(s.intent.rawValue)"])
                }
            }
            if !decided {
                log(logs.risk, "signal dropped: the strategy already has an order working", [
                    "strategy": "\(strategyNames[i])", "symbol": "\(core.instruments[symbol].symbol)"])
            }
        }
        ordersSeen = core.orders.count
        rejectionsSeen = core.rejections.count
    }

    private func orderMetadata(_ order: OrderRequest, clientId: String) -> Logger.Metadata {
        var m: Logger.Metadata = [
            "order.client_id": "\(clientId)", "strategy": "\(strategyNames[order.strategy])",
            "symbol": "\(core.instruments[order.symbol].symbol)", "side": "\(order.side.rawValue)", "quantity": "\(order.quantity)",
            "type": "\(order.type.rawValue)", "purpose": "\(order.purpose.rawValue)", "time": "\(ist(order.time))"]
        if order.limitPrice > 0 { m["limit"] = "\(Paise(order.limitPrice))" }
        if order.triggerPrice > 0 { m["trigger"] = "\(Paise(order.triggerPrice))" }
        return m
    }

    private func logOrder(_ message: Logger.Message, _ id: Int64, reason: String, level: Logger.Level = .info) {
        let order = core.orders[Int(id - 1)].request
        var m = orderMetadata(order, clientId: clientId(id))
        m["reason"] = "\(reason)"
        logs.trades.log(level: inCatchUp ? .debug : level, message, metadata: m)
    }

    private func logFill(_ fill: Fill, brokerTradeId: String, trades: [TradeRecord]) {
        let order = core.orders[Int(fill.orderID - 1)].request
        var m = orderMetadata(order, clientId: clientId(fill.orderID))
        m["fill.trade_id"] = "\(brokerTradeId)"
        m["fill.quantity"] = "\(fill.quantity)"
        m["fill.price"] = "\(Paise(fill.price))"
        m["fill.charges"] = "\(Paise(fill.charges))"
        log(logs.trades, "fill", m)
        for t in trades {
            log(logs.trades, "trade closed", [
                "strategy": "\(t.strategy)", "symbol": "\(t.symbol)", "side": "\(t.side.rawValue)", "quantity": "\(t.quantity)",
                "entry": "\(t.entryPrice)", "exit": "\(t.exitPrice)", "pnl.gross": "\(t.grossPnl)", "charges": "\(t.charges)",
                "pnl.net": "\(t.netPnl)", "exit_reason": "\(t.exitReason ?? "")"])
        }
    }
}
