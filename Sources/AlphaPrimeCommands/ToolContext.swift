import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeCore
import AlphaPrimeStore
import AlphaPrimeConfig
import AlphaPrimeLogs
import AlphaPrimeOps
import AlphaPrimeExecution
import AlphaPrimePaper
import Foundation
import Logging

/// What a tool needs once its flags are parsed: the home, the validated configuration (with `.env`
/// merged into the environment), the trading calendar, a logger writing to `logs/`, and the state
/// database's URL. Loaded once per process by the executable's command.
///
/// A tool that must also run when the configuration is broken (it reports the problem, or needs
/// only part of it) uses ``ToolSetup`` instead.
public struct ToolContext: Sendable {
    public let tool: String
    public let home: AlphaPrimeHome
    public let configuration: AlphaPrimeConfiguration
    public let calendar: TradingCalendar
    public let logger: Logger
    public let databaseURL: DatabaseURL

    /// Loads configuration and calendar, and bootstraps logging (files under `logs/`, secrets
    /// redacted, level from `--log-level`, else LOG_LEVEL, else info).
    ///
    /// - Throws: ``ConfigError`` for any problem in the configuration, ``TradingCalendarError``,
    ///   ``LogSetupError`` when the log files cannot be opened, ``StoreError`` for a bad `DATABASE_URL`.
    public static func load(_ common: CommonOptions, tool: String, riskPreset: String? = nil,
                            environment: [String: String] = ProcessInfo.processInfo.environment,
                            consoleLog: Bool = false) throws -> ToolContext {
        let home = common.resolvedHome
        let configuration = try AlphaPrimeConfiguration.load(home: home, environment: environment, riskPreset: riskPreset)
        let calendar = try TradingCalendar(config: configuration.tradingHours)
        let level = common.logLevel?.level ?? configuration.environment.logLevel
        let logger = try ToolLogging.start(tool: tool, home: home, level: level, secrets: configuration.secretValues,
                                           console: consoleLog)
        let databaseURL = try DatabaseURL.parse(configuration.environment.databaseURL, home: home)
        return ToolContext(tool: tool, home: home, configuration: configuration, calendar: calendar, logger: logger,
                           databaseURL: databaseURL)
    }

    /// Opens the state database and applies nothing: a tool that needs the schema checks migrations.
    public func openDatabase() throws -> any SQLDatabase { try databaseURL.open() }
}

/// What a tool has when it must run even if the configuration is broken: `health-check` reports
/// the problems, `config-check` lists them, `db-maintenance` needs only `DATABASE_URL`, and
/// `trading-calendar` only `config/trading_hours.yaml`.
///
/// Loading never throws. The configuration is loaded and validated as ``ToolContext`` does; when
/// that fails, ``environment`` (the process environment with `.env`) still gives the database URL,
/// the log level and the secrets. Logging is set up either way (see
/// ``ToolLogging/startOrContinue(tool:home:level:secrets:console:)``).
public struct ToolSetup: Sendable {
    public let tool: String
    public let home: AlphaPrimeHome
    public let environment: ToolEnvironment
    /// The validated configuration, or every problem found in it.
    public let configuration: Result<AlphaPrimeConfiguration, ConfigError>
    public let logger: Logger
    /// Why log lines are not written to `logs/`, when they are not.
    public let loggingProblem: String?

    /// - Parameters:
    ///   - riskPreset: `--risk-preset`, as for ``AlphaPrimeConfiguration/load(home:environment:riskPreset:checkAllRiskPresets:)``.
    ///   - checkAllRiskPresets: validate every `risk_config_*.yaml` too (config-check, health-check).
    public static func load(_ common: CommonOptions, tool: String, riskPreset: String? = nil,
                            checkAllRiskPresets: Bool = false,
                            processEnvironment: [String: String] = ProcessInfo.processInfo.environment) -> ToolSetup {
        let home = common.resolvedHome
        let environment = ToolEnvironment(home: home, processEnvironment: processEnvironment)
        let configuration: Result<AlphaPrimeConfiguration, ConfigError>
        do {
            configuration = .success(try AlphaPrimeConfiguration.load(
                home: home, environment: processEnvironment, riskPreset: riskPreset,
                checkAllRiskPresets: checkAllRiskPresets))
        } catch let error as ConfigError {
            configuration = .failure(error)
        } catch {
            configuration = .failure(ConfigError(issues: [ConfigIssue(
                file: "config/", line: nil, keyPath: "",
                message: SecretNames.redact("\(error)", secrets: environment.secretValues))]))
        }
        let loaded = try? configuration.get()
        let level = common.logLevel?.level ?? loaded?.environment.logLevel ?? environment.logLevel ?? .info
        var secrets = Set(environment.secretValues)
        secrets.formUnion(loaded?.secretValues ?? [])
        let (logger, problem) = ToolLogging.startOrContinue(
            tool: tool, home: home, level: level, secrets: secrets.sorted { ($0.count, $0) > ($1.count, $1) })
        return ToolSetup(tool: tool, home: home, environment: environment, configuration: configuration, logger: logger,
                         loggingProblem: problem)
    }

    /// The configuration when it loaded without a problem.
    public var loadedConfiguration: AlphaPrimeConfiguration? { try? configuration.get() }

    /// Every problem in the configuration, when it did not load.
    public var configurationError: ConfigError? {
        if case .failure(let error) = configuration { return error }
        return nil
    }

    /// The state database: `DATABASE_URL` from the configuration's environment (process
    /// environment over `.env`), the same variables when the configuration does not load.
    /// Throws ``StoreError`` (`.invalidURL`, a configuration error) for a URL that is not one.
    public func databaseURL() throws -> DatabaseURL {
        if let configuration = loadedConfiguration {
            return try DatabaseURL.parse(configuration.environment.databaseURL, home: home)
        }
        return try environment.databaseURL()
    }

    /// The trading calendar: from the validated configuration, or, when only other files are
    /// broken, from `config/trading_hours.yaml` alone.
    ///
    /// - Throws: ``ConfigError`` with the problems in `config/trading_hours.yaml` (only those), or
    ///   ``TradingCalendarError``.
    public func tradingCalendar() throws -> TradingCalendar {
        if let configuration = loadedConfiguration { return try TradingCalendar(config: configuration.tradingHours) }
        let file = "config/\(TradingHoursConfig.fileName)"
        if let error = configurationError, error.issues.contains(where: { $0.file == file }) {
            throw ConfigError(issues: error.issues.filter { $0.file == file })
        }
        let hours = try AlphaPrimeConfiguration.loadTradingHours(home: home, environment: environment.variables)
        return try TradingCalendar(config: hours)
    }
}

extension ToolContext {
    /// The India VIX series stored under the home's market data (`INDIAVIX/1d`) when the risk
    /// file's VIX filter is on; nil when it is off or nothing is stored (the filter is then listed
    /// as inactive and filters nothing).
    func indiaVIX() throws -> IndiaVIXSeries? {
        guard configuration.risk.vixFilter.enabled else { return nil }
        return try IndiaVIXSeries.stored(in: MarketDataStore(home: home))
    }

    /// What a run recorded about the VIX filter's series: its dates, or why it had none.
    func indiaVIXDescription(_ series: IndiaVIXSeries?) -> String {
        guard configuration.risk.vixFilter.enabled else { return "not used (vix_filter off)" }
        guard let range = series?.dateRange else { return "none stored (vix_filter inactive)" }
        return "\(range.lowerBound)…\(range.upperBound)"
    }
}
