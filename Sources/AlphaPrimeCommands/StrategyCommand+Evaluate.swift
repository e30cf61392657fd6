import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeCore
import AlphaPrimeStore
import ArgumentParser
import Foundation

extension StrategyCommand {
    /// `strategy evaluate NAME`: the research evidence of the strategy's current parameters, measured
    /// and recorded: a backtest over the stored data (or `--data`), its Monte Carlo against the risk
    /// preset's limits, its results per market regime, and a walk-forward over the same days.
    public struct Evaluate: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "evaluate",
            abstract: "Measure and record the research evidence the gate to paper reads: walk-forward, Monte Carlo, regimes.",
            discussion: """
                Writes the run to reports/backtest/<run-id>/ (summary.json, regimes.csv, regime_days.csv, \
                monte_carlo.json, walk_forward.json) and its numbers to the state database (strategy_evidence), \
                for these parameters only.
                """)

        @OptionGroup public var own: CommonOptions
        @ParentCommand var parent: StrategyCommand
        var common: CommonOptions { EngineCommand.merged(own, parent.common) }
        @Argument(help: ArgumentHelp("The strategy.", valueName: "name"))
        public var name: String
        @OptionGroup public var selection: BacktestDataOptions
        @Option(name: .long, help: ArgumentHelp("Walk-forward: trading days in each train window.", valueName: "n"))
        public var trainDays: Int
        @Option(name: .long, help: ArgumentHelp("Walk-forward: trading days in each test window.", valueName: "n"))
        public var testDays: Int
        @Option(name: .long, help: ArgumentHelp("Walk-forward: trading days from one window to the next (default: --test-days).", valueName: "n"))
        public var stepDays: Int?
        @OptionGroup(title: "Walk-forward search") public var search: ParameterSearchOptions
        @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Monte Carlo paths.", valueName: "n"))
        public var simulations: Int = 10_000
        @Option(name: .long, help: ArgumentHelp("Seed of the Monte Carlo and of a random search.", valueName: "n"))
        public var seed: UInt64 = 1

        public init() {}

        public func validate() throws {
            if simulations < 100 || simulations > 10_000_000 { throw ValidationError("--simulations expects 100 to 10000000, got \(simulations)") }
            do {
                _ = try WalkForwardSchedule(trainDays: trainDays, testDays: testDays, stepDays: stepDays)
            } catch {
                throw ValidationError(error.message)
            }
        }

        public func run() async throws {
            try await ToolRunner.run(tool: "strategy evaluate") {
                let started = Date()
                let request = selection.request(strategies: [name])
                let session = try ResearchSession.load(common, tool: "strategy", request: request, riskPreset: selection.riskPreset)
                let context = session.context
                try BacktestRequest.refuseDisabled([session.strategy], in: context.configuration)
                let lifecycle = try StrategyLifecycle.open(context)
                let labels = try BacktestCommand.regimeLabels(context)
                let identity = StrategyIdentity(config: session.strategy)

                // The backtest of the configured parameters, its Monte Carlo and its regimes.
                let outcome = try session.plan.run(series: session.series)
                let metrics = outcome.metrics()
                guard let first = outcome.dailyEquity.first?.date, let last = outcome.dailyEquity.last?.date else {
                    throw MarketDataError.missingFile(path: "data/market_data", reason: "no trading day in the period asked for")
                }
                let monteCarlo = try BacktestMonteCarlo.run(outcome: outcome, risk: context.configuration.risk,
                                                            simulations: simulations, seed: seed)
                let regimes = RegimeBreakdown(dailyEquity: outcome.dailyEquity, startingCapital: outcome.ledger.startingCapital,
                                              trades: outcome.trades, labels: labels)

                // The walk-forward over the same days, searching the strategy's ranges.
                let space = try ParameterSpace(config: session.strategy, only: search.parameterNames)
                let schedule = try WalkForwardSchedule(trainDays: trainDays, testDays: testDays, stepDays: stepDays)
                let optimizer = Optimizer(plan: session.plan, objective: search.objectiveChoice, threads: search.threads)
                let (sets, method, refusedDraws) = try search.sets(space: space, optimizer: optimizer, seed: seed)
                guard !sets.isEmpty else {
                    throw ParameterSpaceError(strategy: name, kind: .noRunnableSet, "no parameter set could be run (the strategy refused every set drawn)")
                }
                let configured = ParameterSet(names: space.names, values: space.dimensions.map(\.configured))
                let walk = try WalkForward(optimizer: optimizer, schedule: schedule, warmUpDays: search.warmUpDayCount)
                    .run(series: session.series, sets: sets, configured: configured)

                let startedAt = Int64(started.timeIntervalSince1970)
                var settings = session.settings(slippageTicks: selection.slippageTicks)
                settings["india_vix"] = context.indiaVIXDescription(try context.indiaVIX())
                settings["parameters_hash"] = identity.parametersHash
                settings["walk_forward"] = "train \(schedule.trainDays), test \(schedule.testDays), step \(schedule.stepDays) trading days, "
                    + "\(walk.windows.count) windows"
                let info = BacktestRunInfo(
                    runID: BacktestRunInfo.makeRunID(startedAt: startedAt, strategies: ["\(name)_evaluate"]),
                    strategies: outcome.core.strategies.map(\.name), symbols: session.plan.instruments.map(\.symbol),
                    periodStart: first, periodEnd: last, bars: outcome.barsProcessed, firstBarTime: outcome.firstBarTime,
                    lastBarTime: outcome.lastBarTime, seed: seed, elapsedSeconds: Date().timeIntervalSince(started),
                    startedAt: startedAt, dataSources: session.dataSources, settings: settings)
                let directory = BacktestReport.runDirectory(reportsRoot: context.home.reportsDirectory.path, runID: info.runID)
                try BacktestReport.writeSummary(to: directory, run: info, metrics: metrics)
                try regimes.write(to: directory)
                try BacktestMonteCarlo.write(monteCarlo, to: directory)
                try WalkForwardReport.write(to: directory, run: info, result: walk,
                                            search: WalkForwardReport.Search(space: space, method: method, refusedDraws: refusedDraws),
                                            html: false)

                let breaches = monteCarlo.compactMap(\.anyBreachProbability)
                let evidence = ResearchEvidence(
                    runID: info.runID, riskPreset: context.configuration.riskPreset, periodStart: first, periodEnd: last,
                    tradingDays: metrics.tradingDays, trades: metrics.trades.trades, netPnL: metrics.trades.netPnL,
                    expectancy: metrics.trades.expectancy,
                    profitFactor: metrics.trades.profitFactor.isFinite ? metrics.trades.profitFactor : nil,
                    startingCapital: outcome.ledger.startingCapital,
                    walkForwardEfficiency: walk.efficiency.isFinite ? walk.efficiency : nil, walkForwardWindows: walk.windows.count,
                    breachProbability: breaches.max(), simulations: simulations, regimes: regimes.rows)
                try lifecycle.store.recordEvidence(StrategyEvidenceRecord(
                    identity: identity, recordedAt: try StrategyLifecycle.now(), runID: info.runID, periodStart: first, periodEnd: last,
                    evidence: evidence.json()))
                context.logger.info("strategy evaluated", metadata: [
                    "strategy": "\(name)", "parameters": "\(identity.parametersHash)", "run.id": "\(info.runID)",
                ])
                let standing = try lifecycle.standing(session.strategy)
                struct Output: Encodable { var evidence: ResearchEvidence; var standing: StrategyStanding; var report: String }
                try ToolRunner.printResult(Output(evidence: evidence, standing: standing, report: directory), json: common.json) {
                    var lines = ["evaluated \(name) (parameters \(identity.parametersHash)) over \(first) … \(last): run \(info.runID)",
                                 "  backtest: \(metrics.trades.trades) trades, net ₹\(Paise(metrics.trades.netPnL)), "
                                    + "expectancy \(metrics.trades.expectancy.map { "₹\(Paise($0))" } ?? "–") a trade",
                                 "  walk-forward: \(walk.windows.count) windows, efficiency "
                                    + (walk.efficiency.isFinite ? String(format: "%.2f", walk.efficiency) : "not measured (in-sample return not a gain)"),
                                 "  Monte Carlo: " + (breaches.max().map { String(format: "%.1f%% chance of breaching %@'s limits", $0 * 100, context.configuration.riskPreset) }
                                                      ?? "no daily-loss or drawdown limit in \(context.configuration.riskPreset)"),
                                 "", regimes.text(), "", StrategyLifecycle.text(standing), "", "report: \(directory)"]
                    if walk.windows.isEmpty { lines.insert("  (no walk-forward window fits the period)", at: 3) }
                    return lines.joined(separator: "\n")
                }
                return .ok
            }
        }
    }
}
