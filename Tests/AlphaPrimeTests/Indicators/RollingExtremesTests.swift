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

@Suite struct RollingExtremesTests {
    @Test func maximumAndMinimumOfTheLastN() {
        let highs: [Double] = [1, 3, 2, 5, 4, 4, 1, 0]
        #expect(values(RollingMaximum(period: 3), highs) == [nil, nil, 3, 5, 5, 5, 4, 4])
        #expect(values(RollingMinimum(period: 3), highs) == [nil, nil, 1, 2, 2, 4, 1, 0])
        #expect(values(RollingMaximum(period: 1), highs) == highs.map { Optional($0) })
    }

    @Test func barsSinceTheExtremeCountsFromTheLatest() {
        var maximum = RollingMaximum(period: 4)
        var minimum = RollingMinimum(period: 4)
        for x in [5.0, 9, 7, 9, 6] {
            maximum.update(x)
            minimum.update(x)
        }
        #expect(maximum.value == 9 && maximum.barsSinceMaximum == 1)  // the most recent 9
        #expect(minimum.value == 6 && minimum.barsSinceMinimum == 0)
    }

    @Test func agreesWithABruteForceWindowOnRandomSeriesWithTies() {
        var rng = SeededGenerator(seed: 7)
        for period in [1, 2, 3, 5, 20, 64] {
            var maximum = RollingMaximum(period: period)
            var minimum = RollingMinimum(period: period)
            var series: [Double] = []
            for i in 0..<3_000 {
                // Few distinct values (many ties) and long monotone runs, both hard cases for a deque.
                let x = i % 500 < 100 ? Double(i % 500) : Double(Int.random(in: 0..<8, using: &rng))
                series.append(x)
                maximum.update(x)
                minimum.update(x)
                if series.count >= period {
                    let window = series[(series.count - period)...]
                    #expect(maximum.value == window.max(), "period \(period) at \(i)")
                    #expect(minimum.value == window.min(), "period \(period) at \(i)")
                } else {
                    #expect(maximum.value == nil && minimum.value == nil)
                }
            }
        }
    }

    @Test func donchianChannelAgreesWithABruteForceWindow() {
        var rng = SeededGenerator(seed: 11)
        for period in [1, 2, 3, 7, 15, 40] {
            var channel = DonchianChannel(period: period)
            var highs: [Double] = [], lows: [Double] = []
            for i in 0..<2_000 {
                let base = i % 300 < 60 ? Double(i % 300) : Double(Int.random(in: 0..<6, using: &rng))
                let high = base + Double(Int.random(in: 0..<3, using: &rng))
                highs.append(high)
                lows.append(base)
                channel.update(high: high, low: base)
                if highs.count >= period {
                    let expected = DonchianChannel.Channel(upper: highs.suffix(period).max()!, lower: lows.suffix(period).min()!)
                    #expect(channel.value == expected, "period \(period) at \(i)")
                } else {
                    #expect(channel.value == nil)
                }
                if i == 1_000 {
                    channel.reset()
                    highs.removeAll()
                    lows.removeAll()
                }
            }
        }
    }

    @Test func donchianChannelOfHighsAndLows() {
        var channel = DonchianChannel(period: 2)
        channel.update(high: 10, low: 8)
        #expect(channel.value == nil && !channel.isReady)
        channel.update(high: 12, low: 9)
        #expect(channel.value == DonchianChannel.Channel(upper: 12, lower: 8))
        channel.update(high: 11, low: 10)
        #expect(channel.upper == 12 && channel.lower == 9 && channel.value?.middle == 10.5)
        channel.reset()
        #expect(channel.value == nil)
    }
}
