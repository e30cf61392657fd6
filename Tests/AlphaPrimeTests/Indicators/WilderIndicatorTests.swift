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

@Suite struct WilderIndicatorTests {
    @Test func atrSeedsWithTheMeanTrueRangeThenSmooths() {
        // (high, low, close); true ranges from the second bar: 2, 2, 4, 1, 7 (a gap up from 13 to 18–20).
        let bars: [(Double, Double, Double)] = [(10, 8, 9), (11, 9, 10), (12, 10, 11), (15, 11, 14), (14, 13, 13), (20, 18, 19)]
        var atr = AverageTrueRange(period: 3)
        var got: [Double?] = []
        var ranges: [Double?] = []
        for (h, l, c) in bars {
            atr.update(high: h, low: l, close: c)
            got.append(atr.value)
            ranges.append(atr.trueRange)
        }
        #expect(got[0] == nil && got[1] == nil && got[2] == nil)
        #expect(isClose(got[3], 8.0 / 3))  // (2 + 2 + 4) / 3
        #expect(isClose(got[4], 19.0 / 9))  // (8/3 · 2 + 1) / 3
        #expect(isClose(got[5], 101.0 / 27))  // (19/9 · 2 + 7) / 3
        #expect(ranges == [nil, 2, 2, 4, 1, 7])

        var one = AverageTrueRange(period: 1)  // ATR(1) is the true range itself
        var ones: [Double?] = []
        for (h, l, c) in bars {
            one.update(high: h, low: l, close: c)
            ones.append(one.value)
        }
        #expect(ones == [nil, 2, 2, 4, 1, 7])
    }

    @Test func rsiUsesWildersAveragesOfGainsAndLosses() {
        // Changes +1, −0.5, +1.5, 0, −1. Seed: gain 0.5, loss 0.25 → 66.67; then gain 1, loss 0.125 → 88.89;
        // gain 0.5, loss 0.0625 → 88.89; gain 0.25, loss 0.53125 → 32.
        let rsi = values(RelativeStrengthIndex(period: 2), [10, 11, 10.5, 12, 12, 11])
        #expect(rsi[0] == nil && rsi[1] == nil)
        #expect(isClose(rsi[2], 200.0 / 3))
        #expect(isClose(rsi[3], 800.0 / 9))
        #expect(isClose(rsi[4], 800.0 / 9))
        #expect(isClose(rsi[5], 32))
        #expect(values(RelativeStrengthIndex(period: 3), [5, 5, 5, 5, 5]).last == 0)  // no movement: TA-Lib gives 0
        #expect(values(RelativeStrengthIndex(period: 3), [1, 2, 3, 4, 5]).last == 100)
    }

    @Test func adxAndDirectionalIndicators() {
        let bars: [(Double, Double, Double)] = [(10, 8, 9), (11, 9, 10), (12, 9.5, 10), (11, 8, 8.5), (10, 7, 9), (12, 9, 11.5)]
        var adx = AverageDirectionalIndex(period: 2)
        var a: [Double?] = [], plus: [Double?] = [], minus: [Double?] = []
        for (h, l, c) in bars {
            adx.update(high: h, low: l, close: c)
            a.append(adx.value); plus.append(adx.plusDI); minus.append(adx.minusDI)
        }
        // +DM 1,1,0,0,2; −DM 0,0,1.5,1,0; TR 2,2.5,3,3,3. Smoothed (N = 2) from the third bar:
        // +DM 1.5,0.75,0.375,2.1875; −DM 0,1.5,1.75,0.875; TR 3.5,4.75,5.375,5.6875.
        #expect(plus[0] == nil && plus[1] == nil && minus[1] == nil)
        #expect(isClose(plus[2], 300.0 / 7) && minus[2] == 0)
        #expect(isClose(plus[3], 300.0 / 19) && isClose(minus[3], 600.0 / 19))
        #expect(isClose(plus[4], 300.0 / 43) && isClose(minus[4], 1400.0 / 43))
        #expect(isClose(plus[5], 500.0 / 13) && isClose(minus[5], 200.0 / 13))
        // DX 100, 100/3, 1100/17, 300/7; first ADX = (100 + 100/3) / 2, then Wilder.
        #expect(a[0] == nil && a[1] == nil && a[2] == nil && adx.isReady)
        #expect(isClose(a[3], 200.0 / 3))
        #expect(isClose(a[4], 3350.0 / 51))
        #expect(isClose(a[5], 38750.0 / 714))
    }

    @Test func undefinedDXIsSkippedAsInTALib() {
        // Four identical bars: no directional movement, so both DI are 0 and DX (0/0) is undefined:
        // the first ADX sums no DX and is 0. Then two bars up: DX = 100 each, ADX 0 → 50 → 75.
        let bars: [(Double, Double, Double)] = [(10, 8, 9), (10, 8, 9), (10, 8, 9), (10, 8, 9), (11, 9, 10), (12, 10, 11)]
        var adx = AverageDirectionalIndex(period: 2)
        var a: [Double?] = [], plus: [Double?] = []
        for (h, l, c) in bars {
            adx.update(high: h, low: l, close: c)
            a.append(adx.value); plus.append(adx.plusDI)
        }
        #expect(a == [nil, nil, nil, 0, 50, 75])
        #expect(plus[2] == 0 && plus[3] == 0)
        #expect(isClose(plus[4], 100 / 3.75) && isClose(plus[5], 150 / 3.875))
        #expect(adx.minusDI == 0)

        // No range at all (high = low = close): TR is 0, both DI are 0 by TA-Lib's convention.
        var still = AverageDirectionalIndex(period: 2)
        for _ in 0..<6 { still.update(high: 10, low: 10, close: 10) }
        #expect(still.value == 0 && still.plusDI == 0 && still.minusDI == 0)
    }
}
