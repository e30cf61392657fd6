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
        String(decoding: tradesBytes(trades, run: run), as: UTF8.self)
    }

    /// The bytes of `trades.csv`, written field by field into one buffer (no string per field:
    /// 18,000 trades in a few milliseconds).
    static func tradesBytes(_ trades: [ClosedTrade], run: BacktestRunInfo) -> [UInt8] {
        var out = CSVBytes(capacity: 160 * (trades.count + 1))
        out.text(tradesHeader)
        out.byte(Byte.newline)
        var strategies: [Int: [UInt8]] = [:], symbols: [Int: [UInt8]] = [:]
        for (i, t) in trades.enumerated() {
            out.integer(Int64(i + 1)); out.byte(Byte.comma)
            if strategies[t.strategy] == nil { strategies[t.strategy] = Array(ReportFormat.csvField(run.strategyName(t.strategy)).utf8) }
            out.bytes.append(contentsOf: strategies[t.strategy]!); out.byte(Byte.comma)
            if symbols[t.symbol] == nil { symbols[t.symbol] = Array(ReportFormat.csvField(run.symbolName(t.symbol)).utf8) }
            out.bytes.append(contentsOf: symbols[t.symbol]!); out.byte(Byte.comma)
            out.text(t.direction == .buy ? "LONG" : "SHORT"); out.byte(Byte.comma)
            out.integer(t.quantity); out.byte(Byte.comma)
            out.istTime(t.entryTime); out.byte(Byte.comma)
            out.istTime(t.exitTime); out.byte(Byte.comma)
            if t.quantity != 0 {
                out.rupees(TradeStatistics.roundedAverage(t.entryValue, Int(t.quantity)) ?? 0); out.byte(Byte.comma)
                out.rupees(TradeStatistics.roundedAverage(t.exitValue, Int(t.quantity)) ?? 0); out.byte(Byte.comma)
            } else {
                out.byte(Byte.comma); out.byte(Byte.comma)
            }
            out.rupees(t.entryValue); out.byte(Byte.comma)
            out.rupees(t.exitValue); out.byte(Byte.comma)
            out.rupees(t.grossPnL); out.byte(Byte.comma)
            out.rupees(t.charges); out.byte(Byte.comma)
            out.rupees(t.netPnL); out.byte(Byte.comma)
            if let reason = t.exitReason { out.text(reason.rawValue) }
            out.byte(Byte.newline)
        }
        return out.bytes
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

/// A CSV being written as bytes: numbers, rupees and IST times straight into the buffer.
struct CSVBytes {
    var bytes: [UInt8] = []
    private var scratch = [UInt8](repeating: 0, count: 32)

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    mutating func byte(_ b: UInt8) { bytes.append(b) }
    mutating func text(_ s: String) { bytes.append(contentsOf: s.utf8) }

    mutating func integer(_ value: Int64) {
        scratch.withUnsafeMutableBufferPointer { s in
            let n = UTCText.writeInteger(value, to: s.baseAddress!, at: 0)
            bytes.append(contentsOf: s[0..<n])
        }
    }

    /// Paise as rupees with two decimals, exact: `1234.50`, `-0.05`.
    mutating func rupees(_ paise: Int64) {
        scratch.withUnsafeMutableBufferPointer { s in
            let n = UTCText.writeRupees(paise, to: s.baseAddress!, at: 0)
            bytes.append(contentsOf: s[0..<n])
        }
    }

    /// An instant as IST, ISO-8601 with its offset: `2021-02-22T09:15:00+05:30`.
    mutating func istTime(_ epochSeconds: Int64) {
        scratch.withUnsafeMutableBufferPointer { s in
            let n = UTCText.writeISO(epochSeconds + IST.offsetSeconds, to: s.baseAddress!, at: 0) - 1  // without its Z
            bytes.append(contentsOf: s[0..<n])
        }
        text("+05:30")
    }
}
