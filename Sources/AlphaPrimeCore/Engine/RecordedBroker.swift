import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// A restarted session's broker while it replays its bars, for a broker whose fills cannot be
/// re-created from the bars (Kite, Upstox, a kite-sim rehearsal): what the earlier run learnt is
/// answered from the state database, at the bars it was first seen at.
///
/// - An order the replay re-creates that the database recorded as accepted is accepted at once
///   (nothing is sent); one recorded as refused at placement is refused. One the database has no
///   answer for (the earlier run stopped before the broker answered) or does not know goes to the
///   real broker, which recognises an order already in its book by its client order id.
/// - An event recorded with the step at which the earlier run learnt of it (`learnt_step`, see
///   `SessionRun.takeStep()`) is released at that step: the replay takes the same steps, so it
///   hears of each execution, cancellation and rejection exactly when that run did, however late
///   the broker's report reached it. The rules below are for records without a step (written by
///   an older build).
/// - A recorded execution is released with the first bar of its symbol that ends after it (or with
///   a delivery between bars that does), before the strategies see that bar: when a real broker's
///   fill reaches a running engine, between two bars. The protective orders it causes are
///   re-created and their own fills within the same bar follow in the same delivery.
/// - A cancellation or rejection the broker made is released once the order's recorded executions
///   are, at the first delivery after the minute it was recorded in, or at once when it was the
///   other leg of an OCO group whose fill was just released. A cancellation the engine asks for
///   is answered from the record; an order whose record does not say how it ended is handed to the
///   real broker, and the request goes there.
/// - What the real broker reports while the replay is still before the minute the earlier run
///   stopped in waits for that minute: that run had not heard of it when it made the decisions
///   the replay repeats.
/// - The minute the earlier run stopped in is only partly recorded (some symbols' bars may have
///   reached the market, others not): from its start every order still working is handed to the
///   real broker with the executions already counted, and every command goes to it
///   (``passThrough(isWorking:)``); the broker reports what it did since, as it does after the
///   replay.
final class RecordedBroker: Broker {
    let real: any Broker
    let journal: EngineJournal
    var name: String { real.name }

    struct Watched {
        var order: OrderRequest
        var clientOrderId: String
        var record: OrderRecord
        var fills: [FillRecord]
        /// Recorded executions already released, by broker trade id.
        var released: Set<String> = []
        /// Ended as far as the engine was told (filled, cancelled or rejected).
        var ended = false
    }

    private var watched: [Int64: Watched] = [:]
    /// Orders the real broker looks after (sent to it, or handed over).
    private var handedOver: Set<Int64> = []
    private var events: [BrokerEvent] = []
    /// From the minute the earlier run stopped in: everything goes to the real broker.
    private(set) var passing = false
    /// The real broker's events waiting for the bar their executions belong to.
    private var held: [BrokerEvent] = []
    /// Every order sent to the real broker, by id.
    private var sent: [Int64: OrderRequest] = [:]
    /// The delivery under way: the bar's symbol (nil between bars) and minute.
    private var moment: (symbol: SymbolID?, minute: Int64) = (nil, .min)
    /// Recorded refusals of placements, waiting for the step the earlier run learnt of them at.
    private var heldAnswers: [(step: Int64, event: BrokerEvent)] = []
    /// The reason the engine records for a cancellation it is asking for (by order id).
    var cancelReason: (Int64) -> String? = { _ in nil }

    init(real: any Broker, journal: EngineJournal) {
        self.real = real
        self.journal = journal
    }

    // MARK: Commands

    func submit(_ request: BrokerOrderRequest) {
        let id = request.order.id
        guard !passing else { return send(request) }
        guard let known = journal.knownOrder(clientOrderId: request.clientOrderId) else { return send(request) }
        let r = known.record
        if r.status == .rejected && r.brokerOrderId == nil {
            let refusal = BrokerEvent.rejected(orderID: id, reason: r.statusReason ?? "rejected")
            if let step = r.learntStep { heldAnswers.append((step, refusal)) } else { events.append(refusal) }
            return
        }
        guard let brokerOrderId = r.brokerOrderId else {
            // The earlier run never heard the acceptance (lost on the way) but learnt what became
            // of the order: its executions and its end come from the record, at their steps.
            guard r.status != .submitted && r.status != .created || !known.fills.isEmpty else { return send(request) }
            return watch(request.order, clientOrderId: request.clientOrderId, known: known)
        }
        watch(request.order, clientOrderId: request.clientOrderId, known: known)
        events.append(.accepted(orderID: id, brokerOrderId: brokerOrderId))
    }

    private func send(_ request: BrokerOrderRequest) {
        handedOver.insert(request.order.id)
        sent[request.order.id] = request.order
        real.submit(request)
    }

    private func watch(_ order: OrderRequest, clientOrderId: String, known: EngineJournal.KnownOrder) {
        watched[order.id] = Watched(order: order, clientOrderId: clientOrderId, record: known.record, fills: known.fills)
    }

    func requestCancel(orderID: Int64, clientOrderId: String) {
        guard !handedOver.contains(orderID), var w = watched[orderID] else {
            return real.requestCancel(orderID: orderID, clientOrderId: clientOrderId)
        }
        if w.ended { return events.append(.cancelRefused(orderID: orderID, reason: "the order is no longer working")) }
        if w.record.learntStep != nil || w.fills.contains(where: { $0.learntStep != nil }) {
            // Its executions and its end come at the steps the earlier run learnt of them.
            switch w.record.status {
            case .cancelled where w.record.statusReason == cancelReason(orderID):
                // The earlier run's own cancellation: its answer comes at its step.
                return
            case .cancelled, .rejected:
                // The broker ended it on its own: the earlier run's request was refused.
                return events.append(.cancelRefused(orderID: orderID, reason: "the order is no longer working"))
            case .filled:
                return events.append(.cancelRefused(orderID: orderID, reason: "the order was filled"))
            default:
                break
            }
        }
        switch w.record.status {
        case .cancelled, .rejected:
            releaseAll(&w)
            events.append(.cancelled(orderID: orderID, reason: w.record.statusReason ?? "cancelled"))
            w.ended = true
        case .filled:
            releaseAll(&w)
            events.append(.cancelRefused(orderID: orderID, reason: "the order was filled"))
            w.ended = true
        default:
            // The record does not say how it ended: the broker's book does.
            watched[orderID] = w
            hand(orderID)
            return real.requestCancel(orderID: orderID, clientOrderId: clientOrderId)
        }
        watched[orderID] = w
    }

    func requestModify(orderID: Int64, clientOrderId: String, triggerPrice: Int64) {
        guard !handedOver.contains(orderID), let w = watched[orderID] else {
            return real.requestModify(orderID: orderID, clientOrderId: clientOrderId, triggerPrice: triggerPrice)
        }
        // The earlier run moved it (the database holds the trigger it was moved to).
        events.append(w.ended ? .modifyRefused(orderID: orderID, reason: "the order is no longer working")
                              : .modified(orderID: orderID, triggerPrice: triggerPrice))
    }

    /// The record's answers, then the real broker's events whose time has come: an execution waits
    /// for the delivery of its symbol's bar of its minute (as it reached the earlier run), and an
    /// event of an order or OCO group with an execution waiting waits behind it.
    func takeEvents(into events: inout [BrokerEvent]) {
        events.append(contentsOf: self.events)
        self.events.removeAll(keepingCapacity: true)
        real.takeEvents(into: &held)
        // Before the minute the earlier run stopped in, that run had heard nothing of what the
        // real broker now reports (orders it sent without an answer recorded, cancellations whose
        // end it had not learnt): it waits, so the replay decides as that run did.
        guard !held.isEmpty, passing else { return }
        var waiting: [BrokerEvent] = []
        var blocked: Set<[Int64]> = []
        for event in held {
            let key = group(of: event)
            var due = !blocked.contains(key)
            if due, case .filled(let fill, _) = event {
                due = fill.time < moment.minute + 60 && (moment.symbol == nil || moment.symbol == fill.symbol)
            }
            if due {
                events.append(event)
            } else {
                waiting.append(event)
                blocked.insert(key)
            }
        }
        held = waiting
    }

    /// Everything still waiting, when the replay is over.
    func takeEverything(into events: inout [BrokerEvent]) {
        events.append(contentsOf: heldAnswers.map(\.event))
        heldAnswers.removeAll()
        events.append(contentsOf: self.events)
        self.events.removeAll()
        real.takeEvents(into: &held)
        events.append(contentsOf: held)
        held.removeAll()
    }

    /// The order an event is about, or its OCO group.
    private func group(of event: BrokerEvent) -> [Int64] {
        let id = event.orderID
        guard let order = sent[id] ?? watched[id]?.order, order.ocoGroup != 0 else { return [-1, id] }
        return [Int64(order.strategy), order.ocoGroup]
    }

    func orders() throws -> [BrokerOrder] { try real.orders() }
    func positions() throws -> [BrokerPosition] { try real.positions() }
    func fills() throws -> [BrokerFill] { try real.fills() }

    /// An order recorded outside the replay (an emergency close, a stop's square-off), taken in.
    func adopt(_ order: OrderRequest, clientOrderId: String, countedFills: [BrokerFill]) {
        guard let known = journal.knownOrder(clientOrderId: clientOrderId) else { return }
        watch(order, clientOrderId: clientOrderId, known: known)
        watched[order.id]?.released = Set(countedFills.map(\.brokerTradeId))
    }

    // MARK: Releasing what was recorded

    /// Queues what the earlier run learnt by the end of `minute` (UTC epoch seconds of its start):
    /// the executions of `symbol`'s orders (every symbol's when nil), then the broker's
    /// cancellations and rejections that are due. Orders `isWorking` no longer counts are left.
    func release(symbol: SymbolID?, minute: Int64, isWorking: (Int64) -> Bool) {
        moment = (symbol, minute)
        let fillsBefore = (minute + 60) * 1_000_000
        var due: [(id: Int64, fill: FillRecord)] = []
        for (id, w) in watched where !w.ended && !handedOver.contains(id) && isWorking(id) && (symbol == nil || w.order.symbol == symbol) {
            let seen = journal.knownOrder(clientOrderId: w.clientOrderId)?.seenTradeIds ?? []
            for f in w.fills where f.learntStep == nil && f.filledAt.microseconds < fillsBefore {
                let trade = f.brokerTradeId ?? ""
                if !w.released.contains(trade) && !seen.contains(trade) { due.append((id, f)) }
            }
        }
        // In the order the earlier run recorded them.
        due.sort { ($0.fill.id ?? 0, $0.fill.filledAt.microseconds) < ($1.fill.id ?? 0, $1.fill.filledAt.microseconds) }
        var completedGroups: Set<[Int64]> = []
        for (id, f) in due {
            emit(f, of: id)
            if let w = watched[id], w.ended, w.order.ocoGroup != 0 { completedGroups.insert([Int64(w.order.strategy), w.order.ocoGroup]) }
        }
        let endedBefore = minute * 1_000_000
        for id in watched.keys.sorted() {
            guard var w = watched[id], !w.ended, !handedOver.contains(id), isWorking(id), w.record.learntStep == nil,
                  w.record.status == .cancelled || w.record.status == .rejected else { continue }
            let sibling = w.order.ocoGroup != 0 && completedGroups.contains([Int64(w.order.strategy), w.order.ocoGroup])
            guard sibling || w.record.updatedAt.microseconds < endedBefore,
                  w.fills.allSatisfy({ w.released.contains($0.brokerTradeId ?? "") || $0.filledAt.microseconds >= fillsBefore }) else { continue }
            let reason = w.record.statusReason ?? w.record.status.rawValue.lowercased()
            events.append(w.record.status == .rejected ? .rejected(orderID: id, reason: reason) : .cancelled(orderID: id, reason: reason))
            w.ended = true
            watched[id] = w
        }
    }

    /// Queues what the earlier run learnt before `limit` (`EngineJournal.learntLimit(step:)`, see
    /// `SessionRun.takeStep()`), in the order it learnt it: refusals of placements, executions and
    /// the ends of orders the broker cancelled or rejected. Orders `isWorking` no longer counts
    /// are left.
    func releaseSteps(below limit: Int64, isWorking: (Int64) -> Bool) {
        enum Due { case answer(BrokerEvent), fill(Int64, FillRecord), end(Int64) }
        var due: [(learnt: Int64, item: Due)] = []
        while let first = heldAnswers.first, first.step < limit {
            due.append((first.step, .answer(first.event)))
            heldAnswers.removeFirst()
        }
        for (id, w) in watched where !w.ended && !handedOver.contains(id) && isWorking(id) {
            let seen = journal.knownOrder(clientOrderId: w.clientOrderId)?.seenTradeIds ?? []
            for f in w.fills {
                guard let learnt = f.learntStep, learnt < limit else { continue }
                let trade = f.brokerTradeId ?? ""
                if !w.released.contains(trade) && !seen.contains(trade) { due.append((learnt, .fill(id, f))) }
            }
            if let learnt = w.record.learntStep, learnt < limit, w.record.status == .cancelled || w.record.status == .rejected {
                due.append((learnt, .end(id)))
            }
        }
        due.sort { $0.learnt < $1.learnt }
        for (_, item) in due {
            switch item {
            case .answer(let event):
                events.append(event)
            case .fill(let id, let f):
                emit(f, of: id)
            case .end(let id):
                guard var w = watched[id], !w.ended else { continue }
                let reason = w.record.statusReason ?? w.record.status.rawValue.lowercased()
                events.append(w.record.status == .rejected ? .rejected(orderID: id, reason: reason) : .cancelled(orderID: id, reason: reason))
                w.ended = true
                watched[id] = w
            }
        }
    }

    private func emit(_ f: FillRecord, of id: Int64) {
        guard var w = watched[id] else { return }
        releaseFill(f, &w)
        watched[id] = w
    }

    private func releaseFill(_ f: FillRecord, _ w: inout Watched) {
        let trade = f.brokerTradeId ?? ""
        guard w.released.insert(trade).inserted else { return }
        let o = w.order
        events.append(.filled(Fill(orderID: o.id, strategy: o.strategy, symbol: o.symbol, side: o.side, quantity: f.quantity,
                                   price: f.price.value, charges: f.charges.value, time: f.filledAt.microseconds / 1_000_000),
                              brokerTradeId: trade))
        let filled = w.fills.filter { w.released.contains($0.brokerTradeId ?? "") }.reduce(0) { $0 + $1.quantity }
        if filled >= o.quantity { w.ended = true }
    }

    /// Every recorded execution of the order not released yet (it ended before the engine asked).
    private func releaseAll(_ w: inout Watched) {
        let seen = journal.knownOrder(clientOrderId: w.clientOrderId)?.seenTradeIds ?? []
        for f in w.fills where !seen.contains(f.brokerTradeId ?? "") { releaseFill(f, &w) }
    }

    // MARK: The end of the replay

    /// From the minute the earlier run stopped in: the working orders are handed over and the real
    /// broker answers everything.
    func passThrough(isWorking: (Int64) -> Bool) {
        guard !passing else { return }
        handOver(isWorking: isWorking)
        passing = true
    }

    /// The orders the engine still counts as working go to the real broker, with the executions
    /// already counted; from now on it reports what happens to them.
    func handOver(isWorking: (Int64) -> Bool) {
        for id in watched.keys.sorted() where isWorking(id) && !handedOver.contains(id) { hand(id) }
    }

    private func hand(_ id: Int64) {
        guard let w = watched[id], handedOver.insert(id).inserted else { return }
        sent[id] = w.order
        let seen = (journal.knownOrder(clientOrderId: w.clientOrderId)?.seenTradeIds ?? []).union(w.released)
        let counted = w.fills.filter { seen.contains($0.brokerTradeId ?? "") }.map { f in
            BrokerFill(clientOrderId: w.clientOrderId, brokerTradeId: f.brokerTradeId ?? "", quantity: f.quantity,
                       price: f.price.value, charges: f.charges.value, time: f.filledAt)
        }
        real.adopt(w.order, clientOrderId: w.clientOrderId, countedFills: counted)
    }
}
