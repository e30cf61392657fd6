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

/// The rules of docs/strategies.md, checked one by one against the built-in strategies, their
/// `StrategyFrame`, `ExitPlan` and `BarAggregator`. Every expected price is worked out by hand from the
/// documented formula (the arithmetic is in the comments), never read back from the code.
///
/// A strategy's signal carries the stop and target rounded to the nearest paisa ("the stop as
/// signalled (nearest paisa, before the tick rounding)"); the protective orders are placed at those
/// prices rounded to the nearest tick with `Instrument.roundToTick` (TradingCore). Both are checked.
@Suite struct StrategyRulesTests {
    /// NIFTY 50 as shipped: 5-paise ticks.
    let instrument = Instrument(symbol: "NIFTY 50", lotSize: 65, tickSize: 5)

    // MARK: - Helpers (namespaced so they cannot clash with other test files' free functions)

    /// 2021-02-22 09:15 IST (a Monday) as UTC epoch seconds.
    static let open: Int64 = 1_613_965_500
    static let day: Int64 = 86_400

    /// The 1-minute bar starting `minute` minutes after 09:15 IST of day `day` (0 = 2021-02-22).
    static func minute(_ minute: Int, day: Int64 = 0, close: Int64, high: Int64? = nil, low: Int64? = nil,
                       open: Int64? = nil, volume: Int64 = 0) -> Bar {
        Bar(time: Self.open + day * Self.day + Int64(minute) * 60, open: open ?? close, high: high ?? close,
            low: low ?? close, close: close, volume: volume)
    }

    /// The context of that minute on a normal 09:15–15:30 (375-minute) session.
    static func ctx(_ minute: Int, position: Int64 = 0) -> BarContext {
        BarContext(position: position, minutesSinceOpen: minute, minutesToClose: 375 - minute)
    }

    /// A bar starting at `hh:mm` IST on 2021-02-22 (only its time matters to the trading window).
    static func barAt(_ hhmm: String) -> Bar {
        let t = TimeOfDay(hhmm)!
        return Bar(time: open + Int64(t.minutes - (9 * 60 + 15)) * 60, open: 1, high: 1, low: 1, close: 1)
    }

    /// Feeds one 1-minute bar per strategy bar (`timeframe: 1m`), bar n at minute n − 1; returns the
    /// signals by strategy-bar number (1-based). `position(n)` is the position the strategy sees.
    static func feed(_ s: inout AnyStrategy, _ bars: [(high: Int64, low: Int64, close: Int64)],
                     firstMinute: Int = 0, position: (Int) -> Int64 = { _ in 0 }) -> [(Int, Signal)] {
        var out: [(Int, Signal)] = []
        for (i, b) in bars.enumerated() {
            let m = firstMinute + i
            if let signal = s.onBar(minute(m, close: b.close, high: b.high, low: b.low), context: ctx(m, position: position(i + 1))) {
                out.append((i + 1, signal))
            }
        }
        return out
    }

    // MARK: - 1. A short entry of each built-in strategy

    /// mean_reversion, on 5-minute bars: "Otherwise short when z > `entry_z` (strict) …
    /// Stop: `stop_atr_multiple` × ATR, the ATR including the signal bar, from the signal bar's close.
    /// No target order (`take_profit: mean`)."
    @Test func meanReversionShortsAStretchedRiseWithAnATRStopFromTheSignalBarsClose() throws {
        let setup = StrategySetup(name: "mr", kind: "mean_reversion",
                                  parameters: ["lookback": 4, "entry_z": 1.5, "exit_z": 0.25, "atr_period": 3, "stop_atr_multiple": 1.5],
                                  timeframeMinutes: 5, stop: .atrMultiple(1.5), target: .mean)
        var s = try StrategyRegistry.make(setup, symbol: 0, instrument: instrument)
        // Five-minute strategy bars (high, low, close). Each is built from five minutes: the first
        // carries the high, the second the low, the fifth the close; the others sit at the middle.
        let bars: [(high: Int64, low: Int64, close: Int64)] = [
            (1_500_400, 1_499_600, 1_500_000),
            (1_500_400, 1_499_600, 1_500_200),
            (1_500_400, 1_499_600, 1_499_800),
            (1_500_400, 1_499_600, 1_500_000),
            (1_503_101, 1_502_900, 1_503_000),  // the stretched close
        ]
        var signals: [(Int, Signal)] = []
        for (k, b) in bars.enumerated() {
            let mid = (b.high + b.low) / 2
            let minutes = [
                Self.minute(5 * k, close: mid, high: b.high, low: mid),
                Self.minute(5 * k + 1, close: mid, high: mid, low: b.low),
                Self.minute(5 * k + 2, close: mid),
                Self.minute(5 * k + 3, close: mid),
                Self.minute(5 * k + 4, close: b.close, high: max(mid, b.close), low: min(mid, b.close), open: mid),
            ]
            for (j, bar) in minutes.enumerated() {
                if let signal = s.onBar(bar, context: Self.ctx(5 * k + j)) { signals.append((5 * k + j, signal)) }
            }
        }
        // Bar 4: window 1,500,000 / 1,500,200 / 1,499,800 / 1,500,000, mean 1,500,000, z = 0: nothing.
        // Bar 5: window 1,500,200 / 1,499,800 / 1,500,000 / 1,503,000, mean 6,003,000 / 4 = 1,500,750;
        //   σ² = (550² + 950² + 750² + 2250²) / 4 = 6,830,000 / 4 = 1,707,500, σ ≈ 1306.7;
        //   z = 2250 / 1306.7 ≈ 1.72 > entry_z 1.5 → short.
        #expect(signals.count == 1)
        let (minute, signal) = try #require(signals.first)
        #expect(minute == 24, "decided at the close of the bucket's last minute (09:39)")
        #expect(signal.time == Self.open + 20 * 60, "the signal bar is the 09:35 five-minute bar")
        #expect(signal.side == .sell)
        #expect(signal.intent == .enter)
        #expect(signal.reason == "close 1.72σ above SMA(4)")
        // ATR(3), TA-Lib/Wilder: TR2 = max(800, |1,500,000 − 1,500,400|, |1,500,000 − 1,499,600|) = 800,
        //   TR3 = max(800, 200, 600) = 800, TR4 = max(800, 600, 200) = 800 → first ATR (bar 4) = 2400 / 3 = 800;
        //   TR5 = max(1,503,101 − 1,502,900 = 201, |1,500,000 − 1,503,101| = 3101, |1,500,000 − 1,502,900| = 2900) = 3101
        //   → ATR (bar 5, including the signal bar) = (800 · 2 + 3101) / 3 = 4701 / 3 = 1567.
        // d = 1.5 × 1567 = 2350.5; stop = e + d = 1,503,000 + 2350.5 = 1,505,350.5
        //   → nearest paisa, halves away from zero: 1,505,351 → nearest 5-paise tick (remainder 1, down): 1,505,350.
        #expect(signal.stopLoss == 1_505_351)
        #expect(instrument.roundToTick(signal.stopLoss) == 1_505_350)
        // take_profit: mean → no target order.
        #expect(signal.takeProfit == 0)
    }

    /// breakout_scalper: "Otherwise short when close < lower − `breakout_buffer_ticks` × tick (strict).
    /// Stop: `stop_atr_multiple` × the previous bar's ATR …, from the signal bar's close; target:
    /// `target_r` × that distance."
    @Test func breakoutScalperShortsACloseBelowTheRangeWithThePreviousBarsATR() throws {
        let setup = StrategySetup(name: "bo", kind: "breakout_scalper",
                                  parameters: ["range_bars": 5, "breakout_buffer_ticks": 2, "min_range_atr": 0.5, "atr_period": 4,
                                               "stop_atr_multiple": 0.75, "target_r": 1.5],
                                  stop: .atrMultiple(0.75), target: .rMultiple(1.5))
        var s = try StrategyRegistry.make(setup, symbol: 0, instrument: instrument)
        let signals = Self.feed(&s, [
            (1_500_500, 1_499_500, 1_500_000),
            (1_500_500, 1_499_500, 1_500_000),
            (1_500_500, 1_499_500, 1_500_000),
            (1_500_500, 1_499_500, 1_500_000),
            (1_500_500, 1_499_499, 1_500_000),
            (1_499_600, 1_496_900, 1_497_003),  // bar 6: the break
        ])
        // Channel of bars 1–5: upper 1,500,500, lower 1,499,499, width 1001.
        // ATR(4) as of bar 5: TR2 = TR3 = TR4 = 1000, TR5 = max(1001, 500, 501) = 1001
        //   → (1000 + 1000 + 1000 + 1001) / 4 = 1000.25; width 1001 ≥ 0.5 × 1000.25.
        // Bar 6: close 1,497,003 < 1,499,499 − 2 × 5 = 1,499,489 → short.
        #expect(signals.count == 1)
        let (n, signal) = try #require(signals.first)
        #expect(n == 6)
        #expect(signal.side == .sell)
        #expect(signal.intent == .enter)
        #expect(signal.reason == "close broke the 5-bar low 14994.99")
        // d = 0.75 × 1000.25 = 750.1875 (bar 6's own TR, 3100, must not be in it);
        // stop = 1,497,003 + 750.1875 = 1,497,753.1875 → 1,497,753 → tick (remainder 3, up) 1,497,755.
        // t = 1.5 × 750.1875 = 1125.28125; target = 1,497,003 − 1125.28125 = 1,495,877.71875
        //   → 1,495,878 → tick (remainder 3, up) 1,495,880.
        #expect(signal.stopLoss == 1_497_753)
        #expect(signal.takeProfit == 1_495_878)
        #expect(instrument.roundToTick(signal.stopLoss) == 1_497_755)
        #expect(instrument.roundToTick(signal.takeProfit) == 1_495_880)
    }

    /// momentum: "Otherwise short when fast < slow, close < slow, rh < ph and rl < pl … Stop:
    /// `stop_atr_multiple` × ATR, the ATR including the signal bar, from the close; target: `target_r` ×
    /// that distance."
    @Test func momentumShortsALowerHighAndLowerLowDowntrend() throws {
        let setup = StrategySetup(name: "mo", kind: "momentum",
                                  parameters: ["fast_ma": 2, "slow_ma": 3, "swing_bars": 2, "adx_period": 2, "min_adx": 25,
                                               "atr_period": 3, "stop_atr_multiple": 2, "target_r": 2],
                                  stop: .atrMultiple(2), target: .rMultiple(2))
        var s = try StrategyRegistry.make(setup, symbol: 0, instrument: instrument)
        let signals = Self.feed(&s, [
            (1_500_150, 1_499_850, 1_500_000),
            (1_499_950, 1_499_650, 1_499_800),
            (1_499_750, 1_499_450, 1_499_600),
            (1_499_550, 1_499_249, 1_499_400),
        ])
        // First possible bar: max(slow 3, 2 · adx 4, atr + 1 = 4, 2 · swing 4) = 4.
        // EMA(2), k = 2/3: seed (1,500,000 + 1,499,800) / 2 = 1,499,900; bar 3: 1,499,700; bar 4: 1,499,500.
        // EMA(3), k = 1/2: seed (bar 3) 1,499,800; bar 4: (1,499,400 − 1,499,800) / 2 + 1,499,800 = 1,499,600.
        //   fast 1,499,500 < slow 1,499,600 and close 1,499,400 < slow.
        // rh = max(H3, H4) = 1,499,750 < ph = max(H1, H2) = 1,500,150; rl = min(L3, L4) = 1,499,249 < pl = 1,499,650.
        // ADX(2): up < 0 and down > 0 on every bar → only −DM, DX = 100 → ADX 100 ≥ 25.
        #expect(signals.count == 1)
        let (n, signal) = try #require(signals.first)
        #expect(n == 4)
        #expect(signal.side == .sell)
        #expect(signal.intent == .enter)
        #expect(signal.reason == "downtrend: EMA(2) < EMA(3), lower high and low, ADX 100.0")
        // ATR(3) at bar 4 (including it): TR2 = max(300, 50, 350) = 350, TR3 = 350,
        //   TR4 = max(301, |1,499,600 − 1,499,550| = 50, |1,499,600 − 1,499,249| = 351) = 351 → 1051 / 3 = 350.333…
        // d = 2 × 350.333… = 700.666…; stop = 1,499,400 + 700.666… = 1,500,100.666… → 1,500,101
        //   → tick (remainder 1, down) 1,500,100.
        // t = 2 × 700.666… = 1401.333…; target = 1,499,400 − 1401.333… = 1,497,998.666… → 1,497,999
        //   → tick (remainder 4, up) 1,498,000.
        #expect(signal.stopLoss == 1_500_101)
        #expect(signal.takeProfit == 1_497_999)
        #expect(instrument.roundToTick(signal.stopLoss) == 1_500_100)
        #expect(instrument.roundToTick(signal.takeProfit) == 1_498_000)
    }

    // MARK: - 2. The documented example, on the exit plan and the strategy frame

    /// "Example: a NIFTY close of ₹15,000.00 (1,500,000), ATR 1,234.5678 paise, `stop_atr_multiple` 1.5 and
    /// `target_r` 2: d = 1,851.8517, stop 1,498,148.1483 → 1,498,148 → 1,498,150; target
    /// 1,503,703.7034 → 1,503,704 → 1,503,705."
    @Test func theDocumentedStopAndTargetExampleForALongAndTheMirroredShort() throws {
        let plan = ExitPlan(stop: .atrMultiple(1.5), target: .rMultiple(2))
        // Long: d = 1.5 × 1234.5678 = 1851.8517; stop = 1,500,000 − 1851.8517 = 1,498,148.1483 → 1,498,148
        //   → 1,498,150 (remainder 3, up); t = 2 × 1851.8517 = 3703.7034; target = 1,503,703.7034 → 1,503,704
        //   → 1,503,705 (remainder 4, up).
        let long = try #require(plan.prices(side: .buy, entry: 1_500_000, atr: 1234.5678))
        #expect(long.stop == 1_498_148)
        #expect(long.target == 1_503_704)
        #expect(instrument.roundToTick(long.stop) == 1_498_150)
        #expect(instrument.roundToTick(long.target) == 1_503_705)
        // Short (sign −1): stop = 1,500,000 + 1851.8517 = 1,501,851.8517 → 1,501,852 → 1,501,850 (remainder 2,
        //   down); target = 1,500,000 − 3703.7034 = 1,496,296.2966 → 1,496,296 → 1,496,295 (remainder 1, down).
        let short = try #require(plan.prices(side: .sell, entry: 1_500_000, atr: 1234.5678))
        #expect(short.stop == 1_501_852)
        #expect(short.target == 1_496_296)
        #expect(instrument.roundToTick(short.stop) == 1_501_850)
        #expect(instrument.roundToTick(short.target) == 1_496_295)
        // "When a rule needs the ATR and the ATR has no value yet, the strategy gives no entry at all."
        #expect(plan.prices(side: .buy, entry: 1_500_000, atr: nil) == nil)

        // The same through a strategy frame's entry, from the signal bar's close.
        let setup = StrategySetup(name: "f", kind: "breakout_scalper", stop: .atrMultiple(1.5), target: .rMultiple(2))
        let frame = StrategyFrame(setup: setup, symbol: 0, instrument: instrument, quantity: 0)
        let bar = Self.minute(20, close: 1_500_000, high: 1_500_900, low: 1_499_100, open: 1_499_500)
        let buy = try #require(frame.enter(.buy, bar: bar, atr: 1234.5678, confidence: 1, reason: "long"))
        #expect(buy.side == .buy && buy.intent == .enter)
        #expect(buy.stopLoss == 1_498_148 && buy.takeProfit == 1_503_704)
        #expect(instrument.roundToTick(buy.stopLoss) == 1_498_150 && instrument.roundToTick(buy.takeProfit) == 1_503_705)
        let sell = try #require(frame.enter(.sell, bar: bar, atr: 1234.5678, confidence: 1, reason: "short"))
        #expect(sell.side == .sell && sell.intent == .enter)
        #expect(sell.stopLoss == 1_501_852 && sell.takeProfit == 1_496_296)
        #expect(instrument.roundToTick(sell.stopLoss) == 1_501_850 && instrument.roundToTick(sell.takeProfit) == 1_496_295)
        #expect(frame.enter(.sell, bar: bar, atr: nil, confidence: 1, reason: "cold") == nil)
    }

    // MARK: - 3. One rule each

    /// "An entry is allowed on a strategy bar when its close time c (the bucket's start + N minutes,
    /// even for a short bucket) satisfies `start` < c ≤ `end`: a bar closing exactly at `start` may not
    /// enter, a bar closing exactly at `end` may. For 1-minute bars this is a bar start in `[start, end)`."
    @Test func tradingWindowAdmitsBarsClosingAfterStartUpToAndIncludingEnd() throws {
        func frame(_ minutes: Int, _ start: String, _ end: String) -> StrategyFrame {
            StrategyFrame(setup: StrategySetup(name: "w", kind: "mean_reversion", entryStart: TimeOfDay(start)!,
                                               entryEnd: TimeOfDay(end)!, timeframeMinutes: minutes),
                          symbol: 0, instrument: instrument, quantity: 0)
        }
        // mean_reversion.yaml: 5m, 09:30–14:45.
        let five = frame(5, "09:30", "14:45")
        #expect(!five.entryAllowed(Self.barAt("09:25")), "c = 09:30 = start: not allowed")
        #expect(five.entryAllowed(Self.barAt("09:30")), "c = 09:35")
        #expect(five.entryAllowed(Self.barAt("14:40")), "c = 14:45 = end: allowed")
        #expect(!five.entryAllowed(Self.barAt("14:45")), "c = 14:50 > end")
        // breakout_scalper.yaml: 1m, 09:30–15:00, a bar start in [09:30, 15:00).
        let one = frame(1, "09:30", "15:00")
        #expect(!one.entryAllowed(Self.barAt("09:29")))
        #expect(one.entryAllowed(Self.barAt("09:30")))
        #expect(one.entryAllowed(Self.barAt("14:59")))
        #expect(!one.entryAllowed(Self.barAt("15:00")))
        // momentum.yaml: 15m, 09:45–14:30.
        let fifteen = frame(15, "09:45", "14:30")
        #expect(!fifteen.entryAllowed(Self.barAt("09:30")), "c = 09:45 = start")
        #expect(fifteen.entryAllowed(Self.barAt("09:45")))
        #expect(fifteen.entryAllowed(Self.barAt("14:15")), "c = 14:30 = end")
        #expect(!fifteen.entryAllowed(Self.barAt("14:30")))
        // A short bucket: the last 60-minute bar (15:15–15:29) closes at 15:15 + 60 = 16:15 > 15:30.
        let sixty = frame(60, "09:15", "15:30")
        #expect(sixty.entryAllowed(Self.barAt("14:15")), "c = 15:15")
        #expect(!sixty.entryAllowed(Self.barAt("15:15")), "c = 16:15 even though the bucket ends at 15:30")

        // Driven through a strategy: mean_reversion, 5m, lookback 2 (z is ±1 on every bar), window
        // 09:30–14:45, closes falling 100 paise a minute. Bar 09:20 (c 09:25) would enter, and 09:25
        // (c 09:30 = start) may not; the first entry is the 09:30 bar, decided on its 09:34 minute.
        let setup = StrategySetup(name: "mr", kind: "mean_reversion", parameters: ["lookback": 2, "entry_z": 0.5],
                                  entryStart: TimeOfDay("09:30")!, entryEnd: TimeOfDay("14:45")!, timeframeMinutes: 5,
                                  stop: .none, target: .mean)
        var s = try StrategyRegistry.make(setup, symbol: 0, instrument: instrument)
        var first: (Int, Signal)?
        for m in 0..<30 {
            if let signal = s.onBar(Self.minute(m, close: 1_500_000 - 100 * Int64(m)), context: Self.ctx(m)), first == nil {
                first = (m, signal)
            }
        }
        let (m, signal) = try #require(first)
        #expect(m == 19)
        #expect(signal.time == Self.open + 15 * 60)
        #expect(signal.side == .buy && signal.intent == .enter)
    }

    /// "A bucket is emitted on its last minute (m + 1 a multiple of N), or on the session's last minute
    /// (the one starting one minute or less before the close: 15:29 for a 15:30 close)."
    @Test func aBucketIsEmittedOnItsLastMinuteOrOnTheSessionsLastMinute() {
        // A normal day, 15-minute buckets: emitted exactly on m = 14, 29, 44.
        var agg = BarAggregator(minutes: 15)
        var emittedAt: [Int] = []
        for m in 0..<45 {
            if agg.add(Self.minute(m, close: 1_500_000 + Int64(m)), minutesSinceOpen: m, minutesToClose: 375 - m) != nil {
                emittedAt.append(m)
            }
        }
        #expect(emittedAt == [14, 29, 44])

        // A session closing at 13:00 (225 minutes), 10-minute buckets: the last bucket, 12:55–12:59
        // (m 220–224), is short; 225 is not a multiple of 10, so only "the session's last minute" emits it.
        var short = BarAggregator(minutes: 10)
        var bars: [(Int, Bar)] = []
        for m in 210..<225 {
            if let bar = short.add(Self.minute(m, close: 1_500_000 + Int64(m)), minutesSinceOpen: m, minutesToClose: 225 - m) {
                bars.append((m, bar))
            }
        }
        #expect(bars.map(\.0) == [219, 224], "m 223 starts 2 minutes before the close: not the last minute")
        #expect(bars.last?.1.time == Self.open + 220 * 60)
        #expect(bars.last?.1.close == 1_500_224)
    }

    /// "Its time is the bucket's start, even when the bucket's first minutes are missing."
    @Test func aBarIsLabelledWithItsBucketsStartEvenWhenItsFirstMinutesAreMissing() throws {
        var agg = BarAggregator(minutes: 5)
        // Bucket 09:20–09:24 (m 5–9) with m 5 and 6 missing.
        #expect(agg.add(Self.minute(7, close: 1_500_100, high: 1_500_300, low: 1_499_900, open: 1_500_050, volume: 10),
                        minutesSinceOpen: 7, minutesToClose: 368) == nil)
        #expect(agg.add(Self.minute(8, close: 1_500_200, high: 1_500_400, low: 1_500_000, volume: 20),
                        minutesSinceOpen: 8, minutesToClose: 367) == nil)
        let emitted = agg.add(Self.minute(9, close: 1_500_150, high: 1_500_250, low: 1_499_800, volume: 30),
                              minutesSinceOpen: 9, minutesToClose: 366)
        let bar = try #require(emitted)
        #expect(bar.time == Self.open + 5 * 60, "09:20, not 09:22")
        #expect(bar.open == 1_500_050, "the first minute present's open")
        #expect(bar.high == 1_500_400 && bar.low == 1_499_800 && bar.close == 1_500_150 && bar.volume == 60)

        // Also when the same bucket's last minute is missing too (m 11–12 of 09:25–09:29, emitted late
        // by the 09:31 minute of the next bucket).
        #expect(agg.add(Self.minute(11, close: 1_500_000), minutesSinceOpen: 11, minutesToClose: 364) == nil)
        #expect(agg.add(Self.minute(12, close: 1_500_010), minutesSinceOpen: 12, minutesToClose: 363) == nil)
        let lateEmitted = agg.add(Self.minute(16, close: 1_500_020), minutesSinceOpen: 16, minutesToClose: 359)
        let late = try #require(lateEmitted)
        #expect(late.time == Self.open + 10 * 60, "09:25, not 09:26")
        #expect(late.close == 1_500_010)
    }

    /// "The first strategy bar emitted after the entry fill counts 1. Normally that is the bar whose first
    /// minute opened with the fill: the signal bar itself is not counted."
    @Test func theFirstStrategyBarAfterTheEntryFillCountsOne() throws {
        // mean_reversion on 5-minute bars, lookback 2: closes fall 100 paise a minute, so every bar has
        // z = −1 (< −0.5: the long entry on bar 2, the 09:20 bar decided on minute 9; and < −exit_z 0:
        // no exit of its own). The entry fills at the 09:25 open: the position is seen from minute 10.
        func run(maxBars: Int) throws -> (entry: Int, exits: [(Int, Signal)], counts: [Int: Int]) {
            let setup = StrategySetup(name: "mr", kind: "mean_reversion",
                                      parameters: ["lookback": 2, "entry_z": 0.5, "exit_z": 0],
                                      timeframeMinutes: 5, stop: .none, target: .mean, maxBarsInTrade: maxBars)
            var s = try StrategyRegistry.make(setup, symbol: 0, instrument: instrument)
            var entry = -1
            var exits: [(Int, Signal)] = []
            var counts: [Int: Int] = [:]
            for m in 0..<25 {
                let position: Int64 = m >= 10 ? 65 : 0
                if let signal = s.onBar(Self.minute(m, close: 1_500_000 - 100 * Int64(m)), context: Self.ctx(m, position: position)) {
                    if signal.intent == .enter { entry = m } else { exits.append((m, signal)) }
                }
                if (m + 1) % 5 == 0 { counts[m] = s.meanReversion?.frame.barsInTrade ?? -1 }
            }
            return (entry, exits, counts)
        }
        let one = try run(maxBars: 1)
        #expect(one.entry == 9)
        #expect(one.counts[9] == 0, "the signal bar is not counted")
        #expect(one.counts[14] == 1, "the 09:25 bar, the first after the fill, counts 1")
        #expect(one.counts[19] == 2)
        // count ≥ max_bars_in_trade 1 on the first bar after the fill: time-limit exit there.
        let firstExit = try #require(one.exits.first)
        #expect(firstExit.0 == 14)
        #expect(firstExit.1.exitReason == .timeLimit && firstExit.1.side == .sell && firstExit.1.intent == .exit)

        let two = try run(maxBars: 2)
        #expect(two.entry == 9)
        let exit2 = try #require(two.exits.first)
        #expect(exit2.0 == 19, "count 1 on the 09:25 bar, 2 on the 09:30 bar")
        #expect(exit2.1.exitReason == .timeLimit)
    }

    /// "A long exits when z ≥ −`exit_z`; a short when z ≤ `exit_z` (both inclusive)."
    @Test func meanReversionExitsAreInclusiveOfExitZ() throws {
        // lookback 2: with closes a then b, mean = (a + b) / 2 and σ = |b − a| / 2, so z = ±1 exactly
        // (integers differing by an even amount: every step exact in binary floating point).
        func exitSignal(exitZ: Double, closes: [Int64], position: Int64) throws -> (entry: Signal?, exit: Signal?) {
            let setup = StrategySetup(name: "mr", kind: "mean_reversion",
                                      parameters: ["lookback": 2, "entry_z": 0.5, "exit_z": exitZ], stop: .none, target: .mean)
            var s = try StrategyRegistry.make(setup, symbol: 0, instrument: instrument)
            #expect(s.onBar(Self.minute(0, close: closes[0]), context: Self.ctx(0)) == nil)
            let entry = s.onBar(Self.minute(1, close: closes[1]), context: Self.ctx(1))
            let exit = s.onBar(Self.minute(2, close: closes[2]), context: Self.ctx(2, position: position))
            return (entry, exit)
        }
        // Long: falling closes, z = −1 on bar 2 (entry, −1 < −0.5) and on bar 3.
        let longAt1 = try exitSignal(exitZ: 1, closes: [1_500_000, 1_499_800, 1_499_600], position: 65)
        #expect(longAt1.entry?.side == .buy && longAt1.entry?.intent == .enter)
        #expect(longAt1.exit?.side == .sell && longAt1.exit?.intent == .exit, "z = −1 ≥ −1: exits")
        #expect(longAt1.exit?.exitReason == .strategyExit)
        let longBelow = try exitSignal(exitZ: 0.99, closes: [1_500_000, 1_499_800, 1_499_600], position: 65)
        #expect(longBelow.exit == nil, "z = −1 < −0.99: stays")
        // Short: rising closes, z = +1 on bar 2 (entry, 1 > 0.5) and on bar 3.
        let shortAt1 = try exitSignal(exitZ: 1, closes: [1_500_000, 1_500_200, 1_500_400], position: -65)
        #expect(shortAt1.entry?.side == .sell && shortAt1.entry?.intent == .enter)
        #expect(shortAt1.exit?.side == .buy && shortAt1.exit?.intent == .exit, "z = 1 ≤ 1: exits")
        let shortBelow = try exitSignal(exitZ: 0.99, closes: [1_500_000, 1_500_200, 1_500_400], position: -65)
        #expect(shortBelow.exit == nil, "z = 1 > 0.99: stays")
    }

    /// "On each strategy bar it first reads the channel of the previous `range_bars` bars (highest high,
    /// lowest low, the current bar not included) and the ATR(`atr_period`) as of the previous bar, then
    /// adds the current bar to both."
    @Test func breakoutScalperChannelExcludesTheCurrentBar() throws {
        let setup = StrategySetup(name: "bo", kind: "breakout_scalper",
                                  parameters: ["range_bars": 3, "breakout_buffer_ticks": 2, "min_range_atr": 0, "atr_period": 2],
                                  stop: .none, target: .none)
        var s = try StrategyRegistry.make(setup, symbol: 0, instrument: instrument)
        let flat = (high: Int64(1_500_500), low: Int64(1_499_500), close: Int64(1_500_000))
        // Bar 4's high (1,501,000) is above its close: were it in the channel, upper would be 1,501,000
        // and the close 1,500,600 could not break it. With bars 1–3 only: upper 1,500,500 + 2 × 5 =
        // 1,500,510 < 1,500,600 → long.
        let signals = Self.feed(&s, [flat, flat, flat, (1_501_000, 1_500_000, 1_500_600)])
        #expect(signals.count == 1)
        let (n, signal) = try #require(signals.first)
        #expect(n == 4 && signal.side == .buy && signal.intent == .enter)
        // Bar 5 (flat again): its channel is bars 2–4, now with bar 4's high: upper 1,501,000 + 10 =
        // 1,501,010, so the same close 1,500,600 is no break.
        #expect(s.onBar(Self.minute(4, close: 1_500_600, high: 1_500_700, low: 1_500_550), context: Self.ctx(4)) == nil)
    }

    /// "Higher high and higher low" is rh > ph and rl > pl; "lower high and lower low" is rh < ph and rl <
    /// pl (strict).
    @Test func momentumNeedsAStrictlyHigherHighAndHigherLow() throws {
        // An uptrend on 1-minute bars, swing_bars 2, min_adx 0 (the ADX only has to exist). On bar 4:
        // EMA(2) = 1,500,500 > EMA(3) = 1,500,400, close 1,500,600 > EMA(3);
        // rh = max(H3, H4), ph = max(H1, H2), rl = min(L3, L4), pl = min(L1, L2).
        func signalOnBar4(h1: Int64 = 1_500_150, l3: Int64 = 1_500_250) throws -> Signal? {
            let setup = StrategySetup(name: "mo", kind: "momentum",
                                      parameters: ["fast_ma": 2, "slow_ma": 3, "swing_bars": 2, "adx_period": 2, "min_adx": 0, "atr_period": 3],
                                      stop: .none, target: .none)
            var s = try StrategyRegistry.make(setup, symbol: 0, instrument: instrument)
            let signals = Self.feed(&s, [
                (h1, 1_499_850, 1_500_000),
                (1_500_350, 1_500_050, 1_500_200),
                (1_500_550, l3, 1_500_400),
                (1_500_750, 1_500_450, 1_500_600),
            ])
            #expect(signals.allSatisfy { $0.0 == 4 })
            return signals.first?.1
        }
        // rh 1,500,750 > ph 1,500,350 and rl 1,500,250 > pl 1,499,850: long.
        let both = try signalOnBar4()
        #expect(both?.side == .buy && both?.intent == .enter)
        // Equal high: H1 = 1,500,750 makes ph = rh → no entry; one paisa lower → entry.
        #expect(try signalOnBar4(h1: 1_500_750) == nil)
        #expect(try signalOnBar4(h1: 1_500_749)?.side == .buy)
        // Equal low: L3 = 1,499,850 makes rl = min(1,499,850, 1,500,450) = pl → no entry; one paisa higher → entry.
        #expect(try signalOnBar4(l3: 1_499_850) == nil)
        #expect(try signalOnBar4(l3: 1_499_851)?.side == .buy)
    }

    /// "Indicators are never reset: not at the session open, not across holidays or missing minutes.
    /// … the first true range of a day measures the overnight gap from the previous session's last close,
    /// and the day's first windows hold the previous session's last bars."
    @Test func indicatorsAreNotResetAtTheSessionOpen() throws {
        let setup = StrategySetup(name: "bo", kind: "breakout_scalper",
                                  parameters: ["range_bars": 3, "breakout_buffer_ticks": 2, "min_range_atr": 0.5, "atr_period": 2,
                                               "stop_atr_multiple": 0.75, "target_r": 1.5],
                                  stop: .atrMultiple(0.75), target: .rMultiple(1.5))
        var s = try StrategyRegistry.make(setup, symbol: 0, instrument: instrument)
        // Day 1: only its last three minutes, 15:27–15:29 (m 372–374), are fed.
        for m in 372..<375 {
            #expect(s.onBar(Self.minute(m, close: 1_500_000, high: 1_500_500, low: 1_499_500), context: Self.ctx(m)) == nil)
        }
        // Day 2, 09:15 (bar 4 of the feed, the first that can enter: max(3, 2 + 1) + 1): a gap down.
        // Channel = day 1's three bars: lower 1,499,500 − 10 = 1,499,490 > 1,490,000 → short;
        // ATR(2) of day 1: TR 1000, 1000 → 1000; width 1000 ≥ 0.5 × 1000.
        let atOpen = s.onBar(Self.minute(0, day: 1, close: 1_490_000, high: 1_491_000, low: 1_489_000), context: Self.ctx(0))
        let open = try #require(atOpen)
        #expect(open.side == .sell && open.intent == .enter)
        // d = 0.75 × 1000 = 750: stop 1,490,750; target 1,490,000 − 1.5 × 750 = 1,488,875 (→ tick 1,488,875).
        #expect(open.stopLoss == 1_490_750 && open.takeProfit == 1_488_875)
        // Day 2, 09:16: the ATR now holds the 09:15 bar's true range, measured from day 1's last close:
        // max(2000, |1,500,000 − 1,491,000| = 9000, |1,500,000 − 1,489,000| = 11,000) = 11,000
        // → ATR = (1000 · 1 + 11,000) / 2 = 6000. Channel: day 1's last two bars and the 09:15 bar,
        // lower 1,489,000, width 11,500 ≥ 3000. Close 1,480,000 < 1,488,990 → short.
        let afterOpen = s.onBar(Self.minute(1, day: 1, close: 1_480_000, high: 1_482_000, low: 1_479_000), context: Self.ctx(1))
        let next = try #require(afterOpen)
        #expect(next.side == .sell)
        // d = 0.75 × 6000 = 4500: stop 1,484,500; target 1,480,000 − 6750 = 1,473,250.
        #expect(next.stopLoss == 1_484_500 && next.takeProfit == 1_473_250)
    }
}
