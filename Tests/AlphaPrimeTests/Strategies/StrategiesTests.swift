import Testing
@testable import AlphaPrimeSupport
@testable import AlphaPrimeDomain
@testable import AlphaPrimeExecution
@testable import AlphaPrimeCore
@testable import AlphaPrimePaper
@testable import AlphaPrimeStore
@testable import AlphaPrimeConfig
@testable import AlphaPrimeLogs
@testable import AlphaPrimeOps
@testable import AlphaPrimeCommands

/// 2021-02-22 09:15 IST as UTC epoch seconds.
let sessionOpen: Int64 = 1_613_965_500

func minuteBar(_ minute: Int, close: Int64, high: Int64? = nil, low: Int64? = nil, open: Int64? = nil) -> Bar {
    Bar(time: sessionOpen + Int64(minute) * 60, open: open ?? close, high: high ?? close, low: low ?? close, close: close)
}

func context(_ minute: Int, position: Int64 = 0) -> BarContext {
    BarContext(position: position, minutesSinceOpen: minute, minutesToClose: 375 - minute)
}

@Suite struct BarAggregatorTests {
    @Test func fiveMinuteBarsStartAtTheSessionOpenAndAggregateExactly() {
        var agg = BarAggregator(minutes: 5)
        var out: [Bar] = []
        for m in 0..<12 {
            let b = Bar(time: sessionOpen + Int64(m) * 60, open: 100 + Int64(m), high: 200 + Int64(m), low: 50 - Int64(m), close: 101 + Int64(m), volume: 1)
            if let bar = agg.add(b, minutesSinceOpen: m, minutesToClose: 375 - m) { out.append(bar) }
        }
        #expect(out.count == 2)
        #expect(out[0].time == sessionOpen)
        #expect(out[0].open == 100 && out[0].high == 204 && out[0].low == 46 && out[0].close == 105 && out[0].volume == 5)
        #expect(out[1].time == sessionOpen + 300)
    }

    @Test func aBucketEndedByMissingMinutesIsReportedWhenTheNextStarts() {
        var agg = BarAggregator(minutes: 15)
        #expect(agg.add(minuteBar(0, close: 100), minutesSinceOpen: 0) == nil)
        #expect(agg.add(minuteBar(1, close: 101), minutesSinceOpen: 1) == nil)
        let early = agg.add(minuteBar(16, close: 120), minutesSinceOpen: 16)
        #expect(early?.time == sessionOpen && early?.close == 101)
    }

    /// The buckets as the plain formula gives them: index ⌊minutes since the open / N⌋ of the IST day.
    static func referenceBuckets(_ bars: [(Bar, Int)], minutes: Int) -> [Bar] {
        var out: [Bar] = []
        var key = Int64.min
        var current: Bar?
        for (bar, given) in bars {
            let sinceOpen = given >= 0 ? given : istMinuteOfDay(bar.time) - (9 * 60 + 15)
            let index = sinceOpen >= 0 ? sinceOpen / minutes : (sinceOpen - minutes + 1) / minutes
            let k = (bar.time + IST.offsetSeconds) / 86_400 * 10_000 + Int64(index)
            if var c = current, k == key {
                c.high = max(c.high, bar.high); c.low = min(c.low, bar.low); c.close = bar.close; c.volume += bar.volume
                current = c
            } else {
                if let c = current { out.append(c) }
                key = k
                current = Bar(time: bar.time - Int64(sinceOpen - index * minutes) * 60, open: bar.open, high: bar.high,
                              low: bar.low, close: bar.close, volume: bar.volume)
            }
        }
        if let c = current { out.append(c) }
        return out
    }

    @Test func bucketsOverDaysGapsAndUnknownSessionsMatchThePlainFormula() {
        // Three days; minutes missing; the first day's session position unknown (before and after 09:15).
        var bars: [(Bar, Int)] = []
        var price: Int64 = 10_000
        for day in 0..<3 {
            let open = sessionOpen + Int64(day) * 86_400
            for m in stride(from: day == 0 ? -20 : 0, to: 375, by: 1) where m % 17 != 3 && !(m >= 100 && m < 108) {
                price += Int64((m * 7 + day * 3) % 11) - 5
                let bar = Bar(time: open + Int64(m) * 60, open: price, high: price + 4, low: price - 3, close: price + 1, volume: 2)
                bars.append((bar, day == 0 ? -1 : m))
            }
        }
        for minutes in [2, 5, 15, 60] {
            var agg = BarAggregator(minutes: minutes)
            var out: [Bar] = []
            for (bar, m) in bars {
                if let b = agg.add(bar, minutesSinceOpen: m) { out.append(b) }
            }
            let expected = Self.referenceBuckets(bars, minutes: minutes)
            // Every bucket but the last is reported (the last waits for a minute that never comes).
            #expect(out == Array(expected.dropLast()) || out == expected, "\(minutes)-minute buckets")
            #expect(out.count >= expected.count - 1)
        }
    }

    @Test func theSessionsLastShortBucketCompletesOnTheLastMinute() {
        var agg = BarAggregator(minutes: 60)
        // 15:15–15:29 is the last, 15-minute, bucket of a 60-minute day.
        var last: Bar?
        for m in 360..<375 { last = agg.add(minuteBar(m, close: Int64(m)), minutesSinceOpen: m, minutesToClose: 375 - m) ?? last }
        #expect(last?.time == sessionOpen + 360 * 60)
        #expect(last?.close == 374)
    }
}

@Suite struct StrategyRegistryTests {
    let instrument = Instrument(symbol: "NIFTY 50", lotSize: 65, tickSize: 5)

    @Test func unknownKindAndParametersAreRefusedByName() {
        #expect(throws: StrategyError.self) {
            try StrategyRegistry.make(StrategySetup(name: "x", kind: "martingale"), symbol: 0, instrument: instrument)
        }
        do {
            _ = try StrategyRegistry.make(StrategySetup(name: "mr", kind: "mean_reversion", parameters: ["lookbak": 20]),
                                          symbol: 0, instrument: instrument)
            Issue.record("expected an error")
        } catch let error as StrategyError {
            #expect(error.description.contains("lookbak"))
            #expect(error.description.contains("lookback"))
        } catch { Issue.record("\(error)") }
        #expect(throws: StrategyError.self) {
            try StrategyRegistry.make(StrategySetup(name: "m", kind: "momentum", parameters: ["fast_ma": 30, "slow_ma": 20]),
                                      symbol: 0, instrument: instrument)
        }
    }

    @Test func everyShippedStrategyFileMakesInstances() throws {
        for kind in StrategyRegistry.kinds {
            let strategy = try StrategyRegistry.make(StrategySetup(name: kind, kind: kind), symbol: 0, instrument: instrument)
            #expect(strategy.name == kind)
        }
    }
}

@Suite struct BuiltInStrategyTests {
    let instrument = Instrument(symbol: "NIFTY 50", lotSize: 65, tickSize: 5)

    @Test func meanReversionBuysAStretchedDropWithAnATRStopAndExitsNearTheMean() throws {
        let setup = StrategySetup(name: "mr", kind: "mean_reversion",
                                  parameters: ["lookback": 20, "entry_z": 2, "exit_z": 0.25, "atr_period": 5, "stop_atr_multiple": 1.5],
                                  entryStart: TimeOfDay("09:15")!, entryEnd: TimeOfDay("15:00")!, stop: .atrMultiple(1.5), target: .mean)
        var s = try StrategyRegistry.make(setup, symbol: 0, instrument: instrument)
        var signals: [(Int, Signal)] = []
        var prices: [Int64] = (0..<30).map { 1_500_000 + ($0 % 2 == 0 ? 500 : -500) }
        prices += [1_480_000]                       // a drop far below the band
        prices += [1_490_000, 1_500_000, 1_500_100]  // back to the mean
        var position: Int64 = 0
        for (m, p) in prices.enumerated() {
            if let signal = s.onBar(minuteBar(m, close: p, high: p + 300, low: p - 300), context: context(m, position: position)) {
                signals.append((m, signal))
                position = signal.intent == .enter ? 65 : 0
            }
        }
        #expect(signals.count == 2)
        let entry = try #require(signals.first)
        #expect(entry.0 == 30 && entry.1.side == .buy && entry.1.intent == .enter)
        #expect(entry.1.stopLoss > 0 && entry.1.stopLoss < 1_480_000)
        #expect(entry.1.takeProfit == 0)
        #expect(signals[1].1.intent == .exit && signals[1].1.side == .sell)
    }

    @Test func breakoutScalperBuysACloseAboveTheRangeWithAnRMultipleTarget() throws {
        let setup = StrategySetup(name: "bo", kind: "breakout_scalper",
                                  parameters: ["range_bars": 10, "breakout_buffer_ticks": 2, "min_range_atr": 0.1, "atr_period": 5,
                                               "stop_atr_multiple": 1, "target_r": 2],
                                  entryStart: TimeOfDay("09:15")!, entryEnd: TimeOfDay("15:00")!, stop: .atrMultiple(1), target: .rMultiple(2))
        var s = try StrategyRegistry.make(setup, symbol: 0, instrument: instrument)
        var found: Signal?
        for m in 0..<20 {
            let p: Int64 = 1_500_000 + (m % 3 == 0 ? 1_000 : 0)
            #expect(s.onBar(minuteBar(m, close: p, high: p + 500, low: p - 500), context: context(m)) == nil)
        }
        found = s.onBar(minuteBar(20, close: 1_503_000, high: 1_503_100, low: 1_500_000), context: context(20))
        let signal = try #require(found)
        #expect(signal.side == .buy)
        let risk = 1_503_000 - signal.stopLoss
        #expect(risk > 0)
        #expect(abs((signal.takeProfit - 1_503_000) - 2 * risk) <= 1)
    }

    @Test func noEntriesOutsideTheTradingWindow() throws {
        let setup = StrategySetup(name: "mr", kind: "mean_reversion", parameters: ["lookback": 5, "entry_z": 1],
                                  entryStart: TimeOfDay("14:00")!, entryEnd: TimeOfDay("15:00")!, stop: .none, target: .mean)
        var s = try StrategyRegistry.make(setup, symbol: 0, instrument: instrument)
        for m in 0..<20 {
            let p: Int64 = m == 19 ? 1_400_000 : 1_500_000 + Int64(m % 2) * 100
            #expect(s.onBar(minuteBar(m, close: p), context: context(m)) == nil)
        }
    }

    @Test func momentumEntersAStrongUptrendOnItsOwnTimeframe() throws {
        let setup = StrategySetup(name: "mo", kind: "momentum",
                                  parameters: ["fast_ma": 3, "slow_ma": 6, "swing_bars": 2, "adx_period": 3, "min_adx": 10,
                                               "atr_period": 3, "stop_atr_multiple": 2, "target_r": 2],
                                  entryStart: TimeOfDay("09:15")!, entryEnd: TimeOfDay("15:30")!, timeframeMinutes: 5,
                                  stop: .atrMultiple(2), target: .rMultiple(2))
        var s = try StrategyRegistry.make(setup, symbol: 0, instrument: instrument)
        var first: (Int, Signal)?
        for m in 0..<200 {
            let p: Int64 = 1_500_000 + Int64(m) * 200 + (m % 5 == 4 ? -100 : 0)
            if let signal = s.onBar(minuteBar(m, close: p, high: p + 150, low: p - 150), context: context(m)), first == nil {
                first = (m, signal)
            }
        }
        let (minute, signal) = try #require(first)
        #expect(signal.side == .buy && signal.intent == .enter)
        #expect((minute + 1) % 5 == 0, "decides only when a 5-minute bar completes")
        #expect(signal.stopLoss < signal.takeProfit)
    }
}
