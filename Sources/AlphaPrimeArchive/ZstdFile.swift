#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole files in and out of zstd.
public enum ZstdFile {
    /// What ``compress(_:to:level:)`` did.
    public struct Compressed: Sendable, Equatable {
        /// Bytes read from the source (its whole length when it was read).
        public var inputBytes: UInt64
        /// Bytes of the compressed file.
        public var outputBytes: UInt64
    }

    /// Compresses the file at `source` into `destination` so that the destination appears whole or
    /// not at all: the frame is written to a temporary name beside it
    /// (`.<destination name>.<pid>.<random>.tmp`), fsynced, renamed over `destination`, and the
    /// directory fsynced. The source is left as it is.
    public static func compress(_ source: String, to destination: String, level: Int32 = Zstd.defaultLevel) throws -> Compressed {
        let input = try OpenFile(reading: source)
        let slash = destination.lastIndex(of: "/")
        let directory = slash.map { String(destination[..<$0]) } ?? "."
        let name = slash.map { String(destination[destination.index(after: $0)...]) } ?? destination
        let temporary = "\(directory)/.\(name).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        let output = try OpenFile(creatingNew: temporary, mode: 0o640)
        var committed = false
        defer { if !committed { unlink(temporary) } }
        var read: UInt64 = 0
        var written: UInt64 = 0
        let compressor = try ZstdCompressor(level: level) { chunk in
            try output.write(chunk)
            written += UInt64(chunk.count)
        }
        try input.readChunks { chunk in
            read += UInt64(chunk.count)
            try compressor.write(chunk)
        }
        try compressor.finish()
        try output.syncAndClose()
        guard rename(temporary, destination) == 0 else {
            throw ArchiveError.cantWrite(path: destination, reason: "rename: \(OpenFile.text(errno))")
        }
        committed = true
        try OpenFile.syncDirectory(directory)
        return Compressed(inputBytes: read, outputBytes: written)
    }
}
