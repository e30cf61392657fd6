import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// Donchian channel: the highest high and the lowest low of the last `period` bars, this bar included
/// (TA-Lib `MAX` on highs and `MIN` on lows); the middle is their average.
///
/// Warm-up: nil until `period` bars (lookback `period − 1`). O(1) amortised (monotonic deques), no
/// allocation after `init`. For a breakout rule ("this bar breaks the range of the previous N"),
/// read the channel before feeding the current bar.
public struct DonchianChannel: Sendable {
    /// One reading of the channel.
    public struct Channel: Sendable, Equatable {
        public var upper: Double
        public var lower: Double
        /// `(upper + lower) / 2`.
        public var middle: Double { (upper + lower) / 2 }

        @inlinable
        public init(upper: Double, lower: Double) {
            self.upper = upper
            self.lower = lower
        }
    }

    @usableFromInline var highs: RollingMaximum
    @usableFromInline var lows: RollingMinimum

    /// - Parameter period: window length in bars, at least 1.
    @inlinable
    public init(period: Int = 20) {
        precondition(period >= 1, "Donchian period must be at least 1")
        highs = RollingMaximum(period: period)
        lows = RollingMinimum(period: period)
    }

    @inlinable public var period: Int { highs.period }
    @inlinable public var lookback: Int { highs.lookback }
    @inlinable public var isReady: Bool { highs.isReady }

    @inlinable
    public mutating func update(high: Double, low: Double) {
        highs.update(high)
        lows.update(low)
    }

    /// The channel, or nil while warming up.
    @inlinable public var value: Channel? {
        guard let upper = highs.value, let lower = lows.value else { return nil }
        return Channel(upper: upper, lower: lower)
    }

    /// The highest high of the window, or nil while warming up.
    @inlinable public var upper: Double? { highs.value }
    /// The lowest low of the window, or nil while warming up.
    @inlinable public var lower: Double? { lows.value }

    @inlinable
    public mutating func reset() {
        highs.reset()
        lows.reset()
    }
}
