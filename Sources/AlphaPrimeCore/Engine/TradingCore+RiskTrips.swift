import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// The risk stage's trips acted on: equity limits, the clock (the square-off), flattening and halts.
extension TradingCore {
    /// Equity reached a limit: record each trip, flatten when one says so, halt the run when one does.
    @inline(never)
    mutating func applyRiskLimits(equity: Int64, time: Int64) {
        let trips = risk.crossedThresholds(equity: equity, time: time)
        apply(trips, time: time)
    }

    /// The next instant at which the risk stage acts by the clock alone (the day's square-off), or
    /// `Int64.max`. A driver whose next bar comes later delivers it with ``onClock(time:)`` first.
    var nextClockEvent: Int64 { risk.watch.nextTime }

    /// The clock reached `time` with no bar: the risk stage's clock rules act then (the square-off
    /// closes intraday positions and stops entries), not at whatever bar comes next.
    public mutating func onClock(time: Int64) {
        if time >= risk.watch.nextTime { applyRiskClock(time: time) }
    }

    /// The clock reached the square-off: close intraday positions, no entries for the rest of the day.
    @inline(never)
    mutating func applyRiskClock(time: Int64) {
        if let trip = risk.clockReached(time: time) { apply([trip], time: time) }
    }

    @inline(never)
    mutating func apply(_ trips: [RiskTrip], time: Int64) {
        guard !trips.isEmpty else { return }
        var flatten = false
        for trip in trips {
            record(trip.event(time: time))
            flatten = flatten || trip.flatten
        }
        // The most severe halting trip names the halt; one that flattens replaces one that did not.
        if let halt = trips.first(where: { $0.haltsRun && $0.flatten }) ?? trips.first(where: \.haltsRun),
           entriesHaltedReason == nil || halt.flatten {
            entriesHaltedReason = halt.message
            entriesHaltedRule = halt.rule
        }
        // The square-off time closes intraday positions; any other trip that flattens is a halt.
        let halted = trips.contains { $0.flatten && $0.rule != RiskRule.squareOff }
        if flatten { flattenAll(time: time, reason: halted ? .killSwitch : .squareOff) }
    }
}
