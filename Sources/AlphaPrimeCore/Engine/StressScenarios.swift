import AlphaPrimeSupport
import AlphaPrimeDomain

/// The market days `stress-test` puts through the engine: seeded synthetic sessions for throughput,
/// and hard days made from real ones (the largest moves, gaps at the open, a stalled feed).
public enum StressScenarios {
    /// `symbols` series of 1-minute bars for each of `days` sessions (with `warmupDays` sessions
    /// before them for the indicators), a seeded random walk around `startPrice` paise with a
    /// 0.05 % minute volatility, on the tick grid.
    public static func synthetic(symbols: Int, days: [TradingCalendar.Session], warmup: [TradingCalendar.Session],
                                 startPrice: Int64, tick: Int64, seed: UInt64) -> [ReplayDay] {
        var random = SplitMix64(seed: seed)
        var last = Array(repeating: startPrice, count: symbols)
        func session(_ s: TradingCalendar.Session) -> [BarSeries] {
            (0..<symbols).map { k in
                var series = BarSeries(symbol: "SYN\(k + 1)", timeframeSeconds: 60, capacity: s.durationMinutes)
                var price = last[k]
                for minute in 0..<s.durationMinutes {
                    let open = price
                    var high = open, low = open
                    for _ in 0..<4 {
                        // ±0.05 % a step, four steps a minute: a walk that trends and reverts like an index.
                        let u = Double(random.next() >> 11) / Double(1 << 53) - 0.5
                        price = max(tick, ((price + Int64((Double(price) * 0.001 * u).rounded())) / tick) * tick)
                        high = max(high, price); low = min(low, price)
                    }
                    series.append(Bar(time: s.openEpochSeconds + Int64(minute * 60), open: open, high: high, low: low, close: price,
                                      volume: 1_000 + Int64(random.next() % 9_000)))
                }
                last[k] = price
                return series
            }
        }
        var warm: [[BarSeries]] = warmup.map(session)
        var out: [ReplayDay] = []
        for day in days {
            let bars = session(day)
            out.append(ReplayDay(session: day, series: bars, warmup: merged(warm, symbols: symbols), source: "synthetic seed \(seed)"))
            warm.append(bars)
            if warm.count > warmup.count { warm.removeFirst() }
        }
        return out
    }

    static func merged(_ sessions: [[BarSeries]], symbols: Int) -> [BarSeries] {
        (0..<symbols).map { k in
            var series = BarSeries(symbol: "SYN\(k + 1)", timeframeSeconds: 60)
            for s in sessions where k < s.count { for i in 0..<s[k].count { series.append(s[k][i]) } }
            return series
        }
    }

    /// The day moved by `fraction` from its open on: every bar of the session scaled, so the open
    /// gaps by that much from the day before's close (the warm-up stays as it was).
    public static func gap(_ day: ReplayDay, by fraction: Double, tick: [Int64]) -> ReplayDay {
        var out = day
        for k in out.series.indices {
            let t = max(1, tick.indices.contains(k) ? tick[k] : 5)
            func scaled(_ p: Int64) -> Int64 { max(t, Int64((Double(p) * (1 + fraction) / Double(t)).rounded()) * t) }
            out.series[k].open = out.series[k].open.map(scaled)
            out.series[k].high = out.series[k].high.map(scaled)
            out.series[k].low = out.series[k].low.map(scaled)
            out.series[k].close = out.series[k].close.map(scaled)
        }
        out.source = day.source + String(format: ", gap %+.0f%% at the open", fraction * 100)
        return out
    }

    /// The day with no bars for `minutes` minutes from `afterMinutes` past the open: a feed that stalled.
    public static func stall(_ day: ReplayDay, afterMinutes: Int, minutes: Int) -> ReplayDay {
        var out = day
        let from = day.session.openEpochSeconds + Int64(afterMinutes * 60), to = from + Int64(minutes * 60)
        for k in out.series.indices {
            let before = day.series[k].slice(from: day.session.openEpochSeconds, to: from)
            let after = day.series[k].slice(from: to, to: day.session.closeEpochSeconds)
            var joined = before
            for i in 0..<after.count { joined.append(after[i]) }
            out.series[k] = joined
        }
        out.source = day.source + ", feed stalled \(minutes) minutes at +\(afterMinutes) min"
        return out
    }

    /// The days with the largest open-to-close move of their first traded symbol, largest first.
    public static func worstDays(_ days: [ReplayDay], count: Int) -> [ReplayDay] {
        func move(_ d: ReplayDay) -> Double {
            guard let s = d.series.first(where: { !$0.isEmpty }), let first = s.open.first, let last = s.close.last, first > 0 else { return 0 }
            return abs(Double(last - first) / Double(first))
        }
        return Array(days.sorted { move($0) > move($1) }.prefix(count))
    }
}
