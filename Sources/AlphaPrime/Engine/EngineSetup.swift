/// What the engine builds from the configuration: the instruments (symbol ids in
/// `general_config.yaml` order), one strategy instance per enabled strategy and symbol, the risk
/// stage, the paper broker's fill model, and the session rules (square-off, snapshots, kill switch).
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
    public var squareOff: TimeOfDay
    public var snapshotIntervalSeconds: Int64
    public var killSwitch: RiskConfig.KillSwitch

    public init(configuration c: AlphaPrimeConfiguration) throws {
        instruments = c.general.instruments.map {
            Instrument(symbol: $0.symbol, exchange: $0.exchange.rawValue, lotSize: Int64($0.lotSize),
                       tickSize: Int64($0.tickSizePaise), freezeQuantity: Int64($0.freezeQuantity))
        }
        instrumentKinds = c.general.instruments.map { instrument in
            switch instrument.segment {
            case .indices, .equity: .equity
            case .futures: .future
            case .options: .option
            }
        }
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
        risk = RiskManager(config: c.risk, instruments: instruments, session: (normal.open, normal.close))
        product = c.general.trading.defaultProduct
        fillModel = FillModel(slippage: c.broker.paper.slippageTicks > 0 ? .ticks(Int64(c.broker.paper.slippageTicks)) : .none)
        startingCapital = c.general.capital.startingCapital.paise.value
        squareOff = c.risk.timeFilters.squareOffTime
        snapshotIntervalSeconds = Int64(c.general.portfolio.snapshotIntervalSeconds)
        killSwitch = c.risk.killSwitch
    }

    /// The symbol ids some strategy trades, in id order.
    public var tradedSymbols: [SymbolID] { Array(Set(instances.map(\.symbol))).sorted() }

    /// A fresh instance of every strategy (indicators empty).
    public func makeStrategies() throws -> [AnyStrategy] {
        try instances.map { try StrategyRegistry.make($0.setup, symbol: $0.symbol, instrument: instruments[$0.symbol]) }
    }

    /// When intraday positions are squared off in a session (UTC epoch seconds): the configured
    /// time when it falls inside the session, else ten minutes before its close (a Muhurat evening).
    public func squareOffAt(_ session: TradingCalendar.Session) -> Int64 {
        let configured = IST.epochSeconds(date: session.date, time: squareOff)
        if configured > session.openEpochSeconds && configured < session.closeEpochSeconds { return configured }
        return max(session.openEpochSeconds, session.closeEpochSeconds - 600)
    }
}
