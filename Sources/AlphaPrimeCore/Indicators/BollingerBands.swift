import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// Bollinger bands: SMA(N) ± k·σ, σ the population standard deviation of the same N inputs
/// (TA-Lib `BBANDS` with `matype` SMA, `nbDevUp = nbDevDn = k`).
///
/// `middle = mean`, `upper = middle + σ·k`, `lower = middle − σ·k`. Warm-up: nil until `period` inputs
/// (lookback `period − 1`). O(1) amortised per update, no allocation after `init`.
///
/// The bands are floating point. A trading rule that must treat an exact touch of a band (or of the
/// mean) the same way every time should decide it with `RollingIntegerStats` on paise instead.
public struct BollingerBands: Sendable {
    /// One reading of the three bands.
    public struct Bands: Sendable, Equatable {
        public var upper: Double
        public var middle: Double
        public var lower: Double

        @inlinable
        public init(upper: Double, middle: Double, lower: Double) {
            self.upper = upper
            self.middle = middle
            self.lower = lower
        }
    }

    @usableFromInline var moments: RollingMoments
    /// Standard deviations above the middle band for the upper band.
    public let deviationsUp: Double
    /// Standard deviations below the middle band for the lower band.
    public let deviationsDown: Double

    /// - Parameters:
    ///   - period: window length, at least 1 (TA-Lib's default is 5, the usual choice 20).
    ///   - deviations: band width in population standard deviations (2 by default).
    @inlinable
    public init(period: Int = 20, deviations: Double = 2) {
        self.init(period: period, deviationsUp: deviations, deviationsDown: deviations)
    }

    /// Bands with different widths above and below, like TA-Lib's `nbDevUp` / `nbDevDn`.
    @inlinable
    public init(period: Int, deviationsUp: Double, deviationsDown: Double) {
        precondition(period >= 1, "Bollinger period must be at least 1")
        moments = RollingMoments(period: period)
        self.deviationsUp = deviationsUp
        self.deviationsDown = deviationsDown
    }

    @inlinable public var period: Int { moments.period }
    @inlinable public var lookback: Int { moments.period - 1 }
    @inlinable public var isReady: Bool { moments.isFull }

    @inlinable
    public mutating func update(_ x: Double) { moments.add(x) }

    /// The bands, or nil while warming up.
    @inlinable public var value: Bands? {
        guard moments.isFull else { return nil }
        let middle = moments.mean
        let sigma = (moments.m2 / moments.n).squareRoot()
        return Bands(upper: middle + sigma * deviationsUp, middle: middle, lower: middle - sigma * deviationsDown)
    }

    @inlinable
    public mutating func reset() { moments.removeAll() }
}
