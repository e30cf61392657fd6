import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import Foundation

/// `report.html` of a daily, weekly or monthly report: one self-contained page (inline CSS and SVG,
/// no script, nothing from the network) that reads on a phone.
extension PeriodReport {
    public var html: String {
        typealias H = BacktestReportHTML
        let r = ReportFormat.self
        let e = ReportFormat.escape
        let title = "\(period.kind.rawValue.capitalized) report"
        var html = ReportPage.open(kind: title, runID: period.label, subtitle: subtitle, extraCSS: Self.css)
        if let notice = archivedNotice { html += "<section class=\"notice\"><p><strong>Archived.</strong> \(e(notice))</p></section>\n" }
        guard hasTradingDay else {
            let why = days.compactMap(\.note).first ?? "not a trading day"
            html += "<section class=\"notice\"><p><strong>Not a trading day.</strong> \(e(why.replacingOccurrences(of: "not a trading day: ", with: "")))</p></section>\n"
            return html + ReportPage.close(footer: "Read from the state database (\(e(mode.rawValue)) mode).")
        }
        let t = metrics.trades
        html += "<section class=\"cards\">\n"
        html += H.card("Net P&L", r.inr(netPnL), sign: netPnL)
        html += H.card("Charges", r.inr(charges), sign: nil, note: "gross \(r.inr(grossPnL))")
        html += H.card("Equity", r.inr(closingEquity), sign: nil, note: "from \(r.inr(openingEquity)) (\(r.percent(metrics.totalReturn)))")
        html += H.card("Trades", "\(t.trades)", sign: nil, note: t.trades > 0 ? "win rate \(r.percent(t.winRate, digits: 1))" : "no trades")
        html += H.card("Max drawdown", r.percent(metrics.maxDrawdown), sign: metrics.maxDrawdown < 0 ? -1.0 : nil)
        if !openPositions.isEmpty { html += H.card("Open P&L", r.inr(openPnL), sign: Double(openPnL), note: "\(openPositions.count) open") }
        html += "</section>\n"

        html += "<section class=\"chart\">\n\(equityChart)</section>\n"
        html += "<section class=\"chart\">\n\(drawdownChart)</section>\n"

        html += "<section class=\"tables\">\n<div>\n" + H.table("Performance", performanceRows) + "</div>\n"
        html += "<div>\n" + H.table("Charges by kind", chargesByKind.rows.map { ($0.0, r.inr($0.1), nil) }
                                      + [("Total", r.inr(chargesByKind.total), nil)]) + "</div>\n</section>\n"
        if period.kind != .daily { html += Self.grid("P&L by day", ["Day", "Trades", "Net P&L", "Equity", ""], dayRows, wrapLast: true) }
        if !byStrategy.isEmpty { html += Self.grid("By strategy", ["Strategy", "Trades", "Win rate", "Profit factor", "Net P&L"], groupRows(byStrategy)) }
        if !bySymbol.isEmpty { html += Self.grid("By symbol", ["Symbol", "Trades", "Win rate", "Profit factor", "Net P&L"], groupRows(bySymbol)) }
        html += Self.grid("Trades", ["Exit", "Strategy", "Symbol", "Side", "Qty", "Entry", "Exit price", "Gross", "Charges", "Net", "Held", "Reason"],
                          tradeRows, empty: "No trades in this period.")
        if !openPositions.isEmpty {
            html += Self.grid("Open positions", ["Strategy", "Symbol", "Qty", "Average", "Last", "Unrealised"], openPositions.map { p in
                [(p.strategy, nil), (p.symbol, nil), (String(p.quantity), nil), (r.rupees(p.averagePrice), nil),
                 (p.lastPrice.map(r.rupees) ?? "—", nil), (p.unrealizedPnL.map(r.inr) ?? "—", p.unrealizedPnL.map(Double.init))]
            })
        }
        html += riskSection
        if let p = prop { html += Self.grid("Prop firm: \(p.firm)", ["Measure", "Now", "Limit / target", "Headroom"], propRows(p)) }
        html += Self.grid("Live against backtest (backtest --save)", ["Strategy", "Days", "Trades", "Net P&L", "Backtest trades", "Backtest net", "Difference"],
                          comparison.map { c in
                              [(c.strategy, nil), (String(c.days), nil), (String(c.trades), nil), (r.inr(c.netPnL), Double(c.netPnL)),
                               (String(c.backtestTrades), nil), (r.inr(c.backtestNetPnL), Double(c.backtestNetPnL)), (r.inr(c.difference), Double(c.difference))]
                          }, empty: "No backtest of these days was saved; run backtest --save over them to compare.")
        if let d = drift {
            html += Self.grid("Drift: the engine against the backtest of the same bars",
                              ["Strategy", "Engine trades", "Backtest trades", "Matched", "Missed entries", "Extra entries",
                               "Slippage / unit", "Engine net", "Backtest net", "Difference"],
                              d.byStrategy.map { x in
                                  [(x.strategy, nil), (String(x.engineTrades), nil), (String(x.backtestTrades), nil), (String(x.matched), nil),
                                   (String(x.missedEntries), nil), (String(x.extraEntries), nil),
                                   (x.averageSlippage.map { String(format: "%.2f paise", $0) } ?? "—", nil),
                                   (r.inr(x.engineNetPnL), Double(x.engineNetPnL)), (r.inr(x.backtestNetPnL), Double(x.backtestNetPnL)),
                                   (r.inr(x.difference), Double(x.difference))]
                              }, empty: "No trades on either side.")
            if period.kind != .daily {
                html += Self.grid("Drift by day", ["Day", "Missed entries", "Extra entries", "Difference"], d.byDay.map { day in
                    [(day.date.description, nil), (String(day.missedEntries), nil), (String(day.extraEntries), nil),
                     (r.inr(day.difference), Double(day.difference))]
                })
            }
        } else if let note = driftNote {
            html += "<section class=\"notice\"><p><strong>Drift not measured.</strong> \(e(note))</p></section>\n"
        }
        if let a = scaling {
            html += "<section class=\"notice\"><p><strong>Scaling advisor.</strong> \(e(a.proposal)).</p><p><strong>Withdrawal plan.</strong> \(e(a.withdrawal)).</p></section>\n"
            html += Self.grid("Stable months (\(a.stableMonths) of \(a.requiredMonths) in a row)", ["Month", "Stable", "Net P&L", "Max drawdown", "Drift", "Why not"],
                              a.months.map { m in
                                  [(m.month, nil), (m.stable ? "yes" : "no", nil), (r.inr(m.netPnL), Double(m.netPnL)),
                                   (r.percent(m.maxDrawdown), nil), (m.driftDifference.map(r.inr) ?? "—", m.driftDifference.map(Double.init)),
                                   (m.reasons.joined(separator: "; "), nil)]
                              })
        }
        if !epochs.isEmpty {
            html += Self.grid("Account resets", ["Epoch", "When", "By", "Capital", "Reason"], epochs.map { ep in
                [(String(ep.epoch), nil), (r.istISO8601(ep.resetAt.microseconds / 1_000_000), nil), (ep.resetBy, nil),
                 (r.inr(ep.startingCapital.value), nil), (ep.reason, nil)]
            })
        }
        html += ReportPage.close(footer: """
        Read from the state database (\(e(mode.rawValue)) mode). Equity is the opening equity plus each day's net P&L of \
        closed trades, exact to the paisa; daily returns r = E<sub>t</sub>/E<sub>t−1</sub> − 1; ratios follow empyrical's \
        conventions, “—” marks one that is undefined. Files: summary.json, summary.txt, trades.csv.
        """)
        return html
    }

    var subtitle: String {
        let tradingDays = days.filter(\.tradingDay).count
        let range = period.first == period.last ? "\(period.first) \(period.first.weekdayName)" : "\(period.first) to \(period.last)"
        return "\(range) · \(mode.rawValue) · \(tradingDays) trading day\(tradingDays == 1 ? "" : "s") · generated "
            + ReportFormat.istISO8601(generatedAt.microseconds / 1_000_000)
    }

    var equityChart: String {
        if period.kind == .daily {
            let points = intraday.isEmpty ? [(time: Int64(0), equity: openingEquity), (time: Int64(0), equity: closingEquity)] : intraday
            let marks = points.enumerated().compactMap { i, p -> (Int, String)? in
                let t = IST.dateTime(epochSeconds: p.time)
                return p.time > 0 && t.secondOfDay % 3600 == 0 ? (i, "\(ReportFormat.two(t.secondOfDay / 3600)):00") : nil
            }
            return SVGLineChart(title: "Equity through the day (₹)", dates: points.map { _ in period.first },
                                values: points.map { Double($0.equity) / 100 }, color: "#1f6feb",
                                reference: (Double(openingEquity) / 100, "open \(ReportFormat.inr(openingEquity))"),
                                format: BacktestReportHTML.axisRupees, marks: marks).render()
        }
        let traded = days.filter(\.tradingDay)
        return SVGLineChart(title: "Equity (₹, day-end)", dates: traded.map(\.date), values: traded.map { Double($0.closeEquity ?? 0) / 100 },
                            color: "#1f6feb", reference: (Double(openingEquity) / 100, "opening \(ReportFormat.inr(openingEquity))"),
                            format: BacktestReportHTML.axisRupees, marks: traded.enumerated().map { ($0.offset, String($0.element.date.day)) }).render()
    }

    var drawdownChart: String {
        let values: [Int64] = period.kind == .daily ? (intraday.isEmpty ? [openingEquity, closingEquity] : intraday.map(\.equity))
            : days.filter(\.tradingDay).map { $0.closeEquity ?? 0 }
        var peak = openingEquity
        let series = values.map { v -> Double in
            peak = max(peak, v)
            return peak > 0 ? Double(v - peak) / Double(peak) : 0
        }
        return SVGLineChart(title: "Drawdown from the running peak", dates: values.map { _ in period.first }, values: series,
                            color: "#d73027", fillToZero: true, format: BacktestReportHTML.axisPercent, marks: []).render()
    }
}
