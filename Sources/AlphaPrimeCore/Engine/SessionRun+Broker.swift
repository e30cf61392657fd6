import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import Foundation
import Logging

/// The broker side of a session: events in, answers to placements and cancellations, orders out
/// through the write-ahead journal.
extension SessionRun {
    /// Broker events until none are left: fills and cancellations reach the core and the journal,
    /// orders they cause go out and may fill within the rest of the bar.
    func deliver(bar: Bar?, symbol: SymbolID, time: Int64) throws {
        guard let broker else { return }
        var rounds = 0
        while true {
            events.removeAll(keepingCapacity: true)
            recorded?.release(symbol: bar == nil ? nil : symbol, minute: time) { core.isWorking($0) }
            takeStep()
            takeEvents(from: broker)
            if events.isEmpty { break }
            // Another round only after what the broker did to orders (an execution or an end
            // counted now): an answer alone (an acceptance, a refused cancellation) or a repeated
            // report reaches the engine when the connection brings it, and a restart hears it at
            // another moment or not at all, so it must not change the session's steps.
            let changed = try apply(events, time: time)
            guard core.hasRequests, changed else { break }
            try route(time: time)
            rounds += 1
            if rounds > 4 { break }
            if let bar { market?.marketRestOfBar(bar, symbol: symbol) }
        }
        flushEventLogs()
    }

    /// A step: the session is about to take the broker's events or read its book. Steps are
    /// numbered from the session's start, and everything learnt at a step is recorded with it
    /// (`fills.learnt_step`, `orders.learnt_step`: `step × 4096` plus the order in which things were
    /// learnt at that step, see `EngineJournal.beginLearning`). A restart's replay takes the
    /// same steps in the same order, and its ``RecordedBroker`` releases each recorded event at the
    /// step the earlier run learnt of it: an execution that reached that run late (a postback found
    /// in the book minutes later, an update held back) is not seen earlier by the replay, so the
    /// replay decides as that run did and creates no order the broker does not hold. A live
    /// session's deliveries between bars (paced by the wall clock) take no step: what they bring is
    /// recorded after the step before them (`step × 4096 + 2048` on).
    func takeStep() {
        guard !betweenBars else {
            journal?.beginLearning(step: steps, between: true)
            return
        }
        steps += 1
        journal?.beginLearning(step: steps, between: false)
        // Past the step the earlier run had reached at its last commit, its record ends: from
        // here the real broker answers (see ``RecordedBroker``).
        if let recorded, let last = journal?.recordedLastStep, steps > last { recorded.passThrough { core.isWorking($0) } }
        recorded?.releaseSteps(below: EngineJournal.learntLimit(step: steps)) { core.isWorking($0) }
    }

    /// The broker's events into ``events``, after what a restart's record still held when its
    /// replay ended (``handedOver``).
    func takeEvents(from broker: any Broker) {
        if !handedOver.isEmpty {
            events.append(contentsOf: handedOver)
            handedOver.removeAll()
        }
        broker.takeEvents(into: &events)
    }

    /// Fills and broker cancellations are logged after the orders they caused were placed.
    func flushEventLogs() {
        for f in fillLogs { logFill(f.fill, brokerTradeId: f.brokerTradeId, trades: f.trades) }
        for c in cancelLogs { logOrder("order \(c.status == .cancelled ? "cancelled" : "rejected") by the broker", c.coreId, reason: c.reason) }
        fillLogs.removeAll(keepingCapacity: true)
        cancelLogs.removeAll(keepingCapacity: true)
        recordRiskEvents()
    }

    /// An execution's key in ``appliedFills``: `order id|broker trade id`.
    static func appliedFillKey(_ orderID: Int64, _ brokerTradeId: String) -> String { "\(orderID)|\(brokerTradeId)" }

    /// What the broker reported, in the order it happened: answers to placements and to the
    /// engine's cancellations, fills, and orders ended by the broker. Returns whether an execution
    /// was counted or an order ended (not only answers or repeats).
    @discardableResult
    func apply(_ events: [BrokerEvent], time: Int64) throws -> Bool {
        var fills: [(fill: Fill, brokerTradeId: String, trades: [(trade: TradeRecord, entry: Int64, exit: Int64)])] = []
        var cancels: [(coreId: Int64, status: OrderStatus, reason: String)] = []
        var placements: [(coreId: Int64, status: OrderStatus, reason: String?, brokerOrderId: String?)] = []
        var cancelled: [(coreId: Int64, reason: String)] = []
        for event in events {
            switch event {
            case .filled(let raw, let tradeId):
                guard appliedFills.insert(Self.appliedFillKey(raw.orderID, tradeId)).inserted else {
                    logOrder("the broker reported an execution again; it is counted once", raw.orderID,
                             reason: "trade \(tradeId)", level: .warning)
                    continue
                }
                let fill = journal?.recordedFill(raw, brokerTradeId: tradeId) ?? raw
                journal?.noteLearnt(fillOf: raw.orderID, brokerTradeId: tradeId)
                fills.append((fill, tradeId, applyFill(fill)))
            case .accepted(let id, let brokerOrderId):
                guard awaitingPlacement.remove(id) != nil else { continue }
                placements.append((id, .open, nil, brokerOrderId))
            case .rejected(let id, let reason):
                if awaitingPlacement.remove(id) != nil || unknownOutcomes.removeValue(forKey: id) != nil {
                    journal?.noteLearnt(.rejected, of: id)
                    placements.append((id, .rejected, reason, nil))
                } else if core.isWorking(id) {
                    journal?.noteLearnt(.rejected, of: id)
                    core.orderRejected(id, reason: reason, time: time)
                    cancels.append((id, .rejected, reason))
                }
            case .outcomeUnknown(let id, let reason):
                guard awaitingPlacement.remove(id) != nil else { continue }
                unknownOutcomes[id] = reason
                logOrder("placement outcome unknown: the order will be looked up in the broker's book by its client order id", id,
                         reason: reason, level: .warning)
            case .cancelled(let id, let reason):
                // An order that already ended (its end read from the book first, or told twice)
                // ends once.
                guard core.isWorking(id) else { requestedCancels.removeValue(forKey: id); continue }
                journal?.noteLearnt(.cancelled, of: id)
                if let ours = requestedCancels.removeValue(forKey: id) {
                    cancelled.append((id, ours))
                } else {
                    core.orderCancelled(id, reason: reason, time: time)
                    cancels.append((id, .cancelled, reason))
                }
            case .cancelRefused(let id, _):
                requestedCancels.removeValue(forKey: id)
            case .modified(let id, let trigger):
                guard requestedModifies.removeValue(forKey: id) != nil else { continue }
                logOrder("stop order moved", id, reason: "trailing stop at \(Paise(trigger))", level: .info)
            case .modifyRefused(let id, let reason):
                guard let previous = requestedModifies.removeValue(forKey: id) else { continue }
                core.stopModifyRefused(id, previous: previous)
                journal?.moveTriggers([(id, previous)], time: time)
                logOrder("stop order not moved by the broker", id, reason: reason, level: .warning)
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
        return !fills.isEmpty || !cancels.isEmpty || !cancelled.isEmpty || placements.contains { $0.status == .rejected }
    }

    /// Applies a fill to the core and returns the trades it closed, as database records with the
    /// core ids of their entry and exit orders.
    @discardableResult
    func applyFill(_ fill: Fill) -> [(trade: TradeRecord, entry: Int64, exit: Int64)] {
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
    func route(time: Int64) throws {
        let batch = core.outbox
        core.outbox.removeAll(keepingCapacity: true)
        let decided = measuringBar ? DispatchTime.now().uptimeNanoseconds : 0
        let previousPersistence = barPersistence
        guard let broker else {
            // Monitor: nothing leaves the engine.
            core.cancelRequests.removeAll(keepingCapacity: true)
            core.modifyRequests.removeAll(keepingCapacity: true)
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
        if !core.modifyRequests.isEmpty {
            // Trailing stops: the new trigger is recorded before the broker is asked.
            let moves = core.modifyRequests
            core.modifyRequests.removeAll(keepingCapacity: true)
            if let journal {
                journal.moveTriggers(moves.map { ($0.id, $0.trigger) }, time: time)
                try journal.commitBeforeBrokerCall()
            }
            for m in moves {
                requestedModifies[m.id] = m.previous
                broker.requestModify(orderID: m.id, clientOrderId: clientId(m.id), triggerPrice: m.trigger)
            }
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
    func takeAnswers(time: Int64) throws {
        guard let broker else { return }
        events.removeAll(keepingCapacity: true)
        takeStep()
        takeEvents(from: broker)
        if !events.isEmpty { try apply(events, time: time) }
    }

    /// Placements the broker answered: recorded, then the core and the log are told.
    func placed(_ answers: [(coreId: Int64, status: OrderStatus, reason: String?, brokerOrderId: String?)], time: Int64) {
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
    func resolveUnknownOutcomes(time: Int64) throws {
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
}
