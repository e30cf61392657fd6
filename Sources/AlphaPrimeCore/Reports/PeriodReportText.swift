import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import Foundation

extension PeriodReport {
    /// `summary.txt`: a dozen lines fit for an e-mail or a Telegram message.
    public var summaryText: String {
        let r = ReportFormat.self
        var lines = ["ALPHA-PRIME \(period.kind.rawValue) report \(period.label) (\(mode.rawValue))"]
        if let notice = archivedNotice { lines.append(notice) }
        guard hasTradingDay else {
            let why = days.compactMap(\.note).first ?? "not a trading day"
            return (lines + ["Not a trading day: \(why.replacingOccurrences(of: "not a trading day: ", with: ""))."]).joined(separator: "\n") + "\n"
        }
        let t = metrics.trades
        lines.append("Net P&L: \(r.inr(netPnL)) (gross \(r.inr(grossPnL)), charges \(r.inr(charges)))")
        if trades.isEmpty {
            lines.append("Trades: no trades")
        } else {
            lines.append("Trades: \(t.trades) (\(t.wins) won, \(t.losses) lost; win rate \(r.percent(t.winRate, digits: 1)), "
                + "profit factor \(r.ratio(t.profitFactor)), expectancy \(t.expectancy.map(r.inr) ?? "—"))")
        }
        lines.append("Equity: \(r.inr(openingEquity)) -> \(r.inr(closingEquity)) (\(r.percent(metrics.totalReturn)))")
        lines.append("Max drawdown: \(r.percent(metrics.maxDrawdown)); worst day: "
            + (metrics.worstDay.map { "\($0.date) \(r.inr($0.change))" } ?? "—"))
        if period.kind != .daily {
            lines.append("Sharpe \(r.ratio(metrics.sharpeRatio)), Sortino \(r.ratio(metrics.sortinoRatio)); "
                + "longest losing streak \(t.maxConsecutiveLosses) trades")
        }
        if let best = byStrategy.first, let worst = byStrategy.last {
            lines.append(best.name == worst.name ? "Strategy: \(best.name) \(r.inr(best.netPnL))"
                         : "Best strategy: \(best.name) \(r.inr(best.netPnL)); worst: \(worst.name) \(r.inr(worst.netPnL))")
        }
        let rejected = risk.rejections.reduce(0) { $0 + $1.count }
        var riskLine = "Risk: \(rejected) signal\(rejected == 1 ? "" : "s") refused"
        if let top = risk.rejections.first { riskLine += " (most by \(top.rule): \(top.count))" }
        riskLine += "; \(risk.alerts.count) alert\(risk.alerts.count == 1 ? "" : "s")"
        riskLine += risk.killSwitchEvents > 0 ? "; KILL SWITCH events: \(risk.killSwitchEvents)" : "; kill switch not touched"
        lines.append(riskLine)
        lines.append("Charges: " + chargesByKind.rows.map { "\($0.0) \(r.inr($0.1))" }.joined(separator: ", "))
        if let p = prop {
            lines.append("Prop (\(p.firm)): daily headroom \(r.inr(p.dailyHeadroom)), drawdown headroom \(r.inr(p.drawdownHeadroom)), "
                + "profit \(r.inr(p.profit))\(p.profitTarget.map { " of \(r.inr($0))" } ?? ""), \(p.tradingDays) trading days")
        }
        if let d = drift {
            let missed = d.byStrategy.reduce(0) { $0 + $1.missedEntries }, extra = d.byStrategy.reduce(0) { $0 + $1.extraEntries }
            let difference = d.byStrategy.reduce(Int64(0)) { $0 + $1.difference }
            lines.append("Drift against the backtest of the same bars: \(missed) missed entr\(missed == 1 ? "y" : "ies"), "
                         + "\(extra) extra, P&L difference \(r.inr(difference))")
        } else if let note = driftNote {
            lines.append("Drift: \(note)")
        }
        if let a = scaling {
            lines.append("Scaling: \(a.proposal)")
            lines.append("Withdrawal: \(a.withdrawal)")
        }
        lines.append(openPositions.isEmpty ? "Open positions: none"
                     : "Open positions: \(openPositions.count), unrealised \(r.inr(openPnL))")
        lines.append("Report: \(period.folder)/report.html")
        return lines.joined(separator: "\n") + "\n"
    }

    /// `trades.csv`: one row per trade closed in the period, money in rupees (exact to the paisa).
    public var tradesCSV: String {
        var out = "id,strategy,symbol,exchange,side,quantity,entry_time,exit_time,entry_price,exit_price,gross_pnl,charges,net_pnl,holding_minutes,exit_reason\n"
        for t in trades {
            let entry = t.entryAt.microseconds / 1_000_000, exit = t.exitAt.microseconds / 1_000_000
            let fields: [String] = [
                t.id.map(String.init) ?? "", t.strategy, t.symbol, t.exchange, t.side.rawValue, String(t.quantity),
                ReportFormat.istISO8601(entry), ReportFormat.istISO8601(exit), t.entryPrice.description, t.exitPrice.description,
                t.grossPnl.description, t.charges.description, t.netPnl.description, String((exit - entry) / 60), t.exitReason ?? "",
            ]
            out += fields.map(Self.csvField).joined(separator: ",") + "\n"
        }
        return out
    }

    static func csvField(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// `summary.json`: the report's figures, money in paise.
public struct PeriodReportSummary: Encodable {
    public var report: PeriodReport

    public init(_ report: PeriodReport) { self.report = report }

    enum CodingKeys: String, CodingKey {
        case kind, period, first, last, mode, generatedAt = "generated_at", tradingDays = "trading_days"
        case openingEquity = "opening_equity_paise", closingEquity = "closing_equity_paise", netPnL = "net_pnl_paise"
        case grossPnL = "gross_pnl_paise", charges = "charges_paise", openPnL = "open_pnl_paise", totalPnL = "total_pnl_paise"
        case trades, days, metrics, byStrategy = "by_strategy", bySymbol = "by_symbol", chargesByKind = "charges_by_kind"
        case risk, prop, backtestComparison = "backtest_comparison", openPositions = "open_positions"
        case accountResets = "account_resets", archived, drift, driftNote = "drift_note", scaling
    }

    public func encode(to encoder: Encoder) throws {
        let r = report
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(r.period.kind.rawValue, forKey: .kind)
        try c.encode(r.period.label, forKey: .period)
        try c.encode(r.period.first, forKey: .first)
        try c.encode(r.period.last, forKey: .last)
        try c.encode(r.mode.rawValue, forKey: .mode)
        try c.encode(ReportFormat.istISO8601(r.generatedAt.microseconds / 1_000_000), forKey: .generatedAt)
        try c.encode(r.days.filter(\.tradingDay).count, forKey: .tradingDays)
        try c.encode(r.openingEquity, forKey: .openingEquity)
        try c.encode(r.closingEquity, forKey: .closingEquity)
        try c.encode(r.netPnL, forKey: .netPnL)
        try c.encode(r.grossPnL, forKey: .grossPnL)
        try c.encode(r.charges, forKey: .charges)
        try c.encode(r.openPnL, forKey: .openPnL)
        try c.encode(r.totalPnL, forKey: .totalPnL)
        try c.encode(r.trades.count, forKey: .trades)
        try c.encode(r.days, forKey: .days)
        try c.encode(r.metrics, forKey: .metrics)
        try c.encode(r.byStrategy, forKey: .byStrategy)
        try c.encode(r.bySymbol, forKey: .bySymbol)
        try c.encode(r.chargesByKind, forKey: .chargesByKind)
        try c.encode(r.risk, forKey: .risk)
        try c.encodeIfPresent(r.prop, forKey: .prop)
        try c.encode(r.comparison, forKey: .backtestComparison)
        try c.encode(r.drift, forKey: .drift)
        try c.encodeIfPresent(r.driftNote, forKey: .driftNote)
        try c.encodeIfPresent(r.scaling, forKey: .scaling)
        try c.encode(r.openPositions, forKey: .openPositions)
        try c.encode(r.epochs, forKey: .accountResets)
        try c.encode(r.archived.map { ["month": $0.month, "file": $0.file, "rows": String($0.rows)] }, forKey: .archived)
    }
}
