import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// Builds N-minute bars from 1-minute bars, aligned to the session open (09:15 IST, so 15-minute bars
/// start 09:15, 09:30, …). A bar is complete on its last minute, or when the next bucket starts early
/// (missing minutes); the session's last bucket may be short and completes on the session's last minute.
struct BarAggregator: Sendable {
    let minutes: Int
    private var bucket = Int64.min
    private var current = Bar(time: 0, open: 0, high: 0, low: 0, close: 0)
    private var filled = false
    // The last bar's bucket index and IST day with the ranges they cover, so a bar inside them
    // needs no division (two hardware divisions a bar otherwise).
    private var indexStart = Int.max, index: Int64 = 0
    private var dayStart = Int64.max, dayEnd = Int64.min, day: Int64 = 0

    init(minutes: Int) { self.minutes = max(1, minutes) }

    /// Adds a 1-minute bar; returns the completed N-minute bar, if this minute completed one.
    /// `minutesSinceOpen` is the bar's start relative to the session open, or -1 when unknown (then
    /// buckets align to 09:15 IST).
    @inline(__always)
    mutating func add(_ bar: Bar, minutesSinceOpen: Int, minutesToClose: Int = -1) -> Bar? {
        // A one-minute strategy's bar is the minute itself: handed over in registers, not through
        // the memory a call returns an optional bar in (read back wider than it was written, which
        // stalls the load until the stores retire).
        if minutes == 1 { return bar }
        return addToBucket(bar, minutesSinceOpen: minutesSinceOpen, minutesToClose: minutesToClose)
    }

    /// ``add(_:minutesSinceOpen:minutesToClose:)`` for bars longer than a minute.
    @inline(never)
    mutating func addToBucket(_ bar: Bar, minutesSinceOpen: Int, minutesToClose: Int) -> Bar? {
        let sinceOpen = minutesSinceOpen >= 0 ? minutesSinceOpen : istMinuteOfDay(bar.time) - (9 * 60 + 15)
        if sinceOpen < indexStart || sinceOpen - indexStart >= minutes {
            let i = sinceOpen >= 0 ? sinceOpen / minutes : (sinceOpen - minutes + 1) / minutes
            index = Int64(i)
            indexStart = i * minutes
        }
        let local = bar.time + IST.offsetSeconds
        if local < dayStart || local >= dayEnd {
            day = local / 86_400
            // Whole days from 1970 on; before it the division truncates towards zero, so no range is kept.
            (dayStart, dayEnd) = local >= 0 ? (day * 86_400, day * 86_400 + 86_400) : (Int64.max, Int64.min)
        }
        let key = day * 10_000 + index
        var completed: Bar?
        if filled && key != bucket {
            completed = current  // the previous bucket ended (early, if minutes were missing)
            filled = false
        }
        if filled {
            current.high = max(current.high, bar.high)
            current.low = min(current.low, bar.low)
            current.close = bar.close
            current.volume += bar.volume
        } else {
            bucket = key
            current = Bar(time: bar.time - Int64(sinceOpen - indexStart) * 60, open: bar.open, high: bar.high,
                          low: bar.low, close: bar.close, volume: bar.volume)
            filled = true
        }
        let lastOfSession = minutesToClose >= 0 && minutesToClose <= 1
        // The bucket's last minute (the remainder of sinceOpen + 1 by minutes is 0).
        if (sinceOpen - indexStart == minutes - 1 || lastOfSession) && completed == nil {
            filled = false
            return current
        }
        // When an early-ended bucket is reported, a just-completed one is reported with the next minute.
        return completed
    }
}
