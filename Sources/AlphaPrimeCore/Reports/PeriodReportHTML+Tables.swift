import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import Foundation

/// The tables of a trading report's page.
extension PeriodReport {
    /// A cell: its text and, for money, the sign that colours it.
    typealias Cell = (String, Double?)

    static let css = """
        .grid{background:#fff;border:1px solid #e1e4e8;border-radius:8px;margin-bottom:16px;overflow-x:auto}
        .grid h2{font-size:15px;margin:0;padding:10px 12px 6px}
        .grid table{width:100%;border-collapse:collapse;font-size:13px}
        .grid th,.grid td{padding:4px 8px;border-top:1px solid #eef0f2;text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
        .grid th:first-child,.grid td:first-child{text-align:left}
        .grid th{background:#fafbfc;font-weight:600;color:#444}
        .grid td.pos{color:#1a7f37}.grid td.neg{color:#cf222e}
        .grid p.empty{padding:0 12px 10px;color:#5b6470;margin:0}
        .grid.wrap td:last-child{white-space:normal;text-align:left;min-width:240px}
        .notice{background:#fff;border:1px solid #e1e4e8;border-radius:8px;padding:16px;font-size:16px}
        """

    static func grid(_ title: String, _ header: [String], _ rows: [[Cell]], empty: String? = nil, wrapLast: Bool = false) -> String {
        let e = ReportFormat.escape
        var out = "<section class=\"grid\(wrapLast ? " wrap" : "")\"><h2>\(e(title))</h2>\n"
        if rows.isEmpty {
            return out + "<p class=\"empty\">\(e(empty ?? "None."))</p></section>\n"
        }
        out += "<table><thead><tr>" + header.map { "<th>\(e($0))</th>" }.joined() + "</tr></thead><tbody>\n"
        for row in rows {
            out += "<tr>" + row.map { "<td class=\"\(BacktestReportHTML.signClass($0.1).trimmingCharacters(in: .whitespaces))\">\(e($0.0))</td>" }.joined() + "</tr>\n"
        }
        return out + "</tbody></table></section>\n"
    }

    var performanceRows: [(String, String, Double?)] {
        let r = ReportFormat.self, t = metrics.trades
        var rows: [(String, String, Double?)] = [
            ("Net P&L", r.inr(netPnL), Double(netPnL)),
            ("Win rate", r.percent(t.winRate, digits: 1), nil),
            ("Profit factor", r.ratio(t.profitFactor), nil),
            ("Expectancy per trade", t.expectancy.map(r.inr) ?? "—", t.expectancy.map(Double.init)),
            ("Largest win / loss", "\(t.largestWin.map(r.inr) ?? "—") / \(t.largestLoss.map(r.inr) ?? "—")", nil),
            ("Longest losing streak", "\(t.maxConsecutiveLosses) trades", nil),
            ("Max drawdown", r.percent(metrics.maxDrawdown), metrics.maxDrawdown < 0 ? -1 : nil),
        ]
        if period.kind != .daily {
            rows += [
                ("Sharpe ratio", r.ratio(metrics.sharpeRatio), nil),
                ("Sortino ratio", r.ratio(metrics.sortinoRatio), nil),
                ("Best day", metrics.bestDay.map { "\($0.date) \(r.inr($0.change))" } ?? "—", metrics.bestDay.map { Double($0.change) }),
                ("Worst day", metrics.worstDay.map { "\($0.date) \(r.inr($0.change))" } ?? "—", metrics.worstDay.map { Double($0.change) }),
            ]
        }
        return rows
    }

    var dayRows: [[Cell]] {
        days.map { d in
            [("\(d.date) \(d.date.weekdayName.prefix(3))", nil), (d.tradingDay ? String(d.trades) : "", nil),
             (d.tradingDay ? ReportFormat.inr(d.netPnL) : "", d.tradingDay ? Double(d.netPnL) : nil),
             (d.closeEquity.map(ReportFormat.inr) ?? "", nil), (d.note ?? "", nil)]
        }
    }

    func groupRows(_ groups: [Group]) -> [[Cell]] {
        groups.map { g in
            [(g.name, nil), (String(g.trades), nil), (ReportFormat.percent(g.winRate, digits: 1), nil),
             (ReportFormat.ratio(g.profitFactor), nil), (ReportFormat.inr(g.netPnL), Double(g.netPnL))]
        }
    }

    var tradeRows: [[Cell]] {
        trades.map { t in
            let entry = t.entryAt.microseconds / 1_000_000, exit = t.exitAt.microseconds / 1_000_000
            let at = IST.dateTime(epochSeconds: exit)
            let s = at.secondOfDay
            let when = (period.kind == .daily ? "" : "\(at.date.month)/\(at.date.day) ")
                + "\(ReportFormat.two(s / 3600)):\(ReportFormat.two(s / 60 % 60))"
            let held = (exit - entry) / 60
            return [(when, nil), (t.strategy, nil), (t.symbol, nil), (t.side == .buy ? "long" : "short", nil), (String(t.quantity), nil),
                    (t.entryPrice.description, nil), (t.exitPrice.description, nil), (ReportFormat.inr(t.grossPnl.value), Double(t.grossPnl.value)),
                    (ReportFormat.inr(t.charges.value), nil), (ReportFormat.inr(t.netPnl.value), Double(t.netPnl.value)),
                    (held >= 60 ? "\(held / 60)h \(held % 60)m" : "\(held)m", nil), (t.exitReason ?? "", nil)]
        }
    }

    var riskSection: String {
        var out = Self.grid("Risk: signals refused or reduced", ["Rule", "Action", "Count"],
                            risk.rejections.map { [($0.rule, nil), ($0.action, nil), (String($0.count), nil)] },
                            empty: "The risk stage refused nothing.")
        out += Self.grid("Risk: breakers, halts and the kill switch", ["Time (IST)", "Rule", "Action", "Message"],
                         risk.alerts.prefix(100).map { a in
                             [(ReportFormat.istISO8601(a.occurredAt.microseconds / 1_000_000), nil), (a.rule, nil), (a.action, nil), (a.message, nil)]
                         }, empty: "No breaker tripped; the kill switch was not touched.", wrapLast: true)
        return out
    }

    func propRows(_ p: PropView) -> [[Cell]] {
        let r = ReportFormat.self
        var rows: [[Cell]] = [
            [("Worst day's loss", nil), (r.inr(p.worstDayLoss), p.worstDayLoss > 0 ? -1 : nil), (r.inr(p.dailyLossLimit), nil),
             (r.inr(p.dailyHeadroom), Double(p.dailyHeadroom))],
            [("Drawdown (\(p.drawdownMode))", nil), (r.inr(p.drawdown), p.drawdown > 0 ? -1 : nil), (r.inr(p.maxDrawdownLimit), nil),
             (r.inr(p.drawdownHeadroom), Double(p.drawdownHeadroom))],
        ]
        rows.append([("Profit", nil), (r.inr(p.profit), Double(p.profit)), (p.profitTarget.map(r.inr) ?? "—", nil),
                     (p.profitTarget.map { r.inr($0 - p.profit) + " to go" } ?? "", nil)])
        rows.append([("Trading days", nil), (String(p.tradingDays), nil), (p.minTradingDays.map(String.init) ?? "—", nil),
                     (p.minTradingDays.map { String(max(0, $0 - p.tradingDays)) + " to go" } ?? "", nil)])
        return rows
    }
}
