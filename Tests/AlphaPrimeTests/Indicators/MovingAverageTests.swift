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

@Suite struct MovingAverageTests {
    @Test func smaAveragesTheLastN() {
        #expect(values(SimpleMovingAverage(period: 3), [1, 2, 3, 4, 5]) == [nil, nil, 2, 3, 4])
        #expect(values(SimpleMovingAverage(period: 1), [7, 8]) == [7, 8])
        var sma = SimpleMovingAverage(period: 2)
        sma.update(1); sma.update(3)
        #expect(sma.isReady && sma.value == 2)
        sma.reset()
        #expect(!sma.isReady && sma.value == nil)
    }

    @Test func emaSeedsWithTheSMAOfTheFirstN() {
        // k = 2 / (3 + 1) = 0.5; seed = (1 + 2 + 3) / 3 = 2; then (4 − 2)·0.5 + 2 = 3; (5 − 3)·0.5 + 3 = 4.
        #expect(values(ExponentialMovingAverage(period: 3), [1, 2, 3, 4, 5]) == [nil, nil, 2, 3, 4])
        // k = 2/3; seed = (1 + 3) / 2 = 2; then (5 − 2)·2/3 + 2 = 4.
        let two = values(ExponentialMovingAverage(period: 2), [1, 3, 5])
        #expect(two[0] == nil && two[1] == 2 && isClose(two[2], 4))
        #expect(values(ExponentialMovingAverage(period: 1), [5, 9]) == [5, 9])
    }

    @Test func standardDeviationPopulationAndSample() {
        var sd = RollingStandardDeviation(period: 4)
        let series: [Double] = [2, 4, 4, 4, 5, 5, 7, 9]
        // Window → Σ(x − mean)²: [2,4,4,4] → 3, [4,4,4,5] → 0.75, [4,4,5,5] → 1, [4,5,5,7] → 4.75, [5,5,7,9] → 11.
        let m2: [Double?] = [nil, nil, nil, 3, 0.75, 1, 4.75, 11]
        for (x, expected) in zip(series, m2) {
            sd.update(x)
            guard let expected else {
                #expect(sd.population == nil && sd.sample == nil && !sd.isReady)
                continue
            }
            #expect(isClose(sd.population, (expected / 4).squareRoot()))
            #expect(isClose(sd.sample, (expected / 3).squareRoot()))
            #expect(isClose(sd.populationVariance, expected / 4))
            #expect(isClose(sd.sampleVariance, expected / 3))
        }
        // The classic example: population σ of all eight values is exactly 2.
        var all = RollingStandardDeviation(period: 8)
        for x in series { all.update(x) }
        #expect(isClose(all.population, 2, tolerance: 1e-15))
        #expect(isClose(all.mean, 5, tolerance: 1e-15))
        #expect(RollingStandardDeviation(period: 1).sample == nil)
    }

    @Test func flatWindowHasExactlyZeroDeviationAfterAJump() {
        var sd = RollingStandardDeviation(period: 3)
        var z = RollingZScore(period: 3)
        for x in [14_702.55, 14_950.05, 14_702.55, 14_702.55, 14_702.55] {
            sd.update(x)
            z.update(x)
        }
        #expect(sd.population == 0)
        #expect(sd.sample == 0)
        #expect(sd.mean == 14_702.55)
        #expect(z.isReady && z.value == nil)  // undefined while σ = 0
    }

    @Test func bollingerBandsAreSMAPlusMinusKSigma() {
        var bands = BollingerBands(period: 4, deviations: 2)
        for x in [2.0, 4, 4] { bands.update(x) }
        #expect(bands.value == nil && !bands.isReady)
        bands.update(4)
        // middle 3.5, σ = √0.75, 2σ = √3.
        let b = bands.value
        #expect(isClose(b?.middle, 3.5))
        #expect(isClose(b?.upper, 3.5 + 3.0.squareRoot()))
        #expect(isClose(b?.lower, 3.5 - 3.0.squareRoot()))

        var skewed = BollingerBands(period: 4, deviationsUp: 1, deviationsDown: 3)
        for x in [2.0, 4, 4, 4] { skewed.update(x) }
        #expect(isClose(skewed.value?.upper, 3.5 + 0.75.squareRoot()))
        #expect(isClose(skewed.value?.lower, 3.5 - 3 * 0.75.squareRoot()))
    }

    @Test func zScoreOfTheLatestInput() {
        let z = values(RollingZScore(period: 4), [2, 4, 4, 4, 5])
        #expect(z[0] == nil && z[2] == nil)
        #expect(isClose(z[3], 1 / 3.0.squareRoot()))  // (4 − 3.5) / √0.75
        #expect(isClose(z[4], 3.0.squareRoot()))  // (5 − 4.25) / √0.1875
        // A close equal to its mean scores 0 (prices exact in binary, so the tie is a true tie).
        let tie = values(RollingZScore(period: 3), [14_702.5, 14_702.75, 14_702.625])
        #expect(tie[2] == 0)
    }
}
