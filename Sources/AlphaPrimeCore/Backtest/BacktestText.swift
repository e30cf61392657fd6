import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import Foundation

/// The text a trader reads after `backtest`: what ran, the money, the key ratios.
package enum BacktestText {
    package static func summary(info: BacktestRunInfo, metrics m: PerformanceMetrics, outcome: BacktestOutcome<AnyStrategy>,
                        all: Bool, directory: String?) -> String {
        let t = m.trades
        var lines: [String] = []
        lines.append("run \(info.runID): \(orderedUnique(info.strategies).joined(separator: ", ")) on \(info.symbols.joined(separator: ", "))")
        let period = [info.periodStart?.description, info.periodEnd?.description].compactMap { $0 }.joined(separator: " → ")
        lines.append("period \(period), \(m.tradingDays) trading days, \(info.bars) bars")
        lines.append("")
        lines.append(row("trades", "\(t.trades) (\(t.wins) won, \(t.losses) lost)"))
        lines.append(row("gross P&L", "₹" + Paise(t.grossPnL).description))
        lines.append(row("charges", "₹" + Paise(t.charges).description))
        lines.append(row("net P&L", "₹" + Paise(t.netPnL).description))
        if m.openPnL != 0 || outcome.ledger.openPositionCount > 0 {
            lines.append(row("open position P&L", "₹" + Paise(m.openPnL).description + " (\(outcome.ledger.openPositionCount) open, not closed)"))
        }
        lines.append(row("final equity", "₹" + Paise(m.finalEquity).description))
        lines.append(row("total return", pct(m.totalReturn)))
        lines.append(row("max drawdown", pct(m.maxDrawdown) + " (\(m.maxDrawdownDays) trading days)"))
        lines.append(row("Sharpe", num(m.sharpeRatio)))
        lines.append(row("win rate", pct(t.winRate)))
        lines.append(row("profit factor", num(t.profitFactor)))
        if all {
            lines.append(row("annual return", pct(m.annualReturn)))
            lines.append(row("annual volatility", pct(m.annualVolatility)))
            lines.append(row("Sortino", num(m.sortinoRatio)))
            lines.append(row("Calmar", num(m.calmarRatio)))
            lines.append(row("longest drawdown", "\(m.longestDrawdownDays) trading days"))
            if let best = m.bestDay { lines.append(row("best day", "\(best.date) \(pct(best.dailyReturn))")) }
            if let worst = m.worstDay { lines.append(row("worst day", "\(worst.date) \(pct(worst.dailyReturn))")) }
            lines.append(row("expectancy", t.expectancy.map { "₹" + Paise($0).description } ?? "–"))
            lines.append(row("average win", t.averageWin.map { "₹" + Paise($0).description } ?? "–"))
            lines.append(row("average loss", t.averageLoss.map { "₹" + Paise($0).description } ?? "–"))
            lines.append(row("max consecutive", "\(t.maxConsecutiveWins) wins, \(t.maxConsecutiveLosses) losses"))
            if let e = m.exposure { lines.append(row("exposure", pct(e.fraction))) }
            lines.append(row("signals", "\(outcome.core.signalCount) (\(outcome.core.rejections.count) refused by risk)"))
        }
        if let directory { lines.append(""); lines.append("report: \(directory)") }
        return lines.joined(separator: "\n")
    }

    static func row(_ name: String, _ value: String) -> String {
        name.padding(toLength: 20, withPad: " ", startingAt: 0) + value
    }

    static func pct(_ x: Double) -> String { x.isFinite ? String(format: "%.2f%%", x * 100) : "–" }
    static func num(_ x: Double) -> String { x.isFinite ? String(format: "%.2f", x) : (x.isNaN ? "–" : (x > 0 ? "∞" : "-∞")) }
}

/// `backtest --save`: one `strategy_performance` row per strategy and trading day (mode backtest).
public enum BacktestPerformance {
    public static func save(outcome: BacktestOutcome<AnyStrategy>, to repository: any StateStore, now: UTCTimestamp) throws {
        struct Key: Hashable { var strategy: String; var day: LocalDate }
        var byKey: [Key: [ClosedTrade]] = [:]
        for trade in outcome.trades {
            let day = LocalDate(daysSinceEpoch: Int((trade.exitTime + IST.offsetSeconds) / 86_400))
            byKey[Key(strategy: outcome.core.strategies[trade.strategy].name, day: day), default: []].append(trade)
        }
        try repository.transaction {
            for (key, trades) in byKey.sorted(by: { ($0.key.day, $0.key.strategy) < ($1.key.day, $1.key.strategy) }) {
                var cumulative: Int64 = 0, peak: Int64 = 0, drawdown: Int64 = 0
                for t in trades {
                    cumulative += t.netPnL
                    peak = max(peak, cumulative)
                    drawdown = max(drawdown, peak - cumulative)
                }
                try repository.upsertStrategyPerformance(StrategyPerformanceRecord(
                    mode: .backtest, strategy: key.strategy, tradingDate: key.day, trades: trades.count,
                    wins: trades.filter { $0.netPnL > 0 }.count, losses: trades.filter { $0.netPnL < 0 }.count,
                    grossPnl: Paise(trades.reduce(0) { $0 + $1.grossPnL }), charges: Paise(trades.reduce(0) { $0 + $1.charges }),
                    netPnl: Paise(trades.reduce(0) { $0 + $1.netPnL }), maxDrawdown: Paise(drawdown), updatedAt: now))
            }
        }
    }
}
