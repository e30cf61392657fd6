import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// Reads CSV files with a header row, in any column order: ISO-8601 timestamps with or without an
/// offset (`2025-08-25 09:15:00+05:30`, `2011-01-03 09:15:00`), dates for daily bars, epoch
/// seconds, or NSE website exports (BOM, quoted cells, header cells padded with spaces,
/// `DD-MON-YYYY` / `DD Mon YYYY` / `M/D/YYYY` dates). Columns are found by name; columns it does not
/// use (`adj close`, `prev. close`, `index name` …) are named in the notes.
enum HeaderCSVImporter {
    struct Columns {
        var time: Int
        /// A separate time-of-day column next to a date column (`Date,Time,…`).
        var clock: Int?
        var open: Int, high: Int, low: Int, close: Int
        var volume: Int?
        var symbol: Int?
        var ignored: [String]
        var width: Int
    }

    static func read(_ bytes: [UInt8], file: String, dateOrder: DateOrder?, log: inout ProblemLog) throws -> RawRows {
        var rows = RawRows(file: file, capacity: bytes.count / 50 + 1)
        let prices = PriceReader(file: file)
        try bytes.withUnsafeBufferPointer { buffer in
            guard let p = buffer.baseAddress else {
                throw MarketDataError.badFile(file: file, message: "empty file: expected a header row")
            }
            var cells: [Range<Int>] = []
            cells.reserveCapacity(16)
            var columns: Columns?
            var headerLine = 0
            var bodyStart = 0
            forEachLine(p, buffer.count) { ls, le, line in
                ByteParsing.splitFields(p, ls, le, into: &cells)
                headerLine = line
                bodyStart = le
                columns = Self.columns(cells.map { ByteParsing.text(p, $0.lowerBound, $0.upperBound) })
                return false
            }
            guard headerLine > 0 else { throw MarketDataError.badFile(file: file, message: "empty file: expected a header row") }
            guard let columns else {
                let first = ByteParsing.text(p, ByteParsing.bodyStart(p, buffer.count), bodyStart)
                if let c = cells.first, ByteParsing.stamp(p, c.lowerBound, c.upperBound) != nil {
                    throw MarketDataError.badFile(file: file, message: "line \(headerLine): no header row ('\(first)'); headerless symbol,YYYYMMDD,HH:MM,… files are --format headerless")
                }
                throw MarketDataError.badFile(file: file, message: "line \(headerLine): header '\(first)' has no date/time, open, high, low and close columns")
            }
            if !columns.ignored.isEmpty { rows.notes.append("columns not used: \(columns.ignored.joined(separator: ", "))") }

            let order = try dateOrder ?? detectDateOrder(p, buffer.count, after: bodyStart, column: columns.time, file: file, cells: &cells)
            if let order { rows.notes.append("numeric dates read as \(order == .mdy ? "month/day/year" : "day/month/year")\(dateOrder == nil ? " (detected)" : "")") }

            forEachLine(p, buffer.count) { ls, le, line in
                if line <= headerLine { return true }
                rows.rowsRead += 1
                ByteParsing.splitFields(p, ls, le, into: &cells)
                guard cells.count >= columns.width else {
                    log.record(.unparsable, file: file, line: line, "expected \(columns.width) fields, found \(cells.count): \(ByteParsing.text(p, ls, le))")
                    return true
                }
                let tc = cells[columns.time]
                guard var stamp = ByteParsing.stamp(p, tc.lowerBound, tc.upperBound, numericOrder: order ?? .dmy) else {
                    log.record(.unparsable, file: file, line: line, "timestamp '\(ByteParsing.text(p, tc.lowerBound, tc.upperBound))' is not a date or time this importer reads")
                    return true
                }
                if let clock = columns.clock, stamp.kind == .dateOnly {
                    let cc = cells[clock]
                    guard let seconds = HeaderlessImporter.clock(p, cc) else {
                        log.record(.unparsable, file: file, line: line, "time '\(ByteParsing.text(p, cc.lowerBound, cc.upperBound))' is not HH:MM")
                        return true
                    }
                    stamp = Stamp(seconds: stamp.seconds + seconds, kind: .naive)
                }
                guard let (o, h, l, c) = prices.prices(p, (cells[columns.open], cells[columns.high], cells[columns.low], cells[columns.close]), line: line, log: &log) else {
                    log.record(.unparsable, file: file, line: line, "a price is not a decimal number: \(ByteParsing.text(p, ls, le))")
                    return true
                }
                var v: Int64 = 0
                if let vc = columns.volume {
                    guard let volume = ByteParsing.count(p, cells[vc].lowerBound, cells[vc].upperBound) else {
                        log.record(.unparsable, file: file, line: line, "volume '\(ByteParsing.text(p, cells[vc].lowerBound, cells[vc].upperBound))' is not a whole number")
                        return true
                    }
                    v = volume
                }
                if let sc = columns.symbol {
                    let cell = cells[sc]
                    if let first = rows.sourceSymbol {
                        guard ByteParsing.sameText(p, cell, first) else {
                            let symbol = ByteParsing.text(p, cell.lowerBound, cell.upperBound)
                            log.record(.unparsable, file: file, line: line,
                                       "symbol \(SymbolNames.printable(symbol)) differs from \(SymbolNames.printable(first)) of the first row")
                            return true
                        }
                    } else {
                        rows.sourceSymbol = ByteParsing.text(p, cell.lowerBound, cell.upperBound)
                    }
                }
                rows.append(stamp, o, h, l, c, v, line: line)
                return true
            }
        }
        return rows
    }

    /// Maps header names (any case, padded, quoted) to the columns the importer needs.
    static func columns(_ raw: [String]) -> Columns? {
        let names = raw.map { name in
            name.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
        }
        func find(_ candidates: [String]) -> Int? {
            for c in candidates { if let i = names.firstIndex(of: c) { return i } }
            return nil
        }
        var time = find(["timestamp", "datetime", "date_time", "date time", "date"])
        if time == nil {
            time = names.firstIndex { $0.contains("timestamp") || $0.contains("datetime") || $0.hasPrefix("date") }
        }
        var clock: Int?
        if let t = time, names[t] == "date" { clock = find(["time"]) }
        if time == nil { time = find(["time"]) }
        guard let time, let open = find(["open", "open price"]), let high = find(["high", "high price"]),
              let low = find(["low", "low price"]), let close = find(["close", "close price"]) else { return nil }
        let volume = find(["volume", "vol", "shares traded", "total traded quantity", "traded quantity", "qty", "quantity"])
        let symbol = find(["symbol", "index name", "tradingsymbol", "ticker"])
        let used = Set([time, open, high, low, close] + [clock, volume, symbol].compactMap { $0 })
        let ignored = names.indices.filter { !used.contains($0) && !names[$0].isEmpty }.map { names[$0] }
        let width = (used.max() ?? 0) + 1
        return Columns(time: time, clock: clock, open: open, high: high, low: low, close: close, volume: volume,
                       symbol: symbol, ignored: ignored, width: width)
    }

    /// For numeric dates like `1/4/2016`: day first or month first, from values above 12.
    /// Nil when the column has no numeric dates; throws when they could be read either way.
    static func detectDateOrder(_ p: UnsafePointer<UInt8>, _ n: Int, after start: Int, column: Int, file: String,
                                cells: inout [Range<Int>]) throws -> DateOrder? {
        var sawNumeric = false
        var firstAbove12 = false, secondAbove12 = false
        var pos = start
        while pos < n {
            let e = ByteParsing.lineEnd(p, pos, n)
            defer { pos = e + 1 }
            ByteParsing.splitFields(p, pos, e, into: &cells)
            guard column < cells.count else { continue }
            let r = cells[column]
            var i = r.lowerBound
            while i < r.upperBound && Byte.isDigit(p[i]) { i += 1 }
            guard i > r.lowerBound, i - r.lowerBound <= 2, i < r.upperBound, p[i] == Byte.slash || p[i] == Byte.minus else { continue }
            let sep = p[i]
            var j = i + 1
            while j < r.upperBound && Byte.isDigit(p[j]) { j += 1 }
            guard j > i + 1, j - (i + 1) <= 2, j < r.upperBound, p[j] == sep,
                  let a = ByteParsing.digits(p, r.lowerBound, i), let b = ByteParsing.digits(p, i + 1, j) else { continue }
            sawNumeric = true
            if a > 12 { firstAbove12 = true }
            if b > 12 { secondAbove12 = true }
        }
        guard sawNumeric else { return nil }
        switch (firstAbove12, secondAbove12) {
        case (true, false): return .dmy
        case (false, true): return .mdy
        case (true, true):
            throw MarketDataError.badFile(file: file, message: "numeric dates fit neither day/month/year nor month/day/year throughout")
        case (false, false):
            throw MarketDataError.ambiguous(file: file, message: "numeric dates could be day/month/year or month/day/year: pass --date-order dmy|mdy")
        }
    }
}
