import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import Foundation

/// The broker's book as the engine reads it, and the poll that turns its changes into events.
extension UpstoxBroker {
    /// Reads Upstox's order book (and its trades when something filled) and reports what changed
    /// for this session's orders: new executions, orders Upstox cancelled or rejected; an order of
    /// an OCO group that completed has its working siblings cancelled. Does nothing while no order
    /// of the session is working.
    public func refresh() throws {
        let working = shared.withLock { s in s.byTag.values.contains { !$0.done && $0.answered } }
        guard working else { return }
        let book = try client.orders()
        let needTrades = shared.withLock { s in
            book.contains { o in o.tag.flatMap { s.byTag[$0] }.map { o.filledQuantity > $0.filled } ?? false }
        }
        let trades = needTrades ? try client.trades() : []
        var ocoCancels: [(tag: String, upstoxOrderID: String, orderID: Int64)] = []
        shared.withLock { s in
            for o in book {
                guard let tag = o.tag, s.byTag[tag] != nil, s.byTag[tag]?.upstoxOrderID == nil else { continue }
                s.byTag[tag]?.upstoxOrderID = o.orderID
                s.tagOfUpstoxOrder[o.orderID] = tag
            }
            let fresh = trades.filter { t in
                guard let tag = s.tagOfUpstoxOrder[t.orderID], let tracked = s.byTag[tag] else { return false }
                return !tracked.seenTrades.contains(t.tradeID)
            }.sorted { ($0.time?.microseconds ?? 0, $0.tradeID) < ($1.time?.microseconds ?? 0, $1.tradeID) }
            for t in fresh {
                let tag = s.tagOfUpstoxOrder[t.orderID]!
                var tracked = s.byTag[tag]!
                tracked.seenTrades.insert(t.tradeID)
                tracked.filled += t.quantity
                s.byTag[tag] = tracked
                let r = tracked.request
                let price = t.averagePrice.paise.value
                let time = (t.time?.microseconds ?? 0) / 1_000_000
                let fee = charges.charges(side: r.side, quantity: t.quantity, price: price, product: r.product, symbol: r.symbol, time: time)
                s.events.append(.filled(Fill(orderID: r.id, strategy: r.strategy, symbol: r.symbol, side: r.side, quantity: t.quantity,
                                             price: price, charges: fee, time: time), brokerTradeId: t.tradeID))
            }
            for o in book {
                guard let tag = o.tag, var tracked = s.byTag[tag], !tracked.done, tracked.filled >= o.filledQuantity else { continue }
                switch o.status {
                case "complete":
                    tracked.done = true
                    if tracked.request.ocoGroup != 0 {
                        for (siblingTag, sibling) in s.byTag where sibling.request.ocoGroup == tracked.request.ocoGroup
                            && siblingTag != tag && !sibling.done && !sibling.cancelRequested {
                            guard let id = sibling.upstoxOrderID else { continue }
                            s.byTag[siblingTag]?.cancelRequested = true
                            ocoCancels.append((siblingTag, id, sibling.request.id))
                        }
                    }
                case "cancelled":
                    tracked.done = true
                    if !tracked.cancelRequested {
                        s.events.append(.cancelled(orderID: tracked.request.id, reason: "cancelled by Upstox: \(o.statusMessage ?? "no reason given")"))
                    }
                case "rejected":
                    tracked.done = true
                    s.events.append(.rejected(orderID: tracked.request.id, reason: "rejected by Upstox: \(o.statusMessage ?? "no reason given")"))
                default:
                    break
                }
                s.byTag[tag] = tracked
            }
        }
        for c in ocoCancels {
            lane.enqueue { [self] client in
                do {
                    _ = try client.cancelOrder(c.upstoxOrderID)
                    shared.withLock { s in
                        s.byTag[c.tag]?.done = true
                        s.events.append(.cancelled(orderID: c.orderID, reason: "OCO sibling filled"))
                    }
                } catch {
                    logger.warning("could not cancel the OCO sibling of a filled order", metadata: [
                        "order.client_id": "\(c.tag)", "error": "\(error)"])
                }
            }
        }
    }

    /// Takes an order already at the broker (placed by an earlier run of the session, or by another
    /// process) under this session's watch; `countedFills` are its executions already recorded.
    public func adopt(_ order: OrderRequest, clientOrderId tag: String, countedFills: [BrokerFill]) {
        shared.withLock { s in
            var tracked = Tracked(request: order)
            tracked.answered = true
            tracked.upstoxOrderID = s.bookAtStart[tag]
            for f in countedFills {
                tracked.seenTrades.insert(f.brokerTradeId)
                tracked.filled += f.quantity
            }
            s.byTag[tag] = tracked
            s.tagOfOrderID[order.id] = tag
            if let id = tracked.upstoxOrderID { s.tagOfUpstoxOrder[id] = tag }
        }
    }

    /// Stops watching an order the engine no longer counts as working.
    public func forget(orderID: Int64) {
        shared.withLock { s in
            guard let tag = s.tagOfOrderID[orderID] else { return }
            s.byTag[tag]?.done = true
        }
    }

    // MARK: The book, for reconciliation

    public func orders() throws -> [BrokerOrder] {
        try client.orders().compactMap { o in
            guard let tag = o.tag else { return nil }
            return BrokerOrder(
                clientOrderId: tag, brokerOrderId: o.orderID, strategy: nil,
                symbol: instruments.name(instrumentKey: o.instrumentToken, tradingSymbol: o.tradingSymbol),
                side: Side(rawValue: o.transactionType) ?? .buy, orderType: OrderType(rawValue: o.orderType) ?? .market,
                quantity: o.quantity, filledQuantity: o.filledQuantity, status: Self.status(o),
                createdAt: o.orderTime ?? UTCTimestamp(microseconds: 0))
        }
    }

    public func positions() throws -> [BrokerPosition] {
        try client.positions().filter { $0.quantity != 0 }.map { p in
            BrokerPosition(strategy: nil, symbol: instruments.name(instrumentKey: p.instrumentToken, tradingSymbol: p.tradingSymbol),
                           quantity: p.quantity, openValue: p.quantity * p.openPrice.value)
        }
    }

    public func fills() throws -> [BrokerFill] {
        let book = Dictionary(try client.orders().compactMap { o in o.tag.map { (o.orderID, (tag: $0, order: o)) } },
                              uniquingKeysWith: { a, _ in a })
        return try client.trades().compactMap { t in
            guard let (tag, order) = book[t.orderID] else { return nil }
            let price = t.averagePrice.paise.value
            let time = (t.time?.microseconds ?? 0) / 1_000_000
            let fee = instruments.symbol(instrumentKey: t.instrumentToken, tradingSymbol: t.tradingSymbol).map {
                charges.charges(side: Side(rawValue: t.transactionType) ?? .buy, quantity: t.quantity, price: price,
                                product: order.product == "I" ? .mis : .nrml, symbol: $0, time: time)
            } ?? 0
            return BrokerFill(clientOrderId: tag, brokerTradeId: t.tradeID, quantity: t.quantity, price: price, charges: fee,
                              time: t.time ?? UTCTimestamp(microseconds: 0))
        }
    }

    /// Upstox's order status as the engine's.
    static func status(_ o: UpstoxOrder) -> OrderStatus {
        switch o.status {
        case "complete": .filled
        case "cancelled": .cancelled
        case "rejected": .rejected
        default: o.filledQuantity > 0 ? .partiallyFilled : .open
        }
    }
}
