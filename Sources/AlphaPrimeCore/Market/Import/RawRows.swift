import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// Rows read from one source file before its zone and label convention are applied.
struct RawRows: Sendable {
    var file: String
    /// The timestamp as written: UTC epoch seconds for ``StampKind/absolute``, otherwise wall-clock
    /// seconds counted as if the wall clock were UTC (see ``StampKind``).
    var stamps: [Int64] = []
    var kinds: [StampKind] = []
    var open: [Int64] = []
    var high: [Int64] = []
    var low: [Int64] = []
    var close: [Int64] = []
    var volume: [Int64] = []
    var lines: [Int32] = []
    /// Rows read (data rows, readable or not).
    var rowsRead = 0
    /// The symbol the file itself names, when it does.
    var sourceSymbol: String?
    /// Facts about the file worth telling the trader (ignored columns, date order …).
    var notes: [String] = []

    init(file: String, capacity: Int = 0) {
        self.file = file
        if capacity > 0 {
            stamps.reserveCapacity(capacity); kinds.reserveCapacity(capacity); open.reserveCapacity(capacity)
            high.reserveCapacity(capacity); low.reserveCapacity(capacity); close.reserveCapacity(capacity)
            volume.reserveCapacity(capacity); lines.reserveCapacity(capacity)
        }
    }

    var count: Int { stamps.count }

    @inline(__always)
    mutating func append(_ stamp: Stamp, _ o: Int64, _ h: Int64, _ l: Int64, _ c: Int64, _ v: Int64, line: Int) {
        stamps.append(stamp.seconds); kinds.append(stamp.kind)
        open.append(o); high.append(h); low.append(l); close.append(c); volume.append(v)
        lines.append(Int32(truncatingIfNeeded: line))
    }
}

/// Reads four prices and records a rounded-price notice when one had more than two decimals.
struct PriceReader {
    var file: String

    /// Paise of the four price cells, or nil (the caller reports the row as unreadable).
    @inline(__always)
    func prices(_ p: UnsafePointer<UInt8>, _ cells: (Range<Int>, Range<Int>, Range<Int>, Range<Int>),
                line: Int, log: inout ProblemLog) -> (Int64, Int64, Int64, Int64)? {
        var rounded = false
        guard let o = ByteParsing.paise(p, cells.0.lowerBound, cells.0.upperBound, rounded: &rounded),
              let h = ByteParsing.paise(p, cells.1.lowerBound, cells.1.upperBound, rounded: &rounded),
              let l = ByteParsing.paise(p, cells.2.lowerBound, cells.2.upperBound, rounded: &rounded),
              let c = ByteParsing.paise(p, cells.3.lowerBound, cells.3.upperBound, rounded: &rounded) else { return nil }
        if rounded {
            log.record(.roundedPrice, file: file, line: line,
                       "prices \(ByteParsing.text(p, cells.0.lowerBound, cells.0.upperBound)), \(ByteParsing.text(p, cells.1.lowerBound, cells.1.upperBound)), \(ByteParsing.text(p, cells.2.lowerBound, cells.2.upperBound)), \(ByteParsing.text(p, cells.3.lowerBound, cells.3.upperBound)) rounded to \(UTCText.rupees(o)), \(UTCText.rupees(h)), \(UTCText.rupees(l)), \(UTCText.rupees(c))")
        }
        return (o, h, l, c)
    }
}

/// Walks the non-blank lines of a text file: `(start, end, lineNumber)` with the line ending and
/// trailing spaces trimmed, a byte-order mark skipped.
@inline(__always)
func forEachLine(_ p: UnsafePointer<UInt8>, _ n: Int, _ body: (Int, Int, Int) throws -> Bool) rethrows {
    var pos = ByteParsing.bodyStart(p, n)
    var lineNo = 0
    while pos < n {
        let e = ByteParsing.lineEnd(p, pos, n)
        lineNo += 1
        var le = e
        while le > pos && Byte.isSpace(p[le - 1]) { le -= 1 }
        let ls = pos
        pos = e + 1
        if le == ls { continue }
        if try !body(ls, le, lineNo) { return }
    }
}
