import AlphaPrimeSupport

/// One OHLCV bar. Prices in paise; `time` is the bar's **start**, UTC epoch seconds.
///
/// Bars are labelled by their start everywhere inside ALPHA-PRIME (a 1-minute bar stamped 09:15 IST
/// covers 09:15:00–09:15:59). Importers convert end-labelled sources.
public struct Bar: Hashable, Sendable {
    public var time: Int64
    public var open: Int64
    public var high: Int64
    public var low: Int64
    public var close: Int64
    public var volume: Int64

    @inlinable
    public init(time: Int64, open: Int64, high: Int64, low: Int64, close: Int64, volume: Int64 = 0) {
        self.time = time; self.open = open; self.high = high; self.low = low; self.close = close; self.volume = volume
    }
}

/// Bars of one symbol and timeframe in contiguous arrays (struct of arrays), loaded once and read
/// by index in the hot loop: no per-bar allocation, no `String`, no `Date`.
public struct BarSeries: Sendable, Equatable {
    public var symbol: String
    /// Bar length in seconds (60 for 1-minute bars, 86_400 for daily).
    public var timeframeSeconds: Int64
    public var time: [Int64]
    public var open: [Int64]
    public var high: [Int64]
    public var low: [Int64]
    public var close: [Int64]
    public var volume: [Int64]

    public init(symbol: String, timeframeSeconds: Int64, capacity: Int = 0) {
        self.symbol = symbol
        self.timeframeSeconds = timeframeSeconds
        time = []; open = []; high = []; low = []; close = []; volume = []
        if capacity > 0 { reserveCapacity(capacity) }
    }

    public mutating func reserveCapacity(_ n: Int) {
        time.reserveCapacity(n); open.reserveCapacity(n); high.reserveCapacity(n)
        low.reserveCapacity(n); close.reserveCapacity(n); volume.reserveCapacity(n)
    }

    @inlinable public var count: Int { time.count }
    @inlinable public var isEmpty: Bool { time.isEmpty }

    @inlinable
    public subscript(i: Int) -> Bar {
        Bar(time: time[i], open: open[i], high: high[i], low: low[i], close: close[i], volume: volume[i])
    }

    @inlinable
    public mutating func append(_ bar: Bar) {
        time.append(bar.time); open.append(bar.open); high.append(bar.high)
        low.append(bar.low); close.append(bar.close); volume.append(bar.volume)
    }

    /// The bars whose start lies in `[from, to)` (UTC epoch seconds); series must be time-ordered.
    public func slice(from: Int64, to: Int64) -> BarSeries {
        let lo = time.partitioningIndex { $0 >= from }
        let hi = time.partitioningIndex { $0 >= to }
        var out = BarSeries(symbol: symbol, timeframeSeconds: timeframeSeconds)
        out.time = Array(time[lo..<hi]); out.open = Array(open[lo..<hi]); out.high = Array(high[lo..<hi])
        out.low = Array(low[lo..<hi]); out.close = Array(close[lo..<hi]); out.volume = Array(volume[lo..<hi])
        return out
    }
}

extension Array where Element == Int64 {
    /// First index whose element satisfies `predicate`, for a predicate false-then-true over a sorted array.
    @usableFromInline
    package func partitioningIndex(where predicate: (Int64) -> Bool) -> Int {
        var lo = 0, hi = count
        while lo < hi {
            let mid = (lo + hi) / 2
            if predicate(self[mid]) { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }
}
