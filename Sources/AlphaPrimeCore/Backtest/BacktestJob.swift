import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import Foundation

/// A backtest as the trader asks for it: which strategies, on which instruments, with what money,
/// risk stage, fill model and charges. Turned into one ``TradingCore`` of ``AnyStrategy`` instances
/// (each strategy on each of its symbols that has data) and run by the ``Backtester``.
public struct BacktestPlan: Sendable {
    public var setups: [StrategySetup]
    /// Instruments in SymbolID order; one bar series per instrument.
    public var instruments: [Instrument]
    /// For each setup, the symbols it trades (names as in `instruments`). Empty = all instruments.
    public var symbolsBySetup: [[String]]
    public var startingCapital: Int64
    public var risk: RiskManager
    public var fillModel: FillModel
    public var charges: any ChargesModel
    public var calendar: TradingCalendar?
    /// Record a risk event for every approved entry (``TradingCore/recordsApprovals``); research
    /// sweeps that only need results turn it off.
    public var recordsRiskApprovals = true

    public init(setups: [StrategySetup], instruments: [Instrument], symbolsBySetup: [[String]] = [],
                startingCapital: Int64, risk: RiskManager = RiskManager(), fillModel: FillModel = FillModel(),
                charges: any ChargesModel = NoCharges(), calendar: TradingCalendar? = nil) {
        self.setups = setups; self.instruments = instruments; self.symbolsBySetup = symbolsBySetup
        self.startingCapital = startingCapital; self.risk = risk; self.fillModel = fillModel
        self.charges = charges; self.calendar = calendar
    }

    /// Makes the strategy instances: each setup on each of its symbols present in `instruments`.
    public func makeStrategies() throws -> [AnyStrategy] {
        var instances: [AnyStrategy] = []
        for (k, setup) in setups.enumerated() {
            let wanted = k < symbolsBySetup.count && !symbolsBySetup[k].isEmpty ? symbolsBySetup[k] : instruments.map(\.symbol)
            for (id, instrument) in instruments.enumerated() where wanted.contains(instrument.symbol) {
                instances.append(try StrategyRegistry.make(setup, symbol: id, instrument: instrument))
            }
        }
        guard !instances.isEmpty else {
            throw StrategyError(strategy: setups.map(\.name).joined(separator: ","),
                                "no strategy trades any of the symbols with data (\(instruments.map(\.symbol).joined(separator: ", ")))")
        }
        return instances
    }

    /// Runs the plan over one bar series per instrument.
    public func run(series: [BarSeries], progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> BacktestOutcome<AnyStrategy> {
        try run(strategies: makeStrategies(), series: series, progress: progress)
    }

    /// Runs the plan with the instances ``makeStrategies()`` made. Callers in other modules land here
    /// rather than on the generic `run(strategies:series:progress:)`: a generic function called across
    /// modules runs unspecialized, looking its types' metadata up on every bar (4x slower on 1M bars).
    public func run(strategies: [AnyStrategy], series: [BarSeries],
                    progress: (@Sendable (Int, Int) -> Void)? = nil) -> BacktestOutcome<AnyStrategy> {
        execute(strategies, series: series, progress: progress)
    }

    /// Runs the plan with strategy instances made from it (``makeStrategies()``), possibly wrapped:
    /// research runs them through a gate that lets them trade only from a given bar on.
    public func run<S: Strategy>(strategies: [S], series: [BarSeries],
                                 progress: (@Sendable (Int, Int) -> Void)? = nil) -> BacktestOutcome<S> {
        execute(strategies, series: series, progress: progress)
    }

    func execute<S: Strategy>(_ strategies: [S], series: [BarSeries],
                              progress: (@Sendable (Int, Int) -> Void)?) -> BacktestOutcome<S> {
        let product = setups.first?.product ?? .mis
        var core = TradingCore(strategies: strategies, instruments: instruments, startingCapital: startingCapital,
                               risk: risk, product: product)
        core.recordsApprovals = recordsRiskApprovals
        let broker = SimulatedBroker(fillModel: fillModel, charges: charges, tickSizes: instruments.map(\.tickSize))
        var sessions: SessionLookup?
        if let calendar {
            sessions = { date in
                guard let session = calendar.session(on: date) else { return nil }
                return (open: session.openEpochSeconds, close: session.closeEpochSeconds)
            }
        }
        return Backtester.run(core: core, series: series, broker: broker, sessions: sessions, progress: progress)
    }
}

extension BacktestOutcome {
    /// Performance metrics of the run (exposure from bars with a position).
    public func metrics(riskFreeRateAnnual: Double = 0) -> PerformanceMetrics {
        PerformanceMetrics(dailyEquity: dailyEquity, startingCapital: ledger.startingCapital, trades: trades,
                           exposure: MarketExposure(barsWithPosition: barsWithPosition, bars: barsProcessed),
                           riskFreeRateAnnual: riskFreeRateAnnual)
    }
}
