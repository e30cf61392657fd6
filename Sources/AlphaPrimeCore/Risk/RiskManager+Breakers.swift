import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// The breakers and the kill switch: the limits equity can cross (daily loss, drawdown, the kill
/// switch, the prop firm's rules), the losing streak, the run's halt and its reset, and the ``watch``
/// the trading core compares equity with. The trading core calls these; a driver or a test may call
/// them directly.
extension RiskManager {
    /// A new equity high: trailing drawdown limits move up with it.
    @inline(__always)
    public mutating func raisePeak(_ equity: Int64) {
        state.peakEquity = equity
        if trailingPercent != nil { moveTrailingFloor() }
    }

    @inline(never)
    mutating func moveTrailingFloor() {
        guard let t = trailingPercent else { return }
        let peak = state.peakEquity
        watch.floor = max(staticFloor, peak - t.of(peak))
    }

    /// A trade closed with `netPnL` (after charges) at `time`: the Kelly window and the losing streak.
    /// Returns the consecutive-loss breaker's trip when this loss completes the streak.
    public mutating func recordClosedTrade(netPnL: Int64, time: Int64) -> RiskTrip? {
        state.recentTrades.append(netPnL)
        guard netPnL < 0 else {
            state.consecutiveLosses = 0
            return nil
        }
        state.consecutiveLosses += 1
        guard let max = rules.maxConsecutiveLosses, state.consecutiveLosses >= max, state.halt == nil else { return nil }
        let streak = state.consecutiveLosses
        state.consecutiveLosses = 0
        let what = "\(streak) losing trades in a row (the last \(RiskFormat.rupees(netPnL)))"
        if let seconds = rules.consecutiveLossPauseSeconds {
            let until = time + seconds
            let text = "\(what); entries paused until \(RiskFormat.time(minute: Self.istMinute(until)))"
            pause(until: until, RiskRejection(rule: RiskRule.consecutiveLosses, reason: text, value: Double(streak), limit: Double(max)))
            return RiskTrip(rule: RiskRule.consecutiveLosses, action: .paused, severity: .warning, flatten: false, haltsRun: false,
                            value: Double(streak), limit: Double(max), message: text)
        }
        let text = "\(what); no new entries for the rest of the day"
        if state.dayHalt == nil {
            state.dayHalt = RiskRejection(rule: RiskRule.consecutiveLosses, reason: text, value: Double(streak), limit: Double(max))
        }
        return RiskTrip(rule: RiskRule.consecutiveLosses, action: .haltedForDay, severity: .warning, flatten: false, haltsRun: false,
                        value: Double(streak), limit: Double(max), message: text)
    }

    private mutating func pause(until: Int64, _ why: RiskRejection) {
        if until > state.pausedUntil {
            state.pausedUntil = until
            state.pause = why
        }
    }

    /// Every armed limit `equity` has reached, most severe first, with the state updated (halts,
    /// pauses, disarmed limits). Call when `equity <= watch.floor || equity >= watch.ceiling`.
    public mutating func crossedThresholds(equity: Int64, time: Int64) -> [RiskTrip] {
        var trips: [RiskTrip] = []
        let dayStart = state.dayStartEquity
        let dayLoss = dayStart - equity
        let money = RiskFormat.rupees

        if let firm = rules.propFirm, state.propFirmStatus != .failed {
            let limit = firm.dailyLossLimit.of(dayStart)
            let ref = firm.drawdownMode == .trailing ? state.peakEquity : state.startingCapital
            let dd = ref - equity, ddLimit = firm.maxDrawdown.of(ref)
            var failure: RiskTrip?
            if dayLoss >= limit {
                failure = RiskTrip(rule: RiskRule.propDailyLoss, action: .failed, severity: .critical, flatten: true, haltsRun: true,
                                   value: Double(dayLoss), limit: Double(limit),
                                   message: "\(firm.name): the day's loss \(money(dayLoss)) broke the firm's daily loss limit of \(firm.dailyLossLimit) (\(money(limit))); the account has failed its rules")
            } else if dd >= ddLimit {
                failure = RiskTrip(rule: RiskRule.propDrawdown, action: .failed, severity: .critical, flatten: true, haltsRun: true,
                                   value: Double(dd), limit: Double(ddLimit),
                                   message: "\(firm.name): drawdown \(money(dd)) broke the firm's max drawdown of \(firm.maxDrawdown) (\(money(ddLimit)), \(firm.drawdownMode.rawValue)); the account has failed its rules")
            }
            if let failure {
                state.propFirmStatus = .failed
                trips.append(failure)
            }
        }
        let ref = rules.drawdownMode == .trailing ? state.peakEquity : state.startingCapital
        let drawdown = ref - equity
        let from = rules.drawdownMode == .trailing ? "the equity peak" : "the starting capital"
        // The kill switch stays armed until it has flattened once, even while entries are halted.
        if !state.tripped.contains(.killSwitchDailyLoss) && !state.tripped.contains(.killSwitchDrawdown) {
            if let p = rules.killSwitchDailyLoss {
                let limit = p.of(dayStart)
                if dayLoss >= limit {
                    state.tripped.insert(.killSwitchDailyLoss)
                    trips.append(RiskTrip(rule: RiskRule.killSwitchDailyLoss, action: .killSwitch, severity: .critical, flatten: true, haltsRun: true,
                                          value: Double(dayLoss), limit: Double(limit),
                                          message: "kill switch: the day's loss \(money(dayLoss)) (\(RiskFormat.percent(dayLoss, of: dayStart)) of \(money(dayStart))) reached \(p) (\(money(limit))); flattening everything and halting"))
                }
            }
            if let p = rules.killSwitchDrawdown {
                let limit = p.of(ref)
                if drawdown >= limit {
                    state.tripped.insert(.killSwitchDrawdown)
                    trips.append(RiskTrip(rule: RiskRule.killSwitchDrawdown, action: .killSwitch, severity: .critical, flatten: true, haltsRun: true,
                                          value: Double(drawdown), limit: Double(limit),
                                          message: "kill switch: drawdown \(money(drawdown)) (\(RiskFormat.percent(drawdown, of: ref)) below \(from) \(money(ref))) reached \(p) (\(money(limit))); flattening everything and halting"))
                }
            }
        }
        // Entry halts: nothing more to stop once the run is halted.
        if state.halt == nil {
            if let p = rules.maxDrawdown, !state.tripped.contains(.maxDrawdown) {
                let limit = p.of(ref)
                if drawdown >= limit {
                    state.tripped.insert(.maxDrawdown)
                    trips.append(RiskTrip(rule: RiskRule.maxDrawdown, action: .halted, severity: .critical, flatten: false, haltsRun: true,
                                          value: Double(drawdown), limit: Double(limit),
                                          message: "drawdown \(money(drawdown)) (\(RiskFormat.percent(drawdown, of: ref)) below \(from) \(money(ref))) reached the max drawdown of \(p) (\(money(limit))); no new entries"))
                }
            }
            if let p = rules.dailyMaxLoss, !state.tripped.contains(.dailyMaxLoss) {
                let limit = p.of(dayStart)
                if dayLoss >= limit {
                    state.tripped.insert([.dailyMaxLoss, .halfDailyLimit])
                    let flatten = rules.flattenOnDailyMaxLoss
                    let text = "the day's loss \(money(dayLoss)) (\(RiskFormat.percent(dayLoss, of: dayStart)) of \(money(dayStart))) reached the daily max loss of \(p) (\(money(limit))); no new entries today" + (flatten ? ", positions flattened" : "")
                    if state.dayHalt == nil || state.dayHalt?.rule == RiskRule.consecutiveLosses {
                        state.dayHalt = RiskRejection(rule: RiskRule.dailyMaxLoss, reason: text, value: Double(dayLoss), limit: Double(limit))
                    }
                    trips.append(RiskTrip(rule: RiskRule.dailyMaxLoss, action: .haltedForDay, severity: .warning, flatten: flatten, haltsRun: false,
                                          value: Double(dayLoss), limit: Double(limit), message: text))
                }
            }
            if let seconds = rules.halfDailyLimitPauseSeconds, let p = rules.dailyMaxLoss, !state.tripped.contains(.halfDailyLimit) {
                let limit = p.of(dayStart) / 2
                if dayLoss >= limit {
                    state.tripped.insert(.halfDailyLimit)
                    let until = time + seconds
                    let text = "the day's loss \(money(dayLoss)) reached half the daily max loss (\(money(limit))); entries paused until \(RiskFormat.time(minute: Self.istMinute(until)))"
                    pause(until: until, RiskRejection(rule: RiskRule.halfDailyLimitPause, reason: text, value: Double(dayLoss), limit: Double(limit)))
                    trips.append(RiskTrip(rule: RiskRule.halfDailyLimitPause, action: .paused, severity: .warning, flatten: false, haltsRun: false,
                                          value: Double(dayLoss), limit: Double(limit), message: text))
                }
            }
        }
        if let firm = rules.propFirm, let target = firm.profitTarget, state.propFirmStatus == .inProgress {
            let goal = target.of(state.startingCapital)
            let profit = equity - state.startingCapital
            if profit >= goal {
                state.propFirmStatus = .targetReached
                let short = firm.minTradingDays - state.tradingDays
                let days = short > 0
                    ? "\(state.tradingDays) of the firm's minimum \(firm.minTradingDays) trading days: \(short) more needed"
                    : "\(state.tradingDays) trading days (minimum \(firm.minTradingDays) met)"
                trips.append(RiskTrip(rule: RiskRule.propProfitTarget, action: .targetReached, severity: .info, flatten: true, haltsRun: true,
                                      value: Double(profit), limit: Double(goal),
                                      message: "\(firm.name): profit \(money(profit)) reached the target of \(target) (\(money(goal))) with \(days); flattening and stopping"))
            }
        }
        // The run's halt names the most severe trip; one that flattens replaces a halt that did not.
        if let first = trips.first(where: { $0.haltsRun && $0.flatten }) ?? trips.first(where: \.haltsRun),
           state.halt == nil || first.flatten {
            state.halt = RiskRejection(rule: first.rule, reason: first.message, value: first.value, limit: first.limit)
        }
        rearm()
        return trips
    }

    /// An explicit, confirmed reset of a run-level halt (kill switch, max drawdown, firm rules).
    /// The limits re-arm: a drawdown still beyond its limit trips again on the next mark.
    public mutating func clearHalt() {
        state.halt = nil
        state.tripped.subtract([.killSwitchDailyLoss, .killSwitchDrawdown, .maxDrawdown])
        if state.propFirmStatus == .targetReached { state.propFirmStatus = .inProgress }
        rearm()
    }

    /// Recomputes ``watch`` from the rules and the state. O(1); runs on a trip, a new day or a reset.
    /// The floors that follow the equity peak are kept apart (`trailingPercent`), so a new peak
    /// moves the watch with one multiplication (``raisePeak(_:)``).
    @inline(never)
    mutating func rearm() {
        var floor = Int64.min
        var trailing: Int64 = .max   // the smallest armed trailing percentage gives the highest floor
        let dayStart = state.dayStartEquity
        let capital = state.startingCapital
        if let firm = rules.propFirm, state.propFirmStatus != .failed {
            floor = max(floor, dayStart - firm.dailyLossLimit.of(dayStart))
            if firm.drawdownMode == .trailing {
                trailing = min(trailing, firm.maxDrawdown.ppm)
            } else {
                floor = max(floor, capital - firm.maxDrawdown.of(capital))
            }
        }
        let isTrailing = rules.drawdownMode == .trailing
        func drawdownFloor(_ p: RiskPercent) {
            if isTrailing { trailing = min(trailing, p.ppm) } else { floor = max(floor, capital - p.of(capital)) }
        }
        if !state.tripped.contains(.killSwitchDailyLoss) && !state.tripped.contains(.killSwitchDrawdown) {
            if let p = rules.killSwitchDailyLoss { floor = max(floor, dayStart - p.of(dayStart)) }
            if let p = rules.killSwitchDrawdown { drawdownFloor(p) }
        }
        if state.halt == nil {
            if let p = rules.maxDrawdown, !state.tripped.contains(.maxDrawdown) { drawdownFloor(p) }
            if let p = rules.dailyMaxLoss {
                if !state.tripped.contains(.dailyMaxLoss) { floor = max(floor, dayStart - p.of(dayStart)) }
                if rules.halfDailyLimitPauseSeconds != nil, !state.tripped.contains(.halfDailyLimit) {
                    floor = max(floor, dayStart - p.of(dayStart) / 2)
                }
            }
        }
        var ceiling = Int64.max
        if let firm = rules.propFirm, let target = firm.profitTarget, state.propFirmStatus == .inProgress {
            ceiling = capital + target.of(capital)
        }
        staticFloor = floor
        trailingPercent = trailing == .max ? nil : RiskPercent(ppm: trailing)
        if let t = trailingPercent { floor = max(floor, state.peakEquity - t.of(state.peakEquity)) }
        let nextTime = state.squareOffAt > 0 && !state.tripped.contains(.squareOff) ? state.squareOffAt : Int64.max
        watch = RiskWatch(floor: floor, ceiling: ceiling, nextTime: nextTime)
    }
}
