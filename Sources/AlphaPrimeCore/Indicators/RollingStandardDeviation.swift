import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// Rolling standard deviation of the last `period` inputs, population and sample.
///
/// Population (TA-Lib `STDDEV` with `nbDev = 1`): `σ = √(Σ(x − mean)² / N)`.
/// Sample (pandas `rolling(N).std()`, ddof 1): `s = √(Σ(x − mean)² / (N − 1))`, nil for `period == 1`.
/// Warm-up: nil until `period` inputs (lookback `period − 1`). Computed from sums of deviations from an
/// anchor inside the window (see `RollingMoments`), so it stays accurate to ~1e-13 relative on prices
/// where the textbook Σx² formula loses half its digits; a window of identical values gives exactly 0.
/// O(1) amortised per update, no allocation after `init`.
public struct RollingStandardDeviation: ScalarIndicator {
    @usableFromInline var moments: RollingMoments

    /// - Parameter period: window length, at least 1 (at least 2 for the sample deviation).
    @inlinable
    public init(period: Int) {
        precondition(period >= 1, "standard deviation period must be at least 1")
        moments = RollingMoments(period: period)
    }

    @inlinable public var period: Int { moments.period }
    @inlinable public var lookback: Int { moments.period - 1 }
    @inlinable public var isReady: Bool { moments.isFull }

    @inlinable
    public mutating func update(_ x: Double) { moments.add(x) }

    /// The population standard deviation (the `ScalarIndicator` value).
    @inlinable public var value: Double? { population }

    /// Population standard deviation σ (divide by N), or nil while warming up.
    @inlinable public var population: Double? { moments.isFull ? (moments.m2 / moments.n).squareRoot() : nil }

    /// Sample standard deviation s (divide by N − 1), or nil while warming up or when `period == 1`.
    @inlinable public var sample: Double? {
        moments.isFull && moments.period > 1 ? (moments.m2 / (moments.n - 1)).squareRoot() : nil
    }

    /// Population variance σ², or nil while warming up.
    @inlinable public var populationVariance: Double? { moments.isFull ? moments.m2 / moments.n : nil }

    /// Sample variance s², or nil while warming up or when `period == 1`.
    @inlinable public var sampleVariance: Double? {
        moments.isFull && moments.period > 1 ? moments.m2 / (moments.n - 1) : nil
    }

    /// The window mean (the SMA of the same period), or nil while warming up.
    @inlinable public var mean: Double? { moments.isFull ? moments.mean : nil }

    @inlinable
    public mutating func reset() { moments.removeAll() }
}
