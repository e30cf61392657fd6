import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// The largest of the last `period` inputs (TA-Lib `MAX`), in O(1) per update without data-dependent
/// branches (van Herk / Gil-Werman).
///
/// Inputs arrive in blocks of `period`. For the block before the current one the maxima of each of
/// its tails are kept (slots k…period−1, computed once when that block completes); for the current
/// block, the running maximum of its head. The last `period` inputs are always a tail of the
/// previous block and the head of the current one, so the window's maximum is the larger of two
/// numbers. Where the maximum occurs more than once, the latest occurrence counts
/// (``barsSinceMaximum``). Storage is allocated once in `init`.
/// Warm-up: nil until `period` inputs (lookback `period − 1`). Inputs must not be NaN.
public struct RollingMaximum: ScalarIndicator {
    /// The current block's inputs, its first `filled` slots.
    @usableFromInline var block: [Double]
    /// The previous block's tail maxima (slot k: the maximum of slots k…period−1) and the input
    /// number of the latest input holding each.
    @usableFromInline var tailMaximum: [Double]
    @usableFromInline var tailMaximumAt: [Int]
    @usableFromInline var filled = 0
    /// The maximum of the current block's head and the input number of its latest occurrence.
    @usableFromInline var headMaximum = 0.0
    @usableFromInline var headMaximumAt = 0
    /// The window's maximum after the last update, and where it is.
    @usableFromInline var maximum = 0.0
    @usableFromInline var maximumAt = 0
    /// Inputs so far.
    @usableFromInline var seen: Int = 0

    @inlinable
    public init(period: Int) {
        precondition(period >= 1, "rolling maximum period must be at least 1")
        block = Array(repeating: 0, count: period)
        tailMaximum = Array(repeating: 0, count: period)
        tailMaximumAt = Array(repeating: 0, count: period)
    }

    @inlinable public var period: Int { block.count }
    @inlinable public var lookback: Int { block.count - 1 }
    @inlinable public var isReady: Bool { seen >= block.count }

    @inlinable
    public mutating func update(_ x: Double) {
        let n = block.count
        let k = filled
        block[k] = x
        if k == 0 || x >= headMaximum {
            headMaximum = x
            headMaximumAt = seen
        }
        if k == n - 1 || seen < n {
            // The window is the current block's head alone (a complete block, or warming up).
            maximum = headMaximum
            maximumAt = headMaximumAt
        } else {
            // The window is the previous block's tail from slot k + 1 and the current block's head.
            let tail = tailMaximum[k + 1]
            let headWins = headMaximum >= tail
            maximum = headWins ? headMaximum : tail
            maximumAt = headWins ? headMaximumAt : tailMaximumAt[k + 1]
        }
        seen += 1
        if k == n - 1 { completeBlock() } else { filled = k + 1 }
    }

    /// The current block is full: its tail maxima become the previous block's, and a new block starts.
    @usableFromInline
    mutating func completeBlock() {
        let n = block.count
        let first = seen - n  // the input number of slot 0
        var m = block[n - 1]
        var at = first + n - 1
        tailMaximum[n - 1] = m
        tailMaximumAt[n - 1] = at
        var k = n - 2
        while k >= 0 {
            // Strictly larger: among equal values the later one stays.
            if block[k] > m {
                m = block[k]
                at = first + k
            }
            tailMaximum[k] = m
            tailMaximumAt[k] = at
            k -= 1
        }
        filled = 0
    }

    @inlinable public var value: Double? { seen >= block.count ? maximum : nil }

    /// Inputs since the (latest) maximum of the window: 0 when the latest input is it; nil while warming up.
    @inlinable public var barsSinceMaximum: Int? { seen >= block.count ? seen - 1 - maximumAt : nil }

    @inlinable
    public mutating func reset() {
        filled = 0
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
