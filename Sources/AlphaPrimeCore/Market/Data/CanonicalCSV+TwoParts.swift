import AlphaPrimeSupport
import AlphaPrimeDomain
import Dispatch
import Foundation

extension CanonicalCSV {
    /// Files from this size on are read on two threads when the machine has two cores.
    static let twoPartThreshold = 16 << 20

    /// A strict read of a large file on two threads: the file is cut at the line start nearest its
    /// middle, each half's line feeds are counted (both at once), then each half is parsed straight
    /// into its own region of the final columns, numbering its lines from where its half starts.
    /// The result, and the first error in file order, are those of the one-thread read: the first
    /// half's error wins, then the order of the two rows either side of the cut, then the second
    /// half's error. Nil when the file is small, the machine has one core, or the header is not in
    /// the file's first 64 kB: the caller then reads it on one thread.
    static func readInTwoParts(path: String, options: Options, minimumSize: Int = twoPartThreshold) throws -> BarSeries? {
        guard ProcessInfo.processInfo.activeProcessorCount >= 2 else { return nil }
        let file = try OpenedFile(path: path)
        defer { file.close() }
        guard file.size >= minimumSize, let hasVolume = try headerHasVolume(file) else { return nil }
        let cut = try file.lineStart(atOrAfter: file.size / 2)
        guard cut < file.size else { return nil }
        let ranges = [0..<cut, cut..<file.size]

        let counted = ResultSlots<Result<Int, any Error>>(count: 2)
        DispatchQueue.concurrentPerform(iterations: 2) { k in
            counted[k] = Result { try file.lineFeeds(from: ranges[k].lowerBound, to: ranges[k].upperBound) }
        }
        let feeds = try counted.collect().map { try $0.get() }
        // The first half holds the header and ends with a line feed: at most feeds[0] - 1 rows.
        let secondStart = max(0, feeds[0] - 1)
        let capacity = secondStart + feeds[1] + 1

        var rows = 0
        var failure: (any Error)?
        var open: [Int64] = [], high: [Int64] = [], low: [Int64] = [], close: [Int64] = [], volume: [Int64] = []
        let time = [Int64](unsafeUninitializedCapacity: capacity) { t, tn in
            open = [Int64](unsafeUninitializedCapacity: capacity) { o, on in
                high = [Int64](unsafeUninitializedCapacity: capacity) { h, hn in
                    low = [Int64](unsafeUninitializedCapacity: capacity) { l, ln in
                        close = [Int64](unsafeUninitializedCapacity: capacity) { c, cn in
                            volume = [Int64](unsafeUninitializedCapacity: capacity) { v, vn in
                                for column in [t, o, h, l, c, v] {
                                    FileBytes.adviseHugePages(UnsafeMutableRawPointer(column.baseAddress!), bytes: capacity * 8)
                                }
                                let columns = ColumnRegion(time: t.baseAddress!, open: o.baseAddress!, high: h.baseAddress!,
                                                           low: l.baseAddress!, close: c.baseAddress!, volume: v.baseAddress!)
                                do {
                                    rows = try parseParts(file, ranges: ranges, options: options, hasVolume: hasVolume,
                                                          firstHalfLines: feeds[0], secondStart: secondStart,
                                                          secondCapacity: feeds[1] + 1, into: columns)
                                } catch {
                                    failure = error
                                }
                                vn = rows
                            }
                            cn = rows
                        }
                        ln = rows
                    }
                    hn = rows
                }
                on = rows
            }
            tn = rows
        }
        if let failure { throw failure }
        let identity = CanonicalCSVParser(file: path, options: options, strict: true, sizeHint: 0).identity
        var series = BarSeries(symbol: identity.symbol, timeframeSeconds: identity.timeframeSeconds)
        series.time = time; series.open = open; series.high = high
        series.low = low; series.close = close; series.volume = volume
        if series.timeframeSeconds == 0 {
            series.timeframeSeconds = (Timeframe.inferred(from: series.time) ?? .oneMinute).seconds
        }
        return series
    }

    /// Whether the header (the first line that is not blank, within the first 64 kB) names a volume
    /// column; nil when there is no readable header there (the one-thread read reports it).
    private static func headerHasVolume(_ file: OpenedFile) throws -> Bool? {
        var found: Bool?
        var done = false
        try ChunkedFile.forEachLineRegion(file, from: 0, to: 1 << 16) { p, start, end in
            guard !done else { return }
            var pos = start + ByteParsing.bodyStart(p + start, end - start)
            var line = 0
            while pos < end && !done {
                let e = ByteParsing.lineEnd(p, pos, end)
                line += 1
                var le = e
                while le > pos && Byte.isSpace(p[le - 1]) { le -= 1 }
                if le > pos {
                    done = true
                    // A line that ran past the 64 kB read is not known whole: leave it to the one-thread read.
                    if e < end { found = try? readHeader(p, pos, le, file: file.path, line: line) }
                }
                pos = e + 1
            }
            done = true
        }
        return found
    }

    /// Parses the two halves at once into `columns`: the first from row 0, the second from
    /// `secondStart`, closing the gap after. Returns the rows read.
    private static func parseParts(_ file: OpenedFile, ranges: [Range<Int>], options: Options, hasVolume: Bool,
                                   firstHalfLines: Int, secondStart: Int, secondCapacity: Int,
                                   into columns: ColumnRegion) throws -> Int {
        struct Part: Sendable {
            var rows = 0
            var firstRowLine: Int?
            var error: (any Error)?
        }
        let parts = ResultSlots<Part>(count: 2)
        DispatchQueue.concurrentPerform(iterations: 2) { k in
            var parser = CanonicalCSVParser(file: file.path, options: options, strict: true, sizeHint: 0)
            if k == 1 { parser = parser.continuing(afterLines: firstHalfLines, hasVolume: hasVolume) }
            let offset = k == 0 ? 0 : secondStart
            var sink = columns.sink(at: offset, capacity: k == 0 ? secondStart : secondCapacity)
            var log = ProblemLog(keepPerKind: 1)
            var part = Part()
            do {
                var first = k == 0
                // 1 MB pieces: two threads' buffers stay small beside the columns.
                try ChunkedFile.forEachLineRegion(file, from: ranges[k].lowerBound, to: ranges[k].upperBound,
                                                  chunkSize: 1 << 20) { p, start, end in
                    var from = start
                    if first { from += ByteParsing.bodyStart(p + start, end - start); first = false }
                    let stopped = try parser.consumeLines(p, from, end, into: &sink, log: &log)
                    if stopped < end {
                        throw MarketDataError.badFile(file: file.path, message: "more rows than lines while reading in two parts (the file changed while being read?)")
                    }
                }
            } catch {
                part.error = error
            }
            part.rows = sink.count
            part.firstRowLine = parser.firstRowLine
            parts[k] = part
        }
        let (first, second) = (parts.collect()[0], parts.collect()[1])
        if let error = first.error { throw error }
        if first.rows > 0 && second.rows > 0 {
            let before = columns.time[first.rows - 1], after = columns.time[secondStart]
            if after <= before {
                throw MarketDataError.badRow(file: file.path, line: second.firstRowLine ?? firstHalfLines + 1, message: after == before
                    ? "timestamp \(UTCText.iso(after)) repeats the row before"
                    : "timestamp \(UTCText.iso(after)) is earlier than the row before (\(UTCText.iso(before)))")
            }
        }
        if let error = second.error { throw error }
        if first.rows < secondStart && second.rows > 0 { columns.move(second.rows, from: secondStart, to: first.rows) }
        return first.rows + second.rows
    }
}

/// The six final columns while two threads fill disjoint regions of them.
// @unchecked: raw pointers into arrays being initialised; each region is written by one thread and
// read only after both have joined.
private struct ColumnRegion: @unchecked Sendable {
    let time, open, high, low, close, volume: UnsafeMutablePointer<Int64>

    func sink(at offset: Int, capacity: Int) -> ColumnSink {
        ColumnSink(time: time + offset, open: open + offset, high: high + offset, low: low + offset,
                   close: close + offset, volume: volume + offset, capacity: capacity)
    }

    func move(_ count: Int, from: Int, to: Int) {
        for column in [time, open, high, low, close, volume] {
            memmove(column + to, column + from, count * MemoryLayout<Int64>.stride)
        }
    }
}
