import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import Foundation
import Logging

/// What a session writes and logs: records for the state database, the day's figures, log lines.
extension SessionRun {
    // MARK: Records

    func clientId(_ coreId: Int64) -> String {
        if let journal, coreId <= Int64(journal.entries.count) { return journal.entry(coreId).clientOrderId }
        let order = core.orders[Int(coreId - 1)].request
        return ClientOrderID.make(bookCode: bookCodes[order.strategy], time: order.time, purpose: order.purpose, sequence: coreId)
    }

    func orderRecord(_ order: OrderRequest) -> OrderRecord {
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
    func tradeRecord(_ t: ClosedTrade, exit: Int64) -> TradeRecord {
        let instrument = core.instruments[t.symbol]
        func average(_ value: Int64) -> Paise { Paise((value + t.quantity / 2) / t.quantity) }
        return TradeRecord(
            mode: tradingMode, strategy: strategyNames[t.strategy], symbol: instrument.symbol, exchange: instrument.exchange,
            side: t.direction, quantity: t.quantity, entryPrice: average(t.entryValue), exitPrice: average(t.exitValue),
            entryAt: UTCTimestamp(secondsSinceEpoch: t.entryTime), exitAt: UTCTimestamp(secondsSinceEpoch: t.exitTime),
            grossPnl: Paise(t.grossPnL), charges: Paise(t.charges),
            exitReason: t.exitReason?.rawValue ?? (exit > 0 ? core.exitReasons[Int(exit - 1)].rawValue : nil))
    }

    /// The risk stage's state as stored (stable key order).
    func riskStateJSON() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(core.riskState), as: UTF8.self)
    }

    func writeStrategyPerformance() throws {
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

    func finishFigures() {
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

    func ist(_ time: Int64) -> ISTDateTime { IST.dateTime(epochSeconds: time) }

    /// Info while running; debug while a recovery replays what was logged before.
    func log(_ logger: Logger, _ message: Logger.Message, _ metadata: Logger.Metadata) {
        logger.log(level: inCatchUp ? .debug : .info, message, metadata: metadata)
    }

    func logDecisions(symbol: SymbolID, time: Int64) {
        let newOrders = core.orders.count > ordersSeen
        let newRejections = core.rejections.count > rejectionsSeen
        for i in instancesBySymbol[symbol] where core.strategies[i].signalCount != seenSignals[i] {
            seenSignals[i] = core.strategies[i].signalCount
            guard let s = core.strategies[i].lastSignal else { continue }
            if s.intent == .moveStop {
                log(logs.strategy, "trailing stop", ["strategy": "\(strategyNames[i])", "symbol": "\(core.instruments[symbol].symbol)",
                                                    "stop": "\(Paise(s.stopLoss))", "time": "\(ist(s.time))"])
                continue
            }
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

    func orderMetadata(_ order: OrderRequest, clientId: String) -> Logger.Metadata {
        var m: Logger.Metadata = [
            "order.client_id": "\(clientId)", "strategy": "\(strategyNames[order.strategy])",
            "symbol": "\(core.instruments[order.symbol].symbol)", "side": "\(order.side.rawValue)", "quantity": "\(order.quantity)",
            "type": "\(order.type.rawValue)", "purpose": "\(order.purpose.rawValue)", "time": "\(ist(order.time))"]
        if order.limitPrice > 0 { m["limit"] = "\(Paise(order.limitPrice))" }
        if order.triggerPrice > 0 { m["trigger"] = "\(Paise(order.triggerPrice))" }
        return m
    }

    func logOrder(_ message: Logger.Message, _ id: Int64, reason: String, level: Logger.Level = .info) {
        let order = core.orders[Int(id - 1)].request
        var m = orderMetadata(order, clientId: clientId(id))
        m["reason"] = "\(reason)"
        logs.trades.log(level: inCatchUp ? .debug : level, message, metadata: m)
    }

    func logFill(_ fill: Fill, brokerTradeId: String, trades: [TradeRecord]) {
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
