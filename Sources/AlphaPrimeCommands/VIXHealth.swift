import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeCore
import AlphaPrimeOps

/// health-check's `india vix` line, when the risk file's VIX filter is on: the stored India VIX
/// (`data/market_data/INDIAVIX/1d`) must hold the close of the last trading day before today, the
/// one today's session is filtered by.
///
/// - Nothing stored: a warning (the filter is inactive; entries are not filtered).
/// - The latest close older than the last trading day before today: a warning (the filter takes a
///   close at most a week old, then refuses every entry).
/// - The filter off: no line.
enum VIXHealth {
    static func check(configuration: AlphaPrimeConfiguration?, home: AlphaPrimeHome, today: LocalDate,
                      calendar: TradingCalendar?) -> [HealthFinding] {
        guard let configuration, configuration.risk.vixFilter.enabled else { return [] }
        let filter = configuration.risk.vixFilter
        let band = "\(ConfigValidator.format(filter.min))–\(ConfigValidator.format(filter.max))"
        let series: IndiaVIXSeries?
        do {
            series = try IndiaVIXSeries.stored(in: MarketDataStore(home: home))
        } catch {
            return [.warning("india vix", "the stored India VIX cannot be read: \(error)")]
        }
        guard let latest = series?.latest else {
            return [.warning("india vix", "vix_filter is on (\(band)) but no India VIX is stored in data/market_data/\(IndiaVIXSeries.symbol)/1d: "
                             + "entries are not filtered; store it with: market-data fetch --symbol \"NSE:INDIA VIX\" --interval day "
                             + "--from YYYY-MM-DD --to YYYY-MM-DD (or market-data import --format nse --symbol \(IndiaVIXSeries.symbol) FILE)")]
        }
        let value = String(format: "%.2f", latest.close)
        guard let calendar else {
            return [.ok("india vix", "latest close \(value) on \(latest.date) (no calendar to judge its age)")]
        }
        let needed = calendar.previousTradingDay(before: today)
        if latest.date < needed {
            let age = today.daysSinceEpoch - latest.date.daysSinceEpoch
            let effect = age > IndiaVIXSeries.maxPriorCloseAgeDays
                ? "the filter refuses every entry today (no close within \(IndiaVIXSeries.maxPriorCloseAgeDays) days)"
                : "today's entries are filtered by that older close"
            return [.warning("india vix", "the latest India VIX close is of \(latest.date) (\(value)), older than \(needed), the last trading day: "
                             + "\(effect); fetch it with: market-data fetch --symbol \"NSE:INDIA VIX\" --interval day --from \(latest.date.adding(days: 1)) --to \(needed)")]
        }
        return [.ok("india vix", "latest close \(value) on \(latest.date); the filter passes \(band)")]
    }
}
