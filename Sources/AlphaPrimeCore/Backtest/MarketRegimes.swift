import AlphaPrimeSupport
import AlphaPrimeDomain
import Foundation

/// The market a trading day belongs to, for testing a strategy in each.
public enum MarketRegime: String, Sendable, Codable, DeclarationOrdered {
    case bull, bear, sideways
}

/// One day's label with the numbers that decided it, all from the closes before the day.
public struct RegimeDay: Sendable, Equatable {
    public var date: LocalDate
    public var regime: MarketRegime
    /// The date and value of the last close before the day.
    public var priorDate: LocalDate
    public var priorClose: Double
    public var fastAverage: Double
    public var slowAverage: Double
    /// Standard deviation of the daily log returns, in per cent.
    public var volatilityPct: Double
    /// How far the last close sits from the slow average, in per cent (negative below).
    public var gapPct: Double
    /// The gap a trend needs: band_volatility_multiple × the volatility.
    public var bandPct: Double
}

/// Labels trading days bull, bear or sideways from an index's daily closes (`regimes:` in
/// general_config.yaml). For a day D, with the closes strictly before D:
///
/// - fast and slow: the simple averages of the last `fast_days` and `slow_days` closes;
/// - volatility: the standard deviation of the last `volatility_days` daily log returns, in per cent;
/// - gap: (last close / slow − 1) in per cent; band: `band_volatility_multiple` × volatility;
/// - **bull** when fast > slow and gap > band (the trend up, the price clear of its noise above the
///   slow average); **bear** when fast < slow and gap < −band; **sideways** otherwise (a price
///   within the band of the slow average, or the averages and the price disagreeing).
///
/// A day with fewer than `slow_days` closes before it, or whose last close is more than a week old
/// (a gap in the stored series), has no label. Nothing on or after D is read: D's own bar cannot
/// change D's label.
public struct RegimeLabels: Sendable {
    public let settings: GeneralConfig.Regimes
    private let days: [Int]
    private let closes: [Double]

    /// The longest a last close may be before the day it labels.
    public static let maxPriorCloseAgeDays = 7

    /// - Parameter closes: daily closes in date order (one per date).
    public init(settings: GeneralConfig.Regimes, closes: [(date: LocalDate, close: Double)]) {
        self.settings = settings
        self.days = closes.map(\.date.daysSinceEpoch)
        self.closes = closes.map(\.close)
    }

    /// The first and last date of the closes; nil when there are none.
    public var dateRange: ClosedRange<LocalDate>? {
        guard let first = days.first, let last = days.last else { return nil }
        return LocalDate(daysSinceEpoch: first)...LocalDate(daysSinceEpoch: last)
    }

    /// The label of `date`; nil when the closes before it cannot decide (too few, or too old).
    public func label(_ date: LocalDate) -> RegimeDay? {
        let n = days.countLess(than: date.daysSinceEpoch)  // the closes strictly before the day
        let s = settings
        guard n >= s.slowDays, n >= s.volatilityDays + 1,
              date.daysSinceEpoch - days[n - 1] <= Self.maxPriorCloseAgeDays else { return nil }
        func average(_ count: Int) -> Double {
            var sum = 0.0
            for i in (n - count)..<n { sum += closes[i] }
            return sum / Double(count)
        }
        let fast = average(s.fastDays), slow = average(s.slowDays)
        var returns: [Double] = []
        returns.reserveCapacity(s.volatilityDays)
        for i in (n - s.volatilityDays)..<n { returns.append(log(closes[i] / closes[i - 1])) }
        let mean = returns.reduce(0, +) / Double(returns.count)
        let variance = returns.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(returns.count - 1)
        let volatility = variance.squareRoot() * 100
        let last = closes[n - 1]
        let gap = (last / slow - 1) * 100
        let band = s.bandVolatilityMultiple * volatility
        let regime: MarketRegime = fast > slow && gap > band ? .bull : fast < slow && gap < -band ? .bear : .sideways
        return RegimeDay(date: date, regime: regime, priorDate: LocalDate(daysSinceEpoch: days[n - 1]), priorClose: last,
                         fastAverage: fast, slowAverage: slow, volatilityPct: volatility, gapPct: gap, bandPct: band)
    }

    /// The daily bars of the configured index in the home's market data
    /// (`data/market_data/<index>/1d/`), their closes in rupees; nil when none are stored.
    public static func stored(in store: MarketDataStore, settings: GeneralConfig.Regimes) throws -> RegimeLabels? {
        try store.dailyCloses(symbol: BacktestRequest.dataFolder(for: settings.index)).map { RegimeLabels(settings: settings, closes: $0) }
    }
}
