import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import Foundation
import Logging

extension SessionRun {
    // MARK: Recovery

    /// During recovery, at the end of `minute`: take in what the database recorded that the
    /// replay does not re-create.
    func applyRecorded(upTo minute: Int64, replayOver: Bool = false) throws {
        guard let journal else { return }
        // Recorded orders the core did not create: adopt them (and their fills) in the order recorded.
        // A protective order numbered past what the journal has recorded so far is the replay's to
        // make (it may be in the core's outbox now).
        var sent = 0
        while let known = journal.unmatchedOrders(createdAtOrBefore: minute,
                                                  ordersCreated: replayOver ? nil : Int64(journal.entries.count)).first {
            // The journal numbers orders as the core creates them: orders the core made and has not
            // sent yet (one may be the recorded order) go out before another is taken in.
            if !core.outbox.isEmpty {
                guard sent < 8 else { break }
                sent += 1
                try route(time: minute)
                continue
            }
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
            var counted: [BrokerFill] = []
            for f in known.fills where f.filledAt.microseconds <= minute * 1_000_000 {
                applyFill(Fill(orderID: id, strategy: i, symbol: request.symbol, side: r.side, quantity: f.quantity,
                                   price: f.price.value, charges: f.charges.value, time: f.filledAt.microseconds / 1_000_000))
                journal.markSeen(clientOrderId: r.clientOrderId, brokerTradeId: f.brokerTradeId ?? "")
                appliedFills.insert(Self.appliedFillKey(id, f.brokerTradeId ?? ""))
                counted.append(BrokerFill(clientOrderId: r.clientOrderId, brokerTradeId: f.brokerTradeId ?? "", quantity: f.quantity,
                                          price: f.price.value, charges: f.charges.value, time: f.filledAt))
            }
            var adopted = request
            adopted.id = id
            if r.status == .cancelled || r.status == .rejected {
                core.orderCancelled(id, reason: r.statusReason ?? "recorded \(r.status.rawValue)", time: request.time)
            } else if !r.status.isTerminal {
                broker?.adopt(adopted, clientOrderId: r.clientOrderId, countedFills: counted)
                if r.status == .created || r.status == .submitted {
                    // Written before it was sent and never answered: the earlier run may have
                    // stopped before sending it. The broker's book says whether it was placed.
                    unknownOutcomes[id] = "an earlier run recorded it before sending it and stopped before the broker answered"
                }
            }
            // Orders its fills caused are recorded before the next order is taken in (the journal
            // numbers orders as the core creates them).
            if core.hasRequests { try route(time: minute) }
        }
        // Orders still working here that the database says ended while the engine was down. What
        // an earlier run learnt at a step the replay has not reached yet is not due (see
        // ``takeStep()``).
        let learntBefore = EngineJournal.learntLimit(step: steps)
        func due(_ learnt: Int64?) -> Bool { learnt.map { $0 < learntBefore } ?? true }
        for e in journal.entries.indices {
            let id = Int64(e + 1)
            guard core.isWorking(id), let known = journal.knownOrder(clientOrderId: journal.entries[e].clientOrderId) else { continue }
            let r = known.record
            let limit = minute * 1_000_000
            for f in known.fills where !known.seenTradeIds.contains(f.brokerTradeId ?? "") && f.filledAt.microseconds <= limit
                && due(f.learntStep) {
                let order = core.orders[e].request
                applyFill(Fill(orderID: id, strategy: order.strategy, symbol: order.symbol, side: order.side, quantity: f.quantity,
                                   price: f.price.value, charges: f.charges.value, time: f.filledAt.microseconds / 1_000_000))
                journal.markSeen(clientOrderId: r.clientOrderId, brokerTradeId: f.brokerTradeId ?? "")
                appliedFills.insert(Self.appliedFillKey(id, f.brokerTradeId ?? ""))
                journal.countRepair()
                logs.engine.warning("applied a fill recorded while the engine was down", metadata: ["order.client_id": "\(r.clientOrderId)"])
            }
            if !core.isWorking(id) { market?.forget(orderID: id) }
            if core.isWorking(id), r.status == .cancelled || r.status == .rejected, r.updatedAt.microseconds <= limit, due(r.learntStep) {
                market?.forget(orderID: id)
                core.orderCancelled(id, reason: r.statusReason ?? "cancelled while the engine was down", time: minute)
                journal.countRepair()
                logs.engine.warning("applied a cancellation recorded while the engine was down", metadata: [
                    "order.client_id": "\(r.clientOrderId)", "reason": "\(r.statusReason ?? "")"])
            }
        }
        if core.hasRequests { try route(time: minute) }
    }

    /// Recovery is over: compare positions with the broker's, say what was done, carry on normally.
    func endCatchUp(at minute: Int64) throws {
        guard inCatchUp, let journal else { return }
        try applyRecorded(upTo: minute, replayOver: true)
        inCatchUp = false
        journal.inCatchUp = false
        if let recorded {
            // What the earlier run left working is the real broker's to report on from here.
            recorded.handOver { core.isWorking($0) }
            // What the record still held is taken in with the broker's next events, at a step (see
            // ``takeStep()``), as the broker's own are: a replay of this run then releases it at
            // that step and decides as this run does after it.
            recorded.takeEverything(into: &handedOver)
            broker = recorded.real
            self.recorded = nil
        }
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
            // A broker that keeps no books (Kite) holds one position per symbol: compared per symbol.
            let positions = try broker.positions()
            let perBook = positions.allSatisfy { $0.strategy != nil }
            var expected: [String: Int64] = [:]
            for (i, book) in core.ledger.books.enumerated() where book.quantity != 0 {
                expected["\(perBook ? strategyNames[i] : "")|\(core.instruments[book.symbol].symbol)", default: 0] += book.quantity
            }
            var held: [String: Int64] = [:]
            for p in positions { held["\(p.strategy ?? "")|\(p.symbol)", default: 0] += p.quantity }
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
}
