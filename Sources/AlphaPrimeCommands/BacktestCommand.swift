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

    @Option(name: .long, help: ArgumentHelp("First trading day (IST), YYYY-MM-DD.", valueName: "date"))
    public var start: String?

    @Option(name: .long, help: ArgumentHelp("Last trading day (IST), YYYY-MM-DD.", valueName: "date"))
    public var end: String?

    @Option(name: .long, help: ArgumentHelp(
        "Symbols to trade, comma-separated (default: the strategies' own). With --data, the symbol of each file.",
        valueName: "symbol[,symbol…]"))
    public var symbols: String?

    @Option(name: .long, help: ArgumentHelp("A canonical bar CSV to trade instead of data/market_data (repeatable).", valueName: "file"))
    public var data: [String] = []

    @Option(name: .long, help: ArgumentHelp("Metrics to print: key or all.", valueName: "key|all"))
    public var metrics: MetricsChoice = .key

    @Option(name: .long, help: ArgumentHelp("Report files: detailed (all files), summary (summary.json only) or none.",
                                            valueName: "detailed|summary|none"))
    public var report: ReportChoice = .detailed

    @Option(name: .long, help: ArgumentHelp("Seed recorded with the run (and used by randomised research).", valueName: "n"))
    public var seed: UInt64?

    @Option(name: .long, help: ArgumentHelp("Risk preset: risk_config_<name>.yaml (default: the strategies' own, else risk_config.yaml).",
                                            valueName: "name"))
    public var riskPreset: String?

    @Option(name: .long, help: ArgumentHelp("Slippage in ticks against every market and stop fill.", valueName: "ticks"))
    public var slippageTicks: Int64 = 0

    @Option(name: .long, help: ArgumentHelp("Charges: nse (Indian charges) or none. Default: none for the reference preset, else nse.",
                                            valueName: "nse|none"))
    public var charges: ChargesChoice?

    @Option(name: .long, help: ArgumentHelp("Starting capital in rupees (default: general_config.yaml).", valueName: "rupees"))
    public var capital: String?

    @Flag(name: .long, help: "Record the run's daily results per strategy in strategy_performance (mode backtest).")
    public var save = false

    @Flag(name: .long, help: ArgumentHelp(
        "After the run, resample its trades (and daily returns) into many paths: final return and drawdown percentiles, and the chance of breaching the risk file's daily-loss and drawdown limits (prop-firm limits when configured)."))
    public var monteCarlo = false

    @Option(name: .long, help: ArgumentHelp("Monte Carlo paths.", valueName: "n"))
    public var simulations: Int = 10_000

    @OptionGroup(title: "Walk-forward") public var walkForward: WalkForwardOptions

    public init() {}

    public enum MetricsChoice: String, ExpressibleByArgument, Sendable { case key, all }
    public enum ReportChoice: String, ExpressibleByArgument, Sendable { case detailed, summary, none }
    public enum ChargesChoice: String, ExpressibleByArgument, Sendable { case nse, none }

    public func validate() throws {
        if let start, LocalDate(start) == nil { throw ValidationError("--start expects a date as YYYY-MM-DD, got '\(start)'") }
        if let end, LocalDate(end) == nil { throw ValidationError("--end expects a date as YYYY-MM-DD, got '\(end)'") }
        if let s = start.flatMap(LocalDate.init), let e = end.flatMap(LocalDate.init), e < s {
            throw ValidationError("--end (\(e)) is before --start (\(s))")
        }
        if let capital, Paise(rupees: capital).map({ $0.value > 0 }) != true {
            throw ValidationError("--capital expects a positive amount in rupees, got '\(capital)'")
        }
        if slippageTicks < 0 { throw ValidationError("--slippage-ticks expects 0 or more, got \(slippageTicks)") }
        if strategyNames.isEmpty { throw ValidationError("--strategy expects at least one strategy name") }
        if simulations < 1 || simulations > 10_000_000 { throw ValidationError("--simulations expects 1 to 10000000, got \(simulations)") }
        try walkForward.validate(strategies: strategyNames.count, save: save, monteCarlo: monteCarlo)
    }

    var strategyNames: [String] { strategy.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
    var symbolList: [String] { (symbols ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }

    public func run() async throws {
        if walkForward.walkForward { return try await runWalkForward() }
        try await ToolRunner.run(tool: "backtest") {
            let started = Date()
            let request = BacktestRequest(
                strategyNames: strategyNames, start: start.flatMap(LocalDate.init), end: end.flatMap(LocalDate.init),
                symbols: symbolList, dataFiles: data, slippageTicks: slippageTicks,
                chargesEnabled: charges.map { $0 == .nse }, capital: capital.flatMap { Paise(rupees: $0)?.value })
            // The strategies choose their risk preset unless the flag does.
            var context = try ToolContext.load(common, tool: "backtest", riskPreset: riskPreset)
            let strategies = try request.strategies(in: context.configuration)
            if riskPreset == nil, let preset = BacktestRequest.riskPreset(of: strategies) {
                context = try ToolContext.load(common, tool: "backtest", riskPreset: preset)
            }
            let series = try request.loadSeries(home: context.home, strategies: strategies)
            var plan = try request.plan(configuration: context.configuration, calendar: context.calendar,
                                        strategies: strategies, series: series, risk: RiskManager())
            let normal = context.configuration.tradingHours.sessions.normal
            plan.risk = RiskManager(config: context.configuration.risk, instruments: plan.instruments,
                                    session: (normal.open, normal.close))
            let progress = ProgressLine(enabled: !common.json && isatty(STDERR_FILENO) == 1)
            let runStarted = Date()
            let outcome = try plan.run(series: series) { done, total in progress.show(done, total) }
            let backtestSeconds = Date().timeIntervalSince(runStarted)
            progress.finish()
            let performance = outcome.metrics()
            let info = BacktestRunInfo(
                runID: BacktestRunInfo.makeRunID(startedAt: Int64(started.timeIntervalSince1970), strategies: strategyNames),
                strategies: outcome.core.strategies.map(\.name), symbols: plan.instruments.map(\.symbol),
                periodStart: outcome.dailyEquity.first?.date, periodEnd: outcome.dailyEquity.last?.date,
                bars: outcome.barsProcessed, firstBarTime: outcome.firstBarTime, lastBarTime: outcome.lastBarTime,
                seed: seed, elapsedSeconds: Date().timeIntervalSince(started), startedAt: Int64(started.timeIntervalSince1970),
                dataSources: data.isEmpty ? series.map { "data/market_data/\(BacktestRequest.dataFolder(for: $0.symbol))/1m" } : data,
                settings: [
                    "risk_preset": context.configuration.riskPreset, "slippage_ticks": String(slippageTicks),
                    "charges": plan.charges is NoCharges ? "none" : "nse",
                    "backtest_seconds": String(format: "%.6f", backtestSeconds),
                    "signals": String(outcome.core.signalCount), "risk_rejections": String(outcome.core.rejections.count),
                ])
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
            var monteCarloResults: [MonteCarloResult] = []
            if monteCarlo {
                monteCarloResults = try BacktestMonteCarlo.run(outcome: outcome, risk: context.configuration.risk,
                                                               simulations: simulations, seed: seed ?? 1)
                if let directory {
                    try BacktestMonteCarlo.write(monteCarloResults, to: directory)
                }
            }
            if save {
                let database = try context.openDatabase()
                try BacktestPerformance.save(outcome: outcome, to: StateRepository(database: database), now: .now())
            }
            context.logger.info("backtest finished", metadata: [
                "run.id": "\(info.runID)", "bars": "\(outcome.barsProcessed)", "trades": "\(outcome.trades.count)",
                "net_pnl_paise": "\(performance.trades.netPnL)",
            ])
            if common.json {
                if monteCarlo {
                    ToolRunner.printOut(try BacktestMonteCarlo.json(summary: BacktestSummary(run: info, metrics: performance),
                                                                    results: monteCarloResults))
                } else {
                    ToolRunner.printOut(String(decoding: try BacktestReport.summaryJSON(BacktestSummary(run: info, metrics: performance)), as: UTF8.self))
                }
            } else {
                ToolRunner.printOut(BacktestText.summary(info: info, metrics: performance, outcome: outcome, all: metrics == .all,
                                                         directory: directory))
                for result in monteCarloResults { ToolRunner.printOut("\n" + BacktestMonteCarlo.text(result)) }
            }
            return .ok
        }
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
