import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// A strategy's signal through the risk stage: refused (and recorded), or turned into an order.
extension TradingCore {
    /// The signal instance `i` just wrote into ``emitted``: drop it if an order is already working,
    /// else ask the risk stage. Read where it lies, not copied (a signal is 120 bytes with its reason).
    mutating func handle(instance i: Int, time: Int64) {
        let intent = emitted.intent
        if intent == .moveStop {
            moveStop(to: emitted.stopLoss, instance: i)
            return
        }
        signalCount += 1
        if workingOrder[i] != 0 {
            suppressedSignals += 1
            return
        }
        if intent == .enter, let reason = entriesHaltedReason {
            refuse(instance: i, RiskRejection(rule: entriesHaltedRule ?? RiskRule.entriesHalted, reason: reason), time: time)
            return
        }
        if intent == .enter, let reason = entriesPausedReason {
            refuse(instance: i, RiskRejection(rule: RiskRule.feedStale, reason: reason), time: time)
            return
        }
        let position = ledger.books[i].quantity
        let symbol = emitted.symbol
        let side = emitted.side
        let quantity: Int64
        if intent == .exit {
            switch RiskManager.exitDecision(emitted, position: position) {
            case .rejected(let rejection):
                refuse(instance: i, rejection, time: time)
                return
            case .approved(let q):
                quantity = q
            }
        } else if risk.passesEntriesThrough {
            let (rejection, sizing) = risk.passEntry(emitted, time: time, lotSize: instruments[symbol].lotSize,
                                                     lastPrice: ledger.lastPrice[symbol])
            if let rejection {
                refuse(instance: i, rejection, time: time)
                return
            }
            guard let staged = stageSized(sizing.quantity, instance: i, time: time) else { return }
            quantity = staged
            if risk.recordsApprovals {
                recordApproval(time: time, instance: i, symbol: symbol, side: side, quantity: quantity, sizing: sizing)
            }
        } else {
            guard let approved = assessEntry(instance: i, position: position, time: time) else { return }
            quantity = approved
        }
        if lastRejectedRule[i] != nil { lastRejectedRule[i] = nil }

        let orderType = emitted.orderType
        let tickSize = instruments[symbol].tickSize
        let limit = orderType == .limit || orderType == .stopLoss
            ? Instrument.roundToTick(emitted.limitPrice, tickSize: tickSize, side == .buy ? .down : .up) : 0
        let id = newOrder(OrderRequest(
            id: 0, strategy: i, symbol: symbol, side: side, quantity: quantity, type: orderType,
            limitPrice: limit, product: product, purpose: intent == .enter ? .entry : .exit, time: time),
            exitReason: emitted.exitReason)
        workingOrder[i] = id
        if intent == .enter {
            if position == 0 {
                openingOrder[i] = id
                pendingEntries += 1
                positionsBySymbol[symbol] += 1
            }
            let stop = emitted.stopLoss > 0 ? Instrument.roundToTick(emitted.stopLoss, tickSize: tickSize) : 0
            let target = emitted.takeProfit > 0 ? Instrument.roundToTick(emitted.takeProfit, tickSize: tickSize) : 0
            protection[i] = (stop, target)
        } else {
            cancelProtection(of: i)
        }
    }

    /// An entry judged by every rule of the risk stage (the account, the portfolio, sizing); the
    /// quantity approved at the instance's live stage, or nil when refused (and recorded).
    @inline(never)
    mutating func assessEntry(instance i: Int, position: Int64, time: Int64) -> Int64? {
        let symbol = emitted.symbol
        let portfolio = risk.needsPortfolio
        var others: Int64?
        if risk.rules.maxTotalExposure != nil {
            var sum: Int64 = 0
            for s in 0..<instruments.count where s != symbol { sum += abs(ledger.netQuantity[s]) * ledger.lastPrice[s] }
            others = sum
        }
        let context = RiskContext(
            time: time, equity: ledger.equity, cash: ledger.cash, startingCapital: ledger.startingCapital,
            dayStartEquity: risk.state.dayStartEquity, peakEquity: risk.state.peakEquity, openPositions: ledger.openPositionCount,
            position: position, netPosition: ledger.netQuantity[symbol], lastPrice: ledger.lastPrice[symbol],
            lotSize: instruments[symbol].lotSize, minutesSinceOpen: minutesSinceOpen, minutesToClose: minutesToClose,
            pendingEntries: pendingEntries, positionsBySymbol: portfolio ? positionsBySymbol : [],
            product: product, otherSymbolsNotional: others)
        let assessment = risk.assess(emitted, context: context)
        guard case .approved(let q) = assessment.decision, let sizing = assessment.sizing else {
            if let rejection = assessment.decision.rejection { refuse(instance: i, rejection, time: time) }
            return nil
        }
        guard let staged = stageSized(q, instance: i, time: time) else { return nil }
        if risk.recordsApprovals {
            recordApproval(time: time, instance: i, symbol: symbol, side: emitted.side, quantity: staged, sizing: sizing)
        }
        return staged
    }

    /// The signal in ``emitted`` refused: kept in ``rejections``; a risk event unless the instance's
    /// last one was the same rule. The signal is copied once, into its record.
    @inline(never)
    mutating func refuse(instance i: Int, _ rejection: consuming RiskRejection, time: Int64) {
        let rule = rejection.rule
        let repeated = lastRejectedRule[i] == rule
        if !repeated {
            lastRejectedRule[i] = rule
            record(RiskEvent(time: time, rule: rule, severity: .info, action: .rejected, strategy: i,
                             symbol: emitted.symbol, quantity: 0, value: rejection.value, limit: rejection.limit,
                             content: .rejected(emitted.side, symbol: instruments[emitted.symbol].symbol, copy rejection)))
        }
        rejections.append(Rejection(strategy: i, signal: emitted, rejection: rejection))
    }
}
