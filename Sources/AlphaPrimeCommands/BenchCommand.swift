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

/// `alpha-prime-bench`: the measurements behind `benchmarks/run.sh`. Each subcommand prints one JSON
/// object. Benchmarks never fail on a time; they report it.
public struct BenchCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "alpha-prime-bench",
        abstract: "Measure ALPHA-PRIME's speed (used by benchmarks/run.sh); prints JSON.",
        version: AlphaPrimeVersion.string,
        subcommands: [Backtest.self, Portfolio.self, StateWrites.self, MonteCarloPaths.self])

    public init() {}

    static func printJSON<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        ToolRunner.printOut(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    /// The reference preset over a canonical CSV, through the engine's path (TradingCore + SimulatedBroker).
    public struct Backtest: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(abstract: "Load a canonical CSV and run the bollinger_reference preset.")

        @Argument(help: "A canonical bar CSV.") public var file: String
        @Option(help: "Repetitions of the backtest phase (the best is reported).") public var repetitions: Int = 3
        @Option(help: "Write the trades' net P&L (paise), one per line, to this file.") public var tradesOut: String?
        @Option(help: ArgumentHelp("The preset's band width in σ (the reference is 2).",
                                   discussion: "A wide band (10) gives no signal at all: the bar path alone, without orders."))
        public var deviations: Int = 2

        public init() {}

        public func validate() throws {
            guard (1...10).contains(deviations) else { throw ValidationError("--deviations expects 1 to 10, got \(deviations)") }
        }

        struct Output: Encodable {
            var bars: Int, trades: Int, grossPnlPaise: Int64, openPosition: Int64
            var loadSeconds: Double, backtestSeconds: Double, barsPerSecond: Double, peakMemoryBytes: UInt64
        }

        public func run() async throws {
            try await ToolRunner.run(tool: "alpha-prime-bench backtest") {
                let t0 = Benchmarks.now()
                let series = try CanonicalCSV.read(url: URL(filePath: file))
                let load = Benchmarks.now() - t0
                let setup = StrategySetup(name: BollingerReference.kind, kind: BollingerReference.kind,
                                          parameters: ["period": 20, "deviations": Double(deviations), "quantity": 1], direction: .long)
                var plan = BacktestPlan(setups: [setup], instruments: [Instrument(symbol: series.symbol)], startingCapital: 100_000_000)
                plan.recordsRiskApprovals = false  // as backtest runs it
                var best = Double.infinity
                var outcome: BacktestOutcome<AnyStrategy>?
                for _ in 0..<max(1, repetitions) {
                    let t = Benchmarks.now()
                    let o = try plan.run(series: [series])
                    best = min(best, Benchmarks.now() - t)
                    outcome = o
                }
                let o = outcome!
                if let tradesOut {
                    let text = o.trades.map { String($0.netPnL) }.joined(separator: "\n") + "\n"
                    try AtomicFile.write(Array(text.utf8), to: URL(filePath: tradesOut))
                }
                try BenchCommand.printJSON(Output(
                    bars: o.barsProcessed, trades: o.trades.count, grossPnlPaise: o.trades.reduce(0) { $0 + $1.grossPnL },
                    openPosition: o.ledger.books[0].quantity, loadSeconds: load, backtestSeconds: best,
                    barsPerSecond: Double(o.barsProcessed) / best, peakMemoryBytes: Benchmarks.peakMemoryBytes()))
                return .ok
            }
        }
    }

    /// Configured strategies over the home's market data, set up as `backtest` sets them up (risk
    /// stage, charges, calendar), with the event loop repeated: the best of the repetitions is
    /// reported, so a change to the loop can be compared with a single run's noise taken out.
    public struct Portfolio: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Run configured strategies over stored market data as backtest does; repeat the event loop.")

        @OptionGroup public var common: CommonOptions
        @Option(help: "Strategy names from config/strategies, comma-separated.") public var strategy: String
        @OptionGroup public var selection: BacktestDataOptions
        @Option(help: "Repetitions of the event loop (the best is reported).") public var repetitions: Int = 5

        public init() {}

        struct Output: Encodable {
            var bars: Int, trades: Int, signals: Int, riskRejections: Int, grossPnlPaise: Int64
            var eventLoopSeconds: Double, barsPerSecond: Double
        }

        public func run() async throws {
            try await ToolRunner.run(tool: "alpha-prime-bench portfolio") {
                let names = strategy.split(separator: ",").map { String($0) }
                let session = try ResearchSession.load(common, tool: "alpha-prime-bench", request: selection.request(strategies: names),
                                                       riskPreset: selection.riskPreset)
                let series = session.series
                var plan = session.plan
                plan.recordsRiskApprovals = false  // as backtest runs it
                var best = Double.infinity
                var outcome: BacktestOutcome<AnyStrategy>?
                for _ in 0..<max(1, repetitions) {
                    let instances = try plan.makeStrategies()
                    let t = Benchmarks.now()
                    let o = plan.run(strategies: instances, series: series)
                    best = min(best, Benchmarks.now() - t)
                    outcome = o
                }
                let o = outcome!
                try BenchCommand.printJSON(Output(
                    bars: o.barsProcessed, trades: o.trades.count, signals: o.core.signalCount,
                    riskRejections: o.core.rejections.count, grossPnlPaise: o.trades.reduce(0) { $0 + $1.grossPnL },
                    eventLoopSeconds: best, barsPerSecond: Double(o.barsProcessed) / best))
                return .ok
            }
        }
    }

    /// Durable fill writes to a migrated state database.
    public struct StateWrites: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(commandName: "state-writes",
                                                               abstract: "Sustained fill writes with durable commits.")

        @Option(help: "Database URL: sqlite:/path.db or postgres://…") public var url: String
        @Option(help: "Fills to write.") public var fills: Int = 20_000
        @Option(help: "Fills per transaction.") public var batch: Int = 100
        @Flag(help: "Print 'committed PREFIX N' after each commit returns (for crash tests), then the JSON.")
        public var acknowledge = false

        public init() {}

        public func run() async throws {
            try await ToolRunner.run(tool: "alpha-prime-bench state-writes") {
                let home = AlphaPrimeHome(root: URL(filePath: FileManager.default.currentDirectoryPath))
                let database = try DatabaseURL.parse(url, home: home).open()
                _ = try Migrator(database: database).migrate()
                let acknowledge: ((String, Int) -> Void)? = acknowledge ? { prefix, committed in
                    ToolRunner.printOut("committed \(prefix) \(committed)")
                } : nil
                try BenchCommand.printJSON(try Benchmarks.stateWrites(database: database, fills: fills, batch: batch, acknowledge: acknowledge))
                return .ok
            }
        }
    }

    /// Trade-bootstrap Monte Carlo over a trade list (one net P&L in paise per line).
    public struct MonteCarloPaths: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(commandName: "montecarlo",
                                                               abstract: "Trade bootstrap over a trade list; prints time and percentiles.")

        @Argument(help: "One net P&L in paise per line.") public var trades: String
        @Option(help: "Paths.") public var paths: Int = 10_000
        @Option(help: "Seed.") public var seed: UInt64 = 1
        @Option(help: "Starting capital in paise.") public var capital: Int64 = 100_000_000
        @Option(help: "Worker threads (default: all cores).") public var threads: Int?

        public init() {}

        struct Output: Encodable {
            var trades: Int, paths: Int, threads: Int?, seconds: Double
            var maxDrawdownPercentiles: [String: Double], finalReturnPercentiles: [String: Double]
        }

        public func run() async throws {
            try await ToolRunner.run(tool: "alpha-prime-bench montecarlo") {
                let text = try String(contentsOfFile: trades, encoding: .utf8)
                let pnl = text.split(whereSeparator: \.isNewline).compactMap { Int64($0.trimmingCharacters(in: .whitespaces)) }
                let options = MonteCarloOptions(simulations: paths, seed: seed, startingCapital: capital, limits: MonteCarloLimits())
                let t = Benchmarks.now()
                let r = try MonteCarlo.tradeBootstrap(pnl: pnl, options: options, threads: threads)
                let seconds = Benchmarks.now() - t
                func table(_ d: MonteCarloDistribution) -> [String: Double] {
                    ["p1": d.p1, "p5": d.p5, "p25": d.p25, "p50": d.p50, "p75": d.p75, "p95": d.p95, "p99": d.p99]
                }
                try BenchCommand.printJSON(Output(trades: pnl.count, paths: paths, threads: threads, seconds: seconds,
                                                  maxDrawdownPercentiles: table(r.maxDrawdownPercent),
                                                  finalReturnPercentiles: table(r.finalReturnPercent)))
                return .ok
            }
        }
    }
}
