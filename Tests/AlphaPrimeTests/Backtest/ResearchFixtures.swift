import Foundation
@testable import AlphaPrimeSupport
@testable import AlphaPrimeDomain
@testable import AlphaPrimeExecution
@testable import AlphaPrimeCore
@testable import AlphaPrimePaper
@testable import AlphaPrimeStore
@testable import AlphaPrimeConfig
@testable import AlphaPrimeLogs
@testable import AlphaPrimeOps
@testable import AlphaPrimeCommands

/// The shipped configuration and the bundled sample (`data/market_data/`, two weeks of NIFTY 50
/// and BANKNIFTY 1-minute bars), made into a backtest plan the way `optimize` makes one.
struct ResearchFixture {
    let configuration: AlphaPrimeConfiguration
    let strategy: StrategyConfig
    let series: [BarSeries]
    let plan: BacktestPlan

    /// `strategy` on the sample's NIFTY 50 bars (or `series` when given), with the shipped configuration.
    init(strategy name: String, series given: [BarSeries]? = nil) throws {
        let home = try ConfigTestHome()
        configuration = try home.load(environment: [:])
        guard let config = configuration.strategy(named: name) else { throw StrategyError(strategy: name, "not shipped") }
        strategy = config
        let file = ConfigTestHome.repositoryRoot.appending(path: "data/market_data/NIFTY50/1m/2021.csv").path
        let request = BacktestRequest(strategyNames: [name], symbols: ["NIFTY 50"], dataFiles: [file])
        series = try given ?? request.loadSeries(home: home.home, strategies: [strategy])
        var plan = try request.plan(configuration: configuration, calendar: TradingCalendar(config: configuration.tradingHours),
                                    strategies: [strategy], series: series, risk: RiskManager())
        let normal = configuration.tradingHours.sessions.normal
        plan.risk = RiskManager(config: configuration.risk, instruments: plan.instruments, session: (normal.open, normal.close))
        self.plan = plan
    }

    var days: [LocalDate] { TradingDays.of(series) }

    /// A small space over two of the strategy's parameters.
    static func space(_ strategy: String, _ a: (String, [Double]), _ b: (String, [Double])) -> ParameterSpace {
        ParameterSpace(strategy: strategy, dimensions: [ParameterDimension(name: a.0, values: a.1),
                                                        ParameterDimension(name: b.0, values: b.1)])
    }
}

/// Everything a set's result is made of, for "exactly the same" comparisons (bit patterns of the ratios).
func fingerprint(_ r: SetResult) -> String {
    func period(_ s: PeriodScore?) -> String {
        guard let s else { return "-" }
        let m = s.metrics
        return "\(s.objective.bitPattern)/\(m.trades.trades)/\(m.equityChange)/\(m.tradingDays)/\(m.sharpeRatio.bitPattern)/"
            + "\(m.maxDrawdown.bitPattern)/\(m.trades.netPnL)/\(s.bars)"
    }
    return "\(r.index) \(r.set) \(r.refusal ?? "") \(period(r.inSample)) \(period(r.outOfSample))"
}

/// `series` with the bars of `days` mirrored around each day's first open (a different path on the
/// same tick grid): test data altered without touching any other day.
func mirrored(_ series: [BarSeries], on days: Set<LocalDate>) -> [BarSeries] {
    series.map { s in
        var out = s
        var pivot: Int64 = 0, pivotDay = Int64.min
        for i in 0..<s.count {
            let d = Backtester.istDay(s.time[i])
            guard days.contains(LocalDate(daysSinceEpoch: Int(d))) else { continue }
            if d != pivotDay { pivotDay = d; pivot = s.open[i] }
            out.open[i] = 2 * pivot - s.open[i]
            out.close[i] = 2 * pivot - s.close[i]
            out.high[i] = 2 * pivot - s.low[i]
            out.low[i] = 2 * pivot - s.high[i]
        }
        return out
    }
}
