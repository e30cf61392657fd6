import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// Average true range, Wilder's smoothing with TA-Lib's seeding (TA-Lib `ATR`).
///
/// The first bar only provides a previous close. The first ATR is the plain mean of the next `N` true
/// ranges; then `ATR = (ATR · (N − 1) + TR) / N`, in TA-Lib's order of operations.
/// Warm-up: nil until `period + 1` bars (lookback `period`). O(1), no allocation.
public struct AverageTrueRange: Sendable {
    public let period: Int
    @usableFromInline var bars: Int = 0
    @usableFromInline var previousClose: Double = 0
    @usableFromInline var current: Double = 0
    @usableFromInline var latestTrueRange: Double = 0

    /// - Parameter period: at least 1 (`period == 1` gives the true range itself).
    @inlinable
    public init(period: Int = 14) {
        precondition(period >= 1, "ATR period must be at least 1")
        self.period = period
    }

    @inlinable public var lookback: Int { period }
    @inlinable public var isReady: Bool { bars > period }

    @inlinable
    public mutating func update(high: Double, low: Double, close: Double) {
        defer { previousClose = close }
        if bars > period {
            latestTrueRange = barTrueRange(high: high, low: low, previousClose: previousClose)
            current *= Double(period - 1)
            current += latestTrueRange
            current /= Double(period)
            return
        }
        bars += 1
        guard bars > 1 else { return }
        latestTrueRange = barTrueRange(high: high, low: low, previousClose: previousClose)
        current += latestTrueRange  // the seed's running sum
        if bars == period + 1 { current /= Double(period) }
    }

    /// The ATR, or nil while warming up.
    @inlinable public var value: Double? { bars > period ? current : nil }

    /// The latest bar's true range, or nil before the second bar.
    @inlinable public var trueRange: Double? { bars > 1 ? latestTrueRange : nil }

    @inlinable
    public mutating func reset() {
        bars = 0
        current = 0
        latestTrueRange = 0
    }
}
