import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import Foundation

/// ALPHA-PRIME's one bar format on disk:
///
/// ```
/// timestamp,open,high,low,close,volume
/// 2021-02-22T03:45:00Z,15010.25,15044.55,14999.80,15039.20,0
/// ```
///
/// `timestamp` is the bar's **start** as ISO-8601 UTC; prices are rupees with two decimals (exact
/// paise); volume is a whole number. Rows are in strictly increasing time.
///
/// The reader also accepts the same columns with ISO timestamps that carry an offset
/// (`2021-02-22 09:15:00+05:30`), naive timestamps (the zone then comes from
/// ``Options/naiveZone``) and epoch seconds; the first column may be named `timestamp`,
/// `datetime`, `date` or `time`, and `volume` may be missing (read as 0).
public enum CanonicalCSV {
    public static let header = "timestamp,open,high,low,close,volume"

    public struct Options: Hashable, Sendable {
        /// The series' symbol; default: the `<SYMBOL>` folder of the canonical layout, else the file name.
        public var symbol: String?
        /// The bar length; default: the `<timeframe>` folder of the canonical layout, else the most
        /// common step between bars.
        public var timeframe: Timeframe?
        /// The zone of timestamps written without an offset; nil makes such a timestamp an error.
        public var naiveZone: MarketZone?
        /// Round prices finer than a paisa (half away from zero) instead of rejecting them.
        public var roundSubPaisa: Bool

        public init(symbol: String? = nil, timeframe: Timeframe? = nil, naiveZone: MarketZone? = nil,
                    roundSubPaisa: Bool = false) {
            self.symbol = symbol
            self.timeframe = timeframe
            self.naiveZone = naiveZone
            self.roundSubPaisa = roundSubPaisa
        }
    }

    /// Reads a canonical CSV strictly: the first unusable row throws
    /// ``MarketDataError/badRow(file:line:message:)`` naming the file and line — a row that cannot
    /// be read, a price that is not positive or finer than a paisa, high below low, open or close
    /// outside [low, high], negative volume, or a timestamp not after the one before.
    /// Session and calendar checks are ``BarValidator``'s. The file is read in 4 MB pieces, so
    /// memory holds the bars, not the text; a file of 16 MB or more is read on two threads
    /// (``readInTwoParts(path:options:)``) with the same result and the same first error.
    public static func read(url: URL, options: Options = Options()) throws -> BarSeries {
        if let series = try readInTwoParts(path: url.path, options: options) { return series }
        return try scan(path: url.path, options: options, strict: true).bars.series
    }

    public static func read(bytes: [UInt8], file: String, options: Options = Options()) throws -> BarSeries {
        var log = ProblemLog(keepPerKind: 1)
        return try scan(bytes, file: file, options: options, strict: true, log: &log).series
    }

    /// Reads every row it can, recording each unreadable one in `log` (lenient) or throwing at the
    /// first problem (strict). In lenient mode price sanity and order are left to the validator.
    static func scan(_ bytes: [UInt8], file: String, options: Options, strict: Bool,
                     log: inout ProblemLog) throws -> SourcedBars {
        var parser = CanonicalCSVParser(file: file, options: options, strict: strict, sizeHint: bytes.count)
        try bytes.withUnsafeBufferPointer { buffer in
            guard let p = buffer.baseAddress else { return }
            try parser.consume(p, 0, buffer.count, log: &log)
        }
        return try parser.finish()
    }

    /// The same over a file read piece by piece; also returns the FNV-1a 64 of its bytes when asked.
    static func scan(path: String, options: Options, strict: Bool, log: inout ProblemLog,
                     hashing: Bool = false, chunkSize: Int = 4 << 20) throws -> (bars: SourcedBars, checksum: UInt64?) {
        var parser: CanonicalCSVParser?
        let read = try ChunkedFile.forEachLineRegion(path: path, chunkSize: chunkSize, hashing: hashing) { p, start, end, fileSize in
            if parser == nil { parser = CanonicalCSVParser(file: path, options: options, strict: strict, sizeHint: fileSize) }
            try parser!.consume(p, start, end, log: &log)
        }
        // Taken, not copied: a second reference would make finishing copy every column.
        var finished = parser.take() ?? CanonicalCSVParser(file: path, options: options, strict: strict, sizeHint: 0)
        return (try finished.finish(), read.checksum)
    }

    static func scan(path: String, options: Options, strict: Bool, hashing: Bool = false) throws -> (bars: SourcedBars, checksum: UInt64?) {
        var log = ProblemLog(keepPerKind: 1)
        return try scan(path: path, options: options, strict: strict, log: &log, hashing: hashing)
    }

    /// Checks the header row; returns whether it has a volume column.
    static func readHeader(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, file: String, line: Int) throws -> Bool {
        var fields: [Range<Int>] = []
        ByteParsing.splitFields(p, start, end, into: &fields)
        let names = fields.map { ByteParsing.text(p, $0.lowerBound, $0.upperBound).lowercased() }
        let timeNames: Set<String> = ["timestamp", "datetime", "date", "time"]
        let good = (names.count == 5 || names.count == 6) && timeNames.contains(names[0])
            && Array(names[1..<5]) == ["open", "high", "low", "close"] && (names.count == 5 || names[5] == "volume")
        guard good else {
            throw MarketDataError.badRow(file: file, line: line, message: "expected the header \(header), found '\(ByteParsing.text(p, start, end))'")
        }
        return names.count == 6
    }

    /// The symbol and timeframe of a path in the canonical layout `…/<SYMBOL>/<timeframe>/<YYYY>.csv`.
    public static func layoutIdentity(path: String) -> (symbol: String?, timeframe: Timeframe?) {
        let parts = path.split(separator: "/")
        guard parts.count >= 3 else { return (nil, nil) }
        let name = parts[parts.count - 1]
        guard name.hasSuffix(".csv"), name.dropLast(4).count == 4, name.dropLast(4).allSatisfy(\.isNumber),
              let tf = Timeframe(String(parts[parts.count - 2])) else { return (nil, nil) }
        return (String(parts[parts.count - 3]), tf)
    }

    // MARK: Writing

    /// The bytes of a canonical CSV for a series (header included).
    public static func encode(_ series: BarSeries) -> [UInt8] {
        let headerBytes = Array((header + "\n").utf8)
        let capacity = headerBytes.count + series.count * 128
        return [UInt8](unsafeUninitializedCapacity: capacity) { buffer, initialized in
            let out = buffer.baseAddress!
            var k = 0
            for b in headerBytes { out[k] = b; k += 1 }
            for i in 0..<series.count {
                k = UTCText.writeISO(series.time[i], to: out, at: k)
                out[k] = Byte.comma; k += 1
                k = UTCText.writeRupees(series.open[i], to: out, at: k)
                out[k] = Byte.comma; k += 1
                k = UTCText.writeRupees(series.high[i], to: out, at: k)
                out[k] = Byte.comma; k += 1
                k = UTCText.writeRupees(series.low[i], to: out, at: k)
                out[k] = Byte.comma; k += 1
                k = UTCText.writeRupees(series.close[i], to: out, at: k)
                out[k] = Byte.comma; k += 1
                k = UTCText.writeInteger(series.volume[i], to: out, at: k)
                out[k] = Byte.newline; k += 1
            }
            initialized = k
        }
    }

    /// Writes a series as a canonical CSV, atomically (temporary file, fsync, rename, fsync directory).
    public static func write(_ series: BarSeries, to url: URL) throws {
        try AtomicFile.write(encode(series), to: url)
    }
}

/// Bars with the source line each came from, in file order.
struct SourcedBars: Sendable {
    var series: BarSeries
    var lines: [Int32]
}

extension Timeframe {
    /// The most common step between consecutive bar times (looking at up to 20,000 steps):
    /// a day or more reads as daily. Nil for fewer than two bars.
    public static func inferred(from times: [Int64]) -> Timeframe? {
        guard times.count >= 2 else { return nil }
        var tally: [Int64: Int] = [:]
        for i in 1..<min(times.count, 20_001) {
            let d = times[i] - times[i - 1]
            if d > 0 { tally[d >= 86_400 ? 86_400 : d, default: 0] += 1 }
        }
        guard let best = tally.max(by: { ($0.value, -$0.key) < ($1.value, -$1.key) }) else { return nil }
        return Timeframe(seconds: best.key)
    }
}
