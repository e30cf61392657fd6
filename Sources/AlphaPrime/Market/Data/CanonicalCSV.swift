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
    /// Session and calendar checks are ``BarValidator``'s.
    public static func read(url: URL, options: Options = Options()) throws -> BarSeries {
        let bytes = try FileBytes.read(url.path)
        return try read(bytes: bytes, file: url.path, options: options)
    }

    public static func read(bytes: [UInt8], file: String, options: Options = Options()) throws -> BarSeries {
        var log = ProblemLog(keepPerKind: 1)
        return try scan(bytes, file: file, options: options, strict: true, log: &log).series
    }

    /// Reads every row it can, recording each unreadable one in `log` (lenient) or throwing at the
    /// first problem (strict). In lenient mode price sanity and order are left to the validator.
    static func scan(_ bytes: [UInt8], file: String, options: Options, strict: Bool,
                     log: inout ProblemLog) throws -> SourcedBars {
        let identity = layoutIdentity(path: file)
        let symbol = options.symbol ?? identity.symbol ?? URL(filePath: file).deletingPathExtension().lastPathComponent
        var series = BarSeries(symbol: symbol, timeframeSeconds: 60, capacity: bytes.count / 44 + 1)
        var lines: [Int32] = []
        lines.reserveCapacity(bytes.count / 44 + 1)

        try bytes.withUnsafeBufferPointer { buffer in
            guard let p = buffer.baseAddress, buffer.count > 0 else {
                throw MarketDataError.badFile(file: file, message: "empty file: expected the header \(header)")
            }
            let n = buffer.count
            var pos = ByteParsing.bodyStart(p, n)
            var lineNo = 0
            var hasVolume = true
            var sawHeader = false
            let naiveOffset = options.naiveZone?.offsetSeconds
            var previous = Int64.min

            func fail(_ kind: DataProblemKind, _ line: Int, _ message: @autoclosure () -> String) throws {
                if strict { throw MarketDataError.badRow(file: file, line: line, message: message()) }
                log.record(kind, file: file, line: line, message())
            }

            while pos < n {
                let e = ByteParsing.lineEnd(p, pos, n)
                lineNo += 1
                var le = e
                while le > pos && Byte.isSpace(p[le - 1]) { le -= 1 }
                let ls = pos
                pos = e + 1
                if le == ls { continue }

                if !sawHeader {
                    sawHeader = true
                    hasVolume = try readHeader(p, ls, le, file: file, line: lineNo)
                    continue
                }

                // Fields: time, open, high, low, close[, volume]; nothing after.
                var i = ls
                var ok = true
                var fields: (Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
                var found = 0
                withUnsafeMutableBytes(of: &fields) { raw in
                    let f = raw.bindMemory(to: Int.self)
                    while found < 6 {
                        var s = i
                        while s < le && p[s] == Byte.space { s += 1 }
                        var c = s
                        while c < le && p[c] != Byte.comma { c += 1 }
                        var fe = c
                        while fe > s && p[fe - 1] == Byte.space { fe -= 1 }
                        f[found * 2] = s
                        f[found * 2 + 1] = fe
                        found += 1
                        if c >= le { i = le; break }
                        i = c + 1
                        if found == 6 { ok = false }  // a seventh field
                    }
                }
                let expected = hasVolume ? 6 : 5
                guard ok, found == expected else {
                    try fail(.unparsable, lineNo, "expected \(expected) fields (\(hasVolume ? header : "timestamp,open,high,low,close")), found \(ok ? found : 7)\(found > 6 || !ok ? " or more" : ""): \(ByteParsing.text(p, ls, le))")
                    continue
                }

                guard let stamp = ByteParsing.stamp(p, fields.0, fields.1) else {
                    try fail(.unparsable, lineNo, "timestamp '\(ByteParsing.text(p, fields.0, fields.1))' is not ISO-8601 or epoch seconds")
                    continue
                }
                var time = stamp.seconds
                switch stamp.kind {
                case .absolute: break
                case .naive:
                    guard let naiveOffset else {
                        throw MarketDataError.ambiguous(file: file, message: "line \(lineNo): timestamp '\(ByteParsing.text(p, fields.0, fields.1))' has no zone: say which with --zone ist or --zone utc")
                    }
                    time -= naiveOffset
                case .dateOnly:
                    try fail(.unparsable, lineNo, "timestamp '\(ByteParsing.text(p, fields.0, fields.1))' is a date without a time; canonical rows carry the bar's start time")
                    continue
                }

                var rounded = false
                guard let o = ByteParsing.paise(p, fields.2, fields.3, rounded: &rounded),
                      let h = ByteParsing.paise(p, fields.4, fields.5, rounded: &rounded),
                      let l = ByteParsing.paise(p, fields.6, fields.7, rounded: &rounded),
                      let c = ByteParsing.paise(p, fields.8, fields.9, rounded: &rounded) else {
                    try fail(.unparsable, lineNo, "a price is not a decimal number: \(ByteParsing.text(p, ls, le))")
                    continue
                }
                if rounded && !options.roundSubPaisa {
                    try fail(.subPaisaPrice, lineNo, "a price has more than two decimals (finer than a paisa): \(ByteParsing.text(p, ls, le))")
                    continue
                }
                var v: Int64 = 0
                if hasVolume {
                    guard let volume = ByteParsing.count(p, fields.10, fields.11) else {
                        try fail(.unparsable, lineNo, "volume '\(ByteParsing.text(p, fields.10, fields.11))' is not a whole number")
                        continue
                    }
                    v = volume
                }
                if strict {
                    if let problem = BarChecks.firstProblem(open: o, high: h, low: l, close: c, volume: v) {
                        throw MarketDataError.badRow(file: file, line: lineNo, message: problem.message)
                    }
                    if time <= previous {
                        throw MarketDataError.badRow(file: file, line: lineNo, message: time == previous
                            ? "timestamp \(UTCText.iso(time)) repeats the row before"
                            : "timestamp \(UTCText.iso(time)) is earlier than the row before (\(UTCText.iso(previous)))")
                    }
                    previous = time
                }
                series.time.append(time)
                series.open.append(o)
                series.high.append(h)
                series.low.append(l)
                series.close.append(c)
                series.volume.append(v)
                lines.append(Int32(truncatingIfNeeded: lineNo))
            }
            if !sawHeader {
                throw MarketDataError.badFile(file: file, message: "empty file: expected the header \(header)")
            }
        }
        series.timeframeSeconds = (options.timeframe ?? identity.timeframe ?? Timeframe.inferred(from: series.time) ?? .oneMinute).seconds
        return SourcedBars(series: series, lines: lines)
    }

    /// Checks the header row; returns whether it has a volume column.
    private static func readHeader(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, file: String, line: Int) throws -> Bool {
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
