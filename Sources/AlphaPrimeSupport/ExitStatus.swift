/// The exit codes every ALPHA-PRIME tool uses (documented in docs/exit-codes.md).
///
/// Runbooks and cron branch on these, so they never change meaning.
public enum ExitStatus: Int32, Sendable, CaseIterable {
    /// Success, or "yes" for a question (is today a trading day?).
    case ok = 0
    /// The run finished and the answer is "no" or a check failed (health-check found a problem).
    case failure = 1
    /// The tool's work is not built yet. It did nothing.
    case notImplemented = 3
    /// Another instance holds the lock (engine already running, a cron job still busy). Try later.
    case locked = 4
    /// A safety gate refused the action (live trading not enabled, kill switch set, no --confirm).
    case refused = 5
    /// A command-line flag or argument is wrong (argument parser's usage error).
    case usage = 64
    /// Input data is wrong: a market-data row, a fixture, a file the tool was told to read.
    case dataError = 65
    /// A file or directory that must exist does not.
    case noInput = 66
    /// A service is unreachable: the database, the broker, the SMTP server.
    case unavailable = 69
    /// An internal error: a bug. The message says where.
    case internalError = 70
    /// A file or directory cannot be written: permission denied, a read-only file system, a full
    /// disk. An environment problem, not a bug.
    case cantCreate = 73
    /// Configuration is wrong: a YAML key, type or value, or a `.env` problem.
    case configError = 78

    public var meaning: String {
        switch self {
        case .ok: "success (or yes)"
        case .failure: "check failed (or no)"
        case .notImplemented: "not built yet; nothing was done"
        case .locked: "another instance holds the lock"
        case .refused: "refused by a safety gate"
        case .usage: "bad flag or argument"
        case .dataError: "bad input data"
        case .noInput: "a required file or directory is missing"
        case .unavailable: "a service is unreachable"
        case .internalError: "internal error"
        case .cantCreate: "a file cannot be written"
        case .configError: "bad configuration"
        }
    }
}

/// An error that knows which exit code it deserves.
public protocol ExitStatusProviding: Error {
    var exitStatus: ExitStatus { get }
}
