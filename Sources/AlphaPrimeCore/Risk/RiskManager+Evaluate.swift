import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// Judging a signal: an exit of the strategy's own position is always approved; an entry meets the
/// halts and pauses, the account limits, the time filters, the India VIX and the position limits, in
/// that order, and is then sized (RiskManager+Sizing.swift).
extension RiskManager {
    /// Approves and sizes an entry, or rejects it with the rule and the numbers. An exit of the
    /// strategy's own position is always approved (for the whole position, or the part asked).
    public func evaluate(_ signal: Signal, context: RiskContext) -> RiskDecision {
        assess(signal, context: context).decision
    }

    /// ``evaluate(_:context:)`` with the sizing numbers behind an approval.
    public func assess(_ signal: Signal, context c: RiskContext) -> RiskAssessment {
        switch signal.intent {
        case .exit:
            let decision = Self.exitDecision(signal, position: c.position)
            return RiskAssessment(decision: decision, sizing: decision.quantity > 0
                ? SizingDetail(method: .exit, sized: decision.quantity, quantity: decision.quantity) : nil)
        case .enter:
            if let rejection = entryBlock(signal, c) { return reject(rejection) }
            return sizeEntry(signal, c)
        case .moveStop:
            // Moving a protective stop in the position's favour only lowers the risk: nothing to size.
            return RiskAssessment(decision: .approved(quantity: 0), sizing: nil)
        }
    }

    /// An exit of the strategy's own `position`: always approved when it closes it (all of it, or
    /// the part asked); refused only when there is nothing to close or the side would open instead.
    @inline(__always)
    public static func exitDecision(_ signal: Signal, position: Int64) -> RiskDecision {
        guard position != 0 else { return .rejected(RiskRejection("no_position", .text("exit signal while flat"))) }
        guard signal.side == (position > 0 ? .sell : .buy) else {
            return .rejected(RiskRejection("exit_side", .exitSide(signal.side, position: position)))
        }
        let all = abs(position)
        return .approved(quantity: signal.quantity > 0 ? min(signal.quantity, all) : all)
    }

    /// An entry when ``passesEntriesThrough``: refused only by a halt or pause in the state, else
    /// the strategy's quantity or the configured lots.
    @inline(__always)
    public func passEntry(_ signal: Signal, time: Int64, lotSize: Int64, lastPrice: Int64) -> (RiskRejection?, SizingDetail) {
        var quantity: Int64 = 0
        if case .fixedQuantity(let lots) = rules.sizing { quantity = signal.quantity > 0 ? signal.quantity : lots * max(1, lotSize) }
        let detail = SizingDetail(method: .fixedQuantity, sized: quantity, quantity: quantity, entryPrice: lastPrice)
        if let halt = state.halt { return (halt, detail) }
        if let halt = state.dayHalt { return (halt, detail) }
        if time < state.pausedUntil, let pause = state.pause { return (pause, detail) }
        if quantity <= 0 { return (RiskRejection(RiskRule.sizing, .sizedZero), detail) }
        return (nil, detail)
    }

    /// A refusal, with no sizing behind it.
    func reject(_ r: RiskRejection) -> RiskAssessment { RiskAssessment(decision: .rejected(r), sizing: nil) }

    /// The first rule that refuses a new entry now, before sizing; nil when none does. Builds no
    /// string: a refusal carries its numbers (see ``RiskRejection``).
    func entryBlock(_ signal: Signal, _ c: RiskContext) -> RiskRejection? {
        // Halts and pauses.
        if let halt = state.halt { return halt }
        if let halt = state.dayHalt { return halt }
        if c.time < state.pausedUntil, let pause = state.pause { return pause }

        // Account limits, from the numbers now.
        let equity = c.equity
        let dayLoss = c.dayStartEquity - equity
        let ddRef = rules.drawdownMode == .trailing ? c.peakEquity : c.startingCapital
        let drawdown = ddRef - equity
        // The core's own numbers inside the watched band reach no armed limit (a tripped one has
        // halted or paused entries above); anything else is checked rule by rule.
        let watched = c.dayStartEquity == state.dayStartEquity && c.peakEquity == state.peakEquity
            && c.startingCapital == state.startingCapital && equity > watch.floor && equity < watch.ceiling
        // A limit is a loss of at least 0: with no loss today and no drawdown, none is reached.
        if !watched && (dayLoss >= 0 || drawdown >= 0 || rules.propFirm != nil) {
            if let rejection = accountLimit(c, dayLoss: dayLoss, ddRef: ddRef, drawdown: drawdown) { return rejection }
        }
        return timeAndPositionBlock(signal, c)
    }

    /// The loss and drawdown limits (the firm's, the kill switch, ours) against the numbers now.
    private func accountLimit(_ c: RiskContext, dayLoss: Int64, ddRef: Int64, drawdown: Int64) -> RiskRejection? {
        let equity = c.equity
        if let firm = rules.propFirm {
            let limit = firm.dailyLossLimit.of(c.dayStartEquity)
            if dayLoss >= limit {
                return RiskRejection(RiskRule.propDailyLoss, .dayLoss(.firm(firm.name), loss: dayLoss, base: c.dayStartEquity, limit: limit, percent: firm.dailyLossLimit),
                                     value: Double(dayLoss), limit: Double(limit))
            }
            let ref = firm.drawdownMode == .trailing ? c.peakEquity : c.startingCapital
            let dd = ref - equity, ddLimit = firm.maxDrawdown.of(ref)
            if dd >= ddLimit {
                return RiskRejection(RiskRule.propDrawdown, .drawdown(.firm(firm.name), drawdown: dd, reference: ref, limit: ddLimit, percent: firm.maxDrawdown, mode: firm.drawdownMode),
                                     value: Double(dd), limit: Double(ddLimit))
            }
            if let target = firm.profitTarget {
                let goal = target.of(c.startingCapital)
                let profit = equity - c.startingCapital
                if profit >= goal {
                    return RiskRejection(RiskRule.propProfitTarget, .profitTarget(profit: profit, goal: goal, percent: target),
                                         value: Double(profit), limit: Double(goal))
                }
            }
        }
        if let p = rules.killSwitchDailyLoss {
            let limit = p.of(c.dayStartEquity)
            if dayLoss >= limit {
                return RiskRejection(RiskRule.killSwitchDailyLoss, .dayLoss(.killSwitch, loss: dayLoss, base: c.dayStartEquity, limit: limit, percent: p),
                                     value: Double(dayLoss), limit: Double(limit))
            }
        }
        if let p = rules.killSwitchDrawdown {
            let limit = p.of(ddRef)
            if drawdown >= limit {
                return RiskRejection(RiskRule.killSwitchDrawdown, .drawdown(.killSwitch, drawdown: drawdown, reference: ddRef, limit: limit, percent: p, mode: rules.drawdownMode),
                                     value: Double(drawdown), limit: Double(limit))
            }
        }
        if let p = rules.maxDrawdown {
            let limit = p.of(ddRef)
            if drawdown >= limit {
                return RiskRejection(RiskRule.maxDrawdown, .drawdown(.ours, drawdown: drawdown, reference: ddRef, limit: limit, percent: p, mode: rules.drawdownMode),
                                     value: Double(drawdown), limit: Double(limit))
            }
        }
        if let p = rules.dailyMaxLoss {
            let limit = p.of(c.dayStartEquity)
            if dayLoss >= limit {
                return RiskRejection(RiskRule.dailyMaxLoss, .dayLoss(.ours, loss: dayLoss, base: c.dayStartEquity, limit: limit, percent: p),
                                     value: Double(dayLoss), limit: Double(limit))
            }
        }
        return nil
    }

    /// Time filters, the India VIX, positions and correlation.
    private func timeAndPositionBlock(_ signal: Signal, _ c: RiskContext) -> RiskRejection? {
        // Time filters, on the IST clock of the signal's bar (its start).
        let minute = Self.istMinute(c.time)
        if c.product == .mis, let square = rules.squareOffMinute {
            let known = state.squareOffAt > 0 && Self.istDay(state.squareOffAt) == Self.istDay(c.time)
            if known ? c.time >= state.squareOffAt : minute >= square {
                let at = known ? Self.istMinute(state.squareOffAt) : square
                return RiskRejection(RiskRule.squareOff, .squareOff(minute: minute, at: at), value: Double(minute), limit: Double(at))
            }
        }
        let sinceOpen = c.minutesSinceOpen >= 0 ? c.minutesSinceOpen : minute - rules.sessionOpenMinute
        if rules.noEntryFirstMinutes > 0 && sinceOpen < rules.noEntryFirstMinutes {
            return RiskRejection(RiskRule.noEntryFirstMinutes, .firstMinutes(minute: minute, sinceOpen: sinceOpen, limit: rules.noEntryFirstMinutes),
                                 value: Double(sinceOpen), limit: Double(rules.noEntryFirstMinutes))
        }
        let toClose = c.minutesToClose >= 0 ? c.minutesToClose : rules.sessionCloseMinute - minute
        if rules.noEntryLastMinutes > 0 && toClose <= rules.noEntryLastMinutes {
            return RiskRejection(RiskRule.noEntryLastMinutes, .lastMinutes(minute: minute, toClose: toClose, limit: rules.noEntryLastMinutes),
                                 value: Double(toClose), limit: Double(rules.noEntryLastMinutes))
        }
        for w in rules.blackouts where minute >= w.start && minute < w.end {
            return RiskRejection(RiskRule.blackout, .blackout(minute: minute, start: w.start, end: w.end, why: w.reason),
                                 value: Double(minute), limit: Double(w.start))
        }

        // India VIX.
        if let band = rules.vixBand, let lookup = indiaVIX {
            let day = Self.istDay(c.time)
            let known = day == state.vixDay ? state.indiaVIX : lookup(LocalDate(daysSinceEpoch: Int(day)))
            guard let vix = known else {
                return RiskRejection(RiskRule.vix, .vixMissing(date: LocalDate(daysSinceEpoch: Int(day)), band: band))
            }
            if vix < band.lowerBound {
                return RiskRejection(RiskRule.vix, .vixBelow(vix, minimum: band.lowerBound), value: vix, limit: band.lowerBound)
            }
            if vix > band.upperBound {
                return RiskRejection(RiskRule.vix, .vixAbove(vix, maximum: band.upperBound), value: vix, limit: band.upperBound)
            }
        }

        // Positions: only an entry that opens a new position counts.
        guard c.position == 0 else { return nil }
        if let max = rules.maxOpenPositions {
            let open = c.openPositions + c.pendingEntries
            if open >= max {
                return RiskRejection(RiskRule.maxOpenPositions, .openPositions(open: open, pending: c.pendingEntries, limit: max),
                                     value: Double(open), limit: Double(max))
            }
        }
        let symbol = signal.symbol
        let counts = c.positionsBySymbol
        if !counts.isEmpty {
            if symbol >= 0 && symbol < symbolGroups.count {
                for k in symbolGroups[symbol] {
                    var open = 0
                    for s in groupMembers[k] where s < counts.count { open += counts[s] }
                    if open >= groupCaps[k] {
                        return RiskRejection(RiskRule.correlationGroups, .group(label: groupLabels[k], open: open, limit: groupCaps[k]),
                                             value: Double(open), limit: Double(groupCaps[k]))
                    }
                }
            }
            if let rolling = rules.rollingCorrelation {
                for other in counts.indices where other != symbol && counts[other] > 0 {
                    if let r = state.dailyCloses.correlation(symbol, other), r > rolling.maxCorrelation {
                        return RiskRejection(RiskRule.rollingCorrelation,
                                             .correlated(name(symbol), name(other), correlation: r, windowDays: rolling.windowDays, maximum: rolling.maxCorrelation),
                                             value: r, limit: rolling.maxCorrelation)
                    }
                }
            }
        }
        return nil
    }
}
