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
import Synchronization

/// How an executable sets up logging, once per process: one JSON line per event in the home's
/// `logs/` (see ``AlphaPrimeLogging``), secrets redacted, nothing on the terminal unless asked.
///
/// A tool's own events go to the logger this returns (label `alpha_prime.ops.<tool>`, category
/// `ops`); library code logs through the `Logger`s it is given or creates, which write to the
/// same files once this has run. Later calls in the same process only add secrets.
public enum ToolLogging {
    private enum State {
        case notStarted
        /// Lines go to the files of ``AlphaPrimeLogging/current``.
        case files
        /// Lines are dropped (no home to write into, or the files could not be opened).
        case disabled
    }

    private static let state = Mutex(State.notStarted)

    /// The logger of a tool's own events.
    public static func logger(tool: String, level: Logger.Level) -> Logger {
        var logger = Logger(label: "\(LogCategory.labelPrefix).\(LogCategory.ops.rawValue).\(tool)")
        logger.logLevel = level
        return logger
    }

    /// Sets up file logging under `home`, or, when it already ran, adds `secrets` to it.
    ///
    /// - Throws: ``LogSetupError`` when `logs/` or a file in it cannot be opened; logging is then
    ///   left unset, and the caller decides whether the tool can go on.
    public static func start(tool: String, home: AlphaPrimeHome, level: Logger.Level, secrets: [String],
                             console: Bool = false) throws(LogSetupError) -> Logger {
        try state.withLock { (state: inout State) throws(LogSetupError) in
            switch state {
            case .notStarted:
                if let handle = AlphaPrimeLogging.current {
                    for secret in secrets { handle.secrets.add(secret) }
                } else {
                    _ = try AlphaPrimeLogging.bootstrap(home: home, level: level, secrets: secrets, console: console)
                }
                state = .files
            case .files:
                if let handle = AlphaPrimeLogging.current { for secret in secrets { handle.secrets.add(secret) } }
            case .disabled:
                break
            }
        }
        return logger(tool: tool, level: level)
    }

    /// Like ``start(tool:home:level:secrets:console:)``, for tools that must run whatever
    /// happens to their log files (health-check, db-maintenance, config-check, trading-calendar).
    ///
    /// A home without `config/` gets no `logs/` (the tool is about to say the home is wrong).
    /// When the files cannot be opened, one warning goes to standard error and the tool goes on
    /// with its events dropped — never printed unredacted to the terminal.
    ///
    /// - Returns: the tool's logger, and why lines are not being written to `logs/`, if they are not.
    public static func startOrContinue(tool: String, home: AlphaPrimeHome, level: Logger.Level, secrets: [String],
                                       console: Bool = false) -> (logger: Logger, problem: String?) {
        guard FileManager.default.fileExists(atPath: home.configDirectory.path) else {
            disable()
            return (logger(tool: tool, level: level), "no config/ directory in \(home.root.path)")
        }
        do {
            return (try start(tool: tool, home: home, level: level, secrets: secrets, console: console), nil)
        } catch {
            disable()
            let problem = "\(error)"
            FileHandle.standardError.write(Data("\(tool): warning: not writing log files: \(problem)\n".utf8))
            return (logger(tool: tool, level: level), problem)
        }
    }

    /// Drops every log line from now on, unless logging was already set up. Without this, swift-log's
    /// default handler would print library events (unredacted) on standard error.
    static func disable() {
        state.withLock { state in
            guard case .notStarted = state, AlphaPrimeLogging.current == nil else { return }
            LoggingSystem.bootstrap { _ in SwiftLogNoOpLogHandler() }
            state = .disabled
        }
    }
}
