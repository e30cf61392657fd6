import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// Sizing an entry that passed every rule: the fixed quantity, fixed-fractional or Kelly size, then the
/// per-symbol and total exposure caps, in whole lots.
extension RiskManager {
    /// Sizes an entry that passed every rule, then applies the exposure caps.
    func sizeEntry(_ signal: Signal, _ c: RiskContext) -> RiskAssessment {
        let lot = max(1, c.lotSize)
        func lots(_ q: Int64) -> Int64 { q <= 0 ? 0 : q - q % lot }
        let usesLimit = (signal.orderType == .limit || signal.orderType == .stopLoss) && signal.limitPrice > 0
        let entry = usesLimit ? signal.limitPrice : c.lastPrice
        let side = signal.side.sign
        var detail = SizingDetail(method: .fixedQuantity, sized: 0, quantity: 0, entryPrice: entry)

        var stopDistance: Int64 = 0
        if signal.stopLoss > 0 {
            guard entry > 0 else { return reject(RiskRejection(RiskRule.sizing, .noPrice(name(signal.symbol), exposure: false))) }
            stopDistance = side * (entry - signal.stopLoss)
            guard stopDistance > 0 else {
                return reject(RiskRejection(RiskRule.perTradeRisk, .stopWrongSide(stop: signal.stopLoss, entry: entry, side: signal.side),
                                            value: Double(signal.stopLoss), limit: Double(entry)))
            }
        }
        detail.stopDistance = stopDistance

        var quantity: Int64
        switch rules.sizing {
        case .fixedQuantity(let n):
            quantity = signal.quantity > 0 ? signal.quantity : n * lot
            if let p = rules.perTradeRisk, stopDistance > 0 {
                let budget = p.of(c.equity)
                let risk = quantity * stopDistance
                if risk > budget {
                    return reject(RiskRejection(
                        RiskRule.perTradeRisk,
                        .fixedRisk(quantity: quantity, distance: stopDistance, risk: risk, percent: p, equity: c.equity, budget: budget),
                        value: Double(risk), limit: Double(budget)))
                }
                detail.riskBudget = budget
                detail.riskPercent = p
            }
        case .fixedFractional, .kelly:
            detail.method = rules.sizing == .fixedFractional ? .fixedFractional : .kelly
            guard let perTrade = rules.perTradeRisk else {
                return reject(RiskRejection(RiskRule.perTradeRisk, .noPerTradeRisk(method: detail.method.rawValue)))
            }
            guard stopDistance > 0 else { return reject(RiskRejection(RiskRule.perTradeRisk, .noStop(method: detail.method.rawValue))) }
            var percent = perTrade
            var rule = RiskRule.perTradeRisk
            if case .kelly(let fraction, _, let minimum) = rules.sizing, state.recentTrades.count >= minimum {
                let trades = state.recentTrades
                let kelly = trades.kellyFraction
                detail.kelly = kelly
                let bound = RiskPercent(ppm: Int64((fraction * kelly * 1_000_000).rounded(.down)))
                if bound.ppm <= 0 {
                    return reject(RiskRejection(
                        RiskRule.kelly, .noEdge(trades: trades.count, winRate: trades.winRate, payoff: trades.payoffRatio, kelly: kelly),
                        value: kelly, limit: 0))
                }
                if bound.ppm < percent.ppm {
                    percent = bound
                    rule = RiskRule.kelly
                }
            }
            let budget = percent.of(c.equity)
            detail.riskBudget = budget
            detail.riskPercent = percent
            quantity = lots(budget / stopDistance)
            if signal.quantity > 0 { quantity = min(quantity, lots(signal.quantity)) }
            guard quantity > 0 else {
                return reject(RiskRejection(
                    rule, .oneLotTooRisky(lot: lot, distance: stopDistance, budget: budget, percent: percent, equity: c.equity),
                    value: Double(lot * stopDistance), limit: Double(budget)))
            }
        }
        guard quantity > 0 else { return reject(RiskRejection(RiskRule.sizing, .sizedZero)) }
        detail.sized = quantity

        // Exposure caps: lower the size to what fits, in whole lots; refuse when not one lot fits.
        if rules.maxExposurePerSymbol != nil || rules.maxTotalExposure != nil {
            guard entry > 0 else {
                return reject(RiskRejection(RiskRule.maxExposurePerSymbol, .noPrice(name(signal.symbol), exposure: true)))
            }
            let net = c.netPosition
            // Only an order that makes the symbol's position bigger is capped.
            let grows = abs(net + side * quantity) > abs(net)
            if grows, let p = rules.maxExposurePerSymbol {
                let cap = p.of(c.equity)
                // |net + side × q| × entry ≤ cap; the division only when it does not fit.
                if abs(net + side * quantity) * entry > cap {
                    let fit = cap / entry - side * net
                    let reduced = lots(fit)
                    guard reduced > 0 else {
                        let after = abs(net + side * quantity) * entry
                        return reject(RiskRejection(
                            RiskRule.maxExposurePerSymbol,
                            .symbolExposure(name(signal.symbol), after: after, equity: c.equity, percent: p, cap: cap, lot: lot),
                            value: Double(after), limit: Double(cap)))
                    }
                    quantity = reduced
                    detail.reduction = .symbolExposure
                }
            }
            if grows, let p = rules.maxTotalExposure {
                let cap = p.of(c.equity)
                var others: Int64 = 0
                if let known = c.otherSymbolsNotional {
                    others = known
                } else {
                    for s in c.netPositions.indices where s != signal.symbol && s < c.lastPrices.count {
                        others += abs(c.netPositions[s]) * c.lastPrices[s]
                    }
                }
                if others + abs(net + side * quantity) * entry > cap {
                    let fit = (cap - others) / entry - side * net
                    let reduced = lots(fit)
                    guard reduced > 0 else {
                        let after = others + abs(net + side * quantity) * entry
                        return reject(RiskRejection(
                            RiskRule.maxTotalExposure, .totalExposure(after: after, equity: c.equity, percent: p, cap: cap, lot: lot),
                            value: Double(after), limit: Double(cap)))
                    }
                    quantity = reduced
                    detail.reduction = .totalExposure
                }
            }
        }
        detail.quantity = quantity
        return RiskAssessment(decision: .approved(quantity: quantity), sizing: detail)
    }
}
