import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import Dispatch

/// One train/test pair of a walk-forward, as indices into the list of trading days.
public struct WalkForwardWindow: Sendable, Equatable, Codable {
    public var index: Int
    public var trainFirst: Int
    public var trainLast: Int
    public var testFirst: Int
    public var testLast: Int

    public var trainDays: Int { trainLast - trainFirst + 1 }
    public var testDays: Int { testLast - testFirst + 1 }
}

/// The rolling windows: `trainDays` trading days to choose parameters on, then the next `testDays`
/// to trade them; the pair moves on by `stepDays` (default `testDays`, so the test windows follow
/// each other without overlap or gap). The last test window may be shorter when the data ends.
public struct WalkForwardSchedule: Sendable, Equatable {
    public var trainDays: Int
    public var testDays: Int
    public var stepDays: Int

    public init(trainDays: Int, testDays: Int, stepDays: Int? = nil) throws(WalkForwardError) {
        guard trainDays >= 1 else { throw WalkForwardError(.usage, "--train-days expects 1 or more, got \(trainDays)") }
        guard testDays >= 1 else { throw WalkForwardError(.usage, "--test-days expects 1 or more, got \(testDays)") }
        let step = stepDays ?? testDays
        guard step >= testDays else {
            throw WalkForwardError(.usage, "--step-days \(step) is shorter than --test-days \(testDays): test windows would overlap "
                                   + "and their results could not be stitched")
        }
        self.trainDays = trainDays; self.testDays = testDays; self.stepDays = step
    }

    /// The windows over `dayCount` trading days: every window has a full train window and at least
    /// one test day; the test window always starts the day after its train window ends.
    public func windows(dayCount: Int) -> [WalkForwardWindow] {
        var windows: [WalkForwardWindow] = []
        var start = 0
        while start + trainDays < dayCount {
            let testFirst = start + trainDays
            windows.append(WalkForwardWindow(index: windows.count, trainFirst: start, trainLast: testFirst - 1,
                                             testFirst: testFirst, testLast: min(testFirst + testDays, dayCount) - 1))
            start += stepDays
        }
        return windows
    }
}

/// A walk-forward that cannot run as asked.
public struct WalkForwardError: Error, Sendable, Equatable, CustomStringConvertible, ExitStatusProviding {
    public var exitStatus: ExitStatus
    public var message: String
    public init(_ status: ExitStatus, _ message: String) { exitStatus = status; self.message = message }
    public var description: String { message }
}

/// How one window went: the set chosen on its train days and what it did on its test days.
public struct WalkForwardWindowResult: Sendable {
    public var window: WalkForwardWindow
    public var trainFirstDay: LocalDate
    public var trainLastDay: LocalDate
    public var testFirstDay: LocalDate
    public var testLastDay: LocalDate
    public var chosen: ParameterSet
    /// False when no set gave a finite objective on the train days and the strategy file's values were used.
    public var chosenByObjective: Bool
    /// The chosen set on the train days.
    public var inSample: PeriodScore
    /// The chosen set on the test days (capital carried over from the previous test window).
    public var outOfSample: PeriodOutcome
    public var outOfSampleObjective: Double
    public var setsEvaluated: Int
    public var setsRefused: Int
    /// Wall seconds of the window's search and test.
    public var seconds: Double

    public var gap: Double { inSample.objective - outOfSampleObjective }
}

/// A walk-forward's results: the windows, the stitched out-of-sample run, and beside it the
/// in-sample run of the set that was best over the same days with hindsight.
public struct WalkForwardResult: Sendable {
    public var objective: OptimizationObjective
    public var schedule: WalkForwardSchedule
    public var warmUpDays: Int
    /// Every trading day of the data.
    public var days: [LocalDate]
    public var windows: [WalkForwardWindowResult]
    /// The test windows one after the other, each starting with the equity the previous one ended with.
    public var outOfSample: PeriodOutcome
    /// The set with the best objective over the span of the test windows, chosen knowing those days.
    public var hindsightSet: ParameterSet
    public var inSample: PeriodOutcome
    public var sets: Int
    public var wallSeconds: Double

    /// Mean of the windows' train-day objectives (finite ones).
    public var meanInSampleObjective: Double { Self.mean(windows.map(\.inSample.objective)) }
    /// Mean of the windows' test-day objectives (finite ones).
    public var meanOutOfSampleObjective: Double { Self.mean(windows.map(\.outOfSampleObjective)) }
    /// Out-of-sample annual return / in-sample (hindsight) annual return: how much of what the
    /// optimiser promised with hindsight the walk-forward kept. NaN unless the in-sample return is a gain.
    public var efficiency: Double {
        let i = inSample.metrics.annualReturn, o = outOfSample.metrics.annualReturn
        guard i.isFinite, o.isFinite, i > 0 else { return .nan }
        return o / i
    }

    static func mean(_ xs: [Double]) -> Double {
        let finite = xs.filter(\.isFinite)
        return finite.isEmpty ? .nan : finite.reduce(0, +) / Double(finite.count)
    }
}

/// Rolling walk-forward optimisation: on each train window the optimiser picks the set with the best
/// objective among `sets`; that set then trades the following test window. A train window's bars end
/// before its test window begins, so the choice cannot depend on test data.
public struct WalkForward: Sendable {
    public var optimizer: Optimizer
    public var schedule: WalkForwardSchedule
    /// Trading days before each period whose bars warm the indicators up (no trading in them).
    public var warmUpDays: Int

    public init(optimizer: Optimizer, schedule: WalkForwardSchedule, warmUpDays: Int = 2) {
        self.optimizer = optimizer; self.schedule = schedule; self.warmUpDays = max(0, warmUpDays)
    }

    /// The train period of a window: its days, warmed up on the days before it.
    public func trainPeriod(_ w: WalkForwardWindow, series: [BarSeries], days: [LocalDate]) -> BacktestPeriod {
        BacktestPeriod(series: series, days: days, first: w.trainFirst, last: w.trainLast, warmUpDays: warmUpDays)
    }

    /// The test period of a window: its days, warmed up on the days before it (the end of the train window).
    public func testPeriod(_ w: WalkForwardWindow, series: [BarSeries], days: [LocalDate]) -> BacktestPeriod {
        BacktestPeriod(series: series, days: days, first: w.testFirst, last: w.testLast, warmUpDays: warmUpDays)
    }

    /// Runs every window.
    /// - Parameters:
    ///   - sets: the candidates (a grid or a random sample of the strategy's ranges).
    ///   - configured: the strategy file's values, used when no set gives a finite objective on a train window.
    /// - Throws: ``WalkForwardError`` when the data is too short for one window or no set can run;
    ///   ``StrategyError`` when the chosen set cannot be made.
    public func run(series: [BarSeries], sets: [ParameterSet], configured: ParameterSet) throws -> WalkForwardResult {
        let started = DispatchTime.now().uptimeNanoseconds
        let days = TradingDays.of(series)
        let windows = schedule.windows(dayCount: days.count)
        guard !windows.isEmpty else {
            throw WalkForwardError(.noInput, "the data holds \(days.count) trading days; a walk-forward with "
                                   + "--train-days \(schedule.trainDays) needs at least \(schedule.trainDays + 1)")
        }
        var results: [WalkForwardWindowResult] = []
        var capital = optimizer.plan.startingCapital
        var stitchedDays: [DailyEquity] = []
        var stitchedTrades: [ClosedTrade] = []
        var bars = 0, withPosition = 0, signals = 0, rejections = 0
        var names: [String] = []
        var firstBar: Int64?, lastBar: Int64?

        for w in windows {
            let windowStarted = DispatchTime.now().uptimeNanoseconds
            let train = trainPeriod(w, series: series, days: days)
            let run = optimizer.run(sets: sets, inSample: train)
            guard run.evaluated > 0 else {
                throw WalkForwardError(.configError, "no parameter set could be run: "
                                       + (run.results.first?.refusal ?? "no sets to search"))
            }
            let best = run.ranking(by: .inSample)[0]
            var chosen = run.results[best].set
            var inSample = run.results[best].inSample!
            let byObjective = !inSample.objective.isNaN
            if !byObjective {
                chosen = configured
                let outcome = try optimizer.evaluate(configured, period: train)
                inSample = PeriodScore(metrics: outcome.metrics, objective: optimizer.objective.value(of: outcome.metrics),
                                       bars: outcome.bars)
            }

            var tester = optimizer
            tester.plan.startingCapital = capital
            let test = try tester.evaluate(chosen, period: testPeriod(w, series: series, days: days))
            capital = test.finalEquity
            stitchedDays += test.dailyEquity
            stitchedTrades += test.trades
            bars += test.bars
            withPosition += test.metrics.exposure?.barsWithPosition ?? 0
            signals += test.signals
            rejections += test.riskRejections
            if names.isEmpty { names = test.strategyNames }
            if firstBar == nil { firstBar = test.firstBarTime }
            lastBar = test.lastBarTime ?? lastBar

            results.append(WalkForwardWindowResult(
                window: w, trainFirstDay: days[w.trainFirst], trainLastDay: days[w.trainLast],
                testFirstDay: days[w.testFirst], testLastDay: days[w.testLast], chosen: chosen,
                chosenByObjective: byObjective, inSample: inSample, outOfSample: test,
                outOfSampleObjective: optimizer.objective.value(of: test.metrics),
                setsEvaluated: run.evaluated, setsRefused: run.refused,
                seconds: Double(DispatchTime.now().uptimeNanoseconds - windowStarted) / 1e9))
        }

        let metrics = PerformanceMetrics(
            dailyEquity: stitchedDays, startingCapital: optimizer.plan.startingCapital, trades: stitchedTrades,
            exposure: MarketExposure(barsWithPosition: withPosition, bars: bars), riskFreeRateAnnual: optimizer.riskFreeRateAnnual)
        let outOfSample = PeriodOutcome(
            dailyEquity: stitchedDays, trades: stitchedTrades, metrics: metrics, strategyNames: names, bars: bars,
            firstBarTime: firstBar, lastBarTime: lastBar, signals: signals, riskRejections: rejections)

        // With hindsight: the best set over the span of the test windows, as one run.
        let span = BacktestPeriod(series: series, days: days, first: windows[0].testFirst,
                                  last: windows[windows.count - 1].testLast, warmUpDays: warmUpDays)
        let hindsight = optimizer.run(sets: sets, inSample: span)
        let best = hindsight.ranking(by: .inSample)[0]
        let hindsightSet = hindsight.results[best].inSample!.objective.isNaN ? configured : hindsight.results[best].set
        let inSample = try optimizer.evaluate(hindsightSet, period: span)

        return WalkForwardResult(
            objective: optimizer.objective, schedule: schedule, warmUpDays: warmUpDays, days: days, windows: results,
            outOfSample: outOfSample, hindsightSet: hindsightSet, inSample: inSample, sets: sets.count,
            wallSeconds: Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
    }
}
