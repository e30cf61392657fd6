import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import Foundation

/// Reads canonical CSV lines as they arrive (one buffer, or a file piece by piece) into columns.
struct CanonicalCSVParser {
    let file: String
    let options: CanonicalCSV.Options
    let strict: Bool
    private let sizeHint: Int
    private let naiveOffset: Int64?
    private var series: BarSeries
    private var lines: [Int32] = []
    private var lineNo = 0
    private var sawHeader = false
    private var hasVolume = true
    private var previous = Int64.min
    private var reserved = false

    init(file: String, options: CanonicalCSV.Options, strict: Bool, sizeHint: Int) {
        self.file = file
        self.options = options
        self.strict = strict
        self.sizeHint = sizeHint
        self.naiveOffset = options.naiveZone?.offsetSeconds
        let identity = CanonicalCSV.layoutIdentity(path: file)
        let symbol = options.symbol ?? identity.symbol ?? URL(filePath: file).deletingPathExtension().lastPathComponent
        self.series = BarSeries(symbol: symbol, timeframeSeconds: (options.timeframe ?? identity.timeframe)?.seconds ?? 0)
    }

    /// Reserves room for the whole file from the length of the lines seen first.
    private mutating func reserve(lineBytes: Int, lineCount: Int) {
        reserved = true
        guard lineCount > 0 else { return }
        let estimate = Int(Double(sizeHint) / (Double(lineBytes) / Double(lineCount)) * 1.02) + 16
        series.reserveCapacity(estimate)
        lines.reserveCapacity(estimate)
    }

    private func fail(_ kind: DataProblemKind, _ line: Int, _ log: inout ProblemLog,
                               _ message: @autoclosure () -> String) throws {
        if strict { throw MarketDataError.badRow(file: file, line: line, message: message()) }
        log.record(kind, file: file, line: line, message())
    }

    /// One cell: its trimmed range and where the next one starts (past `end` when it was the last).
    @inline(__always)
    private static func cell(_ p: UnsafePointer<UInt8>, _ from: Int, _ end: Int) -> (Int, Int, Int) {
        var s = from
        while s < end && p[s] == Byte.space { s += 1 }
        var c = s
        while c < end && p[c] != Byte.comma { c += 1 }
        var e = c
        while e > s && p[e - 1] == Byte.space { e -= 1 }
        return (s, e, c + 1)
    }

    /// Reads the whole lines in `[start, end)`; the region ends at a line end or at the end of the file.
    mutating func consume(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, log: inout ProblemLog) throws {
        var pos = start
        if lineNo == 0 { pos += ByteParsing.bodyStart(p + start, end - start) }
        if !reserved {
            // Sample the first lines (up to 64 kB) for the bytes per row.
            var q = pos, count = 0
            while q < end && q - pos < 65_536 { q = ByteParsing.lineEnd(p, q, end) + 1; count += 1 }
            reserve(lineBytes: q - pos, lineCount: count)
        }
        while pos < end {
            let e = ByteParsing.lineEnd(p, pos, end)
            lineNo += 1
            var le = e
            while le > pos && Byte.isSpace(p[le - 1]) { le -= 1 }
            let ls = pos
            pos = e + 1
            if le == ls { continue }
            if !sawHeader {
                sawHeader = true
                hasVolume = try CanonicalCSV.readHeader(p, ls, le, file: file, line: lineNo)
                continue
            }
            try row(p, ls, le, log: &log)
        }
    }

    @inline(__always)
    private mutating func row(_ p: UnsafePointer<UInt8>, _ ls: Int, _ le: Int, log: inout ProblemLog) throws {
        let line = lineNo
        let expected = hasVolume ? 6 : 5
        // time, open, high, low, close[, volume]; nothing after.
        let t = Self.cell(p, ls, le)
        let o = Self.cell(p, t.2, le)
        let h = Self.cell(p, o.2, le)
        let l = Self.cell(p, h.2, le)
        let c = Self.cell(p, l.2, le)
        let v = hasVolume ? Self.cell(p, c.2, le) : c
        guard c.2 <= le + 1, v.2 == le + 1, t.2 <= le, o.2 <= le, h.2 <= le, l.2 <= le, !hasVolume || c.2 <= le else {
            let found = 1 + (ls..<le).reduce(0) { $0 + (p[$1] == Byte.comma ? 1 : 0) }
            try fail(.unparsable, line, &log, "expected \(expected) fields (\(hasVolume ? CanonicalCSV.header : "timestamp,open,high,low,close")), found \(found): \(ByteParsing.text(p, ls, le))")
            return
        }
        guard let stamp = ByteParsing.stamp(p, t.0, t.1) else {
            try fail(.unparsable, line, &log, "timestamp '\(ByteParsing.text(p, t.0, t.1))' is not ISO-8601 or epoch seconds")
            return
        }
        var time = stamp.seconds
        switch stamp.kind {
        case .absolute: break
        case .naive:
            guard let naiveOffset else {
                throw MarketDataError.ambiguous(file: file, message: "line \(line): timestamp '\(ByteParsing.text(p, t.0, t.1))' has no zone: say which with --zone ist or --zone utc")
            }
            time -= naiveOffset
        case .dateOnly:
            try fail(.unparsable, line, &log, "timestamp '\(ByteParsing.text(p, t.0, t.1))' is a date without a time; canonical rows carry the bar's start time")
            return
        }
        var rounded = false
        guard let open = ByteParsing.paise(p, o.0, o.1, rounded: &rounded),
              let high = ByteParsing.paise(p, h.0, h.1, rounded: &rounded),
              let low = ByteParsing.paise(p, l.0, l.1, rounded: &rounded),
              let close = ByteParsing.paise(p, c.0, c.1, rounded: &rounded) else {
            try fail(.unparsable, line, &log, "a price is not a decimal number: \(ByteParsing.text(p, ls, le))")
            return
        }
        if rounded && !options.roundSubPaisa {
            try fail(.subPaisaPrice, line, &log, "a price has more than two decimals (finer than a paisa): \(ByteParsing.text(p, ls, le))")
            return
        }
        var volume: Int64 = 0
        if hasVolume {
            guard let parsed = ByteParsing.count(p, v.0, v.1) else {
                try fail(.unparsable, line, &log, "volume '\(ByteParsing.text(p, v.0, v.1))' is not a whole number")
                return
            }
            volume = parsed
        }
        if strict {
            if let problem = BarChecks.firstProblem(open: open, high: high, low: low, close: close, volume: volume) {
                throw MarketDataError.badRow(file: file, line: line, message: problem.message)
            }
            if time <= previous {
                throw MarketDataError.badRow(file: file, line: line, message: time == previous
                    ? "timestamp \(UTCText.iso(time)) repeats the row before"
                    : "timestamp \(UTCText.iso(time)) is earlier than the row before (\(UTCText.iso(previous)))")
            }
            previous = time
        }
        series.time.append(time)
        series.open.append(open)
        series.high.append(high)
        series.low.append(low)
        series.close.append(close)
        series.volume.append(volume)
        lines.append(Int32(truncatingIfNeeded: line))
    }

    /// The bars read, with the timeframe from the options, the layout or the data.
    mutating func finish() throws -> SourcedBars {
        guard sawHeader else {
            throw MarketDataError.badFile(file: file, message: "empty file: expected the header \(CanonicalCSV.header)")
        }
        if series.timeframeSeconds == 0 {
            series.timeframeSeconds = (Timeframe.inferred(from: series.time) ?? .oneMinute).seconds
        }
        return SourcedBars(series: series, lines: lines)
    }
}

/// A file read in pieces that end at line ends.
enum ChunkedFile {
    /// Calls `body(p, start, end, fileSize)` for consecutive regions of whole lines (the last may end
    /// without a newline), reading `chunkSize` bytes at a time; optionally hashes the bytes (FNV-1a 64).
    @discardableResult
    static func forEachLineRegion(path: String, chunkSize: Int = 4 << 20, hashing: Bool = false,
                                  _ body: (UnsafePointer<UInt8>, Int, Int, Int) throws -> Void) throws -> (size: Int, checksum: UInt64?) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw MarketDataError.missingFile(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw MarketDataError.missingFile(path: path, reason: String(cString: strerror(errno))) }
        if (st.st_mode & S_IFMT) == S_IFDIR { throw MarketDataError.missingFile(path: path, reason: "is a directory") }
        let fileSize = Int(st.st_size)
        var capacity = max(chunkSize, 1 << 12)
        var buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        defer { buffer.deallocate() }
        var filled = 0  // bytes in the buffer; [0, filled)
        var hash = FNV1a64.offsetBasis
        var total = 0
        while true {
            if filled == capacity {
                // A line longer than the buffer: grow it.
                let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
                bigger.update(from: buffer, count: filled)
                buffer.deallocate()
                buffer = bigger
                capacity *= 2
            }
            let n = read(fd, buffer + filled, capacity - filled)
            if n < 0 {
                if errno == EINTR { continue }
                throw MarketDataError.missingFile(path: path, reason: String(cString: strerror(errno)))
            }
            if hashing && n > 0 { hash = FNV1a64.hash(UnsafeRawBufferPointer(start: buffer + filled, count: n), seed: hash) }
            total += n
            if n == 0 {
                if filled > 0 { try body(buffer, 0, filled, fileSize) }
                break
            }
            filled += n
            // Hand over everything up to the last newline; keep the partial line.
            var last = filled - 1
            while last >= 0 && buffer[last] != Byte.newline { last -= 1 }
            if last < 0 { continue }
            try body(buffer, 0, last + 1, fileSize)
            let rest = filled - (last + 1)
            if rest > 0 { buffer.update(from: buffer + last + 1, count: rest) }
            filled = rest
        }
        return (total, hashing ? hash : nil)
    }
}
