import AlphaPrimeSupport
import AlphaPrimeDomain
import Foundation
import Logging
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The files under `logs/` (``LogFile``) and, optionally, the terminal.
///
/// Each file is opened with `O_APPEND` and each line goes out in a single `write(2)`, so lines
/// from the engine and from cron tools writing the same files at once never interleave
/// mid-line. Inside a process a `Mutex` serialises writers. Files are created `0640` in a
/// directory created if missing.
///
/// Rotation: `cleanup-logs` may rename or delete a file. At most once a second a writer checks
/// that each path still names the file it holds open and, if not, opens the path afresh; lines
/// written in that second land in the renamed file, so rotation should wait a couple of seconds
/// before compressing.
///
/// A failing write cannot throw out of a log call: the first failure is reported once on
/// standard error and counted in ``failedWrites``.
public final class LogFileSink: Sendable {
    public let directory: URL
    /// Whether readable lines are also written to standard error.
    public let console: Bool
    private let clock: @Sendable () -> Int64
    private let state: Mutex<State>

    private struct OpenFile: Sendable {
        var fd: Int32
        var device: UInt64
        var inode: UInt64
    }

    private struct State: Sendable {
        var files: [OpenFile?] = Array(repeating: nil, count: LogFile.allCases.count)
        var lastCheckMilliseconds: Int64 = 0
        var failedWrites = 0
        var reportedFailure = false
    }

    /// Opens (creating if needed) every file in `directory`.
    /// - Parameters:
    ///   - console: also write a readable line per event to standard error.
    ///   - clock: UTC epoch milliseconds; tests pass a fixed clock.
    public init(directory: URL, console: Bool = false,
                clock: @escaping @Sendable () -> Int64 = LogFileSink.systemClock) throws(LogSetupError) {
        self.directory = directory.standardizedFileURL
        self.console = console
        self.clock = clock
        var state = State()
        do {
            try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
        } catch {
            throw LogSetupError.cannotCreateDirectory(path: self.directory.path, reason: "\(error.localizedDescription)")
        }
        for file in LogFile.allCases {
            let path = self.directory.appending(path: file.fileName).path
            switch Self.openFile(path) {
            case .success(let f): state.files[file.rawValue] = f
            case .failure(let reason):
                for case let f? in state.files { _ = systemClose(f.fd) }
                throw LogSetupError.cannotOpen(path: path, reason: reason.message)
            }
        }
        state.lastCheckMilliseconds = clock()
        self.state = Mutex(state)
    }

    deinit {
        state.withLock { s in
            for case let f? in s.files { _ = systemClose(f.fd) }
        }
    }

    /// The current time as UTC epoch milliseconds.
    public static let systemClock: @Sendable () -> Int64 = {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000 + Int64(ts.tv_nsec) / 1_000_000
    }

    public func now() -> Int64 { clock() }

    public func path(of file: LogFile) -> URL { directory.appending(path: file.fileName) }

    /// How many line writes have failed since start.
    public var failedWrites: Int { state.withLock { $0.failedWrites } }

    /// Writes one line (newline included) to each of `files`, and `consoleLine` to standard error
    /// when console output is on.
    public func write(_ line: [UInt8], to files: Set<LogFile>, consoleLine: @autoclosure () -> [UInt8]? = nil) {
        let consoleBytes = console ? consoleLine() : nil
        state.withLock { s in
            let now = clock()
            if now - s.lastCheckMilliseconds >= 1_000 || now < s.lastCheckMilliseconds {
                s.lastCheckMilliseconds = now
                reopenMoved(&s)
            }
            for file in LogFile.allCases where files.contains(file) {
                guard let f = s.files[file.rawValue] else { continue }
                if let failure = Self.writeAll(f.fd, line) {
                    s.failedWrites += 1
                    if !s.reportedFailure {
                        s.reportedFailure = true
                        Self.writeAll(STDERR_FILENO, Array("alpha_prime logging: cannot write \(path(of: file).path): \(failure.message); further failures are counted, not shown\n".utf8))
                    }
                }
            }
            if let consoleBytes { Self.writeAll(STDERR_FILENO, consoleBytes) }
        }
    }

    /// Reopens every path that no longer names the file held open (renamed, deleted, replaced).
    private func reopenMoved(_ s: inout State) {
        for file in LogFile.allCases {
            let filePath = path(of: file).path
            var st = stat()
            let current = s.files[file.rawValue]
            if let current, stat(filePath, &st) == 0, UInt64(st.st_dev) == current.device, UInt64(st.st_ino) == current.inode {
                continue
            }
            if (try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)) == nil { continue }
            if case .success(let fresh) = Self.openFile(filePath) {
                if let current { _ = systemClose(current.fd) }
                s.files[file.rawValue] = fresh
            }
        }
    }

    struct Errno: Error {
        let code: Int32
        var message: String { String(cString: strerror(code)) }
    }

    private static func openFile(_ path: String) -> Result<OpenFile, Errno> {
        let fd = systemOpen(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0 else { return .failure(Errno(code: errno)) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let e = errno
            _ = systemClose(fd)
            return .failure(Errno(code: e))
        }
        return .success(OpenFile(fd: fd, device: UInt64(st.st_dev), inode: UInt64(st.st_ino)))
    }

    /// Writes all bytes, one `write(2)` unless the kernel takes fewer; nil on success.
    @discardableResult
    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Errno? {
        bytes.withUnsafeBytes { buffer -> Errno? in
            var offset = 0
            while offset < buffer.count {
                let n = systemWrite(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return Errno(code: errno)
                }
                offset += n
            }
            return nil
        }
    }
}

/// Logging could not be set up. The message names the path or value that is wrong.
public enum LogSetupError: Error, Equatable, Sendable, CustomStringConvertible, ExitStatusProviding {
    case cannotCreateDirectory(path: String, reason: String)
    case cannotOpen(path: String, reason: String)
    /// `LOG_LEVEL` (or another named source) holds something that is not a level.
    case badLevel(source: String, value: String)
    case alreadyBootstrapped

    public var description: String {
        switch self {
        case .cannotCreateDirectory(let path, let reason): "cannot create the logs directory \(path): \(reason)"
        case .cannotOpen(let path, let reason): "cannot open the log file \(path): \(reason)"
        case .badLevel(let source, let value):
            "\(source)='\(value)' is not a log level; use one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))"
        case .alreadyBootstrapped: "logging was already set up in this process (bootstrap is called once, by the executable)"
        }
    }

    public var exitStatus: ExitStatus {
        switch self {
        case .cannotCreateDirectory, .cannotOpen: .unavailable
        case .badLevel: .configError
        case .alreadyBootstrapped: .internalError
        }
    }
}

// File-scope wrappers: inside `LogFileSink` the names `open` and `write` would find its methods.
private func systemOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 { open(path, flags, mode) }
private func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int { write(fd, bytes, count) }
private func systemClose(_ fd: Int32) -> Int32 { close(fd) }
