import AlphaPrimeSupport

/// Something the market did, in the order it happened: a closed bar, or a trade print.
public enum MarketEvent: Sendable, Equatable {
    /// A closed bar of `symbol` (its `time` is the bar's start).
    case bar(Bar, symbol: SymbolID)
    /// A trade print of `symbol`, from a live feed.
    case tick(Tick, symbol: SymbolID)
    /// The market time (UTC epoch seconds) a live feed has reached with nothing else to say: every
    /// bar that closed before it was delivered. Time moves on without data (a quiet or stalled feed),
    /// so the square-off and the close still happen on time; a replay never sends it.
    case clock(Int64)
}

/// The market-feed port: where the trading core's market data comes from — recorded bars replayed
/// (``ReplayFeed``), or the broker's ticker turned into bars on the wall clock (the engine's live feed). Events come out in time order; bars of several
/// symbols with the same start come out in symbol-id order, so a run is the same every time.
public protocol MarketFeed {
    /// The next event, or nil when the feed has ended.
    mutating func next() -> MarketEvent?
}

/// Recorded bars of several symbols merged into one stream by time (ties by symbol id): the one
/// place bars are merged, for the backtester and the engine alike.
public struct ReplayFeed: MarketFeed, Sendable {
    @usableFromInline let series: [BarSeries]
    @usableFromInline var cursor: [Int]
    /// With one symbol there is nothing to merge: its columns are walked directly.
    @usableFromInline let single: Bool
    @usableFromInline let time: [Int64], open: [Int64], high: [Int64], low: [Int64], close: [Int64], volume: [Int64]
    @usableFromInline var position = 0

    /// - Parameter series: one bar series per symbol id, each in time order (an instrument may have none).
    public init(series: [BarSeries]) {
        self.series = series
        cursor = Array(repeating: 0, count: series.count)
        single = series.count == 1
        let only = series.count == 1 ? series[0] : BarSeries(symbol: "", timeframeSeconds: 60)
        time = only.time; open = only.open; high = only.high; low = only.low; close = only.close; volume = only.volume
    }

    /// Bars still to come, over all symbols.
    public var remaining: Int {
        single ? time.count - position : series.indices.reduce(0) { $0 + series[$1].count - cursor[$1] }
    }

    /// The next bar and its symbol id, or nil at the end. The one-symbol walk is inlined into the
    /// caller's loop; the merge of several symbols is a call.
    @inlinable @inline(__always)
    public mutating func nextBar() -> (bar: Bar, symbol: SymbolID)? {
        if single {
            let i = position
            guard i < time.count else { return nil }
            position = i + 1
            return (Bar(time: time[i], open: open[i], high: high[i], low: low[i], close: close[i], volume: volume[i]), 0)
        }
        return nextMerged()
    }

    /// The earliest next bar over all symbols (ties by symbol id).
    @usableFromInline
    mutating func nextMerged() -> (bar: Bar, symbol: SymbolID)? {
        var symbol = -1
        var best = Int64.max
        for s in 0..<series.count where cursor[s] < series[s].count {
            let t = series[s].time[cursor[s]]
            if t < best { best = t; symbol = s }
        }
        if symbol < 0 { return nil }
        let bar = series[symbol][cursor[symbol]]
        cursor[symbol] += 1
        return (bar, symbol)
    }

    @inlinable @inline(__always)
    public mutating func next() -> MarketEvent? {
        guard let (bar, symbol) = nextBar() else { return nil }
        return .bar(bar, symbol: symbol)
    }
}
