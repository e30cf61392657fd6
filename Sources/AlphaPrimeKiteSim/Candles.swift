import AlphaPrimeDomain

/// Kite's candle intervals, with the longest range one request may ask for.
enum CandleInterval: String, Sendable, CaseIterable {
    case minute, threeMinute = "3minute", fiveMinute = "5minute", tenMinute = "10minute"
    case fifteenMinute = "15minute", thirtyMinute = "30minute", sixtyMinute = "60minute", day

    /// Minutes per candle; 0 for a day.
    var minutes: Int {
        switch self {
        case .minute: 1
        case .threeMinute: 3
        case .fiveMinute: 5
        case .tenMinute: 10
        case .fifteenMinute: 15
        case .thirtyMinute: 30
        case .sixtyMinute: 60
        case .day: 0
        }
    }

    /// Kite's per-request limit on `to − from`, in days.
    var maximumDays: Int {
        switch self {
        case .minute: 60
        case .threeMinute, .fiveMinute, .tenMinute: 100
        case .fifteenMinute, .thirtyMinute: 200
        case .sixtyMinute: 400
        case .day: 2000
        }
    }
}

/// One candle in paise; `time` is its start (UTC epoch seconds), IST midnight for a day candle.
struct Candle: Sendable, Equatable {
    var time: Int64
    var open: Int64
    var high: Int64
    var low: Int64
    var close: Int64
    var volume: Int64

    /// `["2021-02-22T09:15:00+0530", o, h, l, c, v]`, with open interest (0: the bars have none) when asked.
    func json(openInterest: Bool) -> JSON {
        var items: [JSON] = [.string(IST.candleText(epochSeconds: time)), .rupees(open), .rupees(high), .rupees(low),
                             .rupees(close), .int(volume)]
        if openInterest { items.append(.int(0)) }
        return .array(items)
    }
}

enum Candles {
    /// The NSE session's open, minutes after IST midnight: the grid every intraday candle starts on.
    static let sessionOpenMinute = 9 * 60 + 15

    /// Aggregates time-ordered 1-minute bars into candles of `interval` on the IST session grid:
    /// an N-minute candle starts at 09:15 + k·N IST and takes the first open, the highest high, the
    /// lowest low, the last close and the summed volume of the bars inside it; a day candle is an
    /// IST date's bars, stamped at that date's midnight (as Kite stamps them).
    static func aggregate(_ bars: BarSeries, interval: CandleInterval) -> [Candle] {
        var candles: [Candle] = []
        for i in 0..<bars.count {
            let bar = bars[i]
            let start = bucketStart(bar.time, interval: interval)
            if var last = candles.last, last.time == start {
                last.high = max(last.high, bar.high)
                last.low = min(last.low, bar.low)
                last.close = bar.close
                last.volume += bar.volume
                candles[candles.count - 1] = last
            } else {
                candles.append(Candle(time: start, open: bar.open, high: bar.high, low: bar.low, close: bar.close, volume: bar.volume))
            }
        }
        return candles
    }

    /// The start of the candle a bar starting at `time` belongs to.
    static func bucketStart(_ time: Int64, interval: CandleInterval) -> Int64 {
        let t = IST.dateTime(epochSeconds: time)
        let midnight = IST.epochSeconds(date: t.date, secondOfDay: 0)
        guard interval != .day else { return midnight }
        let n = interval.minutes
        let offset = t.minuteOfDay - sessionOpenMinute
        let bucket = offset >= 0 ? offset / n : -((-offset + n - 1) / n)
        return midnight + Int64((sessionOpenMinute + bucket * n) * 60)
    }
}
