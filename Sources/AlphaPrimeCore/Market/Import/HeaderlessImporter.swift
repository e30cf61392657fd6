import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// Reads headerless 1-minute files: `symbol,YYYYMMDD,HH:MM,open,high,low,close,volume,oi`
/// (e.g. `NIFTY,20210201,09:16,13766.05,13773.80,13725.65,13734.60,0,0`). Times are naive
/// wall-clock times; the `oi` column may be missing.
enum HeaderlessImporter {
    static func read(_ bytes: [UInt8], file: String, log: inout ProblemLog) throws -> RawRows {
        var rows = RawRows(file: file, capacity: bytes.count / 55 + 1)
        let prices = PriceReader(file: file)
        bytes.withUnsafeBufferPointer { buffer in
            guard let p = buffer.baseAddress else { return }
            var cells: [Range<Int>] = []
            cells.reserveCapacity(12)
            forEachLine(p, buffer.count) { ls, le, line in
                rows.rowsRead += 1
                ByteParsing.splitFields(p, ls, le, into: &cells)
                guard cells.count == 8 || cells.count == 9 else {
                    log.record(.unparsable, file: file, line: line,
                               "expected 9 fields (symbol,YYYYMMDD,HH:MM,open,high,low,close,volume,oi), found \(cells.count): \(ByteParsing.text(p, ls, le))")
                    return true
                }
                let symbol = cells[0]
                if rows.sourceSymbol == nil {
                    rows.sourceSymbol = ByteParsing.text(p, symbol.lowerBound, symbol.upperBound)
                } else if !ByteParsing.sameText(p, symbol, rows.sourceSymbol!) {
                    log.record(.unparsable, file: file, line: line,
                               "symbol '\(ByteParsing.text(p, symbol.lowerBound, symbol.upperBound))' differs from '\(rows.sourceSymbol!)' of the first row")
                    return true
                }
                let d = cells[1], t = cells[2]
                guard d.count == 8, let date = ByteParsing.digits(p, d.lowerBound, d.upperBound),
                      let days = CivilCalendar.validDays(year: date / 10_000, month: date / 100 % 100, day: date % 100) else {
                    log.record(.unparsable, file: file, line: line, "date '\(ByteParsing.text(p, d.lowerBound, d.upperBound))' is not YYYYMMDD")
                    return true
                }
                guard let seconds = clock(p, t) else {
                    log.record(.unparsable, file: file, line: line, "time '\(ByteParsing.text(p, t.lowerBound, t.upperBound))' is not HH:MM")
                    return true
                }
                guard let (o, h, l, c) = prices.prices(p, (cells[3], cells[4], cells[5], cells[6]), line: line, log: &log) else {
                    log.record(.unparsable, file: file, line: line, "a price is not a decimal number: \(ByteParsing.text(p, ls, le))")
                    return true
                }
                guard let v = ByteParsing.count(p, cells[7].lowerBound, cells[7].upperBound) else {
                    log.record(.unparsable, file: file, line: line, "volume '\(ByteParsing.text(p, cells[7].lowerBound, cells[7].upperBound))' is not a whole number")
                    return true
                }
                rows.append(Stamp(seconds: days * 86_400 + seconds, kind: .naive), o, h, l, c, v, line: line)
                return true
            }
        }
        return rows
    }

    /// `HH:MM` or `HH:MM:SS` as seconds of the day.
    static func clock(_ p: UnsafePointer<UInt8>, _ r: Range<Int>) -> Int64? {
        let s = r.lowerBound
        guard r.count == 5 || r.count == 8, p[s + 2] == Byte.colon,
              let h = ByteParsing.digits(p, s, s + 2), let m = ByteParsing.digits(p, s + 3, s + 5), h < 24, m < 60 else { return nil }
        var sec: Int64 = 0
        if r.count == 8 {
            guard p[s + 5] == Byte.colon, let x = ByteParsing.digits(p, s + 6, s + 8), x < 60 else { return nil }
            sec = x
        }
        return h * 3_600 + m * 60 + sec
    }
}
