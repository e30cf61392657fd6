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

extension OptimizationObjective: ExpressibleByArgument {}

/// How `optimize` and `backtest --walk-forward` search a strategy's parameter ranges.
public struct ParameterSearchOptions: ParsableArguments, Sendable {
    @Flag(name: .long, help: "Search every combination of the ranges in the strategy file (the default).")
    public var grid = false

    @Option(name: .long, help: ArgumentHelp(
        "Draw N distinct sets at random from the ranges instead of the whole grid (reproducible with --seed).", valueName: "n"))
    public var random: Int?

    @Option(name: .long, help: ArgumentHelp(
        "Search only these ranged parameters, comma-separated; the others keep their values. The first two are the heatmap's axes.",
        valueName: "name[,name…]"))
    public var params: String?

    @Option(name: .long, help: ArgumentHelp(
        "What to maximise: sharpe, sortino, calmar, net_pnl or profit_factor (default sharpe).", valueName: "name"))
    public var objective: OptimizationObjective?

    @Option(name: .long, help: ArgumentHelp(
        "Worker threads, each taking every n-th set (default: every core, sets handed out as cores free up).", valueName: "n"))
    public var threads: Int?

    @Option(name: .long, help: ArgumentHelp("Refuse a grid larger than this (default 10000); use --params or --random.", valueName: "n"))
    public var maxSets: Int?

    @Option(name: .long, help: ArgumentHelp(
        "Trading days before each out-of-sample or test period whose bars warm the indicators up, without trading (default 2).",
        valueName: "days"))
    public var warmUpDays: Int?

    public init() {}

    public func validate() throws {
        if grid && random != nil { throw ValidationError("give --grid or --random N, not both") }
        if let random, random < 1 { throw ValidationError("--random expects 1 or more sets, got \(random)") }
        if let threads, threads < 1 { throw ValidationError("--threads expects 1 or more, got \(threads)") }
        if let maxSets, maxSets < 1 { throw ValidationError("--max-sets expects 1 or more, got \(maxSets)") }
        if let warmUpDays, warmUpDays < 0 { throw ValidationError("--warm-up-days expects 0 or more, got \(warmUpDays)") }
        if params != nil && parameterNames.isEmpty { throw ValidationError("--params expects parameter names, comma-separated") }
    }

    /// True when any of these flags was given.
    var isGiven: Bool {
        grid || random != nil || params != nil || objective != nil || threads != nil || maxSets != nil || warmUpDays != nil
    }

    var parameterNames: [String] {
        (params ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    var objectiveChoice: OptimizationObjective { objective ?? .sharpe }
    var warmUpDayCount: Int { warmUpDays ?? 2 }

    /// The sets to backtest: the whole grid (sets the strategy refuses stay in, to be reported), or
    /// `--random N` distinct sets the strategy accepts (refused draws are counted and replaced).
    func sets(space: ParameterSpace, optimizer: Optimizer, seed: UInt64) throws
        -> (sets: [ParameterSet], method: SearchMethod, refusedDraws: Int) {
        if let random {
            let drawn = space.random(count: random, seed: seed) { optimizer.refusal(of: $0) == nil }
            return (drawn.sets, .random(samples: random, seed: seed), drawn.refused)
        }
        return (try space.grid(limit: maxSets ?? 10_000), .grid, 0)
    }
}

/// What `optimize` and `backtest --walk-forward` load before they search: the configuration (with
/// the strategy's risk preset unless one is given), the one strategy, its bars and the plan, as
/// `backtest` builds them.
struct ResearchSession {
    let context: ToolContext
    let strategy: StrategyConfig
    let series: [BarSeries]
    let plan: BacktestPlan
    let dataSources: [String]

    static func load(_ common: CommonOptions, tool: String, request: BacktestRequest, riskPreset: String?) throws -> ResearchSession {
        var context = try ToolContext.load(common, tool: tool, riskPreset: riskPreset)
        let strategies = try request.strategies(in: context.configuration)
        if riskPreset == nil, let preset = BacktestRequest.riskPreset(of: strategies) {
            context = try ToolContext.load(common, tool: tool, riskPreset: preset)
        }
        try BacktestRequest.refuseDisabled(strategies, in: context.configuration)
        let series = try request.loadSeries(home: context.home, strategies: strategies)
        // The risk stage as backtest builds it: the rules of the risk file, for these instruments.
        var plan = try request.plan(configuration: context.configuration, calendar: context.calendar,
                                    strategies: strategies, series: series, risk: RiskManager())
        let normal = context.configuration.tradingHours.sessions.normal
        plan.risk = RiskManager(config: context.configuration.risk, instruments: plan.instruments,
                                indiaVIX: try context.indiaVIX()?.lookup, session: (normal.open, normal.close))
        let sources = request.dataFiles.isEmpty
            ? series.map { "data/market_data/\(BacktestRequest.dataFolder(for: $0.symbol))/1m" } : request.dataFiles
        return ResearchSession(context: context, strategy: strategies[0], series: series, plan: plan, dataSources: sources)
    }

    /// Settings recorded with the run, as `backtest` records them.
    func settings(slippageTicks: Int64) -> [String: String] {
        ["risk_preset": context.configuration.riskPreset, "slippage_ticks": String(slippageTicks)]
            .merging(chargesSettings(plan.charges)) { a, _ in a }
    }
}

/// How a run's charges were priced, as recorded with it: `charges` (nse or none) and
/// `charges_rates` (each fill's own date, or the one date of `--charges-as-of`).
func chargesSettings(_ charges: any ChargesModel) -> [String: String] {
    guard let model = charges as? CostModel else { return ["charges": "none"] }
    return ["charges": "nse", "charges_rates": model.ratesAsOf.map { "as of \($0)" } ?? "each fill's own date"]
}

/// `backtest --walk-forward`: the rolling windows and how each train window is searched.
public struct WalkForwardOptions: ParsableArguments, Sendable {
    @Flag(name: .long, help: "Walk forward: choose parameters on each train window from the strategy's ranges, trade them on the next test window.")
    public var walkForward = false

    @Option(name: .long, help: ArgumentHelp("Trading days in each train window.", valueName: "n"))
    public var trainDays: Int?

    @Option(name: .long, help: ArgumentHelp("Trading days in each test window.", valueName: "n"))
    public var testDays: Int?

    @Option(name: .long, help: ArgumentHelp("Trading days from one window to the next (default: --test-days).", valueName: "n"))
    public var stepDays: Int?

    @OptionGroup public var search: ParameterSearchOptions

    public init() {}

    public func validate() throws {
        guard walkForward else {
            if trainDays != nil || testDays != nil || stepDays != nil || search.isGiven {
                throw ValidationError("--train-days, --test-days, --step-days and the search flags (--grid, --random, --params, "
                                      + "--objective, --threads, --max-sets, --warm-up-days) belong to --walk-forward")
            }
            return
        }
        guard trainDays != nil, testDays != nil else { throw ValidationError("--walk-forward needs --train-days N and --test-days M") }
        do {
            _ = try WalkForwardSchedule(trainDays: trainDays!, testDays: testDays!, stepDays: stepDays)
        } catch {
            throw ValidationError(error.message)
        }
    }

    /// Checks against the backtest's other flags.
    func validate(strategies: Int, save: Bool, monteCarlo: Bool) throws {
        guard walkForward else { return }
        if strategies != 1 { throw ValidationError("--walk-forward optimises one strategy: give one name to --strategy") }
        if save { throw ValidationError("--save records a plain backtest; it is not used with --walk-forward") }
        if monteCarlo { throw ValidationError("--monte-carlo resamples a plain backtest; it is not used with --walk-forward") }
    }
}
