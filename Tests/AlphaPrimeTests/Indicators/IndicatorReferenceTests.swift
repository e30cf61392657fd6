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

/// Every indicator against TA-Lib (and numpy/pandas where TA-Lib has no such function) on real bars:
/// each value to 1e-9 relative, and the same warm-up (a reference cell is empty exactly when the
/// indicator is not ready). The fixtures and the script that made them are described in
/// `scripts/reference/make_indicator_reference.py`.
@Suite struct IndicatorReferenceTests {
    static let slices = [
        "NIFTY50_2021-03-01_2021-03-02.txt",
        "BANKNIFTY_2021-02-24_2021-02-25.txt",
        "RELIANCE_5minute_2025-08-25_2025-08-29.csv",
    ]

    /// `|actual − expected| ≤ 1e-9 · max(|expected|, 1e-3)`: relative, with an absolute floor of 1e-12
    /// for values near zero (a z-score of a close at its mean, a +DI of a falling market).
    static let relativeTolerance = 1e-9
    static let magnitudeFloor = 1e-3

    @Test(arguments: slices)
    func matchesReference(slice: String) throws {
        let bars = try FixtureBars(fixture: slice)
        let reference = try ReferenceTable(fixture: slice.split(separator: ".").dropLast().joined(separator: ".")
            + ".reference.csv")
        #expect(reference.rowCount == bars.count)
        let computed = replay(bars)
        #expect(Set(computed.keys).isSuperset(of: reference.columns.keys))

        var report: [String] = []
        for (column, expected) in reference.columns.sorted(by: { $0.key < $1.key }) {
            let actual = computed[column] ?? []
            try #require(actual.count == expected.count, "\(column): \(actual.count) values for \(expected.count) bars")
            var worst = 0.0, checked = 0
            for (bar, (a, e)) in zip(actual, expected).enumerated() {
                switch (a, e) {
                case (nil, nil): continue
                case let (a?, e?):
                    let error = abs(a - e) / max(abs(e), Self.magnitudeFloor)
                    worst = max(worst, error)
                    checked += 1
                    #expect(error <= Self.relativeTolerance, "\(slice) \(column) bar \(bar): \(a) vs TA-Lib \(e)")
                case let (a, e):
                    Issue.record("\(slice) \(column) bar \(bar): ready \(a != nil), reference ready \(e != nil)")
                }
            }
            report.append("\(column) \(checked) values, max rel err \(worst)")
        }
        // Bollinger middle band = SMA of the same period (TA-Lib BBANDS with matype SMA).
        for (middle, sma) in zip(computed["bbmiddle20"] ?? [], reference.columns["sma20"] ?? []) {
            #expect((middle == nil) == (sma == nil))
            if let middle, let sma { #expect(abs(middle - sma) <= Self.relativeTolerance * abs(sma)) }
        }
        print("[\(slice)] " + report.joined(separator: "; "))
    }

    /// Feeds the bars to one instance of each indicator at the periods of the reference script and
    /// records every value after every bar, keyed like the reference columns.
    func replay(_ bars: FixtureBars) -> [String: [Double?]] {
        var sma20 = SimpleMovingAverage(period: 20), sma50 = SimpleMovingAverage(period: 50)
        var ema20 = ExponentialMovingAverage(period: 20)
        var deviation20 = RollingStandardDeviation(period: 20)
        var z20 = RollingZScore(period: 20)
        var bollinger = BollingerBands(period: 20, deviations: 2)
        var atr14 = AverageTrueRange(period: 14)
        var rsi2 = RelativeStrengthIndex(period: 2), rsi14 = RelativeStrengthIndex(period: 14)
        var adx5 = AverageDirectionalIndex(period: 5), adx14 = AverageDirectionalIndex(period: 14)
        var donchian = DonchianChannel(period: 20)
        var vwap = SessionVWAP()

        var out: [String: [Double?]] = [:]
        func record(_ key: String, _ value: Double?) { out[key, default: []].append(value) }
        for i in 0..<bars.count {
            let (h, l, c) = (bars.high[i], bars.low[i], bars.close[i])
            sma20.update(c); sma50.update(c); ema20.update(c)
            deviation20.update(c); z20.update(c); bollinger.update(c)
            atr14.update(high: h, low: l, close: c)
            rsi2.update(c); rsi14.update(c)
            adx5.update(high: h, low: l, close: c); adx14.update(high: h, low: l, close: c)
            donchian.update(high: h, low: l)
            vwap.update(high: h, low: l, close: c, volume: bars.volume[i], startsSession: bars.startsSession[i])

            record("sma20", sma20.value); record("sma50", sma50.value); record("ema20", ema20.value)
            record("stddev20", deviation20.population); record("sstddev20", deviation20.sample)
            record("zscore20", z20.value)
            record("bbupper20", bollinger.value?.upper); record("bbmiddle20", bollinger.value?.middle)
            record("bblower20", bollinger.value?.lower)
            record("atr14", atr14.value)
            record("rsi2", rsi2.value); record("rsi14", rsi14.value)
            record("adx5", adx5.value); record("plusdi5", adx5.plusDI); record("minusdi5", adx5.minusDI)
            record("adx14", adx14.value); record("plusdi14", adx14.plusDI); record("minusdi14", adx14.minusDI)
            record("max20", donchian.upper); record("min20", donchian.lower)
            record("vwap", vwap.value)
        }
        return out
    }

    /// The warm-up of each indicator is TA-Lib's lookback (the index of its first output).
    @Test func lookbacksAreTALibs() {
        #expect(SimpleMovingAverage(period: 20).lookback == 19)
        #expect(ExponentialMovingAverage(period: 20).lookback == 19)
        #expect(RollingStandardDeviation(period: 20).lookback == 19)
        #expect(BollingerBands(period: 20).lookback == 19)
        #expect(RollingZScore(period: 20).lookback == 19)
        #expect(AverageTrueRange(period: 14).lookback == 14)
        #expect(RelativeStrengthIndex(period: 14).lookback == 14)
        #expect(AverageDirectionalIndex(period: 14).lookback == 27)
        #expect(AverageDirectionalIndex(period: 14).directionalLookback == 14)
        #expect(DonchianChannel(period: 20).lookback == 19)
        #expect(RollingMaximum(period: 20).lookback == 19)
        #expect(RollingMinimum(period: 20).lookback == 19)
    }
}
