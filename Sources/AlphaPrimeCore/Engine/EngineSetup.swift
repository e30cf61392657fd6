import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// What the engine builds from the configuration: the instruments (symbol ids in
/// `general_config.yaml` order), one strategy instance per enabled strategy and symbol, the risk
/// stage from `risk_config.yaml` (sizing, limits, breakers, kill switch, the square-off — all inside
/// the trading core), the paper broker's fill model and the snapshot interval.
public struct EngineSetup: Sendable {
    public struct Instance: Sendable {
        public var setup: StrategySetup
        public var symbol: SymbolID
    }

    public var instruments: [Instrument]
    public var instrumentKinds: [InstrumentKind]
    public var instances: [Instance]
    public var risk: RiskManager
    public var product: ProductType
    public var fillModel: FillModel
    /// The paper account's starting capital, paise.
    public var startingCapital: Int64
    public var snapshotIntervalSeconds: Int64
    /// In live mode, each strategy's share of its size by its lifecycle stage (10, 25, 50, 100), by
    /// name; a strategy not listed trades at full size (paper, replays).
    public var livePercentByStrategy: [String: Int] = [:]

    /// ``livePercentByStrategy`` per instance, in instance order.
    public var instanceLivePercent: [Int] { instances.map { livePercentByStrategy[$0.setup.name] ?? 100 } }

    /// `indiaVIX`: the India VIX series the VIX filter reads (``IndiaVIXSeries/stored(in:)``);
    /// without one an enabled filter is listed in `risk.inactiveRules`.
    public init(configuration c: AlphaPrimeConfiguration, indiaVIX: IndiaVIXSeries? = nil) throws {
        instruments = c.general.instruments.map {
            Instrument(symbol: $0.symbol, exchange: $0.exchange.rawValue, lotSize: Int64($0.lotSize),
                       tickSize: Int64($0.tickSizePaise), freezeQuantity: Int64($0.freezeQuantity))
        }
        instrumentKinds = c.general.instruments.map { InstrumentKind(tradedAs: $0.segment) }
        var instances: [Instance] = []
        for strategy in c.enabledStrategies {
            let setup = try StrategySetup(config: strategy)
            for symbol in strategy.symbols {
                guard let id = c.general.instruments.firstIndex(where: { $0.symbol == symbol }) else {
                    throw StrategyError(strategy: strategy.name, "symbol '\(symbol)' is not an instrument in general_config.yaml")
                }
                instances.append(Instance(setup: setup, symbol: id))
            }
        }
        self.instances = instances
        let normal = c.tradingHours.sessions.normal
        risk = RiskManager(config: c.risk, instruments: instruments, indiaVIX: indiaVIX?.lookup, session: (normal.open, normal.close))
        product = c.general.trading.defaultProduct
        fillModel = FillModel(slippage: c.broker.paper.slippageTicks > 0 ? .ticks(Int64(c.broker.paper.slippageTicks)) : .none)
        startingCapital = c.general.capital.startingCapital.paise.value
        snapshotIntervalSeconds = Int64(c.general.portfolio.snapshotIntervalSeconds)
    }

    /// The symbol ids some strategy trades, in id order.
    public var tradedSymbols: [SymbolID] { Array(Set(instances.map(\.symbol))).sorted() }

    /// A fresh instance of every strategy (indicators empty).
    public func makeStrategies() throws -> [AnyStrategy] {
        try instances.map { try StrategyRegistry.make($0.setup, symbol: $0.symbol, instrument: instruments[$0.symbol]) }
    }
}
