import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import Foundation

/// `report.html`: one self-contained page (inline CSS and SVG, no script, no external asset) with
/// the headline figures, the equity, drawdown and monthly-returns charts, and the metrics tables.
public enum BacktestReportHTML {
    public static func page(run: BacktestRunInfo, metrics m: PerformanceMetrics, dailyEquity days: [DailyEquity],
                            trades: [ClosedTrade] = []) -> String {
        let t = m.trades
        let dates = days.map(\.date)
        let equityChart = SVGLineChart(
            title: "Equity (₹, day-end)", dates: dates, values: days.map { Double($0.equity) / 100 }, color: "#1f6feb",
            reference: (Double(m.startingCapital) / 100, "starting capital \(ReportFormat.inr(m.startingCapital))"),
            format: axisRupees)
        let drawdownChart = SVGLineChart(
            title: "Drawdown from the running peak", dates: dates,
            values: DrawdownAnalysis(startingCapital: m.startingCapital, days: days).series, color: "#d73027",
            fillToZero: true, format: axisPercent)
        let heatmap = SVGMonthlyHeatmap(table: MonthlyReturns(startingCapital: m.startingCapital, days: days))

        var html = ReportPage.open(kind: "Backtest", runID: run.runID, subtitle: subtitle(run, m))
        html += "<section class=\"cards\">\n"
        html += card("Net P&L (closed)", ReportFormat.inr(t.netPnL), sign: t.netPnL)
        html += card("Total return", ReportFormat.percent(m.totalReturn), sign: m.totalReturn)
        html += card("Annual return (CAGR)", ReportFormat.percent(m.annualReturn), sign: m.annualReturn)
        html += card("Sharpe ratio", ReportFormat.ratio(m.sharpeRatio), sign: nil)
        html += card("Max drawdown", ReportFormat.percent(m.maxDrawdown), sign: m.maxDrawdown < 0 ? -1.0 : nil)
        html += card("Trades", "\(t.trades)", sign: nil, note: t.trades > 0 ? "win rate \(ReportFormat.percent(t.winRate, digits: 1))" : nil)
        html += "</section>\n"

        html += "<section class=\"chart\">\n\(equityChart.render())</section>\n"
        html += "<section class=\"chart\">\n\(drawdownChart.render())</section>\n"

        html += "<section class=\"tables\">\n<div>\n" + table("Returns and risk", returnRows(m)) + "</div>\n"
        html += "<div>\n" + table("Trades", tradeRows(t)) + table("Money (exact)", moneyRows(m)) + "</div>\n</section>\n"
        if !trades.isEmpty {
            html += "<section class=\"tables\">\n<div>\n" + table("By strategy (net)", strategyRows(trades, run: run)) + "</div>\n"
            html += "<div>\n" + table("By exit reason (net)", exitReasonRows(t)) + "</div>\n</section>\n"
        }

        html += "<section class=\"chart\">\n\(heatmap.render())</section>\n"
        html += "<section class=\"tables\">\n" + table("Run", runRows(run), wide: true) + "</section>\n"
        html += ReportPage.close(footer: """
        Daily returns r = E<sub>t</sub>/E<sub>t−1</sub> − 1 from \
        day-end equity (E<sub>0</sub> = starting capital); 252 trading days a year; ratios follow \
        empyrical's conventions. Money is exact to the paisa; “—” marks a ratio that is undefined, \
        “∞” one that is unbounded. Files: summary.json, trades.csv, daily_equity.csv.
        """)
        return html
    }

    // MARK: - Rows

    static func returnRows(_ m: PerformanceMetrics) -> [(String, String, Double?)] {
        var rows: [(String, String, Double?)] = [
            ("Total return", ReportFormat.percent(m.totalReturn), m.totalReturn),
            ("Annual return (CAGR)", ReportFormat.percent(m.annualReturn), m.annualReturn),
            ("Annual volatility", ReportFormat.percent(m.annualVolatility), nil),
            ("Sharpe ratio" + riskFreeNote(m), ReportFormat.ratio(m.sharpeRatio), nil),
            ("Sortino ratio" + riskFreeNote(m), ReportFormat.ratio(m.sortinoRatio), nil),
            ("Calmar ratio", ReportFormat.ratio(m.calmarRatio), nil),
            ("Max drawdown", ReportFormat.percent(m.maxDrawdown), m.maxDrawdown < 0 ? -1 : nil),
        ]
        if let dd = m.maxDrawdownEpisode {
            rows.append(("Max drawdown amount", ReportFormat.inr(-dd.amount), -1))
            rows.append(("Peak → trough", "\(dd.peakDate.map { "\($0)" } ?? "start") → \(dd.troughDate)", nil))
            rows.append(("Recovered", dd.recoveryDate.map { "\($0)" } ?? "not yet", nil))
            rows.append(("Max drawdown duration", "\(dd.tradingDays) days (\(dd.peakToTroughDays) down)", nil))
        }
        rows.append(("Longest drawdown", "\(m.longestDrawdownDays) days", nil))
        if let best = m.bestDay { rows.append(("Best day", "\(ReportFormat.percent(best.dailyReturn)) on \(best.date)", best.dailyReturn)) }
        if let worst = m.worstDay { rows.append(("Worst day", "\(ReportFormat.percent(worst.dailyReturn)) on \(worst.date)", worst.dailyReturn)) }
        rows.append(("Trading days", "\(m.tradingDays)", nil))
        if let x = m.exposure {
            rows.append(("Exposure", ReportFormat.percent(x.fraction, digits: 1), nil))
            rows.append(("Bars with a position", "\(x.barsWithPosition) of \(x.bars)", nil))
        }
        return rows
    }

    static func tradeRows(_ t: TradeStatistics) -> [(String, String, Double?)] {
        func money(_ p: Int64?) -> (String, Double?) { p.map { (ReportFormat.inr($0), Double($0)) } ?? ("—", nil) }
        let expectancy = money(t.expectancy), win = money(t.averageWin), loss = money(t.averageLoss)
        let largestWin = money(t.largestWin), largestLoss = money(t.largestLoss)
        return [
            ("Trades", "\(t.trades)", nil),
            ("Wins / losses / even", "\(t.wins) / \(t.losses) / \(t.breakeven)", nil),
            ("Win rate", ReportFormat.percent(t.winRate, digits: 1), nil),
            ("Profit factor", ReportFormat.ratio(t.profitFactor), nil),
            ("Expectancy per trade", expectancy.0, expectancy.1),
            ("Average win", win.0, win.1),
            ("Average loss", loss.0, loss.1),
            ("Payoff (avg win / avg loss)", ReportFormat.ratio(t.payoffRatio), nil),
            ("Largest win", largestWin.0, largestWin.1),
            ("Largest loss", largestLoss.0, largestLoss.1),
            ("Max consecutive wins", "\(t.maxConsecutiveWins)", nil),
            ("Max consecutive losses", "\(t.maxConsecutiveLosses)", nil),
        ]
    }

    static func moneyRows(_ m: PerformanceMetrics) -> [(String, String, Double?)] {
        let t = m.trades
        return [
            ("Starting capital", ReportFormat.inr(m.startingCapital), nil),
            ("Final equity", ReportFormat.inr(m.finalEquity), nil),
            ("Equity change", ReportFormat.inr(m.equityChange), Double(m.equityChange)),
            ("Gross P&L (closed)", ReportFormat.inr(t.grossPnL), Double(t.grossPnL)),
            ("Charges (closed)", ReportFormat.inr(t.charges), nil),
            ("Net P&L (closed)", ReportFormat.inr(t.netPnL), Double(t.netPnL)),
            ("Open at the end", ReportFormat.inr(m.openPnL), Double(m.openPnL)),
            ("Gross profit (winners)", ReportFormat.inr(t.grossProfit), nil),
            ("Gross loss (losers)", ReportFormat.inr(-t.grossLoss), nil),
        ]
    }

    /// Each strategy once, over all its symbols: trades and net P&L.
    static func strategyRows(_ trades: [ClosedTrade], run: BacktestRunInfo) -> [(String, String, Double?)] {
        var totals: [String: ExitReasonTotals] = [:]
        for trade in trades { totals[run.strategyName(trade.strategy), default: ExitReasonTotals()].add(trade.netPnL) }
        return orderedUnique(run.strategies).compactMap { name in
            totals[name].map { (name, totalsText($0), Double($0.netPnL)) }
        }
    }

    /// Each exit reason that closed a trade: trades and net P&L.
    static func exitReasonRows(_ t: TradeStatistics) -> [(String, String, Double?)] {
        ExitReason.allCases.compactMap { reason in
            t.byExitReason[reason.rawValue].map { (reason.label, totalsText($0), Double($0.netPnL)) }
        }
    }

    static func totalsText(_ totals: ExitReasonTotals) -> String {
        "\(totals.trades) trade\(totals.trades == 1 ? "" : "s") · \(ReportFormat.inr(totals.netPnL))"
    }

    static func runRows(_ run: BacktestRunInfo) -> [(String, String, Double?)] {
        var rows: [(String, String, Double?)] = [
            ("Run id", run.runID, nil),
            ("Strategies", orderedUnique(run.strategies).joined(separator: ", "), nil),
            ("Symbols", run.symbols.joined(separator: ", "), nil),
            ("Period", "\(run.periodStart.map { "\($0)" } ?? "—") → \(run.periodEnd.map { "\($0)" } ?? "—")", nil),
            ("Bars", "\(run.bars)", nil),
        ]
        if let first = run.firstBarTime, let last = run.lastBarTime {
            rows.append(("First / last bar (IST)", "\(ReportFormat.istISO8601(first)) / \(ReportFormat.istISO8601(last))", nil))
        }
        rows.append(("Seed", run.seed.map { "\($0)" } ?? "—", nil))
        rows.append(("Elapsed", String(format: "%.3f s", run.elapsedSeconds), nil))
        if let started = run.startedAt { rows.append(("Started (IST)", ReportFormat.istISO8601(started), nil)) }
        if !run.dataSources.isEmpty { rows.append(("Data", run.dataSources.joined(separator: ", "), nil)) }
        for key in run.settings.keys.sorted() { rows.append((key, run.settings[key]!, nil)) }
        return rows
    }

    // MARK: - Pieces

    static func subtitle(_ run: BacktestRunInfo, _ m: PerformanceMetrics) -> String {
        var parts = [orderedUnique(run.strategies).joined(separator: ", "), run.symbols.joined(separator: ", ")]
        if let start = run.periodStart ?? m.firstDate, let end = run.periodEnd ?? m.lastDate { parts.append("\(start) → \(end)") }
        parts.append("\(run.bars) bars")
        if let seed = run.seed { parts.append("seed \(seed)") }
        return parts.filter { !$0.isEmpty }.joined(separator: " · ")
    }

    static func riskFreeNote(_ m: PerformanceMetrics) -> String {
        m.riskFreeRateAnnual == 0 ? "" : " (rf \(ReportFormat.percent(m.riskFreeRateAnnual)))"
    }

    static func card(_ label: String, _ value: String, sign: Double?, note: String? = nil) -> String {
        "<div class=\"card\"><div class=\"label\">\(e(label))</div><div class=\"value\(signClass(sign))\">\(e(value))</div>"
            + (note.map { "<div class=\"note\">\(e($0))</div>" } ?? "") + "</div>\n"
    }

    static func card(_ label: String, _ value: String, sign: Int64) -> String {
        card(label, value, sign: Double(sign))
    }

    static func table(_ title: String, _ rows: [(String, String, Double?)], wide: Bool = false) -> String {
        var out = "<table class=\"metrics\(wide ? " wide" : "")\"><caption>\(e(title))</caption><tbody>\n"
        for (label, value, sign) in rows {
            out += "<tr><th scope=\"row\">\(e(label))</th><td class=\"\(signClass(sign).trimmingCharacters(in: .whitespaces))\">\(e(value))</td></tr>\n"
        }
        return out + "</tbody></table>\n"
    }

    static func signClass(_ sign: Double?) -> String {
        guard let sign, sign.isFinite, sign != 0 else { return "" }
        return sign > 0 ? " pos" : " neg"
    }

    static func e(_ s: String) -> String { ReportFormat.escape(s) }

    /// `-5%`, `-2.5%`: as few decimals as the tick needs.
    static func axisPercent(_ v: Double) -> String {
        let p = v * 100
        for digits in 0...2 {
            let scale = pow(10, Double(digits))
            if abs(p * scale - (p * scale).rounded()) < 1e-6 { return ReportFormat.percent(v, digits: digits) }
        }
        return ReportFormat.percent(v, digits: 3)
    }

    /// `₹12.5L`, `₹1.2Cr`: short rupee amounts for an axis (lakh = 1e5, crore = 1e7).
    static func axisRupees(_ v: Double) -> String {
        let a = abs(v), sign = v < 0 ? "-" : ""
        func short(_ x: Double) -> String {
            let r = (x * 100).rounded() / 100
            return r == r.rounded() ? String(Int(r)) : String(format: r * 10 == (r * 10).rounded() ? "%.1f" : "%.2f", r)
        }
        if a >= 1e7 { return "\(sign)₹\(short(a / 1e7))Cr" }
        if a >= 1e5 { return "\(sign)₹\(short(a / 1e5))L" }
        if a >= 1e3 { return "\(sign)₹\(short(a / 1e3))k" }
        return "\(sign)₹\(short(a))"
    }

    static let css = """
    :root{color-scheme:light}
    body{margin:0;background:#f5f6f8;color:#1d2127;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
    main{max-width:1000px;margin:0 auto;padding:24px 20px 40px}
    h1{font-size:22px;margin:0 0 4px}
    h1 .run{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:18px;color:#444}
    .sub{margin:0 0 18px;color:#5b6470}
    .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(180px,1fr));gap:10px;margin-bottom:16px}
    .card{background:#fff;border:1px solid #e1e4e8;border-radius:8px;padding:10px 12px}
    .card .label{color:#5b6470;font-size:12px}
    .card .value{font-size:clamp(16px,2.2vw,20px);font-weight:600;font-variant-numeric:tabular-nums;white-space:nowrap}
    .card .note{color:#5b6470;font-size:12px}
    .chart{background:#fff;border:1px solid #e1e4e8;border-radius:8px;padding:8px;margin-bottom:16px;overflow-x:auto}
    .chart svg{display:block;max-width:100%;height:auto}
    .tables{display:grid;grid-template-columns:repeat(auto-fit,minmax(380px,1fr));gap:12px 16px;margin-bottom:16px;align-items:start}
    .tables table+table{margin-top:12px}
    table.metrics{width:100%;border-collapse:collapse;background:#fff;border:1px solid #e1e4e8;border-radius:8px}
    table.metrics caption{text-align:left;font-weight:600;padding:0 0 6px}
    table.metrics th{text-align:left;font-weight:400;color:#5b6470;padding:5px 10px;border-top:1px solid #eef0f2;white-space:nowrap}
    table.metrics td{text-align:right;padding:5px 10px;border-top:1px solid #eef0f2;font-variant-numeric:tabular-nums;white-space:nowrap}
    table.wide td{text-align:left;white-space:normal;overflow-wrap:anywhere;width:100%}
    .pos{color:#1a7f37}.neg{color:#c62828}
    footer{color:#6a737d;font-size:12px;margin-top:8px}
    @media print{body{background:#fff}.chart,.card,table.metrics{break-inside:avoid}}
    """
}
