import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// The largest of the last `period` inputs (TA-Lib `MAX`), in O(1) amortised per update.
///
/// A monotonic deque: the window's candidates for the maximum, oldest first, each smaller than the
/// one before it. A new input removes the candidates it beats from the back (they can never be the
/// maximum again); the front leaves when it falls out of the window. Each input enters and leaves
/// once, so an update costs O(1) amortised; the deque lives in a ring of `period` slots allocated once.
/// Warm-up: nil until `period` inputs (lookback `period − 1`). Inputs must not be NaN.
public struct RollingMaximum: ScalarIndicator {
    @usableFromInline var values: [Double]
    /// The stream position of each candidate, to know when it leaves the window.
    @usableFromInline var positions: [Int]
    @usableFromInline var front: Int = 0
    @usableFromInline var count: Int = 0
    /// Inputs seen so far (the position the next input gets).
    @usableFromInline var seen: Int = 0

    /// - Parameter period: window length, at least 1.
    @inlinable
    public init(period: Int) {
        precondition(period >= 1, "rolling maximum period must be at least 1")
        values = Array(repeating: 0, count: period)
        positions = Array(repeating: 0, count: period)
    }

    @inlinable public var period: Int { values.count }
    @inlinable public var lookback: Int { values.count - 1 }
    @inlinable public var isReady: Bool { seen >= values.count }

    @inlinable
    public mutating func update(_ x: Double) {
        let capacity = values.count
        // The front leaves once it is `period` inputs old.
        if count > 0 && positions[front] <= seen - capacity {
            front = front + 1 == capacity ? 0 : front + 1
            count -= 1
        }
        // Candidates not larger than x can never be the maximum again.
        while count > 0 {
            var back = front + count - 1
            if back >= capacity { back -= capacity }
            guard values[back] <= x else { break }
            count -= 1
        }
        var slot = front + count
        if slot >= capacity { slot -= capacity }
        values[slot] = x
        positions[slot] = seen
        count += 1
        seen += 1
    }

    /// The maximum of the window, or nil while warming up.
    @inlinable public var value: Double? { seen >= values.count ? values[front] : nil }

    /// How many inputs ago the maximum was seen (0 = the latest; the most recent one on a tie),
    /// or nil while warming up.
    @inlinable public var barsSinceMaximum: Int? { seen >= values.count ? seen - 1 - positions[front] : nil }

    @inlinable
    public mutating func reset() {
        front = 0
        count = 0
        seen = 0
    }
}

/// The smallest of the last `period` inputs (TA-Lib `MIN`), in O(1) amortised per update.
///
/// A `RollingMaximum` of the negated inputs (negation is exact). Warm-up: nil until `period` inputs
/// (lookback `period − 1`). Inputs must not be NaN.
public struct RollingMinimum: ScalarIndicator {
    @usableFromInline var negated: RollingMaximum

    /// - Parameter period: window length, at least 1.
    @inlinable
    public init(period: Int) {
        precondition(period >= 1, "rolling minimum period must be at least 1")
        negated = RollingMaximum(period: period)
    }

    @inlinable public var period: Int { negated.period }
    @inlinable public var lookback: Int { negated.lookback }
    @inlinable public var isReady: Bool { negated.isReady }

    @inlinable
    public mutating func update(_ x: Double) { negated.update(-x) }

    /// The minimum of the window, or nil while warming up.
    @inlinable public var value: Double? { negated.value.map { -$0 } }

    /// How many inputs ago the minimum was seen (0 = the latest; the most recent one on a tie),
    /// or nil while warming up.
    @inlinable public var barsSinceMinimum: Int? { negated.barsSinceMaximum }

    @inlinable
    public mutating func reset() { negated.reset() }
}
