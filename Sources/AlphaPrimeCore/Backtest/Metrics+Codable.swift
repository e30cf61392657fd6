import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

// JSON form of the metrics (summary.json): snake_case keys, money as integer paise with a `_paise`
// suffix, ratios as numbers. JSON has no NaN or infinity, so a ratio that is undefined (NaN) or
// unbounded (±∞) is written as `null`, and read back as NaN. Values derived from exact sums (win
// rate, profit factor, averages, exposure) are written for the reader and recomputed on decoding,
// so an infinite profit factor survives the round trip.

extension KeyedEncodingContainer {
    /// A finite number, or `null` for NaN and ±∞.
    mutating func encodeRatio(_ value: Double, forKey key: Key) throws {
        if value.isFinite { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
}

extension KeyedDecodingContainer {
    /// A number, or NaN for `null` or a missing key.
    func decodeRatio(forKey key: Key) throws -> Double {
        try decodeIfPresent(Double.self, forKey: key) ?? .nan
    }
}

extension DayReturn: Codable {
    enum CodingKeys: String, CodingKey { case date, dailyReturn = "return", change = "change_paise" }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        date = try c.decode(LocalDate.self, forKey: .date)
        dailyReturn = try c.decodeRatio(forKey: .dailyReturn)
        change = try c.decode(Int64.self, forKey: .change)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(date, forKey: .date)
        try c.encodeRatio(dailyReturn, forKey: .dailyReturn)
        try c.encode(change, forKey: .change)
    }
}

extension PerformanceMetrics: Codable {
    enum CodingKeys: String, CodingKey {
        case startingCapital = "starting_capital_paise", finalEquity = "final_equity_paise"
        case equityChange = "equity_change_paise", openPnL = "open_pnl_paise"
        case tradingDays = "trading_days", firstDate = "first_date", lastDate = "last_date"
        case totalReturn = "total_return", annualReturn = "annual_return", annualVolatility = "annual_volatility"
        case sharpeRatio = "sharpe_ratio", sortinoRatio = "sortino_ratio", calmarRatio = "calmar_ratio"
        case riskFreeRateAnnual = "risk_free_rate_annual", riskFreeRateDaily = "risk_free_rate_daily"
        case maxDrawdown = "max_drawdown", maxDrawdownDays = "max_drawdown_days"
        case maxDrawdownEpisode = "max_drawdown_episode", longestDrawdownDays = "longest_drawdown_days"
        case bestDay = "best_day", worstDay = "worst_day"
        case trades, wins, losses, breakeven
        case winRate = "win_rate", profitFactor = "profit_factor", payoffRatio = "payoff_ratio"
        case expectancy = "expectancy_paise", averageWin = "average_win_paise", averageLoss = "average_loss_paise"
        case largestWin = "largest_win_paise", largestLoss = "largest_loss_paise"
        case maxConsecutiveWins = "max_consecutive_wins", maxConsecutiveLosses = "max_consecutive_losses"
        case grossProfit = "gross_profit_paise", grossLoss = "gross_loss_paise"
        case grossPnL = "gross_pnl_paise", charges = "charges_paise", netPnL = "net_pnl_paise"
        case exposure, exposureBars = "exposure_bars"
        case exitReasons = "exit_reasons"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        startingCapital = try c.decode(Int64.self, forKey: .startingCapital)
        finalEquity = try c.decode(Int64.self, forKey: .finalEquity)
        tradingDays = try c.decode(Int.self, forKey: .tradingDays)
        firstDate = try c.decodeIfPresent(LocalDate.self, forKey: .firstDate)
        lastDate = try c.decodeIfPresent(LocalDate.self, forKey: .lastDate)
        totalReturn = try c.decodeRatio(forKey: .totalReturn)
        annualReturn = try c.decodeRatio(forKey: .annualReturn)
        annualVolatility = try c.decodeRatio(forKey: .annualVolatility)
        sharpeRatio = try c.decodeRatio(forKey: .sharpeRatio)
        sortinoRatio = try c.decodeRatio(forKey: .sortinoRatio)
        calmarRatio = try c.decodeRatio(forKey: .calmarRatio)
        riskFreeRateAnnual = try c.decode(Double.self, forKey: .riskFreeRateAnnual)
        riskFreeRateDaily = try c.decode(Double.self, forKey: .riskFreeRateDaily)
        maxDrawdown = try c.decodeRatio(forKey: .maxDrawdown)
        maxDrawdownEpisode = try c.decodeIfPresent(DrawdownEpisode.self, forKey: .maxDrawdownEpisode)
        longestDrawdownDays = try c.decode(Int.self, forKey: .longestDrawdownDays)
        bestDay = try c.decodeIfPresent(DayReturn.self, forKey: .bestDay)
        worstDay = try c.decodeIfPresent(DayReturn.self, forKey: .worstDay)
        var t = TradeStatistics()
        t.trades = try c.decode(Int.self, forKey: .trades)
        t.wins = try c.decode(Int.self, forKey: .wins)
        t.losses = try c.decode(Int.self, forKey: .losses)
        t.breakeven = try c.decode(Int.self, forKey: .breakeven)
        t.grossPnL = try c.decode(Int64.self, forKey: .grossPnL)
        t.charges = try c.decode(Int64.self, forKey: .charges)
        t.netPnL = try c.decode(Int64.self, forKey: .netPnL)
        t.grossProfit = try c.decode(Int64.self, forKey: .grossProfit)
        t.grossLoss = try c.decode(Int64.self, forKey: .grossLoss)
        t.largestWin = try c.decodeIfPresent(Int64.self, forKey: .largestWin)
        t.largestLoss = try c.decodeIfPresent(Int64.self, forKey: .largestLoss)
        t.maxConsecutiveWins = try c.decode(Int.self, forKey: .maxConsecutiveWins)
        t.maxConsecutiveLosses = try c.decode(Int.self, forKey: .maxConsecutiveLosses)
        t.byExitReason = try c.decodeIfPresent([String: ExitReasonTotals].self, forKey: .exitReasons) ?? [:]
        trades = t
        exposure = try c.decodeIfPresent(MarketExposure.self, forKey: .exposureBars)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(startingCapital, forKey: .startingCapital)
        try c.encode(finalEquity, forKey: .finalEquity)
        try c.encode(equityChange, forKey: .equityChange)
        try c.encode(openPnL, forKey: .openPnL)
        try c.encode(tradingDays, forKey: .tradingDays)
        try c.encode(firstDate, forKey: .firstDate)
        try c.encode(lastDate, forKey: .lastDate)
        try c.encodeRatio(totalReturn, forKey: .totalReturn)
        try c.encodeRatio(annualReturn, forKey: .annualReturn)
        try c.encodeRatio(annualVolatility, forKey: .annualVolatility)
        try c.encodeRatio(sharpeRatio, forKey: .sharpeRatio)
        try c.encodeRatio(sortinoRatio, forKey: .sortinoRatio)
        try c.encodeRatio(calmarRatio, forKey: .calmarRatio)
        try c.encodeRatio(riskFreeRateAnnual, forKey: .riskFreeRateAnnual)
        try c.encodeRatio(riskFreeRateDaily, forKey: .riskFreeRateDaily)
        try c.encodeRatio(maxDrawdown, forKey: .maxDrawdown)
        try c.encode(maxDrawdownDays, forKey: .maxDrawdownDays)
        try c.encode(maxDrawdownEpisode, forKey: .maxDrawdownEpisode)
        try c.encode(longestDrawdownDays, forKey: .longestDrawdownDays)
        try c.encode(bestDay, forKey: .bestDay)
        try c.encode(worstDay, forKey: .worstDay)
        try c.encode(trades.trades, forKey: .trades)
        try c.encode(trades.wins, forKey: .wins)
        try c.encode(trades.losses, forKey: .losses)
        try c.encode(trades.breakeven, forKey: .breakeven)
        try c.encodeRatio(trades.winRate, forKey: .winRate)
        try c.encodeRatio(trades.profitFactor, forKey: .profitFactor)
        try c.encodeRatio(trades.payoffRatio, forKey: .payoffRatio)
        try c.encode(trades.expectancy, forKey: .expectancy)
        try c.encode(trades.averageWin, forKey: .averageWin)
        try c.encode(trades.averageLoss, forKey: .averageLoss)
        try c.encode(trades.largestWin, forKey: .largestWin)
        try c.encode(trades.largestLoss, forKey: .largestLoss)
        try c.encode(trades.maxConsecutiveWins, forKey: .maxConsecutiveWins)
        try c.encode(trades.maxConsecutiveLosses, forKey: .maxConsecutiveLosses)
        try c.encode(trades.grossProfit, forKey: .grossProfit)
        try c.encode(trades.grossLoss, forKey: .grossLoss)
        try c.encode(trades.grossPnL, forKey: .grossPnL)
        try c.encode(trades.charges, forKey: .charges)
        try c.encode(trades.netPnL, forKey: .netPnL)
        try c.encode(trades.byExitReason, forKey: .exitReasons)
        try c.encodeRatio(exposure?.fraction ?? .nan, forKey: .exposure)
        try c.encode(exposure, forKey: .exposureBars)
    }
}
