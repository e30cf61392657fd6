import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import Dispatch

/// What the optimiser maximises, computed from a period's ``PerformanceMetrics``.
public enum OptimizationObjective: String, CaseIterable, Sendable, Codable {
    case sharpe, sortino, calmar
    /// Equity change over the period (closed trades after charges, plus any position still open), rupees.
    case netPnL = "net_pnl"
    case profitFactor = "profit_factor"

    public func value(of m: PerformanceMetrics) -> Double {
        switch self {
        case .sharpe: m.sharpeRatio
        case .sortino: m.sortinoRatio
        case .calmar: m.calmarRatio
        case .netPnL: Double(m.equityChange) / 100
        case .profitFactor: m.trades.profitFactor
        }
    }

    /// How reports name it.
    public var title: String {
        switch self {
        case .sharpe: "Sharpe ratio"
        case .sortino: "Sortino ratio"
        case .calmar: "Calmar ratio"
        case .netPnL: "net P&L (₹)"
        case .profitFactor: "profit factor"
        }
    }

    /// The value that is neither good nor bad (the middle of a heatmap's colours).
    public var neutral: Double { self == .profitFactor ? 1 : 0 }

    /// Orders objective values best first: larger is better, NaN (undefined: no trades, no
    /// variation) after every number. Nil when the two rank the same.
    public static func ranksBefore(_ a: Double, _ b: Double) -> Bool? {
        switch (a.isNaN, b.isNaN) {
        case (true, true): return nil
        case (false, true): return true
        case (true, false): return false
        case (false, false): return a == b ? nil : a > b
        }
    }
}

/// A parameter set's result in one period: the metrics and the objective taken from them.
public struct PeriodScore: Sendable {
    public var metrics: PerformanceMetrics
    public var objective: Double
    /// Bars of the period (warm-up not counted).
    public var bars: Int

    public init(metrics: PerformanceMetrics, objective: Double, bars: Int) {
        self.metrics = metrics; self.objective = objective; self.bars = bars
    }
}

/// One parameter set as the optimiser ran it.
public struct SetResult: Sendable {
    /// Position of the set in the list given to ``Optimizer/run(sets:inSample:outOfSample:)``.
    public var index: Int
    public var set: ParameterSet
    public var inSample: PeriodScore?
    public var outOfSample: PeriodScore?
    /// Why the set was not backtested (a constraint, or the strategy refusing the values); nil when it was.
    public var refusal: String?
    /// Wall seconds of this set's backtests.
    public var seconds: Double
    /// CPU seconds of this set's backtests (its thread's time).
    public var cpuSeconds: Double = 0

    /// In-sample objective − out-of-sample objective: how much the result fell out of sample.
    public var gap: Double {
        guard let i = inSample?.objective, let o = outOfSample?.objective else { return .nan }
        return i - o
    }

    public var wasRun: Bool { refusal == nil }
}

/// Every set's result, with the run's timings.
public struct OptimizationRun: Sendable {
    public enum Period: String, Sendable { case inSample = "in_sample", outOfSample = "out_of_sample" }

    public var objective: OptimizationObjective
    /// One per set, in the order the sets were given.
    public var results: [SetResult]
    /// Worker threads used (at most, when dispatch balanced the sets over the cores).
    public var threads: Int
    /// True when the sets were handed out to the cores as they freed up, false when each of a fixed
    /// number of workers took every `threads`-th set.
    public var balanced: Bool
    /// Wall seconds of the whole sweep (bars already loaded).
    public var wallSeconds: Double
    /// CPU seconds each worker thread spent, with a fixed number of workers; empty when balanced.
    /// (On a shared machine wall time includes waiting for a core; CPU time does not.)
    public var workerCPUSeconds: [Double]
    /// Bars backtested per set (in-sample + out-of-sample, warm-up included).
    public var barsPerSet: Int

    public var evaluated: Int { results.count { $0.wasRun } }
    /// CPU seconds of all the sets' backtests.
    public var cpuSeconds: Double { results.reduce(0) { $0 + $1.cpuSeconds } }
    public var refused: Int { results.count { !$0.wasRun } }

    /// Bars backtested per second of wall time, over all sets.
    public var barsPerSecond: Double { wallSeconds > 0 ? Double(barsPerSet * evaluated) / wallSeconds : .nan }

    /// Indices into ``results`` of the sets that ran, best first by the period's objective; ties go
    /// to the other period's objective, then to the earlier set. NaN objectives come last.
    public func ranking(by period: Period = .outOfSample) -> [Int] {
        func primary(_ r: SetResult) -> Double {
            (period == .outOfSample ? r.outOfSample?.objective : r.inSample?.objective) ?? .nan
        }
        func secondary(_ r: SetResult) -> Double {
            (period == .outOfSample ? r.inSample?.objective : r.outOfSample?.objective) ?? .nan
        }
        return results.indices.filter { results[$0].wasRun }.sorted { a, b in
            let x = results[a], y = results[b]
            if let before = OptimizationObjective.ranksBefore(primary(x), primary(y)) { return before }
            if let before = OptimizationObjective.ranksBefore(secondary(x), secondary(y)) { return before }
            return x.index < y.index
        }
    }
}

/// Backtests many parameter sets of one strategy, on both cores, through the same engine path as
/// `backtest` (``BacktestPlan/run(period:riskFreeRateAnnual:)``).
///
/// The bars are loaded once and shared read-only. The sets are the items of a ``WorkerPool``: by
/// default handed out to every core as it frees up; with a fixed thread count each worker takes every
/// `threads`-th set. Either way each result is written into its own slot of a preallocated array, so
/// workers share nothing mutable and the results do not depend on the thread count.
public struct Optimizer: Sendable {
    /// The plan to vary: ``BacktestPlan/setups`` `[setupIndex]` takes each set's values, the rest
    /// of the plan (instruments, capital, risk, fills, charges) stays as it is.
    public var plan: BacktestPlan
    public var setupIndex: Int
    public var objective: OptimizationObjective
    /// Worker threads (at least 1); nil = every core, sets handed out as cores free up.
    public var threads: Int?
    /// Checked before the strategy's own rules.
    public var constraints: [ParameterConstraint]
    public var riskFreeRateAnnual: Double

    public init(plan: BacktestPlan, setupIndex: Int = 0, objective: OptimizationObjective = .sharpe,
                threads: Int? = nil, constraints: [ParameterConstraint] = [],
                riskFreeRateAnnual: Double = 0) {
        precondition(plan.setups.indices.contains(setupIndex), "the plan has no setup \(setupIndex)")
        self.plan = plan; self.setupIndex = setupIndex; self.objective = objective
        self.threads = threads.map { max(1, $0) }; self.constraints = constraints; self.riskFreeRateAnnual = riskFreeRateAnnual
    }

    /// The strategy setup a set describes (exits that name a parameter follow it).
    public func setup(for set: ParameterSet) -> StrategySetup {
        plan.setups[setupIndex].with(parameters: set.overrides)
    }

    /// The plan with the set's values (approvals are not recorded as risk events: only results are kept).
    public func plan(for set: ParameterSet) -> BacktestPlan {
        var p = plan
        p.setups[setupIndex] = setup(for: set)
        p.recordsRiskApprovals = false
        return p
    }

    /// Why the set cannot be run, or nil: a constraint, then the strategy's own checks (range of each
    /// value, whole numbers, rules between parameters such as momentum's `fast_ma < slow_ma`).
    public func refusal(of set: ParameterSet) -> String? {
        for c in constraints { if let why = c.check(set) { return why } }
        guard let instrument = plan.instruments.first else { return "no instrument to trade" }
        do {
            _ = try StrategyRegistry.make(setup(for: set), symbol: 0, instrument: instrument)
            return nil
        } catch let error as StrategyError {
            return error.message
        } catch {
            return "\(error)"
        }
    }

    /// Backtests one set over one period.
    public func evaluate(_ set: ParameterSet, period: BacktestPeriod) throws -> PeriodOutcome {
        try plan(for: set).run(period: period, riskFreeRateAnnual: riskFreeRateAnnual)
    }

    /// Backtests every set on the in-sample period and, when given, on the out-of-sample period.
    /// A set that ``refusal(of:)`` refuses is not run and keeps its reason.
    public func run(sets: [ParameterSet], inSample: BacktestPeriod, outOfSample: BacktestPeriod? = nil) -> OptimizationRun {
        let started = DispatchTime.now().uptimeNanoseconds
        let (results, pool) = WorkerPool(threads: threads).map(sets.count) { i in
            self.evaluate(sets[i], index: i, inSample: inSample, outOfSample: outOfSample)
        }
        let wall = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        let barsPerSet = inSample.series.reduce(0) { $0 + $1.count } + (outOfSample?.series.reduce(0) { $0 + $1.count } ?? 0)
        return OptimizationRun(objective: objective, results: results, threads: pool.workers, balanced: pool.balanced,
                               wallSeconds: wall, workerCPUSeconds: pool.workerCPUSeconds, barsPerSet: barsPerSet)
    }

    /// Splits bars already loaded into in-sample and out-of-sample trading days and runs every set
    /// on both: the whole optimisation from the plan, the bars and the sets (the entry point for
    /// benchmarks; `optimize` does the same). The out-of-sample period is warmed up on `warmUpDays`.
    /// - Throws: ``SampleSplitError`` when the bars cannot be split so.
    public func run(sets: [ParameterSet], series: [BarSeries], split: SampleSplit = .trainFraction(0.7),
                    warmUpDays: Int = 2) throws -> OptimizationRun {
        let days = TradingDays.of(series)
        let k = try split.firstOutOfSampleDay(in: days)
        return run(sets: sets, inSample: BacktestPeriod(series: series, days: days, first: 0, last: k - 1),
                   outOfSample: BacktestPeriod(series: series, days: days, first: k, last: days.count - 1, warmUpDays: warmUpDays))
    }

    func evaluate(_ set: ParameterSet, index: Int, inSample: BacktestPeriod, outOfSample: BacktestPeriod?) -> SetResult {
        let started = DispatchTime.now().uptimeNanoseconds, cpuStarted = threadCPUSeconds()
        var result = SetResult(index: index, set: set, refusal: refusal(of: set), seconds: 0)
        guard result.refusal == nil else { return result }
        do {
            let p = plan(for: set)
            let i = try p.run(period: inSample, riskFreeRateAnnual: riskFreeRateAnnual)
            result.inSample = PeriodScore(metrics: i.metrics, objective: objective.value(of: i.metrics), bars: i.bars)
            if let outOfSample {
                let o = try p.run(period: outOfSample, riskFreeRateAnnual: riskFreeRateAnnual)
                result.outOfSample = PeriodScore(metrics: o.metrics, objective: objective.value(of: o.metrics), bars: o.bars)
            }
        } catch let error as StrategyError {
            result.refusal = error.message
        } catch {
            result.refusal = "\(error)"
        }
        result.seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        result.cpuSeconds = threadCPUSeconds() - cpuStarted
        return result
    }
}
