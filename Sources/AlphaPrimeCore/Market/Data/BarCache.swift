#if canImport(Glibc)
import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A binary copy of a canonical CSV, so repeated loads skip parsing: a read straight into the six
/// column arrays.
///
/// Layout of `<directory>/<key>.bars` (little-endian, 8-byte aligned):
///
/// | offset | field |
/// |---:|---|
/// | 0 | magic `APBARS\0\0` |
/// | 8 | `UInt32` format version (1), `UInt32` header length in bytes |
/// | 16 | `Int64` bar count, `Int64` timeframe seconds |
/// | 32 | source file: `Int64` size, `Int64` modification time (ns), `UInt64` FNV-1a 64 of its bytes |
/// | 56 | `UInt64` FNV-1a 64 of the read options, `UInt32` symbol length, `UInt32` 0 |
/// | 72 | symbol (UTF-8), zero-padded to 8 bytes |
/// | header | `time`, `open`, `high`, `low`, `close`, `volume`: `count` × `Int64` each |
///
/// `<key>` is the FNV-1a 64 of the source's absolute path and the read options, so each source has
/// one entry. An entry is used when its magic, version and length are right and the source has the
/// recorded size and modification time; if only the time differs, the source's checksum decides
/// (a touched but unchanged file keeps its cache). Anything else rebuilds the entry from the CSV,
/// written atomically. Deleting the directory is always safe.
public struct BarCache: Sendable {
    public let directory: URL

    public static let magic: [UInt8] = Array("APBARS".utf8) + [0, 0]
    public static let version: UInt32 = 1
    static let fixedHeaderBytes = 72

    /// How a load was served, for tests and `--log-level debug`.
    public enum Outcome: Hashable, Sendable {
        case hit
        /// The source was touched but its bytes are unchanged.
        case hitAfterChecksum
        /// Built from the CSV; the reason says why the entry was not usable.
        case rebuilt(reason: String)
    }

    public init(directory: URL) { self.directory = directory }

    public init(home: AlphaPrimeHome) {
        self.directory = home.varDirectory.appending(path: "cache/market_data", directoryHint: .isDirectory)
    }

    /// Loads a canonical CSV through the cache (see ``CanonicalCSV/read(url:options:)``).
    public func load(csv url: URL, options: CanonicalCSV.Options = CanonicalCSV.Options()) throws -> BarSeries {
        try loadReporting(csv: url, options: options).series
    }

    public func loadReporting(csv url: URL, options: CanonicalCSV.Options = CanonicalCSV.Options()) throws -> (series: BarSeries, outcome: Outcome) {
        let source = url.standardizedFileURL.path
        guard let status = FileBytes.status(source) else {
            throw MarketDataError.missingFile(path: source, reason: String(cString: strerror(errno)))
        }
        let optionsKey = Self.optionsKey(options)
        let entry = entryURL(source: source, optionsKey: optionsKey)
        var reason = "no cache entry"
        var checksum: UInt64?
        if let header = readHeader(entry.path, reason: &reason) {
            if header.optionsKey != optionsKey {
                reason = "read options differ"
            } else if header.sourceSize == status.size && header.sourceModified == status.modifiedNanoseconds {
                if let series = readColumns(entry.path, header, reason: &reason) { return (series, .hit) }
            } else if header.sourceSize == status.size {
                let sum = try FNV1a64.hash(file: source)
                checksum = sum
                if sum == header.sourceChecksum, let series = readColumns(entry.path, header, reason: &reason) {
                    try? write(series, to: entry, source: status, checksum: sum, optionsKey: optionsKey)
                    return (series, .hitAfterChecksum)
                }
                reason = "source changed (checksum differs)"
            } else {
                reason = "source changed (size \(header.sourceSize) → \(status.size) bytes)"
            }
        }
        let scanned = try CanonicalCSV.scan(path: source, options: options, strict: true, hashing: checksum == nil)
        let series = scanned.bars.series
        try write(series, to: entry, source: status, checksum: checksum ?? scanned.checksum!, optionsKey: optionsKey)
        return (series, .rebuilt(reason: reason))
    }

    /// The cache entry of a source file read with some options.
    public func entryURL(for source: URL, options: CanonicalCSV.Options = CanonicalCSV.Options()) -> URL {
        entryURL(source: source.standardizedFileURL.path, optionsKey: Self.optionsKey(options))
    }

    private func entryURL(source: String, optionsKey: UInt64) -> URL {
        let key = FNV1a64.hash(source, seed: optionsKey)
        let hex = String(key, radix: 16)
        return directory.appending(path: String(repeating: "0", count: 16 - hex.count) + hex + ".bars")
    }

    static func optionsKey(_ o: CanonicalCSV.Options) -> UInt64 {
        FNV1a64.hash("v\(version)|\(o.symbol ?? "-")|\(o.timeframe?.description ?? "-")|\(o.naiveZone?.rawValue ?? "-")|\(o.roundSubPaisa)")
    }

    // MARK: Format

    struct Header {
        var count: Int
        var timeframeSeconds: Int64
        var sourceSize: Int64
        var sourceModified: Int64
        var sourceChecksum: UInt64
        var optionsKey: UInt64
        var symbol: String
        var headerBytes: Int
    }

    private func readHeader(_ path: String, reason: inout String) -> Header? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { reason = "cache entry unreadable"; return nil }
        var fixed = [UInt8](repeating: 0, count: Self.fixedHeaderBytes)
        guard fixed.withUnsafeMutableBytes({ FileBytes.pread(fd, into: $0.baseAddress!, count: Self.fixedHeaderBytes, at: 0) }) else {
            reason = "cache entry too short"; return nil
        }
        guard Array(fixed[0..<8]) == Self.magic else { reason = "cache entry has a wrong magic number"; return nil }
        func u32(_ at: Int) -> UInt32 { fixed.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: at, as: UInt32.self) } }
        func i64(_ at: Int) -> Int64 { fixed.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: at, as: Int64.self) } }
        guard u32(8) == Self.version else { reason = "cache entry is format version \(u32(8)), not \(Self.version)"; return nil }
        let headerBytes = Int(u32(12))
        let count = i64(16)
        let symbolLength = Int(u32(64))
        guard count >= 0, symbolLength <= 256, headerBytes == Self.fixedHeaderBytes + (symbolLength + 7) / 8 * 8,
              Int64(st.st_size) == Int64(headerBytes) + count * 48 else {
            reason = "cache entry length does not match its header"; return nil
        }
        var symbolBytes = [UInt8](repeating: 0, count: symbolLength)
        if symbolLength > 0 {
            guard symbolBytes.withUnsafeMutableBytes({ FileBytes.pread(fd, into: $0.baseAddress!, count: symbolLength, at: Int64(Self.fixedHeaderBytes)) }) else {
                reason = "cache entry too short"; return nil
            }
        }
        return Header(count: Int(count), timeframeSeconds: i64(24), sourceSize: i64(32), sourceModified: i64(40),
                      sourceChecksum: UInt64(bitPattern: i64(48)), optionsKey: UInt64(bitPattern: i64(56)),
                      symbol: String(decoding: symbolBytes, as: UTF8.self), headerBytes: headerBytes)
    }

    /// The six columns, each read straight into its array.
    private func readColumns(_ path: String, _ header: Header, reason: inout String) -> BarSeries? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { reason = "cache entry unreadable"; return nil }
        defer { close(fd) }
        let count = header.count
        var ok = true
        func column(_ k: Int) -> [Int64] {
            [Int64](unsafeUninitializedCapacity: count) { buffer, initialized in
                if count > 0 {
                    FileBytes.adviseHugePages(UnsafeMutableRawPointer(buffer.baseAddress!), bytes: count * 8)
                    ok = ok && FileBytes.pread(fd, into: UnsafeMutableRawPointer(buffer.baseAddress!), count: count * 8,
                                               at: Int64(header.headerBytes + k * count * 8))
                }
                initialized = ok ? count : 0
            }
        }
        var series = BarSeries(symbol: header.symbol, timeframeSeconds: header.timeframeSeconds)
        series.time = column(0); series.open = column(1); series.high = column(2)
        series.low = column(3); series.close = column(4); series.volume = column(5)
        guard ok else { reason = "cache entry too short"; return nil }
        return series
    }

    private func write(_ series: BarSeries, to url: URL, source: FileBytes.Status, checksum: UInt64, optionsKey: UInt64) throws {
        let symbol = Array(series.symbol.utf8.prefix(256))
        let headerBytes = Self.fixedHeaderBytes + (symbol.count + 7) / 8 * 8
        var header = [UInt8](repeating: 0, count: headerBytes)
        header.withUnsafeMutableBytes { h in
            for (i, b) in Self.magic.enumerated() { h[i] = b }
            h.storeBytes(of: Self.version.littleEndian, toByteOffset: 8, as: UInt32.self)
            h.storeBytes(of: UInt32(headerBytes).littleEndian, toByteOffset: 12, as: UInt32.self)
            h.storeBytes(of: Int64(series.count).littleEndian, toByteOffset: 16, as: Int64.self)
            h.storeBytes(of: series.timeframeSeconds.littleEndian, toByteOffset: 24, as: Int64.self)
            h.storeBytes(of: source.size.littleEndian, toByteOffset: 32, as: Int64.self)
            h.storeBytes(of: source.modifiedNanoseconds.littleEndian, toByteOffset: 40, as: Int64.self)
            h.storeBytes(of: checksum.littleEndian, toByteOffset: 48, as: UInt64.self)
            h.storeBytes(of: optionsKey.littleEndian, toByteOffset: 56, as: UInt64.self)
            h.storeBytes(of: UInt32(symbol.count).littleEndian, toByteOffset: 64, as: UInt32.self)
            for (i, b) in symbol.enumerated() { h[Self.fixedHeaderBytes + i] = b }
        }
        try header.withUnsafeBytes { h in
            try series.time.withUnsafeBytes { t in
                try series.open.withUnsafeBytes { o in
                    try series.high.withUnsafeBytes { hi in
                        try series.low.withUnsafeBytes { l in
                            try series.close.withUnsafeBytes { c in
                                try series.volume.withUnsafeBytes { v in
                                    try AtomicFile.write(parts: [h, t, o, hi, l, c, v], to: url)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
