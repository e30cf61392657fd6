import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import Foundation

/// How the max-drawdown limit of a prop-firm challenge is measured.
public enum DrawdownLimitKind: String, Codable, Sendable, CaseIterable {
    /// The floor is fixed: starting capital minus the limit's share of the starting capital.
    case `static`
    /// The floor trails the highest equity reached (starting at the starting capital): peak minus the
    /// limit's share of the peak. It keeps rising with every new high.
    case trailing
}

/// The rules a simulated account must not break, and the profit target it aims for. Percentages are
/// plain numbers: `5` means 5 %. `nil` means the rule is not checked.
///
/// A loss equal to the limit breaches it (a 5 % daily limit on ₹1,00,000 is breached by a ₹5,000 loss).
/// The limit amounts are rounded up to the paisa.
public struct MonteCarloLimits: Sendable, Codable, Equatable {
    /// Loss within one day, as % of that day's starting equity.
    public var dailyLossPercent: Double?
    /// Drawdown, as % of the starting capital (static) or of the running peak (trailing).
    public var maxDrawdownPercent: Double?
    public var drawdownKind: DrawdownLimitKind
    /// Gain over the starting capital, in %, that passes the challenge if reached before any breach.
    public var profitTargetPercent: Double?
    /// Trading days from a path's start within which the target must be reached (a firm's "8% in
    /// 30 days"); `nil`: no window.
    public var profitTargetDays: Int?

    public init(dailyLossPercent: Double? = nil, maxDrawdownPercent: Double? = nil,
                drawdownKind: DrawdownLimitKind = .trailing, profitTargetPercent: Double? = nil,
                profitTargetDays: Int? = nil) {
        self.dailyLossPercent = dailyLossPercent
        self.maxDrawdownPercent = maxDrawdownPercent
        self.drawdownKind = drawdownKind
        self.profitTargetPercent = profitTargetPercent
        self.profitTargetDays = profitTargetDays
    }

    private enum CodingKeys: String, CodingKey {
        case dailyLossPercent, maxDrawdownPercent, drawdownKind, profitTargetPercent, profitTargetDays
    }

    /// Every key may be left out: a missing limit is not checked, a missing kind is trailing.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(dailyLossPercent: try c.decodeIfPresent(Double.self, forKey: .dailyLossPercent),
                  maxDrawdownPercent: try c.decodeIfPresent(Double.self, forKey: .maxDrawdownPercent),
                  drawdownKind: try c.decodeIfPresent(DrawdownLimitKind.self, forKey: .drawdownKind) ?? .trailing,
                  profitTargetPercent: try c.decodeIfPresent(Double.self, forKey: .profitTargetPercent),
                  profitTargetDays: try c.decodeIfPresent(Int.self, forKey: .profitTargetDays))
    }
}

/// What to simulate: how many paths, from which seed, on how much capital, against which limits.
public struct MonteCarloOptions: Sendable, Codable, Equatable {
    /// Number of resampled paths.
    public var simulations: Int
    /// The same seed (and inputs) gives the same result, whatever the number of threads.
    public var seed: UInt64
    /// Equity at the start of every path, in paise.
    public var startingCapital: Int64
    public var limits: MonteCarloLimits

    public init(simulations: Int = 10_000, seed: UInt64 = 0, startingCapital: Int64,
                limits: MonteCarloLimits = MonteCarloLimits()) {
        self.simulations = simulations
        self.seed = seed
        self.startingCapital = startingCapital
        self.limits = limits
    }

    private enum CodingKeys: String, CodingKey { case simulations, seed, startingCapital, limits }

    /// Only `startingCapital` is required; the rest default as in ``init(simulations:seed:startingCapital:limits:)``.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(simulations: try c.decodeIfPresent(Int.self, forKey: .simulations) ?? 10_000,
                  seed: try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? 0,
                  startingCapital: try c.decode(Int64.self, forKey: .startingCapital),
                  limits: try c.decodeIfPresent(MonteCarloLimits.self, forKey: .limits) ?? MonteCarloLimits())
    }
}

/// A distribution over the simulated paths, in percent.
///
/// Percentiles interpolate linearly between the closest ranks (the default of NumPy's `percentile`),
/// so they can be compared with a NumPy computation figure for figure.
public struct MonteCarloDistribution: Sendable, Codable, Equatable {
    public var p1: Double
    public var p5: Double
    public var p25: Double
    public var p50: Double
    public var p75: Double
    public var p95: Double
    public var p99: Double
    public var mean: Double
    public var min: Double
    public var max: Double

    /// The percentile levels reported, in order.
    public static let levels: [Double] = [1, 5, 25, 50, 75, 95, 99]

    public var percentiles: [Double] { [p1, p5, p25, p50, p75, p95, p99] }
}

/// The outcome of a Monte Carlo run: the distributions of final return and max drawdown, and the
/// probabilities that answer "how likely am I to fail the challenge with this strategy and this risk?".
public struct MonteCarloResult: Sendable, Codable, Equatable {
    public enum Method: String, Codable, Sendable {
        /// Trades' net P&L resampled with replacement, added to the equity.
        case tradeBootstrap = "trade-bootstrap"
        /// Daily returns resampled with replacement, compounded.
        case dailyReturnBootstrap = "daily-return-bootstrap"
    }

    public var method: Method
    public var simulations: Int
    public var seed: UInt64
    /// Steps in every path: trades (trade bootstrap) or days (daily-return bootstrap).
    public var pathLength: Int
    /// Days in every path (for the trade bootstrap, the days the resampled trades are grouped into).
    public var days: Int
    public var startingCapital: Int64
    public var limits: MonteCarloLimits
    /// Final equity over starting capital, minus 1, in %.
    public var finalReturnPercent: MonteCarloDistribution
    /// Largest fall from a running peak (the starting capital counts as the first peak), in % of that peak.
    public var maxDrawdownPercent: MonteCarloDistribution
    /// Share of paths that end below the starting capital.
    public var probabilityOfLoss: Double
    /// Share of paths that breach the daily-loss limit on at least one day; nil when not configured.
    public var dailyLossBreachProbability: Double?
    /// Share of paths that breach the max-drawdown limit at some point; nil when not configured.
    public var drawdownBreachProbability: Double?
    /// Share of paths that breach either limit at some point (the challenge failed, when it has no
    /// profit target); nil when neither limit is configured.
    public var anyBreachProbability: Double?
    /// Share of paths that reach the profit target before breaching any limit (the challenge passed);
    /// nil without a target.
    public var profitTargetBeforeBreachProbability: Double?
    /// Share of paths that breach a limit before reaching the profit target (the challenge failed);
    /// nil without a target. The rest of the paths reach neither within the path.
    public var breachBeforeProfitTargetProbability: Double?
}

/// A Monte Carlo input or option that cannot be simulated. The description names the input and value.
public enum MonteCarloError: Error, Equatable, Sendable, CustomStringConvertible, ExitStatusProviding {
    /// No trades (or no days) to resample.
    case nothingToResample(what: String)
    /// More trades than a path can index (2³² − 1).
    case tooManyToResample(Int)
    case simulationsNotPositive(Int)
    case startingCapitalNotPositive(Int64)
    case threadsNotPositive(Int)
    /// A limit that is not a finite number in its range.
    case limitOutOfRange(name: String, value: Double, range: String)
    /// The trades-per-day counts do not add up to the number of trades, or one is negative.
    case tradesPerDayMismatch(sum: Int, trades: Int)
    /// A daily-loss limit was configured for a trade list without its trades-per-day counts.
    case dailyLossLimitNeedsTradesPerDay
    /// A profit-target window was configured for a trade list without its trades-per-day counts.
    case profitTargetWindowNeedsTradesPerDay
    /// A profit-target window that is not a positive number of days, or one without a target.
    case invalidProfitTargetWindow(days: Int, hasTarget: Bool)
    /// A daily return that cannot be compounded (not finite, or a loss of 100 % or more).
    case invalidDailyReturn(index: Int, value: Double)

    public var description: String {
        switch self {
        case .nothingToResample(let what):
            "Monte Carlo: no \(what) to resample"
        case .tooManyToResample(let n):
            "Monte Carlo: \(n) trades are more than the \(UInt32.max) a path can resample"
        case .simulationsNotPositive(let n):
            "Monte Carlo: simulations must be at least 1, got \(n)"
        case .startingCapitalNotPositive(let c):
            "Monte Carlo: starting capital must be positive, got \(c) paise"
        case .threadsNotPositive(let n):
            "Monte Carlo: threads must be at least 1, got \(n)"
        case .limitOutOfRange(let name, let value, let range):
            "Monte Carlo: limit '\(name)' must be in \(range) %, got \(value)"
        case .tradesPerDayMismatch(let sum, let trades):
            "Monte Carlo: trades per day must be non-negative and add up to the \(trades) trades, they add up to \(sum)"
        case .dailyLossLimitNeedsTradesPerDay:
            "Monte Carlo: a daily-loss limit needs the trades-per-day counts of the trade list"
        case .profitTargetWindowNeedsTradesPerDay:
            "Monte Carlo: a profit-target window needs the trades-per-day counts of the trade list"
        case .invalidProfitTargetWindow(let days, let hasTarget):
            hasTarget ? "Monte Carlo: profitTargetDays must be at least 1, got \(days)"
                : "Monte Carlo: profitTargetDays needs a profitTargetPercent"
        case .invalidDailyReturn(let index, let value):
            "Monte Carlo: daily return \(index) is \(value); returns must be finite and above -100 %"
        }
    }

    public var exitStatus: ExitStatus {
        switch self {
        case .nothingToResample, .tooManyToResample, .tradesPerDayMismatch, .invalidDailyReturn: .dataError
        default: .usage
        }
    }
}

/// Monte Carlo resampling of a backtest: how the result could have gone with the same trades (or days)
/// in another order and mix.
///
/// **Trade bootstrap.** Every path draws as many trades as the record has, with replacement, and adds
/// their net P&L (paise, exact) to the starting capital. For the daily-loss limit the path keeps the
/// record's calendar: its first day takes as many resampled trades as the record's first day had, its
/// second day as many as the second, and so on (days without trades are left out). Within a day the
/// equity after each trade is compared with the day's floor (day's starting equity minus the limit),
/// as a prop firm watching closed equity would; the drawdown limit and the profit target are checked
/// after every trade.
///
/// **Daily-return bootstrap.** Every path draws as many days as the record has, with replacement, and
/// compounds their returns; a day's return is that day's P&L over its starting equity, so the daily-loss
/// limit is breached by a day whose return is at or below −limit. Limits and target are checked at each
/// day's close.
///
/// **Reproducibility and threads.** Path *i* draws from its own generator stream
/// (`Xoshiro256StarStar(seed:stream: i)`), turned into trade indices by ``BoundedIndexSampler``, and
/// writes only its own slot of preallocated result arrays. Paths are cut into fixed blocks run on both
/// cores; no lock, no shared mutable state, no allocation per path. Any number of threads gives the
/// same result, figure for figure.
///
/// **Speed.** Without a daily-loss limit or a profit target, a path draws four trades per 64-bit draw
/// and walks them in the same loop (exact integer equity, running peak and low); the drawdown fraction is
/// computed exactly only for the rare stretch of trades that may beat the worst so far. With days or a
/// target to watch, paths run two at a time over a buffer of drawn indices. Both ways give the same
/// paths.
public enum MonteCarlo {
    /// Trade bootstrap over a list of net P&Ls in paise (in the order traded).
    ///
    /// - Parameters:
    ///   - pnl: each trade's net P&L in paise.
    ///   - tradesPerDay: the number of trades of each trading day, in order, adding up to `pnl.count`.
    ///     Needed when a daily-loss limit is configured; without it the whole path is one day.
    ///   - threads: worker threads; nil shares the paths out over every core, balanced as cores free up.
    ///     Does not change the result.
    public static func tradeBootstrap(pnl: [Int64], tradesPerDay: [Int]? = nil, options: MonteCarloOptions,
                                      threads: Int? = nil) throws -> MonteCarloResult {
        let plan = try TradeBootstrapPlan(pnl: pnl, tradesPerDay: tradesPerDay, options: options)
        let paths = simulate(plan, simulations: options.simulations, threads: try workerCount(threads))
        return summarize(paths, method: .tradeBootstrap, pathLength: pnl.count, days: plan.dayCount,
                         options: options)
    }

    /// Trade bootstrap over a backtest's closed trades: their net P&L (after charges), grouped into
    /// trading days by the IST date of their exit.
    public static func tradeBootstrap(trades: [ClosedTrade], options: MonteCarloOptions,
                                      threads: Int? = nil) throws -> MonteCarloResult {
        let (pnl, perDay) = netPnLByDay(trades)
        return try tradeBootstrap(pnl: pnl, tradesPerDay: perDay, options: options, threads: threads)
    }

    /// Daily-return bootstrap over a list of daily returns (0.01 = +1 %), compounding from the starting
    /// capital.
    public static func dailyReturnBootstrap(returns: [Double], options: MonteCarloOptions,
                                            threads: Int? = nil) throws -> MonteCarloResult {
        let plan = try DailyBootstrapPlan(returns: returns, options: options)
        let paths = simulate(plan, simulations: options.simulations, threads: try workerCount(threads))
        return summarize(paths, method: .dailyReturnBootstrap, pathLength: returns.count, days: returns.count,
                         options: options)
    }

    /// Daily-return bootstrap over a backtest's day-by-day equity. The first day's return is taken
    /// against `options.startingCapital`, which should be the backtest's starting capital.
    public static func dailyReturnBootstrap(dailyEquity: [DailyEquity], options: MonteCarloOptions,
                                            threads: Int? = nil) throws -> MonteCarloResult {
        try validate(options)
        return try dailyReturnBootstrap(returns: dailyReturns(dailyEquity, startingCapital: options.startingCapital),
                                 options: options, threads: threads)
    }

    /// Each day's return: its closing equity over the previous close (the starting capital for the
    /// first day), minus 1.
    public static func dailyReturns(_ dailyEquity: [DailyEquity], startingCapital: Int64) -> [Double] {
        var previous = startingCapital
        return dailyEquity.map { day in
            defer { previous = day.equity }
            return Double(day.equity - previous) / Double(previous)
        }
    }

    /// Net P&L of the trades in exit order, and how many trades closed on each IST trading day.
    public static func netPnLByDay(_ trades: [ClosedTrade]) -> (pnl: [Int64], tradesPerDay: [Int]) {
        let ordered = trades.enumerated().sorted {
            ($0.element.exitTime, $0.offset) < ($1.element.exitTime, $1.offset)
        }.map(\.element)
        var perDay: [Int] = []
        var currentDay = Int64.min
        for trade in ordered {
            let day = Backtester.istDay(trade.exitTime)
            if day != currentDay {
                perDay.append(0)
                currentDay = day
            }
            perDay[perDay.count - 1] += 1
        }
        return (ordered.map(\.netPnL), perDay)
    }

    static func workerCount(_ threads: Int?) throws -> Int? {
        guard let threads else { return nil }
        guard threads >= 1 else { throw MonteCarloError.threadsNotPositive(threads) }
        return threads
    }

    static func validate(_ options: MonteCarloOptions) throws {
        guard options.simulations >= 1 else { throw MonteCarloError.simulationsNotPositive(options.simulations) }
        guard options.startingCapital > 0 else {
            throw MonteCarloError.startingCapitalNotPositive(options.startingCapital)
        }
        let limits = options.limits
        let checks: [(name: String, value: Double?, upTo100: Bool)] = [
            ("dailyLossPercent", limits.dailyLossPercent, true),
            ("maxDrawdownPercent", limits.maxDrawdownPercent, true),
            ("profitTargetPercent", limits.profitTargetPercent, false),
        ]
        if let days = limits.profitTargetDays, days < 1 || limits.profitTargetPercent == nil {
            throw MonteCarloError.invalidProfitTargetWindow(days: days, hasTarget: limits.profitTargetPercent != nil)
        }
        for check in checks {
            guard let value = check.value else { continue }
            guard value.isFinite, value > 0, !check.upTo100 || value <= 100 else {
                throw MonteCarloError.limitOutOfRange(name: check.name, value: value,
                                                      range: check.upTo100 ? "(0, 100]" : "(0, ∞)")
            }
        }
    }

    // MARK: Summary

    /// The per-path outcomes of a run, indexed by path.
    struct Paths: Equatable {
        var finalReturn: [Double]
        var maxDrawdown: [Double]
        var flags: [UInt8]
    }

    static func summarize(_ paths: Paths, method: MonteCarloResult.Method, pathLength: Int, days: Int,
                          options: MonteCarloOptions) -> MonteCarloResult {
        let n = paths.flags.count
        func share(_ flag: UInt8) -> Double {
            Double(paths.flags.reduce(0) { $0 + ($1 & flag != 0 ? 1 : 0) }) / Double(n)
        }
        let losses = paths.finalReturn.reduce(0) { $0 + ($1 < 0 ? 1 : 0) }
        let limits = options.limits
        let anyLimit = limits.dailyLossPercent != nil || limits.maxDrawdownPercent != nil
        let hasTarget = limits.profitTargetPercent != nil
        return MonteCarloResult(
            method: method, simulations: n, seed: options.seed, pathLength: pathLength, days: days,
            startingCapital: options.startingCapital, limits: limits,
            finalReturnPercent: distribution(paths.finalReturn),
            maxDrawdownPercent: distribution(paths.maxDrawdown),
            probabilityOfLoss: Double(losses) / Double(n),
            dailyLossBreachProbability: limits.dailyLossPercent == nil ? nil : share(PathFlag.dailyLossBreach),
            drawdownBreachProbability: limits.maxDrawdownPercent == nil ? nil : share(PathFlag.drawdownBreach),
            anyBreachProbability: anyLimit ? share(PathFlag.dailyLossBreach | PathFlag.drawdownBreach) : nil,
            profitTargetBeforeBreachProbability: hasTarget ? share(PathFlag.profitTargetFirst) : nil,
            breachBeforeProfitTargetProbability: hasTarget ? share(PathFlag.breachFirst) : nil)
    }

    /// Percentiles (linear interpolation between closest ranks), mean, min and max of fractions, in %.
    static func distribution(_ fractions: [Double]) -> MonteCarloDistribution {
        let sorted = fractions.sorted()
        var sum = 0.0
        for x in fractions { sum += x }
        let p = MonteCarloDistribution.levels.map { percentile(sorted, $0) * 100 }
        return MonteCarloDistribution(
            p1: p[0], p5: p[1], p25: p[2], p50: p[3], p75: p[4], p95: p[5], p99: p[6],
            mean: sum / Double(fractions.count) * 100, min: sorted[0] * 100, max: sorted[sorted.count - 1] * 100)
    }

    /// The `level` percentile (0…100) of sorted values: NumPy's default "linear" method.
    static func percentile(_ sorted: [Double], _ level: Double) -> Double {
        let h = Double(sorted.count - 1) * level / 100
        let lower = Int(h.rounded(.down))
        let upper = Swift.min(lower + 1, sorted.count - 1)
        let weight = h - Double(lower)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * weight
    }
}
