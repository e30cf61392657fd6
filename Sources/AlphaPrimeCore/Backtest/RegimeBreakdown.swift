import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import Foundation

/// A backtest's results in one market regime: its trading days and the trades entered on them.
public struct RegimeMetrics: Sendable, Equatable, Codable {
    /// `bull`, `bear`, `sideways`, or `unlabelled` (days the index's closes cannot decide).
    public var regime: String
    public var days: Int
    public var trades: Int
    public var wins: Int
    public var losses: Int
    /// Net P&L of the trades entered on the regime's days, paise.
    public var netPnL: Int64
    public var charges: Int64
    /// The sum of the regime's day-end equity changes, paise (open positions valued as on those days).
    public var equityChange: Int64
    /// ``equityChange`` over the starting capital.
    public var returnOnCapital: Double
    public var winRate: Double?
    /// nil without losing trades (and without trades).
    public var profitFactor: Double?
    public var expectancy: Int64?
    /// The regime's worst day: its date and equity change, paise.
    public var worstDay: LocalDate?
    public var worstDayChange: Int64?
    /// Annualised Sharpe ratio of the regime's daily returns (√252); nil under two days.
    public var sharpeRatio: Double?

    enum CodingKeys: String, CodingKey {
        case regime, days, trades, wins, losses, netPnL = "net_pnl_paise", charges = "charges_paise"
        case equityChange = "equity_change_paise", returnOnCapital = "return_on_capital", winRate = "win_rate"
        case profitFactor = "profit_factor", expectancy = "expectancy_paise", worstDay = "worst_day"
        case worstDayChange = "worst_day_change_paise", sharpeRatio = "sharpe_ratio"
    }
}

/// `backtest --by-regime`: the run's days labelled by ``RegimeLabels`` and its results per regime.
public struct RegimeBreakdown: Sendable {
    public var settings: GeneralConfig.Regimes
    /// bull, bear, sideways, then unlabelled when any day had no label.
    public var rows: [RegimeMetrics]
    /// Each trading day of the run with its label (nil: unlabelled).
    public var days: [(date: LocalDate, label: RegimeDay?)]

    public static let unlabelled = "unlabelled"

    public init(dailyEquity: [DailyEquity], startingCapital: Int64, trades: [ClosedTrade], labels: RegimeLabels) {
        settings = labels.settings
        days = dailyEquity.map { ($0.date, labels.label($0.date)) }
        var regimeOfDay: [Int: String] = [:]
        for day in days { regimeOfDay[day.date.daysSinceEpoch] = day.label?.regime.rawValue ?? Self.unlabelled }

        var dayChanges: [String: [(date: LocalDate, change: Int64, dailyReturn: Double)]] = [:]
        var previous = startingCapital
        for day in dailyEquity {
            let change = day.equity - previous
            let dailyReturn = previous == 0 ? 0 : Double(change) / Double(previous)
            dayChanges[regimeOfDay[day.date.daysSinceEpoch]!, default: []].append((day.date, change, dailyReturn))
            previous = day.equity
        }
        var tradesOf: [String: [ClosedTrade]] = [:]
        for trade in trades {
            let day = Int(RiskManager.istDay(trade.entryTime))
            tradesOf[regimeOfDay[day] ?? Self.unlabelled, default: []].append(trade)
        }
        var names = MarketRegime.allCases.map(\.rawValue)
        if dayChanges[Self.unlabelled] != nil || tradesOf[Self.unlabelled] != nil { names.append(Self.unlabelled) }
        rows = names.map { name in
            let changes = dayChanges[name] ?? []
            let stats = TradeStatistics(tradesOf[name] ?? [])
            let equityChange = changes.reduce(Int64(0)) { $0 + $1.change }
            let worst = changes.min { $0.change < $1.change }
            let returns = changes.map(\.dailyReturn)
            let sharpe = returns.count >= 2 ? ReturnStatistics.sharpeRatio(returns) : .nan
            return RegimeMetrics(
                regime: name, days: changes.count, trades: stats.trades, wins: stats.wins, losses: stats.losses,
                netPnL: stats.netPnL, charges: stats.charges, equityChange: equityChange,
                returnOnCapital: startingCapital == 0 ? 0 : Double(equityChange) / Double(startingCapital),
                winRate: stats.trades == 0 ? nil : stats.winRate,
                profitFactor: stats.profitFactor.isFinite ? stats.profitFactor : nil,
                expectancy: stats.expectancy, worstDay: worst?.date, worstDayChange: worst?.change,
                sharpeRatio: sharpe.isFinite ? sharpe : nil)
        }
    }

    /// The rule in a line: `NIFTY 50 daily closes before each day: 50/200-day averages, band 1.0 × 20-day volatility`.
    public var ruleDescription: String {
        "\(settings.index) daily closes before each day: \(settings.fastDays)/\(settings.slowDays)-day averages, "
            + "band \(ConfigValidator.format(settings.bandVolatilityMultiple)) × \(settings.volatilityDays)-day volatility"
    }

    /// The table `backtest --by-regime` prints.
    public func text() -> String {
        func pad(_ s: String, _ n: Int, left: Bool = false) -> String {
            let fill = String(repeating: " ", count: max(0, n - s.count))
            return left ? s + fill : fill + s
        }
        func pct(_ x: Double?) -> String { x.map { $0.isFinite ? String(format: "%.1f%%", $0 * 100) : "–" } ?? "–" }
        var lines = ["By regime (\(ruleDescription))",
                     pad("regime", 11, left: true) + pad("days", 5) + pad("trades", 8) + pad("net P&L", 16) + pad("return", 9)
                        + pad("win rate", 10) + pad("PF", 7) + pad("worst day", 16) + pad("Sharpe", 8)]
        for r in rows {
            lines.append(pad(r.regime, 11, left: true) + pad(String(r.days), 5) + pad(String(r.trades), 8)
                         + pad("₹" + Paise(r.netPnL).description, 16) + pad(String(format: "%.2f%%", r.returnOnCapital * 100), 9)
                         + pad(pct(r.winRate), 10) + pad(r.profitFactor.map { String(format: "%.2f", $0) } ?? "–", 7)
                         + pad(r.worstDayChange.map { "₹" + Paise($0).description } ?? "–", 16)
                         + pad(r.sharpeRatio.map { String(format: "%.2f", $0) } ?? "–", 8))
        }
        return lines.joined(separator: "\n")
    }

    public static let csvHeader = "regime,days,trades,wins,losses,net_pnl,charges,equity_change,return_on_capital,"
        + "win_rate,profit_factor,expectancy,worst_day,worst_day_change,sharpe_ratio"

    /// `regimes.csv`: one row per regime; money in rupees from exact paise.
    public func csv() -> String {
        func number(_ x: Double?) -> String { x.map { String(format: "%.6f", $0) } ?? "" }
        var out = Self.csvHeader + "\n"
        for r in rows {
            out += [r.regime, String(r.days), String(r.trades), String(r.wins), String(r.losses), ReportFormat.rupees(r.netPnL),
                    ReportFormat.rupees(r.charges), ReportFormat.rupees(r.equityChange), number(r.returnOnCapital),
                    number(r.winRate), number(r.profitFactor), r.expectancy.map(ReportFormat.rupees) ?? "",
                    r.worstDay?.description ?? "", r.worstDayChange.map(ReportFormat.rupees) ?? "",
                    number(r.sharpeRatio)].joined(separator: ",") + "\n"
        }
        return out
    }

    /// `regime_days.csv`: each day's label and the numbers that decided it.
    public func daysCSV() -> String {
        var out = "date,regime,prior_date,prior_close,fast_average,slow_average,volatility_pct,gap_pct,band_pct\n"
        for (date, label) in days {
            guard let l = label else { out += "\(date),\(Self.unlabelled),,,,,,,\n"; continue }
            out += "\(date),\(l.regime.rawValue),\(l.priorDate)," + [l.priorClose, l.fastAverage, l.slowAverage, l.volatilityPct, l.gapPct, l.bandPct]
                .map { String(format: "%.4f", $0) }.joined(separator: ",") + "\n"
        }
        return out
    }

    /// Writes `regimes.csv` and `regime_days.csv` into a run's folder, each by an atomic rename.
    public func write(to directory: String) throws {
        try AtomicReportFile.write(csv(), to: directory + "/regimes.csv")
        try AtomicReportFile.write(daysCSV(), to: directory + "/regime_days.csv")
    }
}
