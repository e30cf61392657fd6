#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Writes a file so that it appears whole or not at all: a temporary file in the same directory,
/// fsynced, renamed over the target, then the directory fsynced (DESIGN.md §5).
public enum AtomicFile {
    public struct WriteError: Error, Hashable, Sendable, CustomStringConvertible, ExitStatusProviding {
        public let path: String
        public let reason: String
        /// Writing fails for reasons of the machine (permission, read-only, disk full), not of the code.
        public var exitStatus: ExitStatus { .cantCreate }
        public var description: String { "\(path): cannot write: \(reason)" }

        public init(path: String, reason: String) {
            self.path = path
            self.reason = reason
        }
    }

    /// Writes `bytes` to `url` atomically, creating missing parent directories.
    /// `mode` is the new file's permission bits (0o600 for a file only its owner may read: it is
    /// created so, never readable by others for a moment).
    public static func write(_ bytes: [UInt8], to url: URL, mode: mode_t = 0o644) throws {
        try bytes.withUnsafeBytes { try write(parts: [UnsafeRawBufferPointer($0)], to: url, mode: mode) }
    }

    /// Writes a sequence of byte buffers, one after the other, to `url` atomically.
    public static func write(parts: [UnsafeRawBufferPointer], to url: URL, mode: mode_t = 0o644) throws {
        let path = url.path
        let directory = url.deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw WriteError(path: path, reason: "cannot create directory \(directory): \(error.localizedDescription)")
        }
        let temporary = "\(directory)/.\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw WriteError(path: path, reason: "cannot create \(temporary): \(errnoText())") }
        var committed = false
        defer {
            if !committed { unlink(temporary) }
        }
        do {
            defer { close(fd) }
            for part in parts {
                var offset = 0
                while offset < part.count {
                    let n = systemWrite(fd, part.baseAddress! + offset, part.count - offset)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw WriteError(path: path, reason: errnoText())
                    }
                    offset += n
                }
            }
            guard fsync(fd) == 0 else { throw WriteError(path: path, reason: "fsync: \(errnoText())") }
        }
        guard rename(temporary, path) == 0 else { throw WriteError(path: path, reason: "rename: \(errnoText())") }
        committed = true
        let dfd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 {
            _ = fsync(dfd)
            close(dfd)
        }
    }

    public static func write(_ bytes: UnsafeRawBufferPointer, to url: URL) throws {
        try write(parts: [bytes], to: url)
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }
}

#if canImport(Glibc)
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
private let systemWrite = Darwin.write
#endif
