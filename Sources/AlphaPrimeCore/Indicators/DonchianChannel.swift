import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// Donchian channel: the highest high and the lowest low of the last `period` bars, this bar included
/// (TA-Lib `MAX` on highs and `MIN` on lows); the middle is their average.
///
/// Warm-up: nil until `period` bars (lookback `period − 1`). O(1) per update without data-dependent
/// loops: the van Herk / Gil-Werman blocks of ``RollingMaximum``, kept for the highs and the lows
/// together (one block of inputs, one list of the previous block's tail extremes), so a bar is one
/// write and one read. No allocation after `init`. For a breakout rule ("this bar breaks the range of
/// the previous N"), read the channel before feeding the current bar. Inputs must not be NaN.
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

    /// The current block's inputs, its first `filled` slots; then, per slot k of the previous block,
    /// the highest high and lowest low of slots k…period−1.
    @usableFromInline var block: [Channel]
    @usableFromInline var tail: [Channel]
    @usableFromInline var filled = 0
    /// The extremes of the current block's head (−∞ and +∞ before its first bar).
    @usableFromInline var head = Channel(upper: -.infinity, lower: .infinity)
    /// The window's extremes after the last update.
    @usableFromInline var window = Channel(upper: 0, lower: 0)
    /// Bars so far.
    @usableFromInline var seen = 0

    /// - Parameter period: window length in bars, at least 1.
    @inlinable
    public init(period: Int = 20) {
        precondition(period >= 1, "Donchian period must be at least 1")
        block = Array(repeating: Channel(upper: 0, lower: 0), count: period)
        tail = Array(repeating: Channel(upper: 0, lower: 0), count: period)
    }

    @inlinable public var period: Int { block.count }
    @inlinable public var lookback: Int { block.count - 1 }
    @inlinable public var isReady: Bool { seen >= block.count }

    @inlinable
    public mutating func update(high: Double, low: Double) {
        let n = block.count
        let k = filled
        block[k] = Channel(upper: high, lower: low)
        head = Channel(upper: max(head.upper, high), lower: min(head.lower, low))
        if k == n - 1 || seen < n {
            // The window is the current block's head alone (a complete block, or warming up).
            window = head
        } else {
            // The previous block's tail from slot k + 1 and the current block's head.
            let rest = tail[k + 1]
            window = Channel(upper: max(head.upper, rest.upper), lower: min(head.lower, rest.lower))
        }
        seen += 1
        if k == n - 1 { completeBlock() } else { filled = k + 1 }
    }

    /// The current block is full: its tail extremes become the previous block's; a new block starts.
    @usableFromInline
    mutating func completeBlock() {
        let n = block.count
        var m = block[n - 1]
        tail[n - 1] = m
        var k = n - 2
        while k >= 0 {
            let b = block[k]
            m = Channel(upper: max(m.upper, b.upper), lower: min(m.lower, b.lower))
            tail[k] = m
            k -= 1
        }
        filled = 0
        head = Channel(upper: -.infinity, lower: .infinity)
    }

    /// The channel, or nil while warming up.
    @inlinable public var value: Channel? { seen >= block.count ? window : nil }

    /// The highest high of the window, or nil while warming up.
    @inlinable public var upper: Double? { seen >= block.count ? window.upper : nil }
    /// The lowest low of the window, or nil while warming up.
    @inlinable public var lower: Double? { seen >= block.count ? window.lower : nil }

    @inlinable
    public mutating func reset() {
        filled = 0
        seen = 0
        head = Channel(upper: -.infinity, lower: .infinity)
    }
}
