import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import Foundation
import Logging

/// The session's rules (run halts, risk events, snapshots, the close) and requests from other processes.
extension SessionRun {
    // MARK: Session rules

    /// The clock reached `time` with no bar (the square-off instant): the core acts on it, its run
    /// halts are recorded and the orders it makes go to the broker at that time.
    func clockReached(_ time: Int64) throws {
        core.onClock(time: time)
        try persistRunHalts()
        if core.hasRequests { try route(time: time) }
        recordRiskEvents()
    }

    func halt(_ reason: String) {
        if core.entriesHaltedReason == nil { core.entriesHaltedReason = reason }
        journal?.haltedReason = core.entriesHaltedReason
    }

    /// The risk stage halted the run (kill switch, max drawdown, a prop firm's rule): the halt is
    /// recorded at once as the kill switch, so it survives restarts until a confirmed reset. Runs
    /// before the orders the trip caused (the flattening) go to the broker.
    func persistRunHalts() throws {
        let events = core.riskEvents
        guard events.count > runHaltsSeen else { return }
        for event in events[runHaltsSeen...] {
            switch event.action {
            case .killSwitch, .halted, .failed, .targetReached:
                journal?.haltedReason = core.entriesHaltedReason
                if event.action == .killSwitch { outcome.ending = .killSwitch(event.message) }
                guard let journal else { continue }
                let recorded = try journal.setKillSwitch(by: "risk stage", reason: "\(event.rule): \(event.message)", time: event.time)
                if recorded && inCatchUp { recordedHaltRecreated = true }
            default:
                continue
            }
        }
        runHaltsSeen = events.count
    }

    /// The risk stage's events (approvals, refusals, breakers, halts, the square-off) become
    /// `risk_events` rows and `risk.log` lines, after the orders of the moment were placed.
    func recordRiskEvents() {
        let events = core.riskEvents
        guard events.count > riskEventsRecorded else { return }
        for event in events[riskEventsRecorded...] {
            let strategy = event.strategy.map { strategyNames[$0] }
            let symbol = event.symbol.map { core.instruments[$0].symbol }
            // New to the database: the earlier run of a resumed session may have stopped before alerting it.
            let fresh = journal?.deferRiskEvent(event.record(mode: tradingMode, strategyName: strategy, symbolName: symbol)) ?? true
            let level: Logger.Level = inCatchUp ? .debug : (event.severity == .critical ? .critical : event.severity == .warning ? .warning : .info)
            var metadata: Logger.Metadata = ["risk.rule": "\(event.rule)", "action": "\(event.action.rawValue)", "time": "\(ist(event.time))"]
            if let strategy { metadata["strategy"] = "\(strategy)" }
            if let symbol { metadata["symbol"] = "\(symbol)" }
            logs.risk.log(level: level, "\(event.message)", metadata: metadata)
            if fresh, let alerts, let alert = Self.alert(for: event, strategy: strategy, symbol: symbol) { alerts.raise(alert) }
        }
        riskEventsRecorded = events.count
        if journal?.haltedReason != core.entriesHaltedReason { journal?.haltedReason = core.entriesHaltedReason }
    }

    /// The alert a risk event raises: the kill switch and a prop firm's failed rule (critical),
    /// a breaker's pause or a halt of new entries (warning); nothing for approvals and refusals.
    static func alert(for event: RiskEvent, strategy: String?, symbol: String?) -> Alert? {
        let kind: AlertKind
        let severity: AlertSeverity
        switch event.action {
        case .killSwitch, .failed:
            kind = .killSwitch
            severity = .critical
        case .paused, .haltedForDay, .halted:
            kind = event.rule == RiskRule.dailyMaxLoss || event.rule == RiskRule.halfDailyLimitPause ? .dailyLoss : .circuitBreaker
            severity = .warning
        case .approved, .reduced, .rejected, .squaredOff, .targetReached:
            return nil
        }
        let whom = [strategy, symbol].compactMap { $0 }.joined(separator: " ")
        let title = switch event.action {
        case .killSwitch: "kill switch set: every position flattened, no new entries"
        case .failed: "a prop firm rule is broken: \(event.rule)"
        case .paused: "entries paused\(whom.isEmpty ? "" : " for \(whom)"): \(event.rule)"
        default: "new entries stopped\(whom.isEmpty ? "" : " for \(whom)"): \(event.rule)"
        }
        return Alert(kind: kind, severity: severity, title: title, message: event.message,
                     key: "\(event.action.rawValue)|\(event.rule)|\(whom)", raisedAt: event.time)
    }

    /// The shares of the daily loss limit whose crossing is alerted before the rule itself acts.
    static var dailyLossWarnings: [Int] { [50, 80] }

    /// The day's loss (from the equity at the open, open positions marked) reached 50% or 80% of the
    /// daily max loss: a warning, then a critical alert, each once a session (crossings in the
    /// minutes a resumed session replays before the one its earlier run stopped in were that run's).
    func warnOfTheDailyLoss(at time: Int64) {
        guard let alerts, let percent = core.risk.rules.dailyMaxLoss else { return }
        let dayStart = core.risk.state.dayStartEquity
        let limit = percent.of(dayStart)
        let loss = dayStart - core.ledger.equity
        guard limit > 0, loss > 0 else { return }
        for share in Self.dailyLossWarnings where !dailyLossWarned.contains(share) && loss * 100 >= limit * Int64(share) {
            dailyLossWarned.insert(share)
            // Crossed in a minute the earlier run finished: its alert went out then. The minute it
            // stopped in may not have been alerted, so that one is raised (perhaps a second time).
            guard !inCatchUp || time - 60 >= catchUpUntil else { continue }
            alerts.raise(Alert(kind: .dailyLoss, severity: share >= 80 ? .critical : .warning,
                               title: "the day's loss is \(share)% of the daily limit",
                               message: "loss \(Paise(loss)) of the daily max loss \(Paise(limit)) (\(percent) of \(Paise(dayStart)) at the open) at \(ist(time)); "
                                   + "at 100% new entries stop for the day",
                               key: "daily_loss_\(share)|\(plan.date)", raisedAt: time))
        }
    }

    /// A minute is over: a snapshot when one is due.
    func endOfMinute(_ minute: Int64) throws {
        let closeTime = minute + 60
        warnOfTheDailyLoss(at: closeTime)
        if closeTime >= nextSnapshot {
            recordSnapshot(at: closeTime)
            while nextSnapshot <= closeTime { nextSnapshot += snapshotInterval }
        }
    }

    func recordSnapshot(at time: Int64) {
        guard let journal else { return }
        let l = core.ledger
        journal.deferSnapshot(PortfolioSnapshot(
            mode: tradingMode, recordedAt: UTCTimestamp(secondsSinceEpoch: time), cash: Paise(l.cash),
            positionsValue: Paise(l.marketValue), equity: Paise(l.equity), realizedPnl: Paise(l.realizedPnL),
            unrealizedPnl: Paise(l.unrealizedPnL), openPositions: l.openPositionCount))
    }

    /// Positions still open at the close are squared off by the broker at the last price (every
    /// position of an engine session is intraday).
    func squareOffAtClose(lastBarTime: Int64?) throws {
        try reconcileWithTheBook(time: lastBarTime ?? plan.open)
        guard core.ledger.openPositionCount > 0 && mode != .monitor else { return }
        halt("session closed")
        try closeEverything(time: lastBarTime ?? plan.open,
                            reason: "the session ended with open positions: squared off at the last price")
    }

    func expireWorkingOrders(at close: Int64) throws {
        try expireWorkingOrders(time: close, reason: "expired at the close")
    }

    /// The day's figures are written and the session is marked completed.
    func sessionClosed(day: Int64) throws {
        recordRiskEvents()
        recordSnapshot(at: plan.close)
        try recordSessionEnd(.completed)
    }

    /// In one commit: the risk stage's state at the end, the session's status, and for a completed
    /// session the strategies' day figures.
    func recordSessionEnd(_ status: EngineSessionRecord.Status) throws {
        publishLiveState(force: true, status: "session \(status.rawValue)")
        guard let journal else { return }
        let state = try riskStateJSON()
        try journal.commit {
            if status == .completed { try writeStrategyPerformance() }
            try journal.repository.recordEngineRiskStateClose(sessionId: journal.sessionId, json: state)
            try journal.repository.setEngineSessionStatus(sessionId: journal.sessionId, status: status, at: clock.now())
        }
    }

    /// Closes every position now: working entries and protective orders cancelled, square-off
    /// orders filled by the paper broker at the last price seen.
    func closeEverything(time: Int64, reason: String, exitReason: ExitReason = .squareOff) throws {
        let queued = core.flattenAll(time: time, reason: exitReason)
        log(logs.engine, "closing every position", ["orders": "\(queued)", "reason": "\(reason)"])
        if core.hasRequests { try route(time: time) }
        if let market {
            for s in core.instruments.indices { market.fillMarketOrdersAtLastPrice(symbol: s, time: time) }
        }
        try deliver(bar: nil, symbol: 0, time: time)
    }

    func expireWorkingOrders(time: Int64, reason: String) throws {
        guard let broker else { return }
        try journal?.commitBeforeBrokerCall()
        try resolveUnknownOutcomes(time: time)
        var asked = false
        for order in core.orders where !order.status.isTerminal {
            requestedCancels[order.request.id] = reason
            broker.requestCancel(orderID: order.request.id, clientOrderId: clientId(order.request.id))
            asked = true
        }
        if asked {
            try takeAnswers(time: time)
            // A cancellation whose answer never came is read from the book: no order stays working.
            try reconcileWithTheBook(time: time)
        }
    }

    // MARK: Control

    func handleControl(_ request: EngineControlRecord?, time: Int64) throws -> SessionOutcome.Ending {
        let command = request?.command ?? .stop
        let who = request?.requestedBy ?? "signal"
        let ending: SessionOutcome.Ending
        switch command {
        case .stop:
            halt("stopped by \(who)")
            ending = .stopped("stopped by \(who)")
        case .stopFlatten:
            halt("stopped by \(who)")
            try closeEverything(time: time, reason: "engine stop --flatten by \(who)")
            try expireWorkingOrders(time: time, reason: "cancelled: engine stop --flatten")
            ending = .stopped("stopped and flattened by \(who)")
        case .emergencyStop:
            core.entriesHaltedReason = "emergency stop by \(who)"
            journal?.haltedReason = core.entriesHaltedReason
            try expireWorkingOrders(time: time, reason: "cancelled: emergency stop")
            try closeEverything(time: time, reason: "emergency stop by \(who)", exitReason: .killSwitch)
            try expireWorkingOrders(time: time, reason: "cancelled: emergency stop")
            ending = .emergencyStopped
        }
        logs.engine.notice("stopping", metadata: ["command": "\(command.rawValue)", "by": "\(who)", "at": "\(ist(time))"])
        recordRiskEvents()
        try recordSessionEnd(.stopped)
        if let request {
            let open = core.ledger.openPositionCount
            try control?.markHandled(request, "\(command.rawValue) at \(ist(time)); \(open) open position\(open == 1 ? "" : "s")")
        }
        return ending
    }
}
