import AlphaPrimeSupport
import AlphaPrimeDomain
import Foundation

extension IndiaVIXSeries {
    /// The folder name India VIX is stored under (`market-data import --symbol INDIAVIX`, or
    /// `market-data fetch --symbol "NSE:INDIA VIX" --interval day`).
    public static let symbol = "INDIAVIX"
    /// India VIX's trading symbol in Kite's instrument master (`NSE:INDIA VIX`, token 264969), the
    /// instrument a live feed gives the day's value from.
    public static let tradingSymbol = "INDIA VIX"

    /// The India VIX daily bars of the home's market data (`data/market_data/INDIAVIX/1d/`), their
    /// closes in rupees (the stored two-decimal prices); nil when none are stored.
    public static func stored(in store: MarketDataStore) throws -> IndiaVIXSeries? {
        try store.dailyCloses(symbol: symbol).map(IndiaVIXSeries.init(closes:))
    }

    /// The first and the last date of the series; nil when it is empty.
    public var dateRange: ClosedRange<LocalDate>? {
        guard let first = days.first, let last = days.last else { return nil }
        return LocalDate(daysSinceEpoch: first)...LocalDate(daysSinceEpoch: last)
    }
}

extension MarketDataStore {
    /// The closes of a symbol's stored daily bars (`<symbol>/1d/`), in rupees, one per IST date (a
    /// later bar of the same date replaces an earlier one), in date order; nil when none are stored.
    public func dailyCloses(symbol: String) throws -> [(date: LocalDate, close: Double)]? {
        guard !years(symbol: symbol, timeframe: .oneDay).isEmpty else { return nil }
        let bars = try load(symbol: symbol, timeframe: .oneDay)
        guard !bars.time.isEmpty else { return nil }
        var closes: [(date: LocalDate, close: Double)] = []
        closes.reserveCapacity(bars.time.count)
        for i in bars.time.indices {
            let date = LocalDate(daysSinceEpoch: Int(RiskManager.istDay(bars.time[i])))
            let close = Double(bars.close[i]) / 100
            if let last = closes.last, last.date == date { closes[closes.count - 1].close = close; continue }
            closes.append((date, close))
        }
        return closes
    }
}
