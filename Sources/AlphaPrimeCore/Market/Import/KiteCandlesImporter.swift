import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import Foundation

/// Reads Kite Connect historical candles:
/// `{"status":"success","data":{"candles":[["2017-12-15T09:15:00+0530",1704.5,1705,1699.25,1702.8,2499],…]}}`
/// (a seventh number, open interest, is ignored). Candles are read straight from the bytes so each
/// one keeps its line number and its prices stay exact.
enum KiteCandlesImporter {
    static func read(_ bytes: [UInt8], file: String, log: inout ProblemLog) throws -> RawRows {
        var rows = RawRows(file: file)
        let prices = PriceReader(file: file)
        try bytes.withUnsafeBufferPointer { buffer in
            guard let p = buffer.baseAddress, buffer.count > 0 else {
                throw MarketDataError.badFile(file: file, message: "empty file: expected Kite historical candles JSON")
            }
            var s = Scanner(p: p, n: buffer.count)
            guard s.seek(key: "candles") else {
                let detail = errorMessage(bytes).map { ": the response is an error: \($0)" } ?? ""
                throw MarketDataError.badFile(file: file, message: "no \"candles\" array: expected Kite historical candles JSON (data.candles)\(detail)")
            }
            s.skipSpace()
            guard s.take(UInt8(ascii: "[")) else {
                throw MarketDataError.badFile(file: file, message: "line \(s.line): \"candles\" is not an array")
            }
            var cells: [Range<Int>] = []
            while true {
                s.skipSpace()
                if s.take(UInt8(ascii: "]")) { break }
                if s.take(Byte.comma) { continue }
                let line = s.line
                guard s.take(UInt8(ascii: "[")) else {
                    throw MarketDataError.badFile(file: file, message: "line \(line): expected a candle [time, open, high, low, close, volume]")
                }
                rows.rowsRead += 1
                // The candle's cells, up to its closing bracket.
                cells.removeAll(keepingCapacity: true)
                var closed = false
                while !s.atEnd {
                    s.skipSpace()
                    if s.take(UInt8(ascii: "]")) { closed = true; break }
                    if s.take(Byte.comma) { continue }
                    cells.append(s.scalar())
                }
                guard closed else {
                    throw MarketDataError.badFile(file: file, message: "line \(line): candle is not closed before the end of the file")
                }
                guard cells.count == 6 || cells.count == 7 else {
                    log.record(.unparsable, file: file, line: line, "expected [time, open, high, low, close, volume(, oi)], found \(cells.count) values")
                    continue
                }
                var t = cells[0]
                if t.count >= 2 && p[t.lowerBound] == Byte.quote { t = (t.lowerBound + 1)..<(t.upperBound - 1) }
                guard let stamp = ByteParsing.stamp(p, t.lowerBound, t.upperBound) else {
                    log.record(.unparsable, file: file, line: line, "candle time '\(ByteParsing.text(p, t.lowerBound, t.upperBound))' is not ISO-8601")
                    continue
                }
                guard let (o, h, l, c) = prices.prices(p, (cells[1], cells[2], cells[3], cells[4]), line: line, log: &log) else {
                    log.record(.unparsable, file: file, line: line, "a price is not a plain decimal number: \(ByteParsing.text(p, cells[1].lowerBound, cells[4].upperBound))")
                    continue
                }
                guard let v = ByteParsing.count(p, cells[5].lowerBound, cells[5].upperBound) else {
                    log.record(.unparsable, file: file, line: line, "volume '\(ByteParsing.text(p, cells[5].lowerBound, cells[5].upperBound))' is not a whole number")
                    continue
                }
                rows.append(stamp, o, h, l, c, v, line: line)
            }
        }
        return rows
    }

    /// The `message` of a Kite error response (`{"status":"error","message":…}`), if it is one.
    private static func errorMessage(_ bytes: [UInt8]) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
              object["status"] as? String == "error" else { return nil }
        return (object["message"] as? String) ?? "(no message)"
    }

    /// A forward-only scanner over JSON bytes that counts lines.
    struct Scanner {
        let p: UnsafePointer<UInt8>
        let n: Int
        var i = 0
        var line = 1

        var atEnd: Bool { i >= n }

        mutating func skipSpace() {
            while i < n {
                let b = p[i]
                if b == Byte.newline { line += 1 } else if !(b == Byte.space || b == Byte.tab || b == Byte.cr) { return }
                i += 1
            }
        }

        mutating func take(_ b: UInt8) -> Bool {
            guard i < n, p[i] == b else { return false }
            i += 1
            return true
        }

        /// Moves past `"key"` and its colon; false when the key is not in the rest of the text.
        mutating func seek(key: String) -> Bool {
            let needle = Array("\"\(key)\"".utf8)
            while i + needle.count <= n {
                if p[i] == Byte.newline { line += 1 }
                if p[i] == needle[0] && (0..<needle.count).allSatisfy({ p[i + $0] == needle[$0] }) {
                    i += needle.count
                    skipSpace()
                    return take(Byte.colon)
                }
                i += 1
            }
            return false
        }

        /// One string (quotes included) or bare scalar; stops at `,`, `]` or white space.
        mutating func scalar() -> Range<Int> {
            let start = i
            if i < n && p[i] == Byte.quote {
                i += 1
                while i < n && p[i] != Byte.quote {
                    if p[i] == UInt8(ascii: "\\") { i += 1 }
                    i += 1
                }
                i = min(i + 1, n)
                return start..<i
            }
            while i < n {
                let b = p[i]
                if b == Byte.comma || b == UInt8(ascii: "]") || b == Byte.space || b == Byte.newline || b == Byte.tab || b == Byte.cr { break }
                i += 1
            }
            return start..<i
        }
    }
}
