import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeCore
import AlphaPrimeStore
import AlphaPrimeConfig
import AlphaPrimeLogs
import AlphaPrimeOps
import AlphaPrimeExecution
import AlphaPrimePaper
import ArgumentParser
import Foundation

public struct OptimizeCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "optimize",
        abstract: "Search strategy parameters and rank them by out-of-sample results.",
        discussion: """
            The parameters searched are those with a range {min, max, step} in config/strategies/<name>.yaml: \
            every combination (--grid, the default) or --random N of them. The trading days are split into an \
            in-sample period (the first --train-fraction of them, or the days before --split-date) and an \
            out-of-sample period; every set is backtested on each, through the same engine as backtest, and \
            the sets are ranked by the out-of-sample objective with the in-sample value and the gap beside it. \
            Sets run on every core, handed out as cores free up (or on --threads N workers); the results do \
            not depend on the thread count.
            Results are written to reports/optimize/<run-id>/: results.csv (every set), heatmap.svg, report.html \
            and summary.json.
            Exit codes: 0 done, 64 bad flag, 65 bad data, 66 missing data, 78 bad configuration or no set could run.
            """,
        version: AlphaPrimeVersion.string)

    @OptionGroup public var common: CommonOptions

    @Option(name: .long, help: ArgumentHelp("The strategy to optimise, by name in config/strategies.", valueName: "name"))
    public var strategy: String

    @OptionGroup public var selection: BacktestDataOptions

    @OptionGroup(title: "Search") public var search: ParameterSearchOptions

    @Option(name: .long, help: ArgumentHelp(
        "Fraction of the trading days that is in-sample (default 0.7); the rest is out-of-sample.", valueName: "fraction"))
    public var trainFraction: Double?

    @Option(name: .long, help: ArgumentHelp("First out-of-sample trading day (IST), YYYY-MM-DD, instead of --train-fraction.",
                                            valueName: "date"))
    public var splitDate: String?

    @Option(name: .long, help: ArgumentHelp("Seed of --random (default 1).", valueName: "n"))
    public var seed: UInt64?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("How many of the best sets to print and keep in summary.json (default 10).", valueName: "k"))
    public var top: Int = 10

    public init() {}

    public func validate() throws {
        if let splitDate, LocalDate(splitDate) == nil {
            throw ValidationError("--split-date expects a date as YYYY-MM-DD, got '\(splitDate)'")
        }
        if trainFraction != nil && splitDate != nil { throw ValidationError("give --train-fraction or --split-date, not both") }
        if let f = trainFraction, !(f > 0 && f < 1) {
            throw ValidationError("--train-fraction expects a number between 0 and 1 (exclusive), got \(f)")
        }
        if top < 0 { throw ValidationError("--top expects 0 or more, got \(top)") }
        if strategy.contains(",") { throw ValidationError("--strategy expects one strategy name (optimize searches one at a time)") }
        if strategy.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--strategy expects a strategy name") }
    }

    var split: SampleSplit {
        if let date = splitDate.flatMap(LocalDate.init) { return .date(date) }
        return .trainFraction(trainFraction ?? 0.7)
    }

    public func run() async throws {
        try await ToolRunner.run(tool: "optimize") {
            let started = Date()
            let name = strategy.trimmingCharacters(in: .whitespaces)
            let request = selection.request(strategies: [name])
            let session = try ResearchSession.load(common, tool: "optimize", request: request, riskPreset: selection.riskPreset)
            let space = try ParameterSpace(config: session.strategy, only: search.parameterNames)
            let days = TradingDays.of(session.series)
            let k = try split.firstOutOfSampleDay(in: days)
            let inSample = BacktestPeriod(series: session.series, days: days, first: 0, last: k - 1)
            let outOfSample = BacktestPeriod(series: session.series, days: days, first: k, last: days.count - 1,
                                             warmUpDays: search.warmUpDayCount)
            let optimizer = Optimizer(plan: session.plan, objective: search.objectiveChoice, threads: search.threads)
            let (sets, method, refusedDraws) = try search.sets(space: space, optimizer: optimizer, seed: seed ?? 1)
            let loadSeconds = Date().timeIntervalSince(started)

            let run = optimizer.run(sets: sets, inSample: inSample, outOfSample: outOfSample)
            guard run.evaluated > 0 else {
                let reason = run.results.first?.refusal ?? "the strategy refused every set drawn"
                throw ParameterSpaceError(strategy: name, kind: .noRunnableSet, "no parameter set could be run (\(reason))")
            }
            let startedAt = Int64(started.timeIntervalSince1970)
            let info = OptimizationInfo(
                runID: BacktestRunInfo.makeRunID(startedAt: startedAt, strategies: [name]), strategy: name,
                symbols: session.plan.instruments.map(\.symbol), method: method, space: space, split: split,
                inSample: PeriodInfo(inSample), outOfSample: PeriodInfo(outOfSample), warmUpDays: search.warmUpDayCount,
                refusedDraws: refusedDraws, heatmapParameters: search.parameterNames, top: top, startedAt: startedAt,
                loadSeconds: loadSeconds, dataSources: session.dataSources, settings: session.settings(slippageTicks: selection.slippageTicks))
            let directory = OptimizationReport.runDirectory(reportsRoot: session.context.home.reportsDirectory.path, runID: info.runID)
            try OptimizationReport.write(to: directory, info: info, run: run)

            let ranking = run.ranking(by: .outOfSample)
            var metadata: [String: String] = [
                "run.id": info.runID, "sets": "\(run.evaluated)", "refused": "\(run.refused + refusedDraws)",
                "threads": "\(run.threads)", "sweep_seconds": String(format: "%.3f", run.wallSeconds),
                "objective": run.objective.rawValue,
            ]
            if let best = ranking.first { metadata["best"] = run.results[best].set.description }
            session.context.logger.info("optimize finished", metadata: metadata.mapValues { .string($0) })
            if common.json {
                ToolRunner.printOut(String(decoding: try OptimizationReport.summaryJSON(info: info, run: run), as: UTF8.self))
            } else {
                ToolRunner.printOut(OptimizationReport.text(info: info, run: run, directory: directory))
            }
            return .ok
        }
    }
}
