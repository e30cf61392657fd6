import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import Foundation

/// Resolves what `backtest` was asked into a runnable plan: strategies from `config/strategies/`,
/// bars from `--data` files or the home's canonical market data, instruments from
/// `general_config.yaml` (a symbol without one trades as an index notional: lot 1, tick ₹0.05).
public struct BacktestRequest: Sendable {
    public var strategyNames: [String]
    public var start: LocalDate?
    public var end: LocalDate?
    public var symbols: [String]
    public var dataFiles: [String]
    public var slippageTicks: Int64
    public var chargesEnabled: Bool?
    /// Prices every fill at the rates of this date instead of its own (nil: each fill's own date).
    public var chargesAsOf: LocalDate?
    public var capital: Int64?
    /// Read `dataFiles` through the home's bar cache (``BarCache``): the first read of a file parses
    /// it and keeps a binary copy, later reads of the unchanged file load the copy.
    public var cachesDataFiles = false

    public init(strategyNames: [String], start: LocalDate? = nil, end: LocalDate? = nil, symbols: [String] = [],
                dataFiles: [String] = [], slippageTicks: Int64 = 0, chargesEnabled: Bool? = nil, chargesAsOf: LocalDate? = nil,
                capital: Int64? = nil) {
        self.strategyNames = strategyNames; self.start = start; self.end = end; self.symbols = symbols
        self.dataFiles = dataFiles; self.slippageTicks = slippageTicks; self.chargesEnabled = chargesEnabled
        self.chargesAsOf = chargesAsOf; self.capital = capital
    }

    /// The strategy files named, in the order asked; an unknown name lists the known ones.
    public func strategies(in configuration: AlphaPrimeConfiguration) throws -> [StrategyConfig] {
        try strategyNames.map { name in
            guard let s = configuration.strategy(named: name) else {
                let known = configuration.strategies.map(\.name).joined(separator: ", ")
                throw StrategyError(strategy: name, "no such strategy in config/strategies (known: \(known))")
            }
            return s
        }
    }

    /// Refuses a strategy the risk preset disables (`strategies.disabled`): a backtest under a
    /// preset shows what that preset would trade.
    public static func refuseDisabled(_ strategies: [StrategyConfig], in configuration: AlphaPrimeConfiguration) throws {
        for s in strategies where configuration.risk.disables(strategy: s.name) {
            throw StrategyError(strategy: s.name, "the \(configuration.riskPreset) risk preset disables it (strategies.disabled in "
                                + "\(configuration.riskFile)); run it under another preset with --risk-preset")
        }
    }

    /// The risk preset the strategies ask for, when they all ask for the same one.
    public static func riskPreset(of strategies: [StrategyConfig]) -> String? {
        let presets = Set(strategies.map { $0.riskPreset ?? "" })
        guard presets.count == 1, let preset = presets.first, !preset.isEmpty else { return nil }
        return preset
    }

    /// The folder of a symbol under `data/market_data/` (`NIFTY 50` → `NIFTY50`).
    public static func dataFolder(for symbol: String) -> String {
        symbol.filter { !$0.isWhitespace }
    }

    /// Loads the bars: one series per symbol, each cut to `[start, end]` (IST trading days).
    public func loadSeries(home: AlphaPrimeHome, strategies: [StrategyConfig]) throws -> [BarSeries] {
        var series: [BarSeries] = []
        if !dataFiles.isEmpty {
            for (i, file) in dataFiles.enumerated() {
                let url = URL(filePath: file, relativeTo: URL(filePath: FileManager.default.currentDirectoryPath, directoryHint: .isDirectory))
                let symbol = i < symbols.count ? symbols[i] : nil
                let options = CanonicalCSV.Options(symbol: symbol)
                series.append(try cachesDataFiles ? BarCache(home: home).load(csv: url, options: options)
                                                  : CanonicalCSV.read(url: url, options: options))
            }
        } else {
            let wanted = symbols.isEmpty ? orderedUnique(strategies.flatMap(\.symbols)) : symbols
            let store = MarketDataStore(home: home)
            for symbol in wanted {
                var bars = try store.load(symbol: Self.dataFolder(for: symbol), timeframe: .oneMinute, from: start, through: end)
                bars.symbol = symbol
                series.append(bars)
            }
        }
        if start != nil || end != nil {
            let from = start.map { Int64($0.daysSinceEpoch) * 86_400 - IST.offsetSeconds } ?? Int64.min
            let to = end.map { Int64($0.daysSinceEpoch + 1) * 86_400 - IST.offsetSeconds } ?? Int64.max
            series = series.map { $0.slice(from: from, to: to) }
        }
        for s in series where s.isEmpty {
            throw MarketDataError.missingFile(path: s.symbol, reason: "no bars of \(s.symbol) in the period asked for")
        }
        return series
    }

    /// Builds the plan: instruments for the series, each strategy on each series (with `--data`) or on
    /// its configured symbols, risk from the configuration's risk file, charges and slippage.
    public func plan(configuration: AlphaPrimeConfiguration, calendar: TradingCalendar?, strategies: [StrategyConfig],
                     series: [BarSeries], risk: RiskManager) throws -> BacktestPlan {
        let configured = Dictionary(configuration.general.instruments.map { ($0.symbol, $0) }, uniquingKeysWith: { a, _ in a })
        let instruments = series.map { s -> Instrument in
            guard let i = configured[s.symbol] else { return Instrument(symbol: s.symbol) }
            return Instrument(symbol: i.symbol, exchange: i.exchange.rawValue, lotSize: Int64(i.lotSize),
                              tickSize: Int64(i.tickSizePaise), freezeQuantity: Int64(i.freezeQuantity))
        }
        let setups = try strategies.map { try StrategySetup(config: $0) }
        let symbolsBySetup: [[String]] = dataFiles.isEmpty ? strategies.map(\.symbols) : []
        let allReference = setups.allSatisfy { $0.kind == BollingerReference.kind }
        let kinds = series.map { InstrumentKind(tradedAs: configured[$0.symbol]?.segment) }
        let charges: any ChargesModel = (chargesEnabled ?? !allReference) ? try CostModel(instrumentKinds: kinds, ratesAsOf: chargesAsOf) : NoCharges()
        return BacktestPlan(
            setups: setups, instruments: instruments, symbolsBySetup: symbolsBySetup,
            startingCapital: capital ?? configuration.general.capital.startingCapital.paise.value, risk: risk,
            fillModel: FillModel(slippage: slippageTicks > 0 ? .ticks(slippageTicks) : .none), charges: charges,
            calendar: calendar)
    }
}

func orderedUnique(_ names: [String]) -> [String] {
    var seen = Set<String>()
    return names.filter { seen.insert($0).inserted }
}
