import Foundation
import Testing
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

/// The optimiser: the same engine path as `backtest`, results independent of the thread count,
/// ranking by the out-of-sample objective, files written.
@Suite struct OptimizerTests {
    static let space = ResearchFixture.space("mean_reversion", ("lookback", [10, 20, 30, 40]), ("entry_z", [1.5, 2, 2.5]))

    func periods(_ f: ResearchFixture) throws -> (BacktestPeriod, BacktestPeriod) {
        let days = f.days
        let k = try SampleSplit.trainFraction(0.7).firstOutOfSampleDay(in: days)
        return (BacktestPeriod(series: f.series, days: days, first: 0, last: k - 1),
                BacktestPeriod(series: f.series, days: days, first: k, last: days.count - 1, warmUpDays: 2))
    }

    @Test func resultsAreIdenticalWhateverTheThreadCount() throws {
        let f = try ResearchFixture(strategy: "mean_reversion")
        let (inSample, outOfSample) = try periods(f)
        let sets = try Self.space.grid()
        var runs: [OptimizationRun] = []
        for threads in [1, 2, 3, nil] {
            let run = Optimizer(plan: f.plan, objective: .sharpe, threads: threads).run(sets: sets, inSample: inSample, outOfSample: outOfSample)
            #expect(run.threads == threads ?? min(ProcessInfo.processInfo.activeProcessorCount, sets.count))
            #expect(run.balanced == (threads == nil))
            #expect(run.workerCPUSeconds.count == (threads ?? 0))
            #expect(run.results.map(\.index) == Array(sets.indices))
            #expect(run.cpuSeconds > 0)
            runs.append(run)
        }
        #expect(runs[0].results.map(fingerprint) == runs[1].results.map(fingerprint))
        #expect(runs[0].results.map(fingerprint) == runs[2].results.map(fingerprint))
        #expect(runs[0].results.map(fingerprint) == runs[3].results.map(fingerprint))
        #expect(runs[0].ranking() == runs[1].ranking())
        // The one-call form splits the same way.
        let oneCall = try Optimizer(plan: f.plan, threads: 2).run(sets: sets, series: f.series)
        #expect(oneCall.results.map(fingerprint) == runs[0].results.map(fingerprint))
        // Sets traded on both sides, so the comparison means something.
        #expect(runs[0].results.contains { ($0.inSample?.metrics.trades.trades ?? 0) > 0 })
        #expect(runs[0].results.contains { ($0.outOfSample?.metrics.trades.trades ?? 0) > 0 })
    }

    @Test func aSetRunsTheSameEngineAsBacktest() throws {
        let f = try ResearchFixture(strategy: "mean_reversion")
        let (inSample, _) = try periods(f)
        let set = ParameterSet(names: ["lookback", "entry_z"], values: [20, 2])
        let optimizer = Optimizer(plan: f.plan, threads: 1)
        let result = optimizer.run(sets: [set], inSample: inSample).results[0]
        // A plain backtest of the same plan over the in-sample bars.
        let plan = optimizer.plan(for: set)
        let plain = try plan.run(series: inSample.series)
        let metrics = plain.metrics()
        #expect(result.inSample?.metrics.trades.trades == metrics.trades.trades)
        #expect(result.inSample?.metrics.finalEquity == metrics.finalEquity)
        #expect(result.inSample?.metrics.sharpeRatio.bitPattern == metrics.sharpeRatio.bitPattern)
        #expect(metrics.trades.trades > 0)
        // The set's values reached the strategy, and its exit follows the parameter it names.
        #expect(f.plan.setups[0].stop == .atrMultiple(1.5))
        #expect(optimizer.setup(for: ParameterSet(names: ["stop_atr_multiple"], values: [2.5])).stop == .atrMultiple(2.5))
        #expect(optimizer.setup(for: set).parameters["lookback"] == 20)
    }

    @Test func outOfSampleTradesOnlyFromItsFirstDayAfterTheWarmUp() throws {
        let f = try ResearchFixture(strategy: "mean_reversion")
        let (inSample, outOfSample) = try periods(f)
        #expect(inSample.lastDay < outOfSample.firstDay)
        #expect(inSample.warmUpFrom == nil)
        let days = f.days
        let k = days.firstIndex(of: outOfSample.firstDay)!
        #expect(outOfSample.warmUpFrom == days[k - 2])
        #expect(outOfSample.tradingFrom == TradingDays.start(of: outOfSample.firstDay))
        #expect(outOfSample.warmUpBars > 0)
        #expect(outOfSample.series[0].time.first! >= TradingDays.start(of: days[k - 2]))
        // The in-sample period holds no bar of the out-of-sample days.
        #expect(inSample.series[0].time.last! < outOfSample.tradingFrom)

        let optimizer = Optimizer(plan: f.plan, threads: 1)
        var traded = 0
        for set in try Self.space.grid() {
            let outcome = try optimizer.evaluate(set, period: outOfSample)
            #expect(outcome.trades.allSatisfy { $0.entryTime >= outOfSample.tradingFrom })
            #expect(outcome.dailyEquity.first?.date == outOfSample.firstDay)
            #expect(outcome.dailyEquity.count == outOfSample.days)
            #expect(outcome.bars == outOfSample.bars)
            traded += outcome.trades.count
        }
        #expect(traded > 0)
    }

    @Test func theSplitLeavesADayOnEachSide() throws {
        let days = (0..<10).map { LocalDate(year: 2021, month: 3, day: 1)!.adding(days: $0) }
        #expect(try SampleSplit.trainFraction(0.7).firstOutOfSampleDay(in: days) == 7)
        #expect(try SampleSplit.trainFraction(0.01).firstOutOfSampleDay(in: days) == 1)
        #expect(try SampleSplit.trainFraction(0.99).firstOutOfSampleDay(in: days) == 9)
        #expect(try SampleSplit.date(LocalDate("2021-03-04")!).firstOutOfSampleDay(in: days) == 3)
        #expect(throws: SampleSplitError.self) { try SampleSplit.date(LocalDate("2021-03-01")!).firstOutOfSampleDay(in: days) }
        #expect(throws: SampleSplitError.self) { try SampleSplit.date(LocalDate("2021-04-01")!).firstOutOfSampleDay(in: days) }
        #expect(throws: SampleSplitError.self) { try SampleSplit.trainFraction(0.5).firstOutOfSampleDay(in: [days[0]]) }
    }

    static func score(_ objective: Double) -> PeriodScore {
        PeriodScore(metrics: PerformanceMetrics(dailyEquity: [], startingCapital: 1, trades: []), objective: objective, bars: 0)
    }

    @Test func rankingIsByTheOutOfSampleObjectiveWithUndefinedLast() {
        let names = ["x"]
        func result(_ i: Int, _ inSample: Double, _ outOfSample: Double, refused: Bool = false) -> SetResult {
            SetResult(index: i, set: ParameterSet(names: names, values: [Double(i)]),
                      inSample: refused ? nil : Self.score(inSample), outOfSample: refused ? nil : Self.score(outOfSample),
                      refusal: refused ? "no" : nil, seconds: 0)
        }
        let run = OptimizationRun(
            objective: .sharpe,
            results: [result(0, 9, 0.5), result(1, 1, 2), result(2, 5, .nan), result(3, 3, 2), result(4, 0, -1),
                      result(5, 7, 7, refused: true), result(6, .infinity, .infinity), result(7, 2, 2)],
            threads: 1, balanced: false, wallSeconds: 0, workerCPUSeconds: [0], barsPerSet: 0)
        // ∞ first; equal OOS values by the in-sample value, then set order; NaN last; refused left out.
        #expect(run.ranking(by: .outOfSample) == [6, 3, 7, 1, 0, 4, 2])
        #expect(run.ranking(by: .inSample) == [6, 0, 2, 3, 7, 1, 4])
        #expect(run.evaluated == 7)
        #expect(run.refused == 1)
        #expect(run.results[0].gap == 8.5)
        #expect(run.results[5].gap.isNaN)
    }

    @Test func theObjectivesReadTheMetrics() throws {
        let f = try ResearchFixture(strategy: "mean_reversion")
        let (inSample, _) = try periods(f)
        let m = try Optimizer(plan: f.plan, threads: 1).evaluate(ParameterSet(names: [], values: []), period: inSample).metrics
        #expect(OptimizationObjective.sharpe.value(of: m) == m.sharpeRatio)
        #expect(OptimizationObjective.sortino.value(of: m) == m.sortinoRatio)
        #expect(OptimizationObjective.calmar.value(of: m) == m.calmarRatio)
        #expect(OptimizationObjective.netPnL.value(of: m) == Double(m.equityChange) / 100)
        #expect(OptimizationObjective.profitFactor.value(of: m).bitPattern == m.trades.profitFactor.bitPattern)
        #expect(OptimizationObjective.allCases.map(\.rawValue) == ["sharpe", "sortino", "calmar", "net_pnl", "profit_factor"])
    }

    @Test func reportFilesHoldEverySetAndTheHeatmap() throws {
        let f = try ResearchFixture(strategy: "mean_reversion")
        let (inSample, outOfSample) = try periods(f)
        var sets = try Self.space.grid()
        sets.append(ParameterSet(names: ["lookback", "entry_z"], values: [1, 2]))  // below the strategy's minimum: refused
        let run = Optimizer(plan: f.plan, objective: .sharpe, threads: 2).run(sets: sets, inSample: inSample, outOfSample: outOfSample)
        #expect(run.refused == 1)
        #expect(run.results.last?.refusal?.contains("lookback") == true)
        let info = OptimizationInfo(
            runID: "test-run", strategy: "mean_reversion", symbols: ["NIFTY 50"], method: .grid, space: Self.space,
            split: .trainFraction(0.7), inSample: PeriodInfo(inSample), outOfSample: PeriodInfo(outOfSample), warmUpDays: 2,
            top: 5, startedAt: 1_700_000_000)
        let home = try ConfigTestHome()
        let directory = home.root.appending(path: "reports/optimize/test-run").path
        let files = try OptimizationReport.write(to: directory, info: info, run: run)

        let csv = try String(contentsOfFile: files.results, encoding: .utf8).split(separator: "\n")
        #expect(csv.count == 1 + sets.count)
        #expect(csv[0].hasPrefix("rank,set,lookback,entry_z,is_objective,oos_objective,gap,is_trades,is_net_pnl,"))
        let ranking = run.ranking(by: .outOfSample)
        let first = csv[1].split(separator: ",", omittingEmptySubsequences: false)
        #expect(first[0] == "1")
        #expect(first[1] == Substring(String(ranking[0] + 1)))
        #expect(csv.last!.hasPrefix(",13,1,2,"))
        #expect(csv.last!.contains("outside"))

        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(filePath: files.summary))) as? [String: Any])
        #expect(json["objective"] as? String == "sharpe")
        let best = try #require(json["best"] as? [[String: Any]])
        #expect(best.count == 5)
        #expect(best[0]["set"] as? Int == ranking[0] + 1)
        let search = try #require(json["search"] as? [String: Any])
        #expect(search["evaluated"] as? Int == 12)
        #expect(search["refused"] as? Int == 1)
        let heatmap = try #require(json["heatmap"] as? [String: Any])
        #expect(Set([heatmap["x"] as? String, heatmap["y"] as? String]) == ["lookback", "entry_z"])

        let svg = try String(contentsOfFile: files.heatmap, encoding: .utf8)
        #expect(svg.hasPrefix("<svg"))
        #expect(svg.contains("Out-of-sample Sharpe ratio"))
        #expect(svg.contains("In-sample Sharpe ratio"))
        #expect(svg.components(separatedBy: "<rect").count - 1 >= 2 * 12)
        let html = try String(contentsOfFile: files.html, encoding: .utf8)
        #expect(html.contains(svg))
        #expect(!html.contains("<script"))
    }

    @Test func theHeatmapUsesTheTwoParametersThatMatterMost() {
        let space = ParameterSpace(strategy: "s", dimensions: [
            ParameterDimension(name: "a", values: [1, 2]), ParameterDimension(name: "b", values: [1, 2]),
            ParameterDimension(name: "c", values: [1, 2]),
        ])
        // The objective depends on c strongly, on a weakly, not at all on b.
        let results = (0..<8).map { i -> SetResult in
            let set = space.set(at: i)
            let value = 10 * set["c"]! + set["a"]!
            return SetResult(index: i, set: set, inSample: Self.score(value), outOfSample: Self.score(value), seconds: 0)
        }
        let run = OptimizationRun(objective: .netPnL, results: results, threads: 1, balanced: false, wallSeconds: 0,
                                  workerCPUSeconds: [0], barsPerSet: 0)
        #expect(OptimizationHeatmap.importance(run, space: space).map(\.name) == ["c", "a", "b"])
        let axes = OptimizationHeatmap.axes(run, space: space)
        #expect(axes.x == 2 && axes.y == 0)
        #expect(OptimizationHeatmap.axes(run, space: space, preferred: ["b", "a"]).x == 1)
        let cells = OptimizationHeatmap.cells(run, space: space, x: 2, y: 0, period: .outOfSample)
        // Row a=1, column c=2: sets (a1,b1,c2) and (a1,b2,c2), both 21.
        #expect(cells[0][1] == OptimizationHeatmap.Cell(sets: 2, mean: 21, best: 21))
        #expect(cells[1][0].mean == 12)
    }
}
