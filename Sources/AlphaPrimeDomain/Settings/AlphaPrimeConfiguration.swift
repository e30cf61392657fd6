import AlphaPrimeSupport
import Foundation

/// The whole configuration of one home: every file in `config/`, the strategies, and the
/// settings from the environment and `.env`, validated together.
///
/// Plain settings: the configuration adapter (`AlphaPrimeConfig`) reads the YAML files and `.env`
/// into it; the core sees only these types.
///
/// ```swift
/// let config = try AlphaPrimeConfiguration.load(home: home)          // throws ConfigError
/// let hours = config.tradingHours                                    // → TradingCalendar
/// logger.redacting(config.secretValues)                              // never log a secret
/// ```
public struct AlphaPrimeConfiguration: Sendable, Encodable {
    public var home: AlphaPrimeHome
    public var environment: EnvironmentSettings
    public var general: GeneralConfig
    /// `default`, or the preset chosen with `--risk-preset`.
    public var riskPreset: String
    /// The file the risk rules came from, relative to the home.
    public var riskFile: String
    public var risk: RiskConfig
    public var broker: BrokerConfig
    public var tradingHours: TradingHoursConfig
    /// Every file in `config/strategies/`, enabled or not, in file-name order.
    public var strategies: [StrategyConfig]
    /// Things worth telling the trader that did not stop the load (a `.env` others can read).
    public var findings: [ConfigFinding]
    /// The values of every secret (broker keys and tokens, passwords, a URL's password), longest
    /// first, for the logging layer to redact.
    public var secretValues: [String]

    /// The strategies that trade: enabled in their own file and not disabled by the risk preset.
    public var enabledStrategies: [StrategyConfig] { strategies.filter { $0.enabled && !risk.disables(strategy: $0.name) } }

    public func strategy(named name: String) -> StrategyConfig? { strategies.first { $0.name == name } }

    public init(home: AlphaPrimeHome, environment: EnvironmentSettings, general: GeneralConfig, riskPreset: String,
                riskFile: String, risk: RiskConfig, broker: BrokerConfig, tradingHours: TradingHoursConfig,
                strategies: [StrategyConfig], findings: [ConfigFinding], secretValues: [String]) {
        self.home = home; self.environment = environment; self.general = general; self.riskPreset = riskPreset
        self.riskFile = riskFile; self.risk = risk; self.broker = broker; self.tradingHours = tradingHours
        self.strategies = strategies; self.findings = findings; self.secretValues = secretValues
    }

    enum CodingKeys: String, CodingKey {
        case home, environment, general, riskPreset = "risk_preset", riskFile = "risk_file", risk, broker
        case tradingHours = "trading_hours", strategies
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(home.root.path, forKey: .home)
        try c.encode(environment, forKey: .environment)
        try c.encode(general, forKey: .general)
        try c.encode(riskPreset, forKey: .riskPreset)
        try c.encode(riskFile, forKey: .riskFile)
        try c.encode(risk, forKey: .risk)
        try c.encode(broker, forKey: .broker)
        try c.encode(tradingHours, forKey: .tradingHours)
        try c.encode(strategies, forKey: .strategies)
    }
}
