import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// Z-score of the latest input against its own window: `(x − SMA(N)) / σ(N)`, σ the population
/// standard deviation of the same `N` inputs, the latest one included.
///
/// Warm-up: nil until `period` inputs (lookback `period − 1`); also nil while the window is flat
/// (σ = 0), where the score is undefined. `x − mean` is taken against an anchor inside the window,
/// so a close equal to its SMA scores 0 (to ~1e-15), not a rounding artefact. O(1) amortised.
public struct RollingZScore: ScalarIndicator {
    @usableFromInline var moments: RollingMoments
    @usableFromInline var latest: Double = 0

    /// - Parameter period: window length, at least 2.
    @inlinable
    public init(period: Int) {
        precondition(period >= 2, "z-score period must be at least 2")
        moments = RollingMoments(period: period)
    }

    @inlinable public var period: Int { moments.period }
    @inlinable public var lookback: Int { moments.period - 1 }
    @inlinable public var isReady: Bool { moments.isFull }

    @inlinable
    public mutating func update(_ x: Double) {
        latest = x
        moments.add(x)
    }

    /// The z-score of the latest input, or nil while warming up or when σ = 0.
    @inlinable public var value: Double? {
        guard moments.isFull else { return nil }
        let m2 = moments.m2
        guard m2 > 0 else { return nil }
        return moments.deviation(of: latest) / (m2 / moments.n).squareRoot()
    }

    @inlinable
    public mutating func reset() {
        moments.removeAll()
        latest = 0
    }
}
