#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AlphaPrimeSupport
import Foundation

/// Encodes one table's rows in the ``ExportFormat``, keeping their count and SHA-256 and, when it
/// has a file, writing them there through a 1 MiB buffer (a table never sits in memory whole).
final class TableEncoder {
    private static let flushSize = 1 << 20
    private var buffer: [UInt8] = []
    private var hasher = SHA256()
    private(set) var rowCount = 0
    private var descriptor: Int32 = -1
    private let path: String?

    /// `url` nil: only count and hash. Otherwise the file is created (replacing one already there),
    /// readable by its owner only: it holds the trading state.
    init(table: String, columns: [String], writingTo url: URL?) throws {
        path = url?.path
        if let path {
            descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else {
                throw StateExportError(.cannotWrite, table: table, file: url?.lastPathComponent,
                                       message: "cannot create \(path): \(String(cString: strerror(errno)))")
            }
        }
        buffer.reserveCapacity(Self.flushSize + 4096)
        ExportFormat.appendHeader(columns, to: &buffer)
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    func add(_ values: [SQLValue]) throws {
        ExportFormat.appendRow(values, to: &buffer)
        rowCount += 1
        if buffer.count >= Self.flushSize { try flush() }
    }

    /// Writes what is left, makes the file durable and returns the SHA-256 of everything encoded.
    func finish() throws -> String {
        try flush()
        if descriptor >= 0 {
            let synced = fsync(descriptor) == 0
            let closed = close(descriptor) == 0
            descriptor = -1
            guard synced, closed else { throw writeError() }
        }
        return SHA256.hexString(hasher.finalize())
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        hasher.update(buffer)
        if descriptor >= 0 {
            try buffer.withUnsafeBytes { bytes in
                var offset = 0
                while offset < bytes.count {
                    let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                    if written < 0, errno == EINTR { continue }
                    guard written > 0 else { throw writeError() }
                    offset += written
                }
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeError() -> StateExportError {
        let file = path.map { URL(filePath: $0).lastPathComponent }
        return StateExportError(.cannotWrite, file: file, message: "cannot write \(path ?? "?"): \(String(cString: strerror(errno)))")
    }
}

/// Reads a table file line by line through a 1 MiB buffer, hashing every byte it reads.
final class TableFileReader {
    private static let chunkSize = 1 << 20
    let file: String
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    /// Where `read` puts the bytes, allocated once.
    private var chunk = [UInt8](repeating: 0, count: TableFileReader.chunkSize)
    private var start = 0
    private var scanned = 0
    private var atEnd = false
    private var hasher = SHA256()
    /// The number of the line `nextLine()` returned last (1 for the header).
    private(set) var lineNumber = 0

    init(directory: URL, file: String, table: String) throws {
        self.file = file
        let path = directory.appending(path: file).path
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw StateExportError(.unreadable, table: table, file: file, message: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
    }

    deinit { close(descriptor) }

    /// The next line without its `\n`, or nil at the end of the file.
    func nextLine() throws -> ArraySlice<UInt8>? {
        while true {
            if let end = nextNewline() {
                let line = buffer[start..<end]
                start = end + 1
                scanned = start
                lineNumber += 1
                return line
            }
            scanned = buffer.count
            if atEnd {
                guard start == buffer.count else {
                    throw StateExportError(.malformed, file: file, line: lineNumber + 1, message: "the file ends in the middle of a line")
                }
                return nil
            }
            try refill()
        }
    }

    /// The SHA-256 of the whole file; call after `nextLine()` returned nil.
    func digest() -> String { SHA256.hexString(hasher.finalize()) }

    /// The index of the first `\n` at or after `scanned`.
    private func nextNewline() -> Int? {
        guard scanned < buffer.count else { return nil }
        return buffer.withUnsafeBytes { bytes in
            memchr(bytes.baseAddress! + scanned, Int32(ExportFormat.newline), bytes.count - scanned)
                .map { bytes.baseAddress!.distance(to: UnsafeRawPointer($0)) }
        }
    }

    private func refill() throws {
        buffer.removeSubrange(0..<start)
        scanned -= start
        start = 0
        var count = -1
        while count < 0 {
            count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
            if count < 0, errno != EINTR {
                throw StateExportError(.unreadable, file: file, message: "cannot read: \(String(cString: strerror(errno)))")
            }
        }
        if count == 0 {
            atEnd = true
        } else {
            let bytes = Array(chunk[0..<count])
            hasher.update(bytes)
            buffer.append(contentsOf: bytes)
        }
    }
}
