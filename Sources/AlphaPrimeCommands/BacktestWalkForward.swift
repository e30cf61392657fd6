import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeCore
import AlphaPrimeStore
import AlphaPrimeConfig
import AlphaPrimeLogs
import AlphaPrimeOps
import AlphaPrimeExecution
import AlphaPrimePaper
import Foundation

extension BacktestCommand {
    /// `backtest --walk-forward`: rolling train/test windows over the trading days; on each train
    /// window the optimiser picks a set from the strategy's ranges, which then trades the test window.
    /// Writes the stitched out-of-sample run as a backtest (summary.json, trades.csv, daily_equity.csv,
    /// report.html) with `walk_forward.json` and `walk_forward.html` beside it.
    func runWalkForward() async throws {
        try await ToolRunner.run(tool: "backtest") {
            let started = Date()
            let options = walkForward
            let name = strategyNames[0]
            let request = selection.request(strategies: [name])
            let session = try ResearchSession.load(common, tool: "backtest", request: request, riskPreset: selection.riskPreset)
            let space = try ParameterSpace(config: session.strategy, only: options.search.parameterNames)
            let schedule = try WalkForwardSchedule(trainDays: options.trainDays!, testDays: options.testDays!, stepDays: options.stepDays)
            let optimizer = Optimizer(plan: session.plan, objective: options.search.objectiveChoice,
                                      threads: options.search.threads)
            let randomSeed = seed ?? 1
            let (sets, method, refusedDraws) = try options.search.sets(space: space, optimizer: optimizer, seed: randomSeed)
            guard !sets.isEmpty else {
                throw ParameterSpaceError(strategy: name, kind: .noRunnableSet, "no parameter set could be run (the strategy refused every set drawn)")
            }
            let configured = ParameterSet(names: space.names, values: space.dimensions.map(\.configured))
            let walk = WalkForward(optimizer: optimizer, schedule: schedule, warmUpDays: options.search.warmUpDayCount)
            let result = try walk.run(series: session.series, sets: sets, configured: configured)

            let oos = result.outOfSample
            let startedAt = Int64(started.timeIntervalSince1970)
            var settings = session.settings(slippageTicks: selection.slippageTicks)
            settings["walk_forward"] = "train \(schedule.trainDays), test \(schedule.testDays), step \(schedule.stepDays) trading days, "
                + "\(result.windows.count) windows, warm-up \(result.warmUpDays) days"
            settings["walk_forward_search"] = "\(method.name) over \(space.names.joined(separator: ", ")), \(sets.count) sets, "
                + "objective \(optimizer.objective.rawValue)"
            settings["walk_forward_seconds"] = String(format: "%.6f", result.wallSeconds)
            settings["signals"] = String(oos.signals)
            settings["risk_rejections"] = String(oos.riskRejections)
            let info = BacktestRunInfo(
                runID: BacktestRunInfo.makeRunID(startedAt: startedAt, strategies: ["\(name)_walk_forward"]),
                strategies: oos.strategyNames, symbols: session.plan.instruments.map(\.symbol),
                periodStart: oos.dailyEquity.first?.date, periodEnd: oos.dailyEquity.last?.date, bars: oos.bars,
                firstBarTime: oos.firstBarTime, lastBarTime: oos.lastBarTime, seed: method == .grid ? seed : randomSeed,
                elapsedSeconds: Date().timeIntervalSince(started), startedAt: startedAt, dataSources: session.dataSources,
                settings: settings)
            let search = WalkForwardReport.Search(space: space, method: method, refusedDraws: refusedDraws)

            var directory: String?
            if report != .none {
                let dir = BacktestReport.runDirectory(reportsRoot: session.context.home.reportsDirectory.path, runID: info.runID)
                try WalkForwardReport.write(to: dir, run: info, result: result, search: search, html: report == .detailed)
                if report == .detailed {
                    _ = try BacktestReport.write(to: dir, run: info, metrics: oos.metrics, dailyEquity: oos.dailyEquity, trades: oos.trades)
                } else {
                    try BacktestReport.writeSummary(to: dir, run: info, metrics: oos.metrics)
                }
                directory = dir
            }
            session.context.logger.info("walk-forward finished", metadata: [
                "run.id": "\(info.runID)", "windows": "\(result.windows.count)", "sets": "\(sets.count)",
                "oos_trades": "\(oos.trades.count)", "oos_net_pnl_paise": "\(oos.metrics.equityChange)",
                "is_net_pnl_paise": "\(result.inSample.metrics.equityChange)",
            ])
            if common.json {
                ToolRunner.printOut(String(decoding: try WalkForwardReport.json(run: info, result: result, search: search), as: UTF8.self))
            } else {
                ToolRunner.printOut(WalkForwardReport.text(run: info, result: result, search: search, directory: directory))
            }
            return .ok
        }
    }
}
