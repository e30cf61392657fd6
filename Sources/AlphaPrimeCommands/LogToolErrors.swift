import AlphaPrimeSupport
import Foundation

/// What stops `cleanup-logs` or `analyze-logs`; the message names the path.
public enum LogToolError: Error, Equatable, Sendable, CustomStringConvertible, ExitStatusProviding {
    /// The home has no `logs/` directory.
    case noLogsDirectory(path: String)
    /// Another `cleanup-logs` holds the lock file.
    case locked(path: String, holder: String?)
    /// A file in `logs/` cannot be renamed, written or removed.
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .noLogsDirectory(let path): "no logs directory at \(path): nothing has been logged in this home yet"
        case .locked(let path, let holder):
            "another cleanup-logs is running (\(holder.map { "pid \($0), " } ?? "")it holds \(path)); nothing was done, try later"
        case .cannotWrite(let path, let reason): "\(path): cannot write: \(reason)"
        }
    }

    public var exitStatus: ExitStatus {
        switch self {
        case .noLogsDirectory: .noInput
        case .locked: .locked
        case .cannotWrite: .cantCreate
        }
    }

    /// The logs directory of a home, or ``noLogsDirectory(path:)`` when there is none.
    static func requireLogsDirectory(_ home: AlphaPrimeHome) throws -> URL {
        var isDirectory: ObjCBool = false
        let url = home.logsDirectory
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw noLogsDirectory(path: url.path)
        }
        return url
    }
}
