import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

extension TradingCore {
    /// The size of the entry in ``emitted`` at the strategy's live stage (``livePercent``): the
    /// approved quantity times the stage's share, rounded down to whole lots; nil (refused, rule
    /// `lifecycle.stage`) when not one lot is left. Exits and strategies at full size pass unchanged.
    mutating func stageSized(_ quantity: Int64, instance i: Int, time: Int64) -> Int64? {
        guard emitted.intent == .enter, i < livePercent.count, livePercent[i] < 100 else { return quantity }
        let lot = max(1, instruments[emitted.symbol].lotSize)
        let share = quantity * Int64(livePercent[i]) / 100
        let sized = share - share % lot
        guard sized > 0 else {
            refuse(instance: i, RiskRejection(
                rule: RiskRule.lifecycleStage,
                reason: "at its live stage's \(livePercent[i])% the \(quantity) units sized come to \(share), less than one lot of \(lot)",
                value: Double(share), limit: Double(lot)), time: time)
            return nil
        }
        return sized
    }
}
