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

/// A long synthetic stream (a tick-grid random walk with calm and wild stretches, gaps, flat runs)
/// through the floating-point window statistics, checked at every bar against the exact integer
/// statistics of the same values: rounding must not build up, and must not survive a volatility
/// collapse (a wide window followed by a flat one).
@Suite struct LongStreamAccuracyTests {
    @available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *)
    @Test(arguments: [5, 20, 200])
    func windowStatisticsStayExactToTheLastDigits(period: Int) {
        var rng = SeededGenerator(seed: UInt64(period))
        var exact = RollingIntegerStats(period: period)
        var sma = SimpleMovingAverage(period: period)
        var deviation = RollingStandardDeviation(period: period)
        var z = RollingZScore(period: period)
        var bands = BollingerBands(period: period, deviations: 2)
        var price: Int64 = 1_470_000  // paise, fed to the Double indicators as whole numbers (exact)
        var worstSigma = 0.0, worstMean = 0.0, worstZ = 0.0, flatWindows = 0
        for bar in 0..<100_000 {
            switch (bar / 2_000) % 4 {
            case 0: price += 5 * Int64.random(in: -4...4, using: &rng)  // ordinary
            case 1: price += 5 * Int64.random(in: -400...400, using: &rng)  // wild
            case 2: if bar % 2_000 == 0 { price += 500_000 }  // a gap, then flat
            default: price += 5 * Int64.random(in: -1...1, using: &rng) * (bar % 3 == 0 ? 1 : 0)  // calm
            }
            let x = Double(price)
            exact.update(price); sma.update(x); deviation.update(x); z.update(x); bands.update(x)
            guard let v = exact.scaledVariance else {
                #expect(sma.value == nil && deviation.population == nil && bands.value == nil)
                continue
            }
            let n = Double(period)
            let mean = Double(exact.sum) / n
            let sigma = Double(v).squareRoot() / n
            worstMean = max(worstMean, abs(sma.value! - mean) / mean)
            worstMean = max(worstMean, abs(bands.value!.middle - mean) / mean)
            if v == 0 {
                flatWindows += 1
                #expect(deviation.population == 0, "bar \(bar): a flat window must have σ = 0 exactly")
                #expect(z.value == nil)
            } else {
                worstSigma = max(worstSigma, abs(deviation.population! - sigma) / sigma)
                let zExact = Double(n * x - Double(exact.sum)) / Double(v).squareRoot()
                worstZ = max(worstZ, abs(z.value! - zExact) / max(1, abs(zExact)))
            }
        }
        #expect(flatWindows > 0)
        #expect(worstMean < 1e-15)
        #expect(worstSigma < 1e-11)
        #expect(worstZ < 1e-11)
        print("period \(period): max rel err mean \(worstMean), sigma \(worstSigma), z \(worstZ); \(flatWindows) flat windows")
    }
}
