import Logging

/// The engine's loggers, one per log category: signals (`strategy`), risk decisions (`risk` →
/// `logs/risk.log`), orders and fills (`trades` → `logs/trades.log`), the engine itself.
public struct EngineLogs: Sendable {
    public var engine: Logger
    public var strategy: Logger
    public var risk: Logger
    public var trades: Logger

    public init(level: Logger.Level = .info) {
        engine = Logger(category: .engine)
        strategy = Logger(category: .strategy)
        risk = Logger(category: .risk)
        trades = Logger(category: .trades)
        for keyPath in [\EngineLogs.engine, \.strategy, \.risk, \.trades] { self[keyPath: keyPath].logLevel = level }
    }

    /// Loggers that drop everything (benchmarks, tests).
    public static var silent: EngineLogs {
        var logs = EngineLogs()
        let quiet = Logger(label: "alpha_prime.engine") { _ in SwiftLogNoOpLogHandler() }
        logs.engine = quiet; logs.strategy = quiet; logs.risk = quiet; logs.trades = quiet
        return logs
    }
}
