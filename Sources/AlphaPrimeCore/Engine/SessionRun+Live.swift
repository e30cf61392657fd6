import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import Foundation
import Logging

/// What a live session does that a replay does not: waiting between bars on the wall clock, and
/// pausing entries while the market feed is stale.
extension SessionRun {
    /// The live feed's market time moved on with nothing to deliver: the heartbeat, a real
    /// broker's fills and order updates, the feed's staleness, requests from other processes.
    func idle(_ time: Int64) throws -> Bool {
        guard !inCatchUp else { return true }
        publishLiveState()
        try syncFeedPause()
        try syncFeedVIX()
        // A real broker's fills between bars (a simulated market fills only on bars).
        if broker != nil, market == nil {
            betweenBars = true
            defer { betweenBars = false }
            try deliver(bar: nil, symbol: 0, time: max(time, plan.open))
        }
        try journal?.flushIfDue()
        guard let control else { return true }
        var request: EngineControlRecord?
        if !control.signalled() {
            let now = clock.monotonic()
            guard now - lastPoll >= pollInterval else { return true }
            lastPoll = now
            request = try control.poll()
            guard request != nil else { return true }
        }
        outcome.ending = try handleControl(request, time: max(currentMinute, plan.open))
        return false
    }

    /// Entries pause while the feed is stale and resume when prints return; each change is
    /// recorded at once (a `feed_stale` risk event at the market time it applies from), so a
    /// restart that replays the session pauses at the same bars.
    func syncFeedPause() throws {
        guard let liveState else { return }
        let reason = liveState.stale.map { "the market feed is stale: \($0)" }
        guard reason != core.entriesPausedReason else { return }
        core.entriesPausedReason = reason
        let at = currentMinute == 0 ? plan.open : currentMinute + 60
        let message = reason.map { "\($0); new entries paused, exits still managed" } ?? "the market feed has prints again; entries resume"
        if let reason {
            logs.risk.error("\(message)", metadata: ["risk.rule": "\(RiskRule.feedStale)", "reason": "\(reason)"])
            alerts?.raise(Alert(kind: .feedStale, severity: .critical, title: "the market feed is stale: new entries paused",
                                message: message, raisedAt: at))
        } else {
            logs.risk.notice("\(message)", metadata: ["risk.rule": "\(RiskRule.feedStale)"])
        }
        try journal?.repository.recordRiskEvent(RiskEventRecord(
            mode: tradingMode, occurredAt: UTCTimestamp(secondsSinceEpoch: at), rule: RiskRule.feedStale,
            severity: reason == nil ? .info : .warning, action: reason == nil ? Self.feedResumed : Self.feedPaused,
            message: reason ?? message))
    }

    static var feedPaused: String { "entries_paused" }
    static var feedResumed: String { "entries_resumed" }

    /// While catching up: the pauses an earlier run recorded up to `time` take effect again.
    func applyRecordedPauses(through time: Int64) {
        while let first = recordedPauses.first, first.at <= time {
            core.entriesPausedReason = first.reason
            recordedPauses.removeFirst()
        }
    }

    /// The day's India VIX from the live feed (the previous session's close, the value the stored
    /// series would give) reaches the risk manager when it first comes and whenever it changes; each
    /// value is recorded at once (a `vix_filter` risk event, action `vix_from_feed`, at the market
    /// time it applies from), so a restart that replays the session judges the same bars by it.
    func syncFeedVIX() throws {
        guard let band = core.risk.rules.vixBand, let vix = liveState?.indiaVIX,
              RiskManager.istDay(vix.time) == RiskManager.istDay(plan.open) else { return }
        let value = Double(vix.previousClose) / 100
        guard value != feedVIX else { return }
        feedVIX = value
        let at = currentMinute == 0 ? plan.open : currentMinute + 60
        core.risk.setIndiaVIX(value, at: at)
        let text = String(format: "%.2f", value)
        let inside = band.contains(value)
        let judged = inside ? "inside the filter's \(band.lowerBound)–\(band.upperBound): entries allowed"
            : "outside the filter's \(band.lowerBound)–\(band.upperBound): new entries refused today"
        logs.risk.notice("India VIX from the live feed", metadata: [
            "risk.rule": "\(RiskRule.vix)", "india_vix": "\(text)", "decision": "\(judged)"])
        try journal?.repository.recordRiskEvent(RiskEventRecord(
            mode: tradingMode, occurredAt: UTCTimestamp(secondsSinceEpoch: at), rule: RiskRule.vix,
            severity: inside ? .info : .warning, action: Self.vixFromFeed, symbol: IndiaVIXSeries.tradingSymbol,
            message: "\(text) India VIX from the live feed (the previous session's close), \(judged)"))
    }

    static var vixFromFeed: String { "vix_from_feed" }

    /// While catching up: the India VIX values an earlier run took from the feed up to `time`.
    func applyRecordedVIX(through time: Int64) {
        while let first = recordedVIX.first, first.at <= time {
            core.risk.setIndiaVIX(first.value, at: first.at)
            feedVIX = first.value
            recordedVIX.removeFirst()
        }
    }

    /// The India VIX values recorded for a session, oldest first (see ``syncFeedVIX()``).
    static func recordedVIX(in events: [RiskEventRecord]) -> [(at: Int64, value: Double)] {
        events.filter { $0.rule == RiskRule.vix && $0.action == vixFromFeed }
            .sorted { $0.occurredAt.microseconds < $1.occurredAt.microseconds }
            .compactMap { e in
                e.message.split(separator: " ", maxSplits: 1).first.flatMap { Double($0) }.map { (e.occurredAt.microseconds / 1_000_000, $0) }
            }
    }

    /// The pauses recorded for a session, oldest first (see ``syncFeedPause()``).
    static func recordedPauses(in events: [RiskEventRecord]) -> [(at: Int64, reason: String?)] {
        events.filter { $0.rule == RiskRule.feedStale && ($0.action == feedPaused || $0.action == feedResumed) }
            .sorted { $0.occurredAt.microseconds < $1.occurredAt.microseconds }
            .map { ($0.occurredAt.microseconds / 1_000_000, $0.action == feedPaused ? $0.message : nil) }
    }
}
