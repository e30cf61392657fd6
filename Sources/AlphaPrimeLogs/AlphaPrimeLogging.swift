import AlphaPrimeSupport
import AlphaPrimeDomain
import Foundation
import Logging
import Synchronization

/// Sets up logging for an executable. Libraries never call this: they take a `Logger`
/// (`Logger(category: .trades)`) and throw their errors.
///
/// ```swift
/// let level = try AlphaPrimeLogging.resolveLevel(flag: common.logLevel?.level)
/// let logging = try AlphaPrimeLogging.bootstrap(home: home, level: level,
///                                               secrets: config.secretValues, console: !common.json)
/// // after the broker login:
/// logging.secrets.add(session.accessToken)
/// ```
public enum AlphaPrimeLogging {
    /// What ``bootstrap(home:level:secrets:console:)`` set up.
    public struct Handle: Sendable {
        public let sink: LogFileSink
        /// Add secrets learnt at run time (the day's access token) here.
        public let secrets: SecretRegistry
        public let level: Logger.Level

        /// A handler writing to the same files, for a `Logger(label:factory:)`.
        public func makeHandler(label: String) -> StructuredLogHandler {
            StructuredLogHandler(label: label, sink: sink, secrets: secrets, level: level)
        }
    }

    private static let installed = Mutex<Handle?>(nil)

    /// Opens `logs/` under `home`, and makes every `Logger` in the process write there through a
    /// ``StructuredLogHandler``. Call once per process, from the executable, before logging.
    ///
    /// - Parameters:
    ///   - level: the lowest level written (see ``resolveLevel(flag:environment:)``).
    ///   - secrets: every configured secret value (keys, secrets, tokens, passwords); they are
    ///     redacted from every line. More can be added later through ``Handle/secrets``.
    ///   - console: also print a readable line per event on standard error (interactive tools).
    /// - Throws: ``LogSetupError`` when the directory or a file cannot be opened, or when logging
    ///   was already set up in this process.
    @discardableResult
    public static func bootstrap(home: AlphaPrimeHome, level: Logger.Level, secrets: [String],
                                 console: Bool = false) throws(LogSetupError) -> Handle {
        try installed.withLock { (current: inout Handle?) throws(LogSetupError) -> Handle in
            guard current == nil else { throw LogSetupError.alreadyBootstrapped }
            let handle = Handle(sink: try LogFileSink(directory: home.logsDirectory, console: console),
                                secrets: SecretRegistry(secrets: secrets), level: level)
            LoggingSystem.bootstrap { label in handle.makeHandler(label: label) }
            current = handle
            return handle
        }
    }

    /// What ``bootstrap(home:level:secrets:console:)`` installed, if it ran.
    public static var current: Handle? { installed.withLock { $0 } }

    // MARK: Levels

    /// A level from text, case-insensitive, with the usual aliases: `warn`, `err`, `crit`, `fatal`.
    public static func parseLevel(_ text: String) -> Logger.Level? {
        let word = text.trimmingCharacters(in: .whitespaces).lowercased()
        if let level = Logger.Level(rawValue: word) { return level }
        switch word {
        case "warn": return .warning
        case "err": return .error
        case "crit", "fatal": return .critical
        default: return nil
        }
    }

    /// The level to log at: the `--log-level` flag, else `LOG_LEVEL`, else `info`.
    /// An empty `LOG_LEVEL` counts as unset; an unknown word is a ``LogSetupError/badLevel(source:value:)``.
    public static func resolveLevel(
        flag: Logger.Level?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(LogSetupError) -> Logger.Level {
        if let flag { return flag }
        guard let text = environment["LOG_LEVEL"], !text.trimmingCharacters(in: .whitespaces).isEmpty else { return .info }
        guard let level = parseLevel(text) else { throw LogSetupError.badLevel(source: "LOG_LEVEL", value: text) }
        return level
    }
}
