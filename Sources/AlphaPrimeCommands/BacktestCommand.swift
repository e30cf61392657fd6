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

public struct BacktestCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Run strategies over recorded market data through the live engine's path.",
        discussion: """
            Strategies come from config/strategies/ by name. Bars come from --data files (canonical CSV: \
            timestamp,open,high,low,close,volume) or from data/market_data/<SYMBOL>/1m/. Results are written \
            to reports/backtest/<run-id>/: summary.json, trades.csv, daily_equity.csv and report.html.
            With --walk-forward (one strategy), parameters are chosen from the strategy's ranges on each \
            train window and traded on the next test window; the files describe the stitched test windows, \
            with walk_forward.json and walk_forward.html beside them (docs/research.md).
            Exit codes: 0 done, 64 bad flag, 65 bad data, 66 missing data, 78 bad configuration.
            """,
        version: AlphaPrimeVersion.string)

    @OptionGroup public var common: CommonOptions

    @Option(name: .long, help: ArgumentHelp("Strategy names from config/strategies, comma-separated.", valueName: "name[,name…]"))
    public var strategy: String

    @OptionGroup public var selection: BacktestDataOptions

    @Option(name: .long, help: ArgumentHelp("Metrics to print: key or all.", valueName: "key|all"))
    public var metrics: MetricsChoice = .key

    @Option(name: .long, help: ArgumentHelp("Report files: detailed (all files), summary (summary.json only) or none.",
                                            valueName: "detailed|summary|none"))
    public var report: ReportChoice = .detailed

    @Option(name: .long, help: ArgumentHelp("Seed recorded with the run (and used by randomised research).", valueName: "n"))
    public var seed: UInt64?

    @Flag(name: .long, help: "Record the run's daily results per strategy in strategy_performance (mode backtest).")
    public var save = false

    @Flag(name: .long, help: ArgumentHelp(
        "After the run, resample its trades (and daily returns) into many paths: final return and drawdown percentiles, and the chance of breaching the risk file's daily-loss and drawdown limits (prop-firm limits when configured)."))
    public var monteCarlo = false

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Monte Carlo paths.", valueName: "n"))
    public var simulations: Int = 10_000

    @Flag(name: .long, help: "Print the wall time of each phase: start-up, configuration, data, set-up, event loop, metrics, research, output (with --json: a timings field).")
    public var timings = false

    @Flag(name: .long, help: ArgumentHelp(
        "Also give the results per market regime (bull, bear, sideways), each day labelled from the index's daily closes before it (regimes: in general_config.yaml; the index's 1d bars must be stored); writes regimes.csv and regime_days.csv."))
    public var byRegime = false

    @OptionGroup(title: "Walk-forward") public var walkForward: WalkForwardOptions

    public init() {}

    public enum MetricsChoice: String, ExpressibleByArgument, Sendable { case key, all }
    public enum ReportChoice: String, ExpressibleByArgument, Sendable { case detailed, summary, none }
    public enum ChargesChoice: String, ExpressibleByArgument, Sendable { case nse, none }

    public func validate() throws {
        if strategyNames.isEmpty { throw ValidationError("--strategy expects at least one strategy name") }
        if simulations < 1 || simulations > 10_000_000 { throw ValidationError("--simulations expects 1 to 10000000, got \(simulations)") }
        try walkForward.validate(strategies: strategyNames.count, save: save, monteCarlo: monteCarlo)
        if byRegime && walkForward.walkForward {
            throw ValidationError("--by-regime breaks down a plain backtest; it is not used with --walk-forward")
        }
    }

    var strategyNames: [String] { strategy.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }

    public func run() async throws {
        if walkForward.walkForward { return try await runWalkForward() }
        try await ToolRunner.run(tool: "backtest") {
            var clock = PhaseTimings()
            let started = Date()
            let request = selection.request(strategies: strategyNames)
            // The strategies choose their risk preset unless the flag does.
            var context = try ToolContext.load(common, tool: "backtest", riskPreset: selection.riskPreset)
            let strategies = try request.strategies(in: context.configuration)
            if selection.riskPreset == nil, let preset = BacktestRequest.riskPreset(of: strategies) {
                context = try ToolContext.load(common, tool: "backtest", riskPreset: preset)
            }
            try BacktestRequest.refuseDisabled(strategies, in: context.configuration)
            let regimeLabels = byRegime ? try Self.regimeLabels(context) : nil
            let vix = try context.indiaVIX()
            clock.end("configuration")
            let series = try request.loadSeries(home: context.home, strategies: strategies)
            clock.end("data")
            var plan = try request.plan(configuration: context.configuration, calendar: context.calendar,
                                        strategies: strategies, series: series, risk: RiskManager())
            let normal = context.configuration.tradingHours.sessions.normal
            plan.recordsRiskApprovals = false  // the tool reports refusals, not each approval
            plan.risk = RiskManager(config: context.configuration.risk, instruments: plan.instruments, indiaVIX: vix?.lookup,
                                    session: (normal.open, normal.close))
            let instances = try plan.makeStrategies()
            clock.end("set-up")
            let progress = ProgressLine(enabled: !common.json && isatty(STDERR_FILENO) == 1)
            let runStarted = Date()
            let outcome = plan.run(strategies: instances, series: series) { done, total in progress.show(done, total) }
            let backtestSeconds = Date().timeIntervalSince(runStarted)
            progress.finish()
            clock.end("event loop")
            let performance = outcome.metrics()
            clock.end("metrics")
            let info = BacktestRunInfo(
                runID: BacktestRunInfo.makeRunID(startedAt: Int64(started.timeIntervalSince1970), strategies: strategyNames),
                strategies: outcome.core.strategies.map(\.name), symbols: plan.instruments.map(\.symbol),
                periodStart: outcome.dailyEquity.first?.date, periodEnd: outcome.dailyEquity.last?.date,
                bars: outcome.barsProcessed, firstBarTime: outcome.firstBarTime, lastBarTime: outcome.lastBarTime,
                seed: seed, elapsedSeconds: Date().timeIntervalSince(started), startedAt: Int64(started.timeIntervalSince1970),
                dataSources: selection.data.isEmpty ? series.map { "data/market_data/\(BacktestRequest.dataFolder(for: $0.symbol))/1m" } : selection.data,
                settings: chargesSettings(plan.charges).merging([
                    "risk_preset": context.configuration.riskPreset, "slippage_ticks": String(selection.slippageTicks),
                    "india_vix": context.indiaVIXDescription(vix),
                    "backtest_seconds": String(format: "%.6f", backtestSeconds),
                    "signals": String(outcome.core.signalCount), "risk_rejections": String(outcome.core.rejections.count),
                ]) { a, _ in a })
            let regimes = regimeLabels.map {
                RegimeBreakdown(dailyEquity: outcome.dailyEquity, startingCapital: outcome.ledger.startingCapital,
                                trades: outcome.trades, labels: $0)
            }
            var monteCarloResults: [MonteCarloResult] = []
            if monteCarlo {
                monteCarloResults = try BacktestMonteCarlo.run(outcome: outcome, risk: context.configuration.risk,
                                                               simulations: simulations, seed: seed ?? 1)
            }
            if byRegime || monteCarlo { clock.end("research") }
            var directory: String?
            if report != .none {
                let dir = BacktestReport.runDirectory(reportsRoot: context.home.reportsDirectory.path, runID: info.runID)
                if report == .detailed {
                    _ = try BacktestReport.write(to: dir, run: info, metrics: performance, dailyEquity: outcome.dailyEquity,
                                                 trades: outcome.trades)
                } else {
                    try BacktestReport.writeSummary(to: dir, run: info, metrics: performance)
                }
                directory = dir
            }
            if let regimes, let directory { try regimes.write(to: directory) }
            if monteCarlo, let directory { try BacktestMonteCarlo.write(monteCarloResults, to: directory) }
            if save {
                let database = try context.openDatabase()
                try BacktestPerformance.save(outcome: outcome, to: StateRepository(database: database), now: .now())
            }
            context.logger.info("backtest finished", metadata: [
                "run.id": "\(info.runID)", "bars": "\(outcome.barsProcessed)", "trades": "\(outcome.trades.count)",
                "net_pnl_paise": "\(performance.trades.netPnL)",
            ])
            let output: String
            if common.json {
                clock.end("output")
                output = try BacktestMonteCarlo.json(summary: BacktestSummary(run: info, metrics: performance),
                                                     results: monteCarlo ? monteCarloResults : nil, regimes: regimes?.rows,
                                                     timings: timings ? clock : nil)
            } else {
                var text = BacktestText.summary(info: info, metrics: performance, outcome: outcome, all: metrics == .all,
                                                directory: directory)
                if let regimes { text += "\n\n" + regimes.text() }
                for result in monteCarloResults { text += "\n\n" + BacktestMonteCarlo.text(result) }
                clock.end("output")
                if timings { text += "\n\n" + clock.text }
                output = text
            }
            ToolRunner.printOut(output)
            return .ok
        }
    }
}

extension BacktestCommand {
    /// The stored daily bars of the index `regimes:` names, or exit 66 saying how to store them.
    static func regimeLabels(_ context: ToolContext) throws -> RegimeLabels {
        let settings = context.configuration.general.regimeSettings
        let folder = BacktestRequest.dataFolder(for: settings.index)
        guard let labels = try RegimeLabels.stored(in: MarketDataStore(home: context.home), settings: settings) else {
            throw MarketDataError.missingFile(
                path: "data/market_data/\(folder)/1d",
                reason: "--by-regime labels days from \(settings.index)'s daily bars and none are stored; store them with: "
                    + "market-data import --format iso --symbol \(folder) FILE (date,open,high,low,close), or "
                    + "market-data fetch --symbol \"\(settings.index)\" --interval day --from YYYY-MM-DD --to YYYY-MM-DD")
        }
        return labels
    }
}

/// A one-line progress bar on standard error, redrawn in place.
final class ProgressLine: Sendable {
    let enabled: Bool
    init(enabled: Bool) { self.enabled = enabled }

    func show(_ done: Int, _ total: Int) {
        guard enabled, total > 0 else { return }
        let width = 30, filled = done * width / total
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        FileHandle.standardError.write(Data("\r[\(bar)] \(done * 100 / total)% \(done)/\(total) bars".utf8))
    }

    func finish() {
        if enabled { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
