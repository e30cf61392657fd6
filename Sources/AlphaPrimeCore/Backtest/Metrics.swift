import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// How much of a run had money at risk, as counted by the backtest driver (for example bars with at
/// least one open position / bars processed).
public struct MarketExposure: Sendable, Equatable, Codable {
    public var barsWithPosition: Int
    public var bars: Int

    public init(barsWithPosition: Int, bars: Int) {
        self.barsWithPosition = barsWithPosition
        self.bars = bars
    }

    /// barsWithPosition / bars; NaN for no bars.
    public var fraction: Double { bars == 0 ? .nan : Double(barsWithPosition) / Double(bars) }

    enum CodingKeys: String, CodingKey { case barsWithPosition = "bars_with_position", bars }
}

/// One day's move of the equity curve.
public struct DayReturn: Sendable, Equatable {
    public var date: LocalDate
    /// E_t / E_(t−1) − 1.
    public var dailyReturn: Double
    /// E_t − E_(t−1), paise.
    public var change: Int64
}

/// The performance of a backtest (or of any day-end equity curve with its trades).
///
/// Return statistics come from the daily returns r_t = E_t / E_(t−1) − 1, E_0 = starting capital,
/// with empyrical-reloaded's conventions (see ``ReturnStatistics``): they agree with `empyrical` on
/// the same returns to 1e-9 relative (Tests/AlphaPrimeTests/Fixtures/metrics). Money stays exact in
/// paise; ratios are `Double`. A ratio that is undefined is NaN, one that is unbounded is ±∞ (empyrical
/// does the same); `summary.json` writes both as `null`.
///
/// Total and annual return are taken from the exact growth E_n / E_0 rather than a product of
/// rounded daily returns; max drawdown from the exact equity (``DrawdownAnalysis``).
public struct PerformanceMetrics: Sendable {
    public var startingCapital: Int64
    /// Equity at the close of the last day (the starting capital when there are no days).
    public var finalEquity: Int64
    public var tradingDays: Int
    public var firstDate: LocalDate?
    public var lastDate: LocalDate?

    /// E_n / E_0 − 1 (`cum_returns_final`).
    public var totalReturn: Double
    /// CAGR over 252 trading days a year (`annual_return`, period 'daily').
    public var annualReturn: Double
    /// Sample deviation of daily returns × √252 (`annual_volatility`).
    public var annualVolatility: Double
    public var sharpeRatio: Double
    public var sortinoRatio: Double
    /// Annual return / |max drawdown| (`calmar_ratio`).
    public var calmarRatio: Double
    /// The annual risk-free rate asked for, and the daily rate used: (1 + annual)^(1/252) − 1.
    public var riskFreeRateAnnual: Double
    public var riskFreeRateDaily: Double

    /// Deepest fall from a peak as a fraction ≤ 0 (`max_drawdown`); NaN without days.
    public var maxDrawdown: Double
    /// The deepest drawdown's dates and length; nil when the curve never fell.
    public var maxDrawdownEpisode: DrawdownEpisode?
    /// Longest time under water in trading days (any depth).
    public var longestDrawdownDays: Int

    public var bestDay: DayReturn?
    public var worstDay: DayReturn?

    public var trades: TradeStatistics
    public var exposure: MarketExposure?

    /// Trading days of the deepest drawdown, peak to recovery (or to the end); 0 without one.
    public var maxDrawdownDays: Int { maxDrawdownEpisode?.tradingDays ?? 0 }
    /// Final equity − starting capital, paise.
    public var equityChange: Int64 { finalEquity - startingCapital }
    /// The part of the equity change not in closed trades: open positions marked at the last price,
    /// less the charges already paid on them.
    public var openPnL: Int64 { equityChange - trades.netPnL }

    /// Computes the metrics of a run.
    /// - Parameters:
    ///   - dailyEquity: day-end equity, oldest first (``BacktestOutcome/dailyEquity``).
    ///   - startingCapital: E_0, paise. Zero or below leaves the return figures undefined (NaN or ∞);
    ///     the money figures stay exact.
    ///   - trades: the closed trades (``BacktestOutcome/trades``).
    ///   - exposure: bars with a position / bars, when the driver counted them.
    ///   - riskFreeRateAnnual: e.g. 0.065 for 6.5 %; used for Sharpe and as Sortino's required return.
    public init(dailyEquity: [DailyEquity], startingCapital: Int64, trades: [ClosedTrade],
                exposure: MarketExposure? = nil, riskFreeRateAnnual: Double = 0) {
        self.startingCapital = startingCapital
        finalEquity = dailyEquity.last?.equity ?? startingCapital
        tradingDays = dailyEquity.count
        firstDate = dailyEquity.first?.date
        lastDate = dailyEquity.last?.date

        let returns = ReturnStatistics.dailyReturns(startingCapital: startingCapital, equity: dailyEquity.map(\.equity))
        let growth = Double(finalEquity) / Double(startingCapital)
        totalReturn = returns.isEmpty ? .nan : growth - 1
        annualReturn = returns.isEmpty ? .nan : ReturnStatistics.annualReturn(growth: growth, days: returns.count)
        annualVolatility = ReturnStatistics.annualVolatility(returns)
        self.riskFreeRateAnnual = riskFreeRateAnnual
        riskFreeRateDaily = ReturnStatistics.dailyRate(annual: riskFreeRateAnnual)
        sharpeRatio = ReturnStatistics.sharpeRatio(returns, dailyRiskFree: riskFreeRateDaily)
        sortinoRatio = ReturnStatistics.sortinoRatio(returns, dailyRequiredReturn: riskFreeRateDaily)

        let drawdown = DrawdownAnalysis(startingCapital: startingCapital, days: dailyEquity)
        maxDrawdown = drawdown.maxDrawdown
        maxDrawdownEpisode = drawdown.deepest
        longestDrawdownDays = drawdown.longestTradingDays
        calmarRatio = ReturnStatistics.calmarRatio(annualReturn: annualReturn, maxDrawdown: maxDrawdown)

        bestDay = nil
        worstDay = nil
        for (i, r) in returns.enumerated() {
            let change = dailyEquity[i].equity - (i == 0 ? startingCapital : dailyEquity[i - 1].equity)
            let day = DayReturn(date: dailyEquity[i].date, dailyReturn: r, change: change)
            if bestDay.map({ r > $0.dailyReturn }) ?? true { bestDay = day }
            if worstDay.map({ r < $0.dailyReturn }) ?? true { worstDay = day }
        }

        self.trades = TradeStatistics(trades)
        self.exposure = exposure
    }
}
