import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// Aggregates bars into a longer timeframe aligned to the NSE session: buckets start at the
/// session open (09:15 IST on a normal day, the special session's open on a Muhurat day), so 5m
/// bars start 09:15, 09:20, …; 60m bars 09:15, 10:15, …, 15:15 (the last one partial, 15:15–15:30);
/// `1d` is the whole session. Open is the first bar's open, close the last bar's close, high and low
/// the extremes, volume the sum: exact integer arithmetic. A bucket with no bars produces no bar.
public enum BarResampler {
    public static func resample(_ series: BarSeries, to target: Timeframe, calendar: TradingCalendar) throws -> BarSeries {
        let source = series.timeframeSeconds
        guard target.seconds > source else {
            throw MarketDataError.cannotResample(message: "the bars are already \(Timeframe(seconds: source)?.description ?? "\(source) s"); resample to a longer timeframe than that")
        }
        guard source < 86_400, target.isDaily || target.seconds % source == 0 else {
            throw MarketDataError.cannotResample(message: "\(target) is not a whole number of \(Timeframe(seconds: source)?.description ?? "\(source) s") bars")
        }
        var out = BarSeries(symbol: series.symbol, timeframeSeconds: target.seconds, capacity: series.count / Int(target.seconds / source) + 1)
        var sessions = SessionCache(calendar: calendar)
        let width = target.seconds
        var bucket = Int64.min
        var o: Int64 = 0, h: Int64 = 0, l: Int64 = 0, c: Int64 = 0, v: Int64 = 0
        var previous = Int64.min
        for i in 0..<series.count {
            let t = series.time[i]
            guard t > previous else {
                throw MarketDataError.cannotResample(message: "bar \(i + 1) at \(UTCText.ist(t)) is not after the bar before (\(UTCText.ist(previous))): verify the file first")
            }
            previous = t
            guard let s = sessions.session(day: SessionCache.istDay(t)), t >= s.open, t < s.close else {
                throw MarketDataError.cannotResample(message: "bar \(i + 1) at \(UTCText.ist(t)) is outside the trading session: verify the file first")
            }
            guard (t - s.open) % source == 0 else {
                throw MarketDataError.cannotResample(message: "bar \(i + 1) at \(UTCText.ist(t)) is not on the session's \(Timeframe(seconds: source)?.description ?? "") grid from \(UTCText.istTime(s.open))")
            }
            let start = target.isDaily ? s.open : s.open + (t - s.open) / width * width
            if start != bucket {
                if bucket != .min { out.append(Bar(time: bucket, open: o, high: h, low: l, close: c, volume: v)) }
                bucket = start
                o = series.open[i]; h = series.high[i]; l = series.low[i]; c = series.close[i]; v = series.volume[i]
            } else {
                h = max(h, series.high[i]); l = min(l, series.low[i]); c = series.close[i]; v += series.volume[i]
            }
        }
        if bucket != .min { out.append(Bar(time: bucket, open: o, high: h, low: l, close: c, volume: v)) }
        return out
    }
}
