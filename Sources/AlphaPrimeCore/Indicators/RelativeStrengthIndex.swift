import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// Relative strength index, Wilder's smoothing with TA-Lib's seeding (TA-Lib `RSI`, default
/// compatibility).
///
/// From the second input on, each change is a gain or a loss. The first average gain and loss are the
/// plain means of the first `N` changes; then `avg = (avg · (N − 1) + change) / N`, in TA-Lib's order.
/// `RSI = 100 · avgGain / (avgGain + avgLoss)`, and 0 when both are zero (TA-Lib's convention).
/// Warm-up: nil until `period + 1` inputs (lookback `period`). O(1), no allocation.
public struct RelativeStrengthIndex: ScalarIndicator {
    public let period: Int
    @usableFromInline var inputs: Int = 0
    @usableFromInline var previous: Double = 0
    @usableFromInline var averageGain: Double = 0
    @usableFromInline var averageLoss: Double = 0

    /// - Parameter period: at least 2 (TA-Lib's range).
    @inlinable
    public init(period: Int = 14) {
        precondition(period >= 2, "RSI period must be at least 2")
        self.period = period
    }

    @inlinable public var lookback: Int { period }
    @inlinable public var isReady: Bool { inputs > period }

    @inlinable
    public mutating func update(_ x: Double) {
        let change = x - previous
        previous = x
        if inputs > period {
            averageLoss *= Double(period - 1)
            averageGain *= Double(period - 1)
            if change < 0 { averageLoss -= change } else { averageGain += change }
            averageLoss /= Double(period)
            averageGain /= Double(period)
            return
        }
        inputs += 1
        guard inputs > 1 else { return }
        if change < 0 { averageLoss -= change } else { averageGain += change }
        if inputs == period + 1 {
            averageLoss /= Double(period)
            averageGain /= Double(period)
        }
    }

    /// The RSI in [0, 100], or nil while warming up.
    @inlinable public var value: Double? {
        guard inputs > period else { return nil }
        let total = averageGain + averageLoss
        return isEffectivelyZero(total) ? 0 : 100 * (averageGain / total)
    }

    @inlinable
    public mutating func reset() {
        inputs = 0
        averageGain = 0
        averageLoss = 0
    }
}
