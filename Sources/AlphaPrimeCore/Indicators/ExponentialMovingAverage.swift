import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// Exponential moving average with TA-Lib's seeding (TA-Lib `EMA`, default compatibility).
///
/// `k = 2 / (N + 1)`; the first value is the SMA of the first `N` inputs, then
/// `EMA = (x − EMA) · k + EMA` — the same operations in the same order as TA-Lib, so the values agree
/// to the last bit. Warm-up: nil until `period` inputs (lookback `period − 1`).
public struct ExponentialMovingAverage: ScalarIndicator {
    public let period: Int
    /// The smoothing factor `2 / (period + 1)`.
    public let k: Double
    @usableFromInline var count: Int = 0
    @usableFromInline var current: Double = 0

    /// - Parameter period: at least 1.
    @inlinable
    public init(period: Int) {
        precondition(period >= 1, "EMA period must be at least 1")
        self.period = period
        k = 2.0 / Double(period + 1)
    }

    @inlinable public var lookback: Int { period - 1 }
    @inlinable public var isReady: Bool { count >= period }

    @inlinable
    public mutating func update(_ x: Double) {
        if count >= period {
            current = (x - current) * k + current
            return
        }
        current += x  // the seed's running sum
        count += 1
        if count == period { current /= Double(period) }
    }

    /// The average, or nil while warming up.
    @inlinable public var value: Double? { count >= period ? current : nil }

    @inlinable
    public mutating func reset() {
        count = 0
        current = 0
    }
}
