import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// The CSV files of a backtest run: one row per closed trade, one row per trading day.
///
/// Money is in rupees with two decimals, formatted from exact paise (sums of the columns reconcile to
/// the paisa with `summary.json`). Times are IST, ISO-8601 with `+05:30`.
public enum BacktestReportCSV {
    public static let tradesHeader =
        "trade,strategy,symbol,direction,quantity,entry_time,exit_time,entry_price,exit_price,"
        + "entry_value,exit_value,gross_pnl,charges,net_pnl,exit_reason"

    /// `trades.csv`. Prices are the average fill prices (value / quantity) rounded to the paisa;
    /// values and P&L are exact.
    public static func trades(_ trades: [ClosedTrade], run: BacktestRunInfo) -> String {
        var out = tradesHeader + "\n"
        out.reserveCapacity(128 * (trades.count + 1))
        for (i, t) in trades.enumerated() {
            let fields = [
                String(i + 1), ReportFormat.csvField(run.strategyName(t.strategy)),
                ReportFormat.csvField(run.symbolName(t.symbol)), t.direction == .buy ? "LONG" : "SHORT",
                String(t.quantity), ReportFormat.istISO8601(t.entryTime), ReportFormat.istISO8601(t.exitTime),
                ReportFormat.averagePrice(value: t.entryValue, quantity: t.quantity),
                ReportFormat.averagePrice(value: t.exitValue, quantity: t.quantity),
                ReportFormat.rupees(t.entryValue), ReportFormat.rupees(t.exitValue),
                ReportFormat.rupees(t.grossPnL), ReportFormat.rupees(t.charges), ReportFormat.rupees(t.netPnL),
                t.exitReason?.rawValue ?? "",
            ]
            out += fields.joined(separator: ",")
            out += "\n"
        }
        return out
    }

    public static let dailyEquityHeader = "date,equity,daily_return,drawdown,realized_pnl,charges"

    /// `daily_equity.csv`: day-end equity, the day's return (E_t / E_(t−1) − 1, E_0 = starting
    /// capital), the drawdown from the running peak, and the run's realised P&L and charges so far.
    public static func dailyEquity(_ days: [DailyEquity], startingCapital: Int64) -> String {
        let returns = ReturnStatistics.dailyReturns(startingCapital: startingCapital, equity: days.map(\.equity))
        let drawdown = DrawdownAnalysis(startingCapital: startingCapital, days: days).series
        var out = dailyEquityHeader + "\n"
        out.reserveCapacity(80 * (days.count + 1))
        for (i, d) in days.enumerated() {
            out += "\(d.date),\(ReportFormat.rupees(d.equity)),\(ReportFormat.csvNumber(returns[i])),"
            out += "\(ReportFormat.csvNumber(drawdown[i])),\(ReportFormat.rupees(d.realizedPnL)),\(ReportFormat.rupees(d.charges))\n"
        }
        return out
    }
}
