import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import Foundation
import Logging

/// The order manager's record of one session in the state database.
///
/// - **Write-ahead.** Before the engine calls the broker (a placement, a cancellation) it commits,
///   in one synchronous, durable transaction (SQLite WAL with `synchronous=FULL`, PostgreSQL with
///   `synchronous_commit` on): the new orders (status SUBMITTED, with their deterministic client
///   order ids) and every transition and fill it learnt since the last commit (each fill with its
///   order's new status and the trade it closed). So nothing the engine acts on at the broker is
///   unrecorded, and an order is recorded before it can exist at the broker.
/// - **Idempotent.** A restart re-creates the session's orders and fills in the same order with the
///   same ids; what the database already holds is recognised (by client order id, by broker trade
///   id) and not written again, and an order already recorded is never placed twice. A status only
///   moves forward. What the database recorded wins over what is re-created.
/// - **Behind the loop.** Snapshots, risk events, marks and the heartbeat ride along in the next
///   commit (or are committed after `flushInterval`); each commit also records how many snapshot and
///   risk-event rows exist and the bar the engine was on, so a restart knows exactly which to skip.
final class EngineJournal {
    /// An order the database held when the session (re)started.
    struct KnownOrder {
        var record: OrderRecord
        var fills: [FillRecord]
        /// The core's id once the re-created order has been matched, 0 before (-1: left alone).
        var coreId: Int64 = 0
        var seenTradeIds: Set<String> = []
    }

    /// One core order as recorded (or about to be, in the next commit).
    struct Entry {
        var clientOrderId: String
        var dbId: Int64
        var status: OrderStatus
        var quantity: Int64
        var filled: Int64
    }

    struct Heartbeat {
        var mode: TradingMode
        var status: String
        var pid: Int64
        var host: String
    }

    /// A write waiting for the next commit, executed in order.
    enum Operation {
        case insertOrder(coreId: Int64, record: OrderRecord)
        case status(coreId: Int64, status: OrderStatus, reason: String?, brokerOrderId: String?, time: Int64, learntStep: Int64?)
        case fill(coreId: Int64, record: FillRecord, trades: [(trade: TradeRecord, entry: Int64, exit: Int64)])
        case trigger(coreId: Int64, price: Int64, time: Int64)
        /// A restart learnt of a recorded fill or order status at another step than the earlier
        /// run did (in the minute that run stopped in): the record follows the latest run, whose
        /// decisions from then on rest on it.
        case relearnt(fillId: Int64?, orderId: Int64?, step: Int64)
    }

    let repository: any StateStore
    let clock: any EngineClock
    let mode: TradingMode
    let sessionId: Int64
    let logs: EngineLogs
    var known: [String: KnownOrder]
    /// Known orders in the order they were created (for adoption).
    let knownOrder: [String]
    private(set) var entries: [Entry] = []
    private var operations: [Operation] = []

    // Deferred rows and progress.
    let skipDeferred: Int64
    private(set) var deferredCount: Int64 = 0
    private var pendingSnapshots: [PortfolioSnapshot] = []
    private var pendingRiskEvents: [RiskEventRecord] = []
    private var pendingMarks: [MarkRecord?]
    /// Bars a live session built, written with the next commit.
    private var pendingBars: [EngineBarRecord] = []
    var haltedReason: String?
    /// Market time (UTC epoch seconds) of the bar being processed.
    var currentBarTime: Int64 = 0
    /// Where the session is in its steps and what it learnt at each, not written yet.
    private(set) var learnt = LearntSteps()

    /// The session takes step `step`, or (`between`) learns something after it and before the next.
    func beginLearning(step: Int64, between: Bool) { learnt.begin(step: step, between: between) }

    /// Everything learnt up to step `step` (not what came between it and the next) is below this.
    static func learntLimit(step: Int64) -> Int64 { LearntSteps.limit(step: step) }

    /// The broker's report of an order's status (an answer to a placement or cancellation, an end)
    /// is being taken in: its place in the order things were learnt.
    func noteLearnt(_ status: OrderStatus, of coreId: Int64) { learnt.note(status, of: coreId) }
    /// An execution is being counted: its place in the order things were learnt.
    func noteLearnt(fillOf coreId: Int64, brokerTradeId: String) { learnt.note(fillOf: coreId, brokerTradeId: brokerTradeId) }
    private var storedLastBar: Int64
    private var storedLastStep: Int64?
    /// The step the previous run had reached at its last commit (nil: none, or an older build's record).
    let recordedLastStep: Int64?
    var inCatchUp = false
    private(set) var repairs = 0

    // Heartbeat and flushing (wall clock).
    var heartbeat: Heartbeat
    let heartbeatInterval: Duration
    let flushInterval: Duration
    private var lastHeartbeat: Duration?
    private var lastFlush: Duration
    private(set) var commits = 0
    let afterCommit: ((Int) throws -> Void)?
    /// Called inside each transaction, its writes made and its COMMIT not yet, with the number the
    /// commit will have (a test's crash point inside a transaction).
    let insideCommit: ((Int) throws -> Void)?

    init(repository: any StateStore, clock: any EngineClock, session: EngineSessionRecord, sessionFrom: UTCTimestamp,
         sessionBefore: UTCTimestamp, symbols: Int, heartbeat: Heartbeat, logs: EngineLogs, heartbeatInterval: Duration = .seconds(2),
         flushInterval: Duration = .milliseconds(500), afterCommit: ((Int) throws -> Void)? = nil,
         insideCommit: ((Int) throws -> Void)? = nil) throws {
        self.repository = repository
        self.clock = clock
        lastFlush = clock.monotonic()
        self.mode = session.mode
        self.sessionId = try session.id.required("the engine session's id")
        self.logs = logs
        self.heartbeat = heartbeat
        self.heartbeatInterval = heartbeatInterval
        self.flushInterval = flushInterval
        self.afterCommit = afterCommit
        self.insideCommit = insideCommit
        skipDeferred = session.deferredRows
        storedLastBar = session.lastBarAt.map { $0.microseconds / 1_000_000 } ?? 0
        storedLastStep = session.lastStep
        recordedLastStep = session.lastStep
        haltedReason = nil
        pendingMarks = Array(repeating: nil, count: symbols)
        let orders = try repository.orders(mode: session.mode, createdFrom: sessionFrom, before: sessionBefore)
        var fillsByOrder: [Int64: [FillRecord]] = [:]
        for f in try repository.accountFills(mode: session.mode, from: sessionFrom, before: sessionBefore) {
            fillsByOrder[f.fill.orderId, default: []].append(f.fill)
        }
        var known: [String: KnownOrder] = [:]
        for o in orders {
            known[o.clientOrderId] = KnownOrder(record: o, fills: fillsByOrder[try o.id.required("order \(o.clientOrderId)'s id")] ?? [])
        }
        self.known = known
        knownOrder = orders.map(\.clientOrderId)
        operations.reserveCapacity(16)
    }

    /// The market time of the bar the previous run was on at its last commit (0 when none).
    var recordedProgress: Int64 { storedLastBar }

    func entry(_ coreId: Int64) -> Entry { entries[Int(coreId - 1)] }

    var hasPending: Bool {
        !operations.isEmpty || !pendingSnapshots.isEmpty || !pendingRiskEvents.isEmpty || !pendingBars.isEmpty
            || (!inCatchUp && pendingMarks.contains { $0 != nil })
    }

    // MARK: Commits

    /// Writes everything waiting (and `body`) in one transaction, then counts the commit.
    func commit(_ body: () throws -> Void = {}) throws {
        let now = clock.monotonic()
        let beat = lastHeartbeat.map { now - $0 >= heartbeatInterval } ?? true
        try repository.transaction {
            for operation in operations { try execute(operation) }
            try body()
            for s in pendingSnapshots { try repository.recordPortfolioSnapshot(s) }
            for e in pendingRiskEvents { try repository.recordRiskEvent(e) }
            if !inCatchUp {
                for case let m? in pendingMarks { try repository.upsertMark(m) }
            }
            try repository.recordEngineBars(pendingBars)
            storedLastBar = max(storedLastBar, currentBarTime)
            storedLastStep = max(storedLastStep ?? 0, learnt.step)
            try repository.recordEngineProgress(
                sessionId: sessionId, deferredRows: max(skipDeferred, deferredCount),
                lastBarAt: storedLastBar > 0 ? UTCTimestamp(secondsSinceEpoch: storedLastBar) : nil, lastStep: storedLastStep,
                haltedReason: haltedReason, at: clock.now())
            if beat {
                try repository.recordHeartbeat(mode: heartbeat.mode, status: heartbeat.status, pid: heartbeat.pid,
                                               host: heartbeat.host, at: clock.now())
            }
            try insideCommit?(commits + 1)
        }
        operations.removeAll(keepingCapacity: true)
        pendingSnapshots.removeAll(keepingCapacity: true)
        pendingRiskEvents.removeAll(keepingCapacity: true)
        pendingBars.removeAll(keepingCapacity: true)
        for i in pendingMarks.indices { pendingMarks[i] = nil }
        if beat { lastHeartbeat = now }
        lastFlush = now
        commits += 1
        try afterCommit?(commits)
    }

    private func execute(_ operation: Operation) throws {
        switch operation {
        case .insertOrder(let coreId, let record):
            entries[Int(coreId - 1)].dbId = try repository.insertOrder(record).id.required("the id of the order just recorded")
        case .status(let coreId, let status, let reason, let brokerOrderId, let time, let step):
            try repository.updateOrderStatus(id: entries[Int(coreId - 1)].dbId, status: status, reason: reason,
                                             brokerOrderId: brokerOrderId, at: UTCTimestamp(secondsSinceEpoch: time), learntStep: step)
        case .trigger(let coreId, let price, let time):
            try repository.updateOrderTrigger(id: entries[Int(coreId - 1)].dbId, triggerPrice: Paise(price),
                                              at: UTCTimestamp(secondsSinceEpoch: time))
        case .relearnt(let fillId, let orderId, let step):
            try repository.updateLearntStep(fillId: fillId, orderId: orderId, step: step)
        case .fill(let coreId, var record, let trades):
            record.orderId = entries[Int(coreId - 1)].dbId
            try repository.recordFill(record)
            for (var trade, entry, exit) in trades {
                trade.entryOrderId = dbId(entry)
                trade.exitOrderId = dbId(exit)
                try repository.insertTrade(trade)
            }
        }
    }

    private func dbId(_ coreId: Int64) -> Int64? {
        guard coreId > 0, coreId <= Int64(entries.count) else { return nil }
        let id = entries[Int(coreId - 1)].dbId
        return id > 0 ? id : nil
    }

    /// Commits what is waiting when it has waited `flushInterval`, or when a heartbeat is due.
    func flushIfDue() throws {
        let now = clock.monotonic()
        let heartbeatDue = lastHeartbeat.map { now - $0 >= heartbeatInterval } ?? true
        if heartbeatDue || (hasPending && now - lastFlush >= flushInterval) { try commit() }
    }

    // MARK: Deferred rows

    /// The n-th deferred row of the session is written only if the previous runs did not commit it.
    private func nextDeferred() -> Bool {
        deferredCount += 1
        return deferredCount > skipDeferred
    }

    func deferSnapshot(_ snapshot: PortfolioSnapshot) {
        if nextDeferred() { pendingSnapshots.append(snapshot) }
    }

    /// Returns whether the event is new to the database (an earlier run of the session did not
    /// commit it), so whatever it should cause (an alert) may not have happened yet.
    @discardableResult
    func deferRiskEvent(_ event: RiskEventRecord) -> Bool {
        guard nextDeferred() else { return false }
        pendingRiskEvents.append(event)
        return true
    }

    /// A bar a live session built: recorded with the next commit, so a restart replays it.
    func recordBar(symbol: String, bar: Bar) {
        pendingBars.append(EngineBarRecord(mode: mode, symbol: symbol, bar: bar))
    }

    func mark(symbol: SymbolID, name: String, price: Int64, time: Int64) {
        pendingMarks[symbol] = MarkRecord(mode: mode, symbol: name, price: Paise(price), markedAt: UTCTimestamp(secondsSinceEpoch: time))
    }

    // MARK: Orders

    /// The write-ahead: records new orders (status SUBMITTED) together with everything waiting, in
    /// one committed transaction, before the broker is called. An order whose client order id is
    /// already recorded is recognised, not written again; one recorded differently (another side,
    /// quantity or instrument) stops the engine.
    func writeAhead(_ orders: [(coreId: Int64, record: OrderRecord)]) throws {
        for item in orders {
            precondition(item.coreId == Int64(entries.count + 1), "orders are recorded in the order the core creates them")
            let id = item.record.clientOrderId
            if var recorded = known[id] {
                let r = recorded.record
                guard r.strategy == item.record.strategy, r.symbol == item.record.symbol, r.side == item.record.side,
                      r.quantity == item.record.quantity, r.orderType == item.record.orderType
                else {
                    throw EngineError.recordMismatch(
                        "order \(id) is recorded as \(r.side.rawValue) \(r.quantity) \(r.symbol) (\(r.strategy)) but the engine re-created it as \(item.record.side.rawValue) \(item.record.quantity) \(item.record.symbol) (\(item.record.strategy)): the configuration or the market data changed since the session started")
                }
                recorded.coreId = item.coreId
                known[id] = recorded
                entries.append(Entry(clientOrderId: id, dbId: try r.id.required("order \(id)'s id"), status: r.status,
                                     quantity: r.quantity, filled: r.filledQuantity))
            } else {
                entries.append(Entry(clientOrderId: id, dbId: 0, status: .submitted, quantity: item.record.quantity, filled: 0))
                operations.append(.insertOrder(coreId: item.coreId, record: item.record))
            }
        }
        try commitBeforeBrokerCall()
    }

    /// Commits what is waiting, if anything: called before every call to the broker.
    func commitBeforeBrokerCall() throws {
        if !operations.isEmpty { try commit() }
    }

    /// Maps an adopted order (recorded by another process) to the core id it was given.
    func adopt(clientOrderId: String, coreId: Int64) throws {
        precondition(coreId == Int64(entries.count + 1))
        guard var recorded = known[clientOrderId] else { return }
        recorded.coreId = coreId
        known[clientOrderId] = recorded
        let r = recorded.record
        entries.append(Entry(clientOrderId: clientOrderId, dbId: try r.id.required("order \(clientOrderId)'s id"), status: r.status,
                             quantity: r.quantity, filled: r.filledQuantity))
    }

    /// Stop orders moved (trailing stops), in the next commit.
    func moveTriggers(_ moves: [(coreId: Int64, price: Int64)], time: Int64) {
        for m in moves { operations.append(.trigger(coreId: m.coreId, price: m.price, time: time)) }
    }

    /// Moves recorded statuses forward (never back), in the next commit.
    func advance(_ changes: [(coreId: Int64, status: OrderStatus, reason: String?, brokerOrderId: String?)], time: Int64) {
        for c in changes {
            let i = Int(c.coreId - 1)
            let learntAt = learnt.remove(c.status, of: c.coreId)
            guard Self.rank(c.status) > Self.rank(entries[i].status) else {
                if c.status == entries[i].status { relearnt(.status(c.status), of: entries[i].clientOrderId, at: learntAt) }
                continue
            }
            if inCatchUp, known[entries[i].clientOrderId] != nil {
                repairs += 1
                logs.engine.warning("recovered order status", metadata: [
                    "order.client_id": "\(entries[i].clientOrderId)", "order.recorded": "\(entries[i].status.rawValue)",
                    "order.status": "\(c.status.rawValue)"])
            }
            entries[i].status = c.status
            operations.append(.status(coreId: c.coreId, status: c.status, reason: c.reason, brokerOrderId: c.brokerOrderId, time: time,
                                      learntStep: learntAt))
        }
    }

    /// A recorded status or fill.
    enum RecordedItem {
        case status(OrderStatus)
        case fill(brokerTradeId: String)
    }

    /// A recorded status or fill the run learnt of (`at`) at another step than the earlier run did
    /// (in the minute that run stopped in): the record follows the latest run, whose decisions from
    /// then on rest on it.
    private func relearnt(_ item: RecordedItem, of clientOrderId: String, at step: Int64?) {
        guard let step, var k = known[clientOrderId] else { return }
        switch item {
        case .status(let status):
            guard k.record.status == status, k.record.learntStep != step, let id = k.record.id else { return }
            k.record.learntStep = step
            operations.append(.relearnt(fillId: nil, orderId: id, step: step))
        case .fill(let tradeId):
            guard let r = k.fills.firstIndex(where: { $0.brokerTradeId == tradeId }), k.fills[r].learntStep != step,
                  let id = k.fills[r].id else { return }
            k.fills[r].learntStep = step
            operations.append(.relearnt(fillId: id, orderId: nil, step: step))
        }
        known[clientOrderId] = k
    }

    static func rank(_ status: OrderStatus) -> Int {
        switch status {
        case .created: 0
        case .submitted: 1
        case .open: 2
        case .partiallyFilled: 3
        case .filled, .cancelled, .rejected: 4
        }
    }

    // MARK: Fills

    /// The fill as recorded, when the database already holds it (the recorded values win).
    func recordedFill(_ fill: Fill, brokerTradeId: String) -> Fill? {
        let e = entries[Int(fill.orderID - 1)]
        guard var recorded = known[e.clientOrderId],
              let r = recorded.fills.first(where: { $0.brokerTradeId == brokerTradeId }) else { return nil }
        recorded.seenTradeIds.insert(brokerTradeId)
        known[e.clientOrderId] = recorded
        var out = fill
        out.quantity = r.quantity
        out.price = r.price.value
        out.charges = r.charges.value
        out.time = r.filledAt.microseconds / 1_000_000
        if out != fill {
            repairs += 1
            logs.engine.warning("a re-created fill differs from the recorded one; the recorded fill is applied", metadata: [
                "order.client_id": "\(e.clientOrderId)", "fill.trade_id": "\(brokerTradeId)"])
        }
        return out
    }

    /// Queues fills (each with its order's new status and the trades it closed) and the broker's
    /// cancellations for the next commit. Fills already recorded are skipped.
    func recordEvents(fills: [(fill: Fill, brokerTradeId: String, trades: [(trade: TradeRecord, entry: Int64, exit: Int64)])],
                      cancels: [(coreId: Int64, status: OrderStatus, reason: String)]) {
        for f in fills {
            let i = Int(f.fill.orderID - 1)
            let learntAt = learnt.remove(fillOf: f.fill.orderID, brokerTradeId: f.brokerTradeId)
            let clientOrderId = entries[i].clientOrderId
            if known[clientOrderId]?.fills.contains(where: { $0.brokerTradeId == f.brokerTradeId }) == true {
                relearnt(.fill(brokerTradeId: f.brokerTradeId), of: clientOrderId, at: learntAt)
                continue
            }
            if inCatchUp && known[entries[i].clientOrderId] != nil {
                repairs += 1
                logs.engine.warning("recovered a fill the database did not have", metadata: ["order.client_id": "\(entries[i].clientOrderId)"])
            }
            entries[i].filled += f.fill.quantity
            if entries[i].filled >= entries[i].quantity {
                entries[i].status = .filled
            } else if !entries[i].status.isTerminal {
                entries[i].status = .partiallyFilled
            }
            operations.append(.fill(coreId: f.fill.orderID, record: FillRecord(
                mode: mode, orderId: 0, brokerTradeId: f.brokerTradeId, quantity: f.fill.quantity, price: Paise(f.fill.price),
                charges: Paise(f.fill.charges), filledAt: UTCTimestamp(secondsSinceEpoch: f.fill.time),
                learntStep: learntAt),
                trades: f.trades))
        }
        advance(cancels.map { ($0.coreId, $0.status, $0.reason, nil) }, time: currentBarTime)
    }

    // MARK: Written at once

    /// Sets the kill switch at once, unless this trip (same market time) is already recorded: a
    /// restart that re-creates the trip does not set it again after a confirmed reset. Returns
    /// whether it was already recorded.
    @discardableResult
    func setKillSwitch(by who: String, reason: String, time: Int64) throws -> Bool {
        let at = UTCTimestamp(secondsSinceEpoch: time)
        let recorded = try repository.riskEvents(mode: mode, from: at, before: at.adding(microseconds: 1))
            .contains { $0.rule == "kill_switch" && $0.action == "kill_switch_set" }
        if recorded { return true }
        try commit { try repository.setKillSwitch(mode: mode, by: who, reason: reason, at: at) }
        return false
    }

    // MARK: Recovery

    /// Recorded orders created at or before `time` that the run has not re-created: written by
    /// another process (an emergency close) or by the engine outside the replayed bars (a stop's
    /// square-off). Oldest first. A protective order (stop loss, take profit) with a number past
    /// `ordersCreated` (the orders recorded so far) is left for the replay to make: it is stamped
    /// with the time of the fill it follows, which an earlier run may have learnt of minutes later.
    /// Nil `ordersCreated` (the end of the replay) leaves none.
    func unmatchedOrders(createdAtOrBefore time: Int64, ordersCreated: Int64?) -> [KnownOrder] {
        let limit = time * 1_000_000
        return knownOrder.compactMap { id in
            guard let k = known[id], k.coreId == 0, k.record.createdAt.microseconds <= limit else { return nil }
            if let ordersCreated, let purpose = ClientOrderID.purpose(of: id), purpose == .stopLoss || purpose == .takeProfit,
               let n = ClientOrderID.engineSequence(of: id), n > ordersCreated { return nil }
            return k
        }
    }

    func knownOrder(clientOrderId: String) -> KnownOrder? { known[clientOrderId] }

    /// A recorded order that cannot be taken in (no strategy of this run trades its book): leave it.
    func skipAdoption(clientOrderId: String) { known[clientOrderId]?.coreId = -1 }

    /// Marks a recorded fill as applied to the core (adoption and recovery).
    func markSeen(clientOrderId: String, brokerTradeId: String) {
        known[clientOrderId]?.seenTradeIds.insert(brokerTradeId)
    }

    func countRepair() { repairs += 1 }
}
