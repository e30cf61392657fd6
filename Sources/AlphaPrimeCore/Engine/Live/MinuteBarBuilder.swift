import AlphaPrimeSupport
import AlphaPrimeDomain

/// Trade prints turned into 1-minute bars on the session grid, the same bars the backtester and a
/// replay read: start-labelled (a bar's time is its minute's start, UTC epoch seconds, so IST
/// minutes), only minutes of `[open, close)`, no bar for a minute without a print.
///
/// **Volume** comes from the day's cumulative traded volume each print carries: a bar's volume is
/// the cumulative volume at its last print minus the cumulative volume at the last print before
/// it. The first minute of the session counts from 0 (the day starts with it); a minute the feed
/// joined in the middle of counts from its first print. An index has no volume: its bars have 0.
///
/// **Closing.** A minute closes when the market time (the feed decides it: the latest print, or
/// the wall clock less a grace) reaches its end; every symbol's bar of that minute closes
/// together and comes out in symbol-id order, as a replay merges them. A print of a minute
/// already closed is late: it moves nothing and is counted.
public struct MinuteBarBuilder: Sendable {
    struct Forming: Sendable {
        var minute: Int64
        var open: Int64, high: Int64, low: Int64, close: Int64
        var baseline: Int64
        var cumulative: Int64
    }

    public let open: Int64
    public let close: Int64
    private var forming: [Forming?]
    /// Per symbol: the cumulative volume at the last print of its last closed minute.
    private var baseline: [Int64?]
    /// The end of the last minute closed (ticks before it are late).
    public private(set) var closedThrough: Int64
    public private(set) var lateTicks = 0
    public private(set) var outsideSessionTicks = 0

    /// - Parameters:
    ///   - symbols: how many symbol ids there are.
    ///   - open, close: the session's open and close (UTC epoch seconds).
    public init(symbols: Int, open: Int64, close: Int64) {
        self.open = open
        self.close = close
        forming = Array(repeating: nil, count: symbols)
        baseline = Array(repeating: nil, count: symbols)
        closedThrough = open
    }

    /// The start of the minute `time` falls in.
    @inlinable public static func minute(_ time: Int64) -> Int64 { time - ((time % 60) + 60) % 60 }

    /// Takes a print. Returns false when it moved nothing: outside the session, of a minute that
    /// has closed, or of a symbol id the builder does not know.
    @discardableResult
    public mutating func add(_ tick: Tick, symbol: SymbolID) -> Bool {
        guard forming.indices.contains(symbol) else { return false }
        guard tick.time >= open, tick.time < close else {
            outsideSessionTicks += 1
            return false
        }
        let minute = Self.minute(tick.time)
        guard minute >= closedThrough else {
            lateTicks += 1
            return false
        }
        let price = tick.lastPrice
        if var bar = forming[symbol] {
            if minute == bar.minute {
                bar.high = max(bar.high, price)
                bar.low = min(bar.low, price)
                bar.close = price
                bar.cumulative = max(bar.cumulative, tick.volume)
                forming[symbol] = bar
                return true
            }
            // A print of a later minute than the one forming: the forming minute has ended for this
            // symbol, though the market time has not closed it for all yet. Keep it; it closes in order.
            guard minute > bar.minute else {
                lateTicks += 1
                return false
            }
            pendingClosed.append((finished(bar), symbol))
            baseline[symbol] = bar.cumulative
        }
        let start = baseline[symbol] ?? (minute == open ? 0 : tick.volume)
        forming[symbol] = Forming(minute: minute, open: price, high: price, low: price, close: price,
                                  baseline: start, cumulative: max(start, tick.volume))
        return true
    }

    /// Bars a symbol finished by moving on to a later minute, not yet released.
    private var pendingClosed: [(bar: Bar, symbol: SymbolID)] = []

    private func finished(_ f: Forming) -> Bar {
        Bar(time: f.minute, open: f.open, high: f.high, low: f.low, close: f.close, volume: max(0, f.cumulative - f.baseline))
    }

    /// Closes every minute that ended at or before `time` and returns its bars, in time order and,
    /// within a minute, in symbol-id order.
    public mutating func close(before time: Int64) -> [(bar: Bar, symbol: SymbolID)] {
        let end = Self.minute(min(time, close + 59))
        guard end > closedThrough else { return [] }
        var out: [(bar: Bar, symbol: SymbolID)] = []
        var keep: [(bar: Bar, symbol: SymbolID)] = []
        for item in pendingClosed {
            if item.bar.time < end { out.append(item) } else { keep.append(item) }
        }
        pendingClosed = keep
        for s in forming.indices {
            guard let f = forming[s], f.minute + 60 <= end else { continue }
            out.append((finished(f), s))
            baseline[s] = f.cumulative
            forming[s] = nil
        }
        closedThrough = end
        out.sort { $0.bar.time != $1.bar.time ? $0.bar.time < $1.bar.time : $0.symbol < $1.symbol }
        return out
    }

    /// Whether every minute of the session has closed.
    public var sessionClosed: Bool { closedThrough >= close }
}
