import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// Where a value lies against a threshold that was decided exactly.
public enum ExactComparison: Sendable, Equatable {
    case below, equal, above
}

/// Exact rolling sum and sum of squares of the last `period` integer values (prices in paise), and
/// comparisons against `mean + k·σ` decided with integers only — no rounding, no epsilon.
///
/// On a 0.05-rupee price grid a close exactly equal to its 20-bar SMA happens all the time, and a close
/// exactly on a Bollinger band happens too; in floating point such a tie comes out either way depending
/// on the order of operations. A rule such as "buy when close < SMA − 2σ, strictly" must give the same
/// answer in the backtest, in paper and live, and in another engine: decide it here.
///
/// ## The arithmetic
/// With `N` values, `S = Σx` and `Q = Σx²` (exact: `Int64` and `Int128`):
///
///     mean = S / N
///     σ²   = Q / N − (S / N)² = (N·Q − S²) / N²           population
///     s²   = (N·Q − S²) / (N·(N − 1))                      sample
///
/// Let `V = N·Q − S²` (an integer, never negative) and `D = N·x − S` (so `x − mean = D / N`).
/// For a rational multiplier `k = p / q` with `q > 0`, multiplying by `N·q > 0` keeps the sign:
///
///     sign(x − (mean + k·σ)) = sign(q·D − p·√V)                         population
///     sign(x − (mean + k·s)) = sign(q·D − p·√(V·N/(N − 1)))              sample
///
/// With `A = q·D` and `R = V` (population) or `R = V·N/(N − 1)` (sample, both sides then multiplied
/// by `N − 1`), the square root is removed without losing the sign:
/// - `p = 0` or `V = 0`: the sign of `A` (that is `x` against the mean).
/// - `p > 0`: if `A ≤ 0` the value is below; otherwise both sides are positive and
///   `sign(A − p√R) = sign(A² − p²·R)`.
/// - `p < 0`: if `A ≥ 0` the value is above; otherwise `sign(A + |p|√R) = sign(p²·R − A²)`.
///
/// For example the lower Bollinger band with k = 2 (`p = −2, q = 1`), writing `d = S − N·x = −A`:
/// `x < mean − 2σ  ⇔  d > 0 and d² > 4·(N·Q − S²)`; a close exactly on the band has `d² = 4·V` and is
/// not below it. A close exactly at the mean has `D = 0`.
///
/// Range: every product is an `Int128` and traps rather than wraps. Prices up to 10⁹ paise, periods up
/// to 10 000 and `|p|, q` up to 1 000 stay far inside it.
///
/// Warm-up: comparisons and statistics are nil (the Bool helpers false) until `period` values
/// (lookback `period − 1`). O(1) per update, no allocation after `init`.
@available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *)
public struct RollingIntegerStats: Sendable {
    /// Which standard deviation a comparison uses.
    public enum Deviation: Sendable {
        /// σ, dividing by N (TA-Lib `STDDEV`, Bollinger bands).
        case population
        /// s, dividing by N − 1.
        case sample
    }

    @usableFromInline var window: FixedRing<Int64>
    @usableFromInline var runningSum: Int64 = 0
    @usableFromInline var runningSumOfSquares: Int128 = 0

    /// - Parameter period: window length, at least 1.
    @inlinable
    public init(period: Int) {
        precondition(period >= 1, "rolling statistics period must be at least 1")
        window = FixedRing(capacity: period, filler: 0)
    }

    @inlinable public var period: Int { window.capacity }
    @inlinable public var lookback: Int { window.capacity - 1 }
    @inlinable public var isReady: Bool { window.isFull }
    /// How many values the window holds (at most `period`).
    @inlinable public var count: Int { window.count }

    /// Σx over the window.
    @inlinable public var sum: Int64 { runningSum }
    /// Σx² over the window.
    @inlinable public var sumOfSquares: Int128 { runningSumOfSquares }

    @inlinable @inline(__always)
    public mutating func update(_ value: Int64) {
        runningSum += value
        runningSumOfSquares += Self.square(value)
        if let oldest = window.push(value) {
            runningSum -= oldest
            runningSumOfSquares -= Self.square(oldest)
        }
    }

    /// x² of an `Int64` as an `Int128`: |x²| < 2¹²⁶ cannot overflow, so a wrapping multiply is exact
    /// (and compiles to one widening multiply).
    @inlinable
    static func square(_ x: Int64) -> Int128 { Int128(x) &* Int128(x) }

    @inlinable
    public mutating func update(_ price: Paise) { update(price.value) }

    /// `V = N·Q − S² = N²·σ²` over the window (exact), or nil while warming up.
    @inlinable public var scaledVariance: Int128? {
        guard window.isFull else { return nil }
        let s = Int128(runningSum)
        return Int128(window.capacity) * runningSumOfSquares - s * s
    }

    /// The mean, rounded to a `Double` — for display and statistics; decide with `compare`.
    @inlinable public var mean: Double? { window.isFull ? Double(runningSum) / Double(window.capacity) : nil }

    /// σ rounded to a `Double` — for display and statistics; decide with `compare`.
    @inlinable public var populationStandardDeviation: Double? {
        scaledVariance.map { Double($0).squareRoot() / Double(window.capacity) }
    }

    /// s rounded to a `Double` — for display and statistics; nil for `period == 1`.
    @inlinable public var sampleStandardDeviation: Double? {
        guard window.capacity > 1, let v = scaledVariance else { return nil }
        let n = Double(window.capacity)
        return (Double(v) / (n * (n - 1))).squareRoot()
    }

    /// Where `x` lies against `mean + (numerator / denominator)·σ`, decided exactly; nil while warming
    /// up (and for a sample deviation with `period == 1`). `numerator` may be negative (lower bands)
    /// or zero (the mean itself); `denominator` must be positive.
    @inlinable @inline(__always)
    public func compare(_ x: Int64, toMeanPlus numerator: Int64, over denominator: Int64 = 1,
                        deviation: Deviation = .population) -> ExactComparison? {
        precondition(denominator > 0, "the deviation multiplier's denominator must be positive")
        guard window.isFull else { return nil }
        let n = Int64(window.capacity)
        if deviation == .sample && n == 1 { return nil }
        // D = N·x − S: the sign of x − mean (and A = q·D in the derivation above).
        let d = n * x - runningSum
        // Decided without σ: the mean itself, or a value strictly on the far side of the mean from
        // the band (a value at the mean still needs σ: it is on a zero-width band when σ = 0).
        if numerator == 0 { return Self.comparison(sign: d) }
        if numerator > 0 && d < 0 { return .below }
        if numerator < 0 && d > 0 { return .above }
        let s = Int128(runningSum)
        let v = Int128(n) * runningSumOfSquares - s * s  // V = N·Q − S²
        if v == 0 { return Self.comparison(sign: d) }
        let a = Int128(denominator) * Int128(d)
        var aSquared = a * a
        var pSquaredV = Int128(numerator) * Int128(numerator) * v
        if deviation == .sample {
            aSquared *= Int128(n - 1)
            pSquaredV *= Int128(n)
        }
        // p > 0 (here A > 0): sign(A² − p²R); p < 0 (here A < 0): sign(p²R − A²).
        return Self.comparison(sign: numerator > 0 ? aSquared - pSquaredV : pSquaredV - aSquared)
    }

    @inlinable
    public func compare(_ price: Paise, toMeanPlus numerator: Int64, over denominator: Int64 = 1,
                        deviation: Deviation = .population) -> ExactComparison? {
        compare(price.value, toMeanPlus: numerator, over: denominator, deviation: deviation)
    }

    /// `x < mean − k·σ`, strictly (a value exactly on the band is not below it); false while warming up.
    @inlinable @inline(__always)
    public func isBelowLowerBand(_ x: Int64, sigmas k: Int64, deviation: Deviation = .population) -> Bool {
        compare(x, toMeanPlus: -k, deviation: deviation) == .below
    }

    /// `x > mean + k·σ`, strictly; false while warming up.
    @inlinable @inline(__always)
    public func isAboveUpperBand(_ x: Int64, sigmas k: Int64, deviation: Deviation = .population) -> Bool {
        compare(x, toMeanPlus: k, deviation: deviation) == .above
    }

    /// `x > mean`, strictly (a value equal to the mean is not above it); false while warming up.
    @inlinable @inline(__always)
    public func isAboveMean(_ x: Int64) -> Bool { compare(x, toMeanPlus: 0) == .above }

    /// `x < mean`, strictly; false while warming up.
    @inlinable @inline(__always)
    public func isBelowMean(_ x: Int64) -> Bool { compare(x, toMeanPlus: 0) == .below }

    @inlinable
    public func isBelowLowerBand(_ price: Paise, sigmas k: Int64, deviation: Deviation = .population) -> Bool {
        isBelowLowerBand(price.value, sigmas: k, deviation: deviation)
    }

    @inlinable
    public func isAboveUpperBand(_ price: Paise, sigmas k: Int64, deviation: Deviation = .population) -> Bool {
        isAboveUpperBand(price.value, sigmas: k, deviation: deviation)
    }

    @inlinable public func isAboveMean(_ price: Paise) -> Bool { isAboveMean(price.value) }
    @inlinable public func isBelowMean(_ price: Paise) -> Bool { isBelowMean(price.value) }

    @inlinable
    public mutating func reset() {
        window.removeAll()
        runningSum = 0
        runningSumOfSquares = 0
    }

    @inlinable
    static func comparison<T: BinaryInteger>(sign v: T) -> ExactComparison {
        v < 0 ? .below : (v == 0 ? .equal : .above)
    }
}
