import AlphaPrimeSupport
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

/// An exclusive `flock` on a file (created if missing), held until the value goes away or the
/// process ends. The holder's pid is written into the file for the message of the next one.
final class ExclusiveFileLock {
    private let descriptor: Int32

    /// Takes the lock, or throws ``LogToolError/locked(path:holder:)`` when another process holds it.
    init(path: String) throws {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw LogToolError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let busy = errno == EWOULDBLOCK
            let reason = String(cString: strerror(errno))
            close(fd)
            if busy {
                let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
                throw LogToolError.locked(path: path, holder: holder?.isEmpty == false ? holder : nil)
            }
            throw LogToolError.cannotWrite(path: path, reason: "flock: \(reason)")
        }
        descriptor = fd
        let text = "\(getpid())\n"
        _ = ftruncate(fd, 0)
        _ = text.withCString { pwrite(fd, $0, strlen($0), 0) }
    }

    deinit {
        _ = ftruncate(descriptor, 0)
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
