import Foundation
import Logging

/// What a tool needs once its flags are parsed: the home, the validated configuration (with `.env`
/// merged into the environment), the trading calendar, a logger writing to `logs/`, and the state
/// database's URL. Loaded once per process by the executable's command.
public struct ToolContext: Sendable {
    public let tool: String
    public let home: AlphaPrimeHome
    public let configuration: AlphaPrimeConfiguration
    public let calendar: TradingCalendar
    public let logger: Logger
    public let databaseURL: DatabaseURL

    /// Loads configuration and calendar, and bootstraps logging (files under `logs/`, secrets
    /// redacted, level from `--log-level`, else LOG_LEVEL, else info).
    public static func load(_ common: CommonOptions, tool: String, riskPreset: String? = nil,
                            environment: [String: String] = ProcessInfo.processInfo.environment,
                            consoleLog: Bool = false) throws -> ToolContext {
        let home = common.resolvedHome
        let configuration = try AlphaPrimeConfiguration.load(home: home, environment: environment, riskPreset: riskPreset)
        let calendar = try TradingCalendar(config: configuration.tradingHours)
        let level = try AlphaPrimeLogging.resolveLevel(
            flag: common.logLevel?.level, environment: ["LOG_LEVEL": configuration.environment.logLevel.rawValue])
        if !LoggingBootstrapState.done.withLock({ $0 }) {
            _ = try AlphaPrimeLogging.bootstrap(home: home, level: level, secrets: configuration.secretValues, console: consoleLog)
            LoggingBootstrapState.done.withLock { $0 = true }
        }
        var logger = Logger(label: "alpha_prime.\(tool)")
        logger.logLevel = level
        let databaseURL = try DatabaseURL.parse(configuration.environment.databaseURL, home: home)
        return ToolContext(tool: tool, home: home, configuration: configuration, calendar: calendar, logger: logger,
                           databaseURL: databaseURL)
    }

    /// Opens the state database and applies nothing: a tool that needs the schema checks migrations.
    public func openDatabase() throws -> any SQLDatabase { try databaseURL.open() }
}

import Synchronization

enum LoggingBootstrapState {
    static let done = Mutex(false)
}
