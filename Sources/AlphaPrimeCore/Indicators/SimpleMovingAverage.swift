import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// Simple moving average: the mean of the last `period` inputs (TA-Lib `SMA`).
///
/// `SMA = (x[t−N+1] + … + x[t]) / N`. Warm-up: nil until `period` inputs (lookback `period − 1`).
/// A running sum, re-added from the window every `period` updates so rounding never accumulates
/// over a long stream; O(1) amortised, no allocation after `init`.
public struct SimpleMovingAverage: ScalarIndicator {
    @usableFromInline var window: FixedRing<Double>
    @usableFromInline var sum: Double = 0
    @usableFromInline var updatesSinceResum: Int = 0

    /// - Parameter period: window length, at least 1.
    @inlinable
    public init(period: Int) {
        precondition(period >= 1, "SMA period must be at least 1")
        window = FixedRing(capacity: period, filler: 0)
    }

    @inlinable public var period: Int { window.capacity }
    @inlinable public var lookback: Int { window.capacity - 1 }
    @inlinable public var isReady: Bool { window.isFull }

    @inlinable
    public mutating func update(_ x: Double) {
        sum += x
        if let oldest = window.push(x) { sum -= oldest }
        updatesSinceResum += 1
        if updatesSinceResum == window.capacity { resum() }
    }

    /// The average, or nil while warming up.
    @inlinable public var value: Double? { window.isFull ? sum / Double(window.capacity) : nil }

    @usableFromInline
    mutating func resum() {
        updatesSinceResum = 0
        var total = 0.0
        for v in window.storage[0..<window.count] { total += v }
        sum = total
    }

    /// Forgets all inputs (the window storage is kept).
    @inlinable
    public mutating func reset() {
        window.removeAll()
        sum = 0
        updatesSinceResum = 0
    }
}
