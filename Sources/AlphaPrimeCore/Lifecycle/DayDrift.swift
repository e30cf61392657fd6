import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import Foundation

/// One strategy's live (or paper) day against the same day re-run through the backtester on the
/// bars the engine saw, trade by trade.
public struct StrategyDrift: Sendable, Equatable, Encodable {
    public var strategy: String
    /// Trades the engine made and trades the re-run made.
    public var engineTrades: Int
    public var backtestTrades: Int
    /// Pairs with the same symbol and direction whose entries are at most ``matchWindowSeconds`` apart.
    public var matched: Int
    /// Entries the backtest made and the engine did not.
    public var missedEntries: Int
    /// Entries the engine made and the backtest did not.
    public var extraEntries: Int
    /// Over the matched pairs' fills (entry and exit), the engine's price against the backtest's,
    /// paise per unit, positive when the engine's fill was worse; nil without a match.
    public var averageSlippage: Double?
    public var engineNetPnL: Int64
    public var backtestNetPnL: Int64
    /// engine − backtest, paise.
    public var difference: Int64 { engineNetPnL - backtestNetPnL }

    enum CodingKeys: String, CodingKey {
        case strategy, engineTrades = "engine_trades", backtestTrades = "backtest_trades", matched
        case missedEntries = "missed_entries", extraEntries = "extra_entries", averageSlippage = "average_slippage_paise"
        case engineNetPnL = "engine_net_pnl_paise", backtestNetPnL = "backtest_net_pnl_paise", difference = "difference_paise"
    }

    public init(strategy: String, engineTrades: Int, backtestTrades: Int, matched: Int, missedEntries: Int, extraEntries: Int,
                averageSlippage: Double?, engineNetPnL: Int64, backtestNetPnL: Int64) {
        self.strategy = strategy; self.engineTrades = engineTrades; self.backtestTrades = backtestTrades; self.matched = matched
        self.missedEntries = missedEntries; self.extraEntries = extraEntries; self.averageSlippage = averageSlippage
        self.engineNetPnL = engineNetPnL; self.backtestNetPnL = backtestNetPnL
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(strategy, forKey: .strategy); try c.encode(engineTrades, forKey: .engineTrades)
        try c.encode(backtestTrades, forKey: .backtestTrades); try c.encode(matched, forKey: .matched)
        try c.encode(missedEntries, forKey: .missedEntries); try c.encode(extraEntries, forKey: .extraEntries)
        try c.encode(averageSlippage, forKey: .averageSlippage); try c.encode(engineNetPnL, forKey: .engineNetPnL)
        try c.encode(backtestNetPnL, forKey: .backtestNetPnL); try c.encode(difference, forKey: .difference)
    }
}

/// Drift of a day: the day re-run through the backtester (the engine's strategies, warmed on the
/// sessions before as the engine warms them, its risk stage, paper fill model and charges, starting
/// from the day's opening equity) and compared with the engine's trades.
public enum DayDrift {
    /// Entries further apart than this are different trades (a live fill lands within the minute
    /// of the bar the backtest fills on; a few minutes of broker lag still match).
    public static let matchWindowSeconds: Int64 = 300

    /// A trade as the comparison sees it.
    public struct Trade: Sendable, Equatable {
        public var strategy: String
        public var symbol: String
        public var side: Side
        public var quantity: Int64
        /// Average entry and exit prices, paise per unit (exact as value over quantity).
        public var entryPrice: Double
        public var exitPrice: Double
        public var entryTime: Int64
        public var netPnL: Int64

        public init(strategy: String, symbol: String, side: Side, quantity: Int64, entryPrice: Double, exitPrice: Double,
                    entryTime: Int64, netPnL: Int64) {
            self.strategy = strategy; self.symbol = symbol; self.side = side; self.quantity = quantity
            self.entryPrice = entryPrice; self.exitPrice = exitPrice; self.entryTime = entryTime; self.netPnL = netPnL
        }

        public init(_ record: TradeRecord) {
            self.init(strategy: record.strategy, symbol: record.symbol, side: record.side, quantity: record.quantity,
                      entryPrice: Double(record.entryPrice.value), exitPrice: Double(record.exitPrice.value),
                      entryTime: record.entryAt.microseconds / 1_000_000, netPnL: record.netPnl.value)
        }
    }

    /// The drift of `date`: the day re-run on its bars in the market-data store (warmed on the two
    /// sessions before) and compared with the engine's trades entered that day (`engineTrades` may
    /// hold other days'); nil when the store lacks the day's bars.
    public static func measure(date: LocalDate, setup: EngineSetup, calendar: TradingCalendar, store: MarketDataStore,
                               openingEquity: Int64, engineTrades: [TradeRecord]) throws -> [StrategyDrift]? {
        let plan = try ReplayData.load(sources: [ReplaySource(date.description)], setup: setup, calendar: calendar, store: store,
                                       warmupDays: 2,
                                       currentDirectory: URL(filePath: FileManager.default.currentDirectoryPath, directoryHint: .isDirectory))
        guard let day = plan.days.first, plan.symbolsWithoutBars.isEmpty else { return nil }
        let rerun = try rerun(day: day, setup: setup, calendar: calendar, openingEquity: openingEquity)
        let engine = engineTrades.filter { IST.dateTime(epochSeconds: $0.entryAt.microseconds / 1_000_000).date == date }
        return compare(engine: engine.map(Trade.init), backtest: rerun)
    }

    /// Re-runs `day` through the backtester with the engine's setup.
    public static func rerun(day: ReplayDay, setup: EngineSetup, calendar: TradingCalendar, openingEquity: Int64) throws -> [Trade] {
        let strategies = try EngineRunner.warm(try setup.makeStrategies(), warmup: day.warmup, calendar: calendar)
        var core = TradingCore(strategies: strategies, instruments: setup.instruments, startingCapital: openingEquity,
                               risk: setup.risk, product: setup.product)
        core.livePercent = setup.instanceLivePercent
        let costs = try CostModel(instrumentKinds: setup.instrumentKinds, pricingDate: day.date)
        let broker = SimulatedBroker(fillModel: setup.fillModel, charges: costs, tickSizes: setup.instruments.map(\.tickSize))
        let session = (open: day.session.openEpochSeconds, close: day.session.closeEpochSeconds)
        let outcome = Backtester.run(core: core, series: day.series, broker: broker, sessions: { _ in session })
        let names = setup.instances.map(\.setup.name)
        return outcome.trades.map { t in
            Trade(strategy: names[t.strategy], symbol: setup.instruments[t.symbol].symbol, side: t.direction, quantity: t.quantity,
                  entryPrice: Double(t.entryValue) / Double(t.quantity), exitPrice: Double(t.exitValue) / Double(t.quantity),
                  entryTime: t.entryTime, netPnL: t.netPnL)
        }
    }

    /// Compares the engine's trades with the re-run's, per strategy (every strategy in either list,
    /// by name). Each engine trade is matched to the nearest unmatched re-run trade of its strategy,
    /// symbol and direction entered within ``matchWindowSeconds``.
    public static func compare(engine: [Trade], backtest: [Trade]) -> [StrategyDrift] {
        let names = Set(engine.map(\.strategy)).union(backtest.map(\.strategy)).sorted()
        return names.map { name in
            let ours = engine.filter { $0.strategy == name }.sorted { $0.entryTime < $1.entryTime }
            var theirs = backtest.filter { $0.strategy == name }
            var used = Array(repeating: false, count: theirs.count)
            var matched = 0
            var slippage = 0.0, fills = 0
            for t in ours {
                var best: Int?
                for (k, b) in theirs.enumerated() where !used[k] && b.symbol == t.symbol && b.side == t.side
                    && abs(b.entryTime - t.entryTime) <= matchWindowSeconds {
                    if best == nil || abs(b.entryTime - t.entryTime) < abs(theirs[best!].entryTime - t.entryTime) { best = k }
                }
                guard let k = best else { continue }
                used[k] = true
                matched += 1
                let b = theirs[k]
                // Adverse is positive: a long pays more on entry and gets less on exit.
                let sign: Double = t.side == .buy ? 1 : -1
                slippage += sign * (t.entryPrice - b.entryPrice) + sign * (b.exitPrice - t.exitPrice)
                fills += 2
            }
            theirs = theirs.enumerated().filter { !used[$0.offset] }.map(\.element)
            return StrategyDrift(
                strategy: name, engineTrades: ours.count, backtestTrades: used.count, matched: matched,
                missedEntries: theirs.count, extraEntries: ours.count - matched,
                averageSlippage: fills == 0 ? nil : slippage / Double(fills),
                engineNetPnL: ours.reduce(0) { $0 + $1.netPnL },
                backtestNetPnL: backtest.filter { $0.strategy == name }.reduce(0) { $0 + $1.netPnL })
        }
    }
}
