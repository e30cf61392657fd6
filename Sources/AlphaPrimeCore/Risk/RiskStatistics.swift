import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// The net P&L of the last `capacity` closed trades, with running sums for the Kelly estimate.
/// Updated once per closed trade in O(1).
public struct TradeOutcomeWindow: Sendable, Codable, Equatable {
    public private(set) var capacity: Int
    /// Net P&L (paise) of the trades in the window, oldest first from `start`.
    var pnl: [Int64] = []
    var start = 0
    public private(set) var wins = 0
    public private(set) var losses = 0
    /// Σ net P&L of the winning trades (> 0), and Σ |net P&L| of the losing ones (< 0).
    public private(set) var winTotal: Int64 = 0
    public private(set) var lossTotal: Int64 = 0

    public init(capacity: Int) { self.capacity = max(0, capacity) }

    public var count: Int { pnl.count }

    public mutating func append(_ net: Int64) {
        guard capacity > 0 else { return }
        if pnl.count == capacity {
            remove(pnl[start])
            pnl[start] = net
            start = (start + 1) % capacity
        } else {
            pnl.append(net)
        }
        if net > 0 { wins += 1; winTotal += net } else if net < 0 { losses += 1; lossTotal += -net }
    }

    private mutating func remove(_ net: Int64) {
        if net > 0 { wins -= 1; winTotal -= net } else if net < 0 { losses -= 1; lossTotal -= -net }
    }

    /// Share of trades that made money (breakeven trades count as not winning).
    public var winRate: Double { pnl.isEmpty ? 0 : Double(wins) / Double(pnl.count) }

    /// Average win ÷ average loss; nil without a loss or without a win.
    public var payoffRatio: Double? {
        guard wins > 0, losses > 0 else { return nil }
        return (Double(winTotal) / Double(wins)) / (Double(lossTotal) / Double(losses))
    }

    /// Full Kelly fraction `W − (1 − W) / R`; `W` when there was no loss, 0 or less when there is no edge.
    public var kellyFraction: Double {
        guard !pnl.isEmpty else { return 0 }
        let w = winRate
        if losses == 0 { return w }
        guard let r = payoffRatio else { return -1 }  // losses but no win
        return w - (1 - w) / r
    }
}

/// Closing prices of every symbol, one row per trading day, for the measured (rolling) correlation of
/// daily returns. A day is recorded once, when the next one starts.
public struct DailyCloseHistory: Sendable, Codable, Equatable {
    public private(set) var windowDays: Int
    /// Per symbol, the last `windowDays + 1` closes (0 = no price yet).
    public private(set) var closes: [[Int64]] = []

    public init(windowDays: Int) { self.windowDays = windowDays }

    public var days: Int { closes.first?.count ?? 0 }

    /// Every pair's correlation, worked out once a day (NaN: not known), row-major.
    var matrix: [Double] = []

    public mutating func record(_ prices: [Int64]) {
        guard windowDays > 0, prices.contains(where: { $0 > 0 }) else { return }
        if closes.count != prices.count { closes = Array(repeating: [], count: prices.count) }
        for s in prices.indices {
            closes[s].append(prices[s])
            if closes[s].count > windowDays + 1 { closes[s].removeFirst(closes[s].count - windowDays - 1) }
        }
        recompute()
    }

    mutating func recompute() {
        let n = closes.count
        matrix = Array(repeating: .nan, count: n * n)
        for a in 0..<n {
            for b in (a + 1)..<max(a + 1, n) {
                let r = measure(a, b) ?? .nan
                matrix[a * n + b] = r
                matrix[b * n + a] = r
            }
        }
    }

    enum CodingKeys: String, CodingKey { case windowDays, closes }

    /// Same window and closes (the matrix follows from them).
    public static func == (a: DailyCloseHistory, b: DailyCloseHistory) -> Bool {
        a.windowDays == b.windowDays && a.closes == b.closes
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        windowDays = try c.decode(Int.self, forKey: .windowDays)
        closes = try c.decode([[Int64]].self, forKey: .closes)
        recompute()
    }

    /// Pearson correlation of the two symbols' daily returns over the full window; nil until the
    /// window is full or when a price is missing or flat. Looked up, not recomputed.
    @inline(__always)
    public func correlation(_ a: SymbolID, _ b: SymbolID) -> Double? {
        let n = closes.count
        guard a >= 0, b >= 0, a < n, b < n, matrix.count == n * n else { return nil }
        let r = matrix[a * n + b]
        return r.isNaN ? nil : r
    }

    func measure(_ a: SymbolID, _ b: SymbolID) -> Double? {
        guard a < closes.count, b < closes.count, closes[a].count == windowDays + 1 else { return nil }
        let x = closes[a], y = closes[b]
        var sx = 0.0, sy = 0.0, sxx = 0.0, syy = 0.0, sxy = 0.0
        let n = Double(windowDays)
        for t in 1...windowDays {
            guard x[t - 1] > 0, x[t] > 0, y[t - 1] > 0, y[t] > 0 else { return nil }
            let rx = Double(x[t]) / Double(x[t - 1]) - 1
            let ry = Double(y[t]) / Double(y[t - 1]) - 1
            sx += rx; sy += ry; sxx += rx * rx; syy += ry * ry; sxy += rx * ry
        }
        let cov = sxy - sx * sy / n
        let vx = sxx - sx * sx / n, vy = syy - sy * sy / n
        guard vx > 0, vy > 0 else { return nil }
        return cov / (vx * vy).squareRoot()
    }
}

/// India VIX by date for the VIX filter, from a daily series, without look-ahead: the value for a
/// date is the last close of an earlier date (the close the trader knows before that day's open).
public struct IndiaVIXSeries: Sendable, Equatable {
    /// (days since epoch, close), ascending.
    let days: [Int]
    let closes: [Double]

    public init(closes: [(date: LocalDate, close: Double)]) {
        let sorted = closes.filter { $0.close > 0 }.sorted { $0.date < $1.date }
        days = sorted.map(\.date.daysSinceEpoch)
        self.closes = sorted.map(\.close)
    }

    /// The last close strictly before `date`; nil when the series starts on or after it.
    public func priorClose(before date: LocalDate) -> Double? {
        let n = days.countLess(than: date.daysSinceEpoch)
        return n == 0 ? nil : closes[n - 1]
    }

    /// The oldest prior close the lookup accepts, in calendar days before the date: NSE is never
    /// closed a whole week, so an older close means the series stops short of the date (a backtest
    /// past its end, a series not updated), and the filter refuses rather than use a stale value.
    public static let maxPriorCloseAgeDays = 7

    /// The last close strictly before `date` within ``maxPriorCloseAgeDays``; nil otherwise.
    public func recentPriorClose(before date: LocalDate) -> Double? {
        let n = days.countLess(than: date.daysSinceEpoch)
        guard n > 0, date.daysSinceEpoch - days[n - 1] <= Self.maxPriorCloseAgeDays else { return nil }
        return closes[n - 1]
    }

    /// The last date and close of the series; nil when it is empty.
    public var latest: (date: LocalDate, close: Double)? {
        guard let day = days.last, let close = closes.last else { return nil }
        return (LocalDate(daysSinceEpoch: day), close)
    }

    /// The lookup the risk manager takes: the prior close, when it is at most a week old.
    public var lookup: RiskManager.VIXLookup {
        let series = self
        return { series.recentPriorClose(before: $0) }
    }
}
