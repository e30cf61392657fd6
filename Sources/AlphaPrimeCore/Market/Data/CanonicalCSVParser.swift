import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import Foundation

/// Reads canonical CSV lines as they arrive (one buffer, or a file piece by piece) into columns.
///
/// Rows go into small batches written through pointers (``ColumnSink``), moved into columns
/// reserved once from the length of the first lines; a run of rows on the same date reads the
/// date once. Line numbers are kept only when reading leniently (the validator reports by line);
/// strict reading throws at the first problem and has no use for them.
struct CanonicalCSVParser {
    let file: String
    let options: CanonicalCSV.Options
    let strict: Bool
    private let sizeHint: Int
    private let naiveOffset: Int64?
    private var columns: ParsedColumns
    private var symbol: String
    private var timeframeSeconds: Int64
    private var lineNo = 0
    private var sawHeader = false
    private var hasVolume = true
    private var previous = Int64.min
    private var reserved = false
    /// The first ten bytes of the last ISO timestamp read (`YYYY-MM-DD`) and their day number.
    private var dateKey: (UInt64, UInt16) = (0, 0)
    private var dateDays: Int64 = .min
    /// The line of the first row written to a sink, once there is one.
    private(set) var firstRowLine: Int?

    init(file: String, options: CanonicalCSV.Options, strict: Bool, sizeHint: Int) {
        self.file = file
        self.options = options
        self.strict = strict
        self.sizeHint = sizeHint
        self.naiveOffset = options.naiveZone?.offsetSeconds
        let identity = CanonicalCSV.layoutIdentity(path: file)
        self.symbol = options.symbol ?? identity.symbol ?? URL(filePath: file).deletingPathExtension().lastPathComponent
        self.timeframeSeconds = (options.timeframe ?? identity.timeframe)?.seconds ?? 0
        self.columns = ParsedColumns(keepsLines: !strict)
    }

    /// Reserves room for the whole file from the length of the lines seen first.
    private mutating func reserve(lineBytes: Int, lineCount: Int) {
        reserved = true
        guard lineCount > 0 else { return }
        columns.reserveCapacity(Int(Double(sizeHint) / (Double(lineBytes) / Double(lineCount)) * 1.02) + 16)
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
        var sink = ColumnSink(capacity: 4_096, keepsLines: columns.keepsLines)
        defer { sink.deallocate() }
        while pos < end {
            pos = try consumeLines(p, pos, end, into: &sink, log: &log)
            columns.append(&sink)
        }
    }

    /// Reads whole lines from `pos` until `end` or until `sink` is full; returns where it stopped.
    mutating func consumeLines(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, into sink: inout ColumnSink,
                               log: inout ProblemLog) throws -> Int {
        var pos = start
        while pos < end && sink.count < sink.capacity {
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
            try row(p, ls, le, into: &sink, log: &log)
        }
        return min(pos, end)
    }

    /// A parser for the part of a file that starts after `lines` whole lines, the header among them.
    func continuing(afterLines lines: Int, hasVolume: Bool) -> CanonicalCSVParser {
        var part = CanonicalCSVParser(file: file, options: options, strict: strict, sizeHint: 0)
        part.lineNo = lines
        part.sawHeader = true
        part.hasVolume = hasVolume
        part.reserved = true
        return part
    }

    /// The symbol and bar length the series will carry (0: inferred from the data).
    var identity: (symbol: String, timeframeSeconds: Int64) { (symbol, timeframeSeconds) }

    /// The timestamp of a cell. An ISO date (`YYYY-MM-DD…`, the canonical form) equal to the row
    /// before's is not read again; anything else goes through ``ByteParsing/stamp(_:_:_:numericOrder:)``.
    @inline(__always)
    private mutating func stamp(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> Stamp? {
        guard e - s >= 10 && p[s + 4] == Byte.minus && p[s + 7] == Byte.minus else { return ByteParsing.stamp(p, s, e) }
        let raw = UnsafeRawPointer(p + s)
        let key = (raw.loadUnaligned(as: UInt64.self), raw.loadUnaligned(fromByteOffset: 8, as: UInt16.self))
        if key != dateKey || dateDays == .min {
            guard let y = ByteParsing.digits(p, s, s + 4), let m = ByteParsing.digits(p, s + 5, s + 7),
                  let d = ByteParsing.digits(p, s + 8, s + 10), let days = CivilCalendar.validDays(year: y, month: m, day: d) else {
                return ByteParsing.stamp(p, s, e)
            }
            dateKey = key
            dateDays = days
        }
        return ByteParsing.timeOfDay(p, s + 10, e, days: dateDays)
    }

    @inline(__always)
    private mutating func row(_ p: UnsafePointer<UInt8>, _ ls: Int, _ le: Int, into sink: inout ColumnSink,
                              log: inout ProblemLog) throws {
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
        guard let stamp = stamp(p, t.0, t.1) else {
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
        guard let open = ByteParsing.price(p, o.0, o.1, rounded: &rounded),
              let high = ByteParsing.price(p, h.0, h.1, rounded: &rounded),
              let low = ByteParsing.price(p, l.0, l.1, rounded: &rounded),
              let close = ByteParsing.price(p, c.0, c.1, rounded: &rounded) else {
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
        if firstRowLine == nil { firstRowLine = line }
        sink.append(time: time, open: open, high: high, low: low, close: close, volume: volume, line: line)
    }

    /// The bars read, with the timeframe from the options, the layout or the data.
    mutating func finish() throws -> SourcedBars {
        guard sawHeader else {
            throw MarketDataError.badFile(file: file, message: "empty file: expected the header \(CanonicalCSV.header)")
        }
        var bars = columns.finish(symbol: symbol, timeframeSeconds: timeframeSeconds)
        if bars.series.timeframeSeconds == 0 {
            bars.series.timeframeSeconds = (Timeframe.inferred(from: bars.series.time) ?? .oneMinute).seconds
        }
        return bars
    }
}

/// Parsed rows as columns, filled a batch at a time from a ``ColumnSink``.
struct ParsedColumns {
    private var time: [Int64] = [], open: [Int64] = [], high: [Int64] = [], low: [Int64] = [],
                close: [Int64] = [], volume: [Int64] = []
    private var lines: [Int32] = []
    let keepsLines: Bool

    init(keepsLines: Bool) { self.keepsLines = keepsLines }

    mutating func reserveCapacity(_ n: Int) {
        time.reserveCapacity(n); open.reserveCapacity(n); high.reserveCapacity(n)
        low.reserveCapacity(n); close.reserveCapacity(n); volume.reserveCapacity(n)
        if keepsLines { lines.reserveCapacity(n) }
    }

    /// Moves the sink's rows to the end of the columns and empties it.
    mutating func append(_ sink: inout ColumnSink) {
        let n = sink.count
        guard n > 0 else { return }
        time.append(contentsOf: UnsafeBufferPointer(start: sink.time, count: n))
        open.append(contentsOf: UnsafeBufferPointer(start: sink.open, count: n))
        high.append(contentsOf: UnsafeBufferPointer(start: sink.high, count: n))
        low.append(contentsOf: UnsafeBufferPointer(start: sink.low, count: n))
        close.append(contentsOf: UnsafeBufferPointer(start: sink.close, count: n))
        volume.append(contentsOf: UnsafeBufferPointer(start: sink.volume, count: n))
        if keepsLines, let l = sink.lines { lines.append(contentsOf: UnsafeBufferPointer(start: l, count: n)) }
        sink.count = 0
    }

    /// The rows read as a series, with the line each came from (empty when not kept).
    mutating func finish(symbol: String, timeframeSeconds: Int64) -> SourcedBars {
        var series = BarSeries(symbol: symbol, timeframeSeconds: timeframeSeconds)
        swap(&series.time, &time); swap(&series.open, &open); swap(&series.high, &high)
        swap(&series.low, &low); swap(&series.close, &close); swap(&series.volume, &volume)
        var kept: [Int32] = []
        swap(&kept, &lines)
        return SourcedBars(series: series, lines: kept)
    }
}

/// A batch of parsed rows: seven small columns written through pointers (no per-row array
/// bookkeeping), moved to the ``ParsedColumns`` when full. Owns its memory until ``deallocate()``.
struct ColumnSink {
    let time, open, high, low, close, volume: UnsafeMutablePointer<Int64>
    let lines: UnsafeMutablePointer<Int32>?
    var count = 0
    let capacity: Int

    init(capacity: Int, keepsLines: Bool) {
        self.capacity = capacity
        let all = UnsafeMutablePointer<Int64>.allocate(capacity: 6 * capacity)
        time = all; open = all + capacity; high = all + 2 * capacity
        low = all + 3 * capacity; close = all + 4 * capacity; volume = all + 5 * capacity
        lines = keepsLines ? UnsafeMutablePointer<Int32>.allocate(capacity: capacity) : nil
    }

    /// A sink over memory someone else owns (a region of the final columns); never deallocated.
    init(time: UnsafeMutablePointer<Int64>, open: UnsafeMutablePointer<Int64>, high: UnsafeMutablePointer<Int64>,
         low: UnsafeMutablePointer<Int64>, close: UnsafeMutablePointer<Int64>, volume: UnsafeMutablePointer<Int64>,
         capacity: Int) {
        self.time = time; self.open = open; self.high = high; self.low = low; self.close = close; self.volume = volume
        self.lines = nil
        self.capacity = capacity
    }

    /// Frees memory allocated by ``init(capacity:keepsLines:)``.
    func deallocate() {
        time.deallocate()
        lines?.deallocate()
    }

    @inline(__always)
    mutating func append(time t: Int64, open o: Int64, high h: Int64, low l: Int64, close c: Int64, volume v: Int64, line: Int) {
        let i = count
        time[i] = t; open[i] = o; high[i] = h; low[i] = l; close[i] = c; volume[i] = v
        lines?[i] = Int32(truncatingIfNeeded: line)
        count = i + 1
    }
}
