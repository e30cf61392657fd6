import Testing
import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import AlphaPrimeCore
import AlphaPrimePaper
import AlphaPrimeStore
import AlphaPrimeConfig
import AlphaPrimeLogs
import AlphaPrimeOps
import AlphaPrimeCommands

/// Exact decisions on constructed ties: the cases the reference preset meets on a 0.05-rupee grid,
/// where floating point answers by luck. Prices are in paise.
@Suite struct RollingIntegerStatsTests {
    /// The obvious floating-point way: mean and population σ of the rupee closes.
    static func naiveMeanAndSigma(_ paise: [Int64]) -> (mean: Double, sigma: Double) {
        let rupees = paise.map { Double($0) / 100 }
        var sum = 0.0
        for x in rupees { sum += x }
        let mean = sum / Double(rupees.count)
        var squares = 0.0
        for x in rupees { squares += (x - mean) * (x - mean) }
        return (mean, (squares / Double(rupees.count)).squareRoot())
    }

    @available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *)
    static func stats(_ window: [Int64]) -> RollingIntegerStats {
        var stats = RollingIntegerStats(period: window.count)
        for x in window { stats.update(x) }
        return stats
    }

    @available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *)
    @Test func aCloseExactlyAtTheSMAIsNeitherAboveNorBelow() {
        // ₹14700.05/14700.15 nine times each, then ₹14700.10 twice: the mean is exactly ₹14700.10.
        let m: Int64 = 1_470_010
        let window = Array(repeating: [m - 5, m + 5], count: 9).flatMap { $0 } + [m, m]
        let stats = Self.stats(window)
        #expect(stats.sum == 20 * m)
        #expect(stats.compare(m, toMeanPlus: 0) == .equal)
        #expect(!stats.isAboveMean(m) && !stats.isBelowMean(m))
        #expect(stats.isAboveMean(m + 5) && stats.isBelowMean(m - 5))
        #expect(stats.isAboveMean(Paise(m + 1)))
        // Floating point gets this one wrong: the rupee mean comes out a hair below the close, so a
        // "close > SMA" exit would fire on a tie.
        #expect(Self.naiveMeanAndSigma(window).mean < Double(m) / 100)
    }

    @available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *)
    @Test func aCloseExactlyOnTheLowerBandIsNotBelowIt() {
        // Three closes 20 paise under the mean and sixteen 5 paise over it, then the close under test,
        // again 20 paise under: mean = m exactly, σ² = (4·20² + 16·5²) / 20 = 100, σ = 10 paise, so the
        // lower band m − 2σ = m − 20 is the close itself.
        let m: Int64 = 1_470_015
        let x = m - 20
        let window = [x, x, x] + Array(repeating: m + 5, count: 16) + [x]
        let stats = Self.stats(window)
        #expect(stats.sum == 20 * m)
        #expect(stats.scaledVariance == Int128(400 * 100))  // N²·σ² with σ = 10 paise
        #expect(stats.populationStandardDeviation == 10)
        #expect(stats.compare(x, toMeanPlus: -2) == .equal)
        #expect(!stats.isBelowLowerBand(x, sigmas: 2))
        #expect(!stats.isBelowLowerBand(Paise(x), sigmas: 2))
        #expect(stats.compare(x - 1, toMeanPlus: -2) == .below)
        #expect(stats.compare(x + 1, toMeanPlus: -2) == .above)
        #expect(stats.isBelowLowerBand(x - 5, sigmas: 2))
        // Rational multipliers: the 1.5σ band is m − 15.
        #expect(stats.compare(m - 15, toMeanPlus: -3, over: 2) == .equal)
        #expect(stats.compare(m - 16, toMeanPlus: -3, over: 2) == .below)
        // Floating point says the close is below its own band: a buy on a tie.
        let naive = Self.naiveMeanAndSigma(window)
        #expect(Double(x) / 100 < naive.mean - 2 * naive.sigma)
    }

    @available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *)
    @Test func aCloseExactlyOnTheUpperBandIsNotAboveIt() {
        let m: Int64 = 2_345_600
        let x = m + 20
        let window = [x, x, x] + Array(repeating: m - 5, count: 16) + [x]
        let stats = Self.stats(window)
        #expect(stats.compare(x, toMeanPlus: 2) == .equal)
        #expect(!stats.isAboveUpperBand(x, sigmas: 2))
        #expect(stats.isAboveUpperBand(x + 1, sigmas: 2))
        #expect(!stats.isAboveUpperBand(Paise(x), sigmas: 2))
    }

    @available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *)
    @Test func sampleDeviationTies() {
        // Deviations −5, −5, 0, +5, +5 around b + 5: Σd² = 100, s² = 100/4 = 25, so s = 5 and the last
        // close is exactly mean + 1·s; against the population σ = √20 it is above mean + 1·σ.
        let b: Int64 = 1_000_000
        let stats = Self.stats([b, b, b + 5, b + 10, b + 10])
        #expect(stats.compare(b + 10, toMeanPlus: 1, deviation: .sample) == .equal)
        #expect(stats.compare(b + 10, toMeanPlus: 1, deviation: .population) == .above)
        #expect(stats.compare(b, toMeanPlus: -1, deviation: .sample) == .equal)
        #expect(stats.sampleStandardDeviation == 5)
        #expect(RollingIntegerStats(period: 1).compare(1, toMeanPlus: 1, deviation: .sample) == nil)
    }

    @available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *)
    @Test func nothingIsDecidedWhileWarmingUp() {
        var stats = RollingIntegerStats(period: 3)
        stats.update(100)
        stats.update(Paise(200))
        #expect(!stats.isReady && stats.count == 2)
        #expect(stats.compare(50, toMeanPlus: -2) == nil)
        #expect(!stats.isBelowLowerBand(0, sigmas: 2) && !stats.isAboveMean(1_000))
        #expect(stats.mean == nil && stats.scaledVariance == nil)
        stats.update(300)
        #expect(stats.isReady && stats.mean == 200)
        stats.reset()
        #expect(!stats.isReady && stats.sum == 0 && stats.sumOfSquares == 0)
    }

    @available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *)
    @Test func flatWindowComparesAgainstTheMeanOnly() {
        let stats = Self.stats(Array(repeating: 1_470_000, count: 20))
        #expect(stats.scaledVariance == Int128(0))
        #expect(stats.compare(1_470_000, toMeanPlus: -2) == .equal)
        #expect(!stats.isBelowLowerBand(1_470_000, sigmas: 2))
        #expect(stats.isBelowLowerBand(1_469_995, sigmas: 2))
    }

    @available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *)
    @Test func slidingSumsStayExactAndDecisionsMatchClearFloatingPointCases() {
        var rng = SeededGenerator(seed: 42)
        for period in [2, 5, 20] {
            var stats = RollingIntegerStats(period: period)
            var series: [Int64] = []
            var price: Int64 = 1_470_000
            var ties = 0
            for _ in 0..<5_000 {
                price += 5 * Int64.random(in: -3...3, using: &rng)
                series.append(price)
                stats.update(price)
                guard series.count >= period else { continue }
                let window = series.suffix(period)
                #expect(stats.sum == window.reduce(0, +))
                #expect(stats.sumOfSquares == window.reduce(Int128(0)) { $0 + Int128($1) * Int128($1) })
                // Against a threshold far enough from x, the exact answer is the floating-point one.
                let n = Double(period)
                let mean = Double(stats.sum) / n
                let sigma = Double(stats.scaledVariance!).squareRoot() / n
                for k in Int64(-3)...3 {
                    for q in Int64(1)...2 {
                        let x = price + 5 * Int64.random(in: -4...4, using: &rng)
                        let threshold = mean + Double(k) / Double(q) * sigma
                        let exact = stats.compare(x, toMeanPlus: k, over: q)
                        if exact == .equal { ties += 1 }
                        if abs(Double(x) - threshold) > 1e-6 {
                            #expect(exact == (Double(x) < threshold ? .below : .above), "x \(x) k \(k)/\(q)")
                        }
                    }
                }
            }
            #expect(ties > 0, "period \(period): the random walk should meet exact ties")
        }
    }

    @available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *)
    @Test func everySmallWindowAgreesWithDirectArithmetic() {
        // All windows of three values in 0...6 and every x in −1...7: on such small integers a true tie
        // is 0 to within 1e-14 in floating point and anything else is at least ~1e-3 away, so the
        // floating-point difference x − (mean + k·σ) is an independent oracle.
        var ties = 0
        for a in Int64(0)...6 {
            for b in Int64(0)...6 {
                for c in Int64(0)...6 {
                    let stats = Self.stats([a, b, c])
                    let mean = Double(a + b + c) / 3
                    let squares = [a, b, c].map { (Double($0) - mean) * (Double($0) - mean) }.reduce(0, +)
                    for (deviation, sigma) in [(RollingIntegerStats.Deviation.population, (squares / 3).squareRoot()),
                                               (.sample, (squares / 2).squareRoot())] {
                        for x in Int64(-1)...7 {
                            for k in Int64(-3)...3 {
                                for q in Int64(1)...2 {
                                    let difference = Double(x) - (mean + Double(k) / Double(q) * sigma)
                                    let expected: ExactComparison =
                                        abs(difference) < 1e-9 ? .equal : (difference < 0 ? .below : .above)
                                    if expected == .equal { ties += 1 }
                                    #expect(stats.compare(x, toMeanPlus: k, over: q, deviation: deviation) == expected,
                                            "[\(a), \(b), \(c)] x \(x) k \(k)/\(q) \(deviation)")
                                }
                            }
                        }
                    }
                }
            }
        }
        #expect(ties > 1_000)
    }

    @available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *)
    @Test func largePricesAndLongWindowsDoNotOverflow() {
        var stats = RollingIntegerStats(period: 10_000)
        for i in 0..<10_000 { stats.update(1_000_000_000 + Int64(i % 7) * 5) }
        #expect(stats.compare(1_000_000_000, toMeanPlus: -1_000, over: 999) != nil)
        #expect(stats.isAboveUpperBand(2_000_000_000, sigmas: 3))
    }
}
