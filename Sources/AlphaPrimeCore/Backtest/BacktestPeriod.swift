import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// The IST trading days of recorded bars: every date on which at least one series has a bar.
public enum TradingDays {
    /// The dates, ascending, without repeats.
    public static func of(_ series: [BarSeries]) -> [LocalDate] {
        var days = Set<Int64>()
        for s in series {
            var last = Int64.min
            for t in s.time {
                let d = Backtester.istDay(t)
                if d != last { days.insert(d); last = d }
            }
        }
        return days.sorted().map { LocalDate(daysSinceEpoch: Int($0)) }
    }

    /// The first instant (UTC epoch seconds) of an IST date.
    public static func start(of day: LocalDate) -> Int64 {
        Int64(day.daysSinceEpoch) * 86_400 - IST.offsetSeconds
    }
}

/// A stretch of trading days to backtest on, with the bars of a few days before it to warm the
/// strategies' indicators up. During the warm-up the strategies see bars but cannot trade; the
/// period's results (equity, trades, metrics) start on ``firstDay``.
///
/// Only bars up to the end of ``lastDay`` are in ``series``: a run over the period cannot see a
/// later bar.
public struct BacktestPeriod: Sendable {
    public var firstDay: LocalDate
    public var lastDay: LocalDate
    /// Trading days in the period (warm-up not counted).
    public var days: Int
    /// The first warm-up day, or nil without warm-up.
    public var warmUpFrom: LocalDate?
    /// One series per instrument: warm-up bars, then the period's bars.
    public var series: [BarSeries]
    /// Strategies may trade from this instant on (UTC epoch seconds): the start of ``firstDay``.
    public var tradingFrom: Int64
    /// Bars before ``tradingFrom`` (all series).
    public var warmUpBars: Int

    /// Days `first ... last` of `days` (indices into the trading-day list of `series`), with up to
    /// `warmUpDays` trading days before `first` as warm-up.
    public init(series all: [BarSeries], days: [LocalDate], first: Int, last: Int, warmUpDays: Int = 0) {
        precondition(first >= 0 && first <= last && last < days.count, "days \(first)...\(last) of \(days.count)")
        let warm = max(0, first - max(0, warmUpDays))
        firstDay = days[first]
        lastDay = days[last]
        self.days = last - first + 1
        warmUpFrom = warm < first ? days[warm] : nil
        tradingFrom = TradingDays.start(of: days[first])
        let from = TradingDays.start(of: days[warm])
        let to = TradingDays.start(of: days[last].adding(days: 1))
        series = all.map { $0.slice(from: from, to: to) }
        let tradingFrom = tradingFrom
        warmUpBars = series.reduce(0) { n, s in n + s.time.partitioningIndex { $0 >= tradingFrom } }
    }

    /// Bars in the period itself (warm-up not counted).
    public var bars: Int { series.reduce(0) { $0 + $1.count } - warmUpBars }
}

/// What a backtest over a ``BacktestPeriod`` produced, from its first day on.
public struct PeriodOutcome: Sendable {
    public var dailyEquity: [DailyEquity]
    public var trades: [ClosedTrade]
    public var metrics: PerformanceMetrics
    /// Strategy instance names (index = ``ClosedTrade/strategy``).
    public var strategyNames: [String]
    /// Bars of the period (warm-up not counted) and the first and last of them (UTC epoch seconds).
    public var bars: Int
    public var firstBarTime: Int64?
    public var lastBarTime: Int64?
    public var signals: Int
    public var riskRejections: Int
    /// Equity at the end (the next period's starting capital when periods are chained).
    public var finalEquity: Int64 { metrics.finalEquity }
}

/// A strategy that sees every bar but may only trade from `from` on: the warm-up gate.
struct TradingFrom<Base: Strategy>: Strategy {
    var base: Base
    let from: Int64

    var symbol: SymbolID { base.symbol }
    var name: String { base.name }

    mutating func onStart() { base.onStart() }
    mutating func onStop() { base.onStop() }

    @inline(__always)
    mutating func onBar(_ bar: Bar, context: BarContext) -> Signal? {
        let signal = base.onBar(bar, context: context)
        return bar.time >= from ? signal : nil
    }

    mutating func onTick(_ tick: Tick, context: BarContext) -> Signal? {
        let signal = base.onTick(tick, context: context)
        return tick.time >= from ? signal : nil
    }
}

extension BacktestPlan {
    /// Runs the plan over a period through the same engine path as `backtest`: the warm-up bars go
    /// to the strategies, which trade only from the period's first day; equity, trades and metrics
    /// are those of the period's days.
    public func run(period: BacktestPeriod, riskFreeRateAnnual: Double = 0) throws -> PeriodOutcome {
        let strategies = try makeStrategies().map { TradingFrom(base: $0, from: period.tradingFrom) }
        let outcome = run(strategies: strategies, series: period.series)
        let days = outcome.dailyEquity.filter { $0.date >= period.firstDay }
        let bars = outcome.barsProcessed - period.warmUpBars
        let metrics = PerformanceMetrics(
            dailyEquity: days, startingCapital: startingCapital, trades: outcome.trades,
            exposure: MarketExposure(barsWithPosition: outcome.barsWithPosition, bars: bars),
            riskFreeRateAnnual: riskFreeRateAnnual)
        var first: Int64?
        for s in period.series {
            let k = s.time.partitioningIndex { $0 >= period.tradingFrom }
            if k < s.count { first = min(first ?? .max, s.time[k]) }
        }
        return PeriodOutcome(
            dailyEquity: days, trades: outcome.trades, metrics: metrics, strategyNames: outcome.core.strategies.map(\.name),
            bars: bars, firstBarTime: first, lastBarTime: bars > 0 ? outcome.lastBarTime : nil,
            signals: outcome.core.signalCount, riskRejections: outcome.core.rejections.count)
    }
}

/// Where in-sample ends and out-of-sample begins, over a list of trading days.
public enum SampleSplit: Sendable, Equatable, CustomStringConvertible {
    /// The first `fraction` of the trading days are in-sample (at least one day on each side).
    case trainFraction(Double)
    /// Days before the date are in-sample, the date and after out-of-sample.
    case date(LocalDate)

    /// The index of the first out-of-sample day.
    /// - Throws: ``SampleSplitError`` when either side would have no day.
    public func firstOutOfSampleDay(in days: [LocalDate]) throws(SampleSplitError) -> Int {
        guard days.count >= 2 else {
            throw SampleSplitError("the data holds \(days.count) trading day\(days.count == 1 ? "" : "s"); "
                                   + "an in-sample and an out-of-sample period need at least 2")
        }
        switch self {
        case .trainFraction(let f):
            return min(days.count - 1, max(1, Int((Double(days.count) * f).rounded(.down))))
        case .date(let d):
            let k = days.firstIndex { $0 >= d } ?? days.count
            guard k > 0 else {
                throw SampleSplitError("--split-date \(d) leaves no in-sample day (the data starts on \(days[0]))")
            }
            guard k < days.count else {
                throw SampleSplitError("--split-date \(d) leaves no out-of-sample day (the data ends on \(days[days.count - 1]))")
            }
            return k
        }
    }

    public var description: String {
        switch self {
        case .trainFraction(let f): "train fraction \(f)"
        case .date(let d): "split date \(d)"
        }
    }
}

/// The data cannot be split as asked.
public struct SampleSplitError: Error, Sendable, Equatable, CustomStringConvertible, ExitStatusProviding {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
    /// Too little data for the split asked for: a problem of the input, fixed by the flags or more data.
    public var exitStatus: ExitStatus { .noInput }
}
