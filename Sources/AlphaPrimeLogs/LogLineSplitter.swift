import AlphaPrimeSupport
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Cuts a stream of bytes, given in chunks of any size (a file read piece by piece, a decompressed
/// stream), into lines numbered from 1. A `\r` before the newline is dropped; a last line without a
/// newline is a line too.
public struct LogLineSplitter {
    private var pending: [UInt8] = []
    /// The number of the last line handed out.
    public private(set) var lineNumber = 0

    public init() {}

    /// Hands every line completed by `chunk` to `body` with its number.
    public mutating func feed(_ chunk: UnsafeRawBufferPointer, _ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void) rethrows {
        let bytes = chunk.bindMemory(to: UInt8.self)
        guard let base = bytes.baseAddress else { return }
        var start = 0
        while start < bytes.count, let found = memchr(base + start, 10, bytes.count - start) {
            let newline = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            lineNumber += 1
            if pending.isEmpty {
                try emit(UnsafeBufferPointer(rebasing: bytes[start..<newline]), body)
            } else {
                pending.append(contentsOf: bytes[start..<newline])
                try pending.withUnsafeBufferPointer { try emit($0, body) }
                pending.removeAll(keepingCapacity: true)
            }
            start = newline + 1
        }
        if start < bytes.count { pending.append(contentsOf: bytes[start...]) }
    }

    /// Hands out the last line when the stream did not end with a newline.
    public mutating func finish(_ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void) rethrows {
        guard !pending.isEmpty else { return }
        lineNumber += 1
        try pending.withUnsafeBufferPointer { try emit($0, body) }
        pending.removeAll()
    }

    private func emit(_ line: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void) rethrows {
        if let last = line.last, last == 13 {
            try body(UnsafeBufferPointer(rebasing: line.dropLast()), lineNumber)
        } else {
            try body(line, lineNumber)
        }
    }
}

/// Reading a plain log file.
public enum LogFileReader {
    /// A file that cannot be opened or read; the message names it.
    public struct ReadError: Error, Sendable, CustomStringConvertible, ExitStatusProviding {
        public let path: String
        public let reason: String
        public var description: String { "\(path): cannot read: \(reason)" }
        public var exitStatus: ExitStatus { .noInput }
    }

    /// Calls `body` with each chunk of the file, in order.
    public static func readChunks(_ path: String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ReadError(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = read(fd, buffer.baseAddress, buffer.count)
            if n < 0 {
                if errno == EINTR { continue }
                throw ReadError(path: path, reason: String(cString: strerror(errno)))
            }
            if n == 0 { return }
            try body(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
    }

    /// The timestamp (UTC epoch milliseconds) of the file's first line, read from at most its first
    /// 64 KB; nil when the file is empty, unreadable or its first line is not a well-formed log line.
    public static func firstLineTimestamp(_ path: String) -> Int64? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: 65_536), !data.isEmpty else { return nil }
        let bytes = [UInt8](data)
        guard let end = bytes.firstIndex(of: 10) ?? (bytes.count < 65_536 ? bytes.count : nil) else { return nil }
        return bytes[..<end].withUnsafeBufferPointer { LogLineParser.parse($0)?.timestampMilliseconds }
    }
}
