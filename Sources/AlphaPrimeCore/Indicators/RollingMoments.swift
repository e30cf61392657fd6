import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// Mean and sum of squared deviations of the last `period` values, kept accurate on long streams.
///
/// The textbook running sums Σx and Σx² lose most of their digits on prices: for NIFTY at 15 000 with
/// σ ≈ 3, Σx²/N and (Σx/N)² agree in their first nine digits, so their difference keeps only about
/// seven, and the error grows with every update. Here the sums are of deviations from an anchor `shift`
/// that sits inside the window: `sum1 = Σ(x − shift)`, `sum2 = Σ(x − shift)²`. A price minus a nearby
/// price is exact in binary floating point (Sterbenz), so the sums stay at the scale of the window's
/// spread, and `m2 = sum2 − sum1²/N = Σ(x − mean)²` is as accurate as a two-pass computation.
///
/// The anchor is renewed (and both sums recomputed from the window, one O(N) pass) every `period`
/// updates, and
/// also as soon as the spread has collapsed far below the largest `sum2` held since the last rebuild
/// (`m2 · 1000 < peak`), because the rounding the sums carry scales with that peak. Rebuilds anchor on the
/// window mean, or on the newest value when the window is flat, so a flat window gives exactly 0.
/// Amortised cost: O(1) per update.
@usableFromInline
struct RollingMoments: Sendable {
    @usableFromInline var window: FixedRing<Double>
    @usableFromInline var shift: Double = 0
    @usableFromInline var sum1: Double = 0
    @usableFromInline var sum2: Double = 0
    /// The largest `sum2` since the last rebuild: the scale of the rounding in the sums.
    @usableFromInline var peak2: Double = 0
    @usableFromInline var updatesSinceRebuild: Int = 0
    /// The window length as a `Double`, and its inverse (for the cheap per-update collapse test).
    @usableFromInline let n: Double
    @usableFromInline let inverseN: Double

    /// How far `m2` may fall below `peak2` before the sums are rebuilt.
    @usableFromInline static var collapseRatio: Double { 1000 }

    @inlinable
    init(period: Int) {
        window = FixedRing(capacity: period, filler: 0)
        n = Double(period)
        inverseN = 1 / Double(period)
    }

    @inlinable var period: Int { window.capacity }
    @inlinable var isFull: Bool { window.isFull }

    @inlinable
    mutating func add(_ x: Double) {
        if window.count == 0 { shift = x }
        let d = x - shift
        sum1 += d
        sum2 += d * d
        if sum2 > peak2 { peak2 = sum2 }
        if let oldest = window.push(x) {
            let e = oldest - shift
            sum1 -= e
            sum2 -= e * e
        }
        updatesSinceRebuild += 1
        if window.isFull
            && (updatesSinceRebuild >= window.capacity || (sum2 - sum1 * sum1 * inverseN) * Self.collapseRatio < peak2)
        {
            rebuild()
        }
    }

    /// Σ(x − mean)² straight from the sums (may be a rounding below zero).
    @inlinable var rawM2: Double { sum2 - sum1 * (sum1 / n) }

    /// Σ(x − mean)² over the window, never negative.
    @inlinable var m2: Double { max(0, rawM2) }

    /// Mean of the values held (valid once at least one value was added).
    @inlinable var mean: Double { shift + sum1 / Double(window.count) }

    /// `x − mean`, accurate even when x and the mean agree in most digits.
    @inlinable func deviation(of x: Double) -> Double { (x - shift) - sum1 / Double(window.count) }

    /// Recomputes the sums from the window around a fresh anchor (rare: kept out of line).
    @usableFromInline
    mutating func rebuild() {
        updatesSinceRebuild = 0
        // The current mean is the best anchor; it need not be exact, only near the window.
        let anchor = shift + sum1 / n
        recompute(around: anchor.isFinite ? anchor : window.newest)
        if rawM2 * 1e6 < sum2 {
            // Flat to within the rounding of its own mean: anchor on a value of the window instead,
            // so that identical values give exactly zero.
            recompute(around: window.newest)
        }
        peak2 = sum2
    }

    @usableFromInline
    mutating func recompute(around anchor: Double) {
        shift = anchor
        var s1 = 0.0, s2 = 0.0
        for v in window.storage {
            let d = v - anchor
            s1 += d
            s2 += d * d
        }
        sum1 = s1
        sum2 = s2
    }

    @inlinable
    mutating func removeAll() {
        window.removeAll()
        shift = 0; sum1 = 0; sum2 = 0; peak2 = 0
        updatesSinceRebuild = 0
    }
}
