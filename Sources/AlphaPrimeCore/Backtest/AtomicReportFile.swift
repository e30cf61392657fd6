import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import Foundation

/// A report file or directory that could not be written.
public struct BacktestReportError: Error, Sendable, Equatable, CustomStringConvertible, ExitStatusProviding {
    public enum Kind: Sendable, Equatable {
        /// The run id cannot name a directory.
        case invalidRunID
        /// A system call failed on the path (errno).
        case io(operation: String, errno: Int32)
        /// The file's content could not be encoded (JSON).
        case encoding(String)
    }

    public var path: String
    public var kind: Kind

    public var description: String {
        switch kind {
        case .invalidRunID:
            "backtest report: run id '\(path)' cannot name a directory (use letters, digits, '-', '_', '.', '+'; not starting with '.')"
        case let .io(operation, code):
            "backtest report: \(operation) \(path): \(String(cString: strerror(code)))"
        case let .encoding(why):
            "backtest report: \(path) could not be encoded: \(why)"
        }
    }

    /// A bad run id is a usage error; a file the machine does not let be written is 73; content
    /// that cannot be encoded is a bug.
    public var exitStatus: ExitStatus {
        switch kind {
        case .invalidRunID: .usage
        case .io: .cantCreate
        case .encoding: .internalError
        }
    }
}

/// Writes files so that they appear whole or not at all: a temporary name in the same directory,
/// fsync, rename over the final name, fsync of the directory (DESIGN.md §4).
enum AtomicReportFile {
    /// `value` as a report's JSON file: pretty, keys sorted, slashes unescaped, a final newline. A
    /// value that cannot be encoded is a thrown error naming the file, not a crash.
    static func json<T: Encodable>(_ value: T, file: String) throws(BacktestReportError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(value)) + [UInt8(ascii: "\n")]
        } catch {
            throw BacktestReportError(path: file, kind: .encoding("\(error)"))
        }
    }

    static func write(_ bytes: [UInt8], to path: String) throws(BacktestReportError) {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        let temporary = "\(directory)/.\(url.lastPathComponent).tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure("create", temporary) }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { buffer in
                Foundation.write(fd, buffer.baseAddress! + written, buffer.count - written)
            }
            if n < 0 {
                if errno == EINTR { continue }
                let error = failure("write", temporary)
                close(fd); unlink(temporary)
                throw error
            }
            written += n
        }
        if fsync(fd) != 0 {
            let error = failure("fsync", temporary)
            close(fd); unlink(temporary)
            throw error
        }
        if close(fd) != 0 {
            let error = failure("close", temporary)
            unlink(temporary)
            throw error
        }
        if rename(temporary, path) != 0 {
            let error = failure("rename over \(path) from", temporary)
            unlink(temporary)
            throw error
        }
        try syncDirectory(directory)
    }

    static func write(_ text: String, to path: String) throws(BacktestReportError) {
        try write(Array(text.utf8), to: path)
    }

    /// Creates a directory and any missing parents, making each new entry durable in its parent.
    static func makeDirectories(_ path: String) throws(BacktestReportError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw BacktestReportError(path: path, kind: .io(operation: "create directory", errno: ENOTDIR)) }
            return
        }
        let url = URL(fileURLWithPath: path)
        let parent = url.deletingLastPathComponent().path
        if parent != path { try makeDirectories(parent) }
        if mkdir(path, 0o755) != 0 && errno != EEXIST { throw failure("create directory", path) }
        try syncDirectory(parent)
    }

    static func syncDirectory(_ path: String) throws(BacktestReportError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw failure("open directory", path) }
        defer { close(fd) }
        if fsync(fd) != 0 { throw failure("fsync directory", path) }
    }

    private static func failure(_ operation: String, _ path: String) -> BacktestReportError {
        BacktestReportError(path: path, kind: .io(operation: operation, errno: errno))
    }
}
