import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

extension PeriodReport {
    /// The report of what `input` holds.
    public init(_ input: PeriodReportInput, generatedAt: UTCTimestamp) {
        period = input.period
        mode = input.mode
        self.generatedAt = generatedAt
        trades = input.trades
        openPositions = input.openPositions
        epochs = input.epochs
        openingEquity = input.openingEquity
        archived = input.archived

        // Day by day: the session's opening cash, the trades closed that day.
        var tradesByDay: [LocalDate: [TradeRecord]] = [:]
        for t in input.trades { tradesByDay[PeriodReportInput.istDate(t.exitAt), default: []].append(t) }
        let sessions = Dictionary(input.sessions.map { ($0.tradingDate, $0) }, uniquingKeysWith: { a, _ in a })
        var equity = input.openingEquity
        var days: [Day] = []
        var dailyEquity: [DailyEquity] = []
        for date in input.period.days {
            let dayTrades = tradesByDay[date] ?? []
            let gross = dayTrades.reduce(Int64(0)) { $0 + $1.grossPnl.value }
            let charges = dayTrades.reduce(Int64(0)) { $0 + $1.charges.value }
            let session = sessions[date]
            let trading = input.calendar.isTradingDay(date) || session != nil
            var day = Day(date: date, tradingDay: trading, note: nil, sessionStatus: session?.status.rawValue,
                          startEquity: nil, trades: dayTrades.count, grossPnL: gross, charges: charges, netPnL: gross - charges,
                          closeEquity: nil)
            if !trading {
                day.note = "not a trading day: " + (input.calendar.nonTradingReason(on: date)?.description ?? "the exchange is closed")
            } else {
                day.startEquity = equity
                equity += day.netPnL
                day.closeEquity = equity
                if session == nil && dayTrades.isEmpty {
                    // The account was idle: shown, but not a day of returns for the metrics.
                    day.note = "no session: the engine did not run"
                } else {
                    if dayTrades.isEmpty { day.note = "no trades" }
                    dailyEquity.append(DailyEquity(date: date, equity: equity, realizedPnL: day.netPnL, charges: charges))
                }
            }
            days.append(day)
        }
        self.days = days
        closingEquity = equity
        netPnL = input.trades.reduce(Int64(0)) { $0 + $1.netPnl.value }
        grossPnL = input.trades.reduce(Int64(0)) { $0 + $1.grossPnl.value }
        charges = input.trades.reduce(Int64(0)) { $0 + $1.charges.value }
        openPnL = input.openPositions.reduce(Int64(0)) { $0 + ($1.unrealizedPnL ?? 0) }

        let closed = Self.closedTrades(input.trades)
        metrics = PerformanceMetrics(dailyEquity: dailyEquity, startingCapital: input.openingEquity, trades: closed.trades,
                                     riskFreeRateAnnual: input.settings.riskFreeRateAnnual)
        byStrategy = Self.groups(input.trades, key: \.strategy)
        bySymbol = Self.groups(input.trades, key: \.symbol)
        chargesByKind = Self.chargesByKind(input.fills, itemize: input.settings.itemize)
        risk = Self.riskSummary(input.riskEvents)
        prop = Self.propView(input)
        comparison = Self.comparison(input, byDay: tradesByDay)
        intraday = input.period.kind == .daily
            ? input.snapshots.map { ($0.recordedAt.microseconds / 1_000_000, $0.equity.value) } : []
    }

    /// The records as the ledger's closed trades (strategies and symbols numbered by first appearance).
    static func closedTrades(_ records: [TradeRecord]) -> (trades: [ClosedTrade], strategies: [String]) {
        var strategies: [String: Int] = [:], symbols: [String: Int] = [:]
        let trades = records.map { t in
            let s = strategies[t.strategy] ?? strategies.count
            strategies[t.strategy] = s
            let y = symbols[t.symbol] ?? symbols.count
            symbols[t.symbol] = y
            let entry = t.entryPrice.value &* t.quantity, exit = t.exitPrice.value &* t.quantity
            return ClosedTrade(strategy: s, symbol: SymbolID(y), direction: t.side, quantity: t.quantity,
                               entryTime: t.entryAt.microseconds / 1_000_000, exitTime: t.exitAt.microseconds / 1_000_000,
                               entryValue: entry, exitValue: exit, grossPnL: t.grossPnl.value, charges: t.charges.value,
                               exitReason: t.exitReason.flatMap(ExitReason.init(rawValue:)))
        }
        return (trades, strategies.sorted { $0.value < $1.value }.map(\.key))
    }

    static func groups(_ records: [TradeRecord], key: KeyPath<TradeRecord, String>) -> [Group] {
        var byName: [String: [TradeRecord]] = [:]
        for t in records { byName[t[keyPath: key], default: []].append(t) }
        return byName.map { name, list in
            let stats = TradeStatistics(closedTrades(list).trades)
            return Group(name: name, trades: stats.trades, wins: stats.wins, losses: stats.losses, grossPnL: stats.grossPnL,
                         charges: stats.charges, netPnL: stats.netPnL, winRate: stats.winRate, profitFactor: stats.profitFactor)
        }.sorted { ($0.netPnL, $0.name) > ($1.netPnL, $1.name) }
    }

    static func chargesByKind(_ fills: [AccountFill], itemize: (AccountFill) -> ChargesBreakdown?) -> ChargesByKind {
        var out = ChargesByKind()
        for f in fills {
            let recorded = f.fill.charges.value
            out.total += recorded
            guard let b = itemize(f), b.total == recorded else {
                out.notItemised += recorded
                continue
            }
            out.brokerage += b.brokerage; out.stt += b.stt; out.exchange += b.exchangeTransaction
            out.sebi += b.sebiFee; out.stamp += b.stampDuty; out.gst += b.gst
            out.rounding += b.total - b.componentSum
        }
        return out
    }

    static func riskSummary(_ events: [RiskEventRecord]) -> RiskSummary {
        var counts: [String: RiskSummary.Count] = [:]
        for e in events where e.action == "rejected" || e.action == "reduced" {
            counts["\(e.rule)|\(e.action)", default: .init(rule: e.rule, action: e.action, count: 0)].count += 1
        }
        return RiskSummary(
            rejections: counts.values.sorted { ($0.count, $1.rule) > ($1.count, $0.rule) },
            alerts: events.filter { $0.severity != .info && $0.action != "rejected" && $0.action != "reduced" },
            killSwitchEvents: events.filter { $0.rule == "kill_switch" }.count)
    }

    static func propView(_ input: PeriodReportInput) -> PropView? {
        guard let firm = input.settings.propFirm else { return nil }
        let capital = input.accountCapital
        func pct(_ p: Double) -> Int64 { Int64((Double(capital) * p / 100).rounded()) }
        let days = input.accountDays
        var peak = capital, equity = capital
        for d in days {
            equity = d.startCash + d.netPnL
            peak = max(peak, equity, d.startCash)
        }
        let periodDays = days.filter { $0.date >= input.period.first && $0.date <= input.period.last }
        let worst = max(0, -(periodDays.map(\.netPnL).min() ?? 0))
        let reference = firm.drawdownMode == .trailing ? peak : capital
        let drawdown = max(0, reference - equity)
        let dailyLimit = pct(firm.dailyLossLimitPct), ddLimit = pct(firm.maxDrawdownPct)
        return PropView(
            firm: firm.name, capital: capital, dailyLossLimit: dailyLimit, worstDayLoss: worst, dailyHeadroom: dailyLimit - worst,
            drawdownMode: firm.drawdownMode.rawValue, maxDrawdownLimit: ddLimit, drawdown: drawdown,
            drawdownHeadroom: ddLimit - drawdown, profit: equity - capital, profitTarget: firm.profitTargetPct.map(pct),
            tradingDays: days.filter { $0.netPnL != 0 }.count, minTradingDays: firm.minTradingDays)
    }

    static func comparison(_ input: PeriodReportInput, byDay: [LocalDate: [TradeRecord]]) -> [Comparison] {
        var backtest: [String: [StrategyPerformanceRecord]] = [:]
        for r in input.backtestPerformance { backtest[r.strategy, default: []].append(r) }
        return backtest.keys.sorted().compactMap { strategy in
            let saved = backtest[strategy]!
            let dates = Set(saved.map(\.tradingDate))
            let ranDates = dates.filter { d in input.sessions.contains { $0.tradingDate == d } }
            guard !ranDates.isEmpty else { return nil }
            let ours = ranDates.flatMap { byDay[$0] ?? [] }.filter { $0.strategy == strategy }
            let theirs = saved.filter { ranDates.contains($0.tradingDate) }
            return Comparison(strategy: strategy, days: ranDates.count, trades: ours.count,
                              netPnL: ours.reduce(Int64(0)) { $0 + $1.netPnl.value },
                              backtestTrades: theirs.reduce(0) { $0 + $1.trades },
                              backtestNetPnL: theirs.reduce(Int64(0)) { $0 + $1.netPnl.value })
        }
    }
}
