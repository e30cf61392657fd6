#if canImport(Glibc)
import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Parsing of market-data text straight from bytes: no `String` per field, no Foundation date
// formatting per row. Every function reads the half-open byte range `[start, end)` of a buffer.

@usableFromInline
enum Byte {
    static let tab: UInt8 = 0x09, newline: UInt8 = 0x0A, cr: UInt8 = 0x0D, space: UInt8 = 0x20
    static let quote: UInt8 = 0x22, plus: UInt8 = 0x2B, comma: UInt8 = 0x2C, minus: UInt8 = 0x2D
    static let dot: UInt8 = 0x2E, slash: UInt8 = 0x2F, zero: UInt8 = 0x30, colon: UInt8 = 0x3A
    static let upperT: UInt8 = 0x54, lowerT: UInt8 = 0x74, upperZ: UInt8 = 0x5A, lowerZ: UInt8 = 0x7A

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }
    @inline(__always) static func isSpace(_ b: UInt8) -> Bool { b == space || b == tab || b == cr }
}

/// How a timestamp was written.
enum StampKind: UInt8, Sendable {
    /// An instant: it carried `Z` or an offset, or was epoch seconds. `seconds` is UTC epoch.
    case absolute
    /// A wall-clock date and time without a zone. `seconds` counts as if the wall clock were UTC.
    case naive
    /// A date without a time (daily bars). `seconds` is midnight of that date, as if UTC.
    case dateOnly
}

/// A parsed timestamp before any zone is applied.
struct Stamp: Sendable, Equatable {
    var seconds: Int64
    var kind: StampKind
}

/// Day-month order of numeric dates such as `1/4/2016`.
public enum DateOrder: String, Hashable, Sendable, Codable, CaseIterable {
    /// Day first: `13/01/2016`, `13-01-2016`.
    case dmy
    /// Month first (US): `1/13/2016`.
    case mdy
}

enum ByteParsing {
    /// The unsigned decimal number in `[start, end)` when it is all digits (at most 18), else nil.
    @inline(__always)
    static func digits(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int64? {
        guard start < end, end - start <= 18 else { return nil }
        var n: Int64 = 0
        var i = start
        while i < end {
            let d = p[i] &- Byte.zero
            guard d < 10 else { return nil }
            n = n &* 10 &+ Int64(d)
            i += 1
        }
        return n
    }

    /// A rupee amount as paise, exactly. More than two decimals are rounded half away from zero
    /// to the paisa, and `rounded` is set when that changed the value. Grouping commas (`1,234.50`)
    /// are skipped. Nil when the text is not a plain decimal number.
    @inline(__always)
    static func paise(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, rounded: inout Bool) -> Int64? {
        var i = start
        guard i < end else { return nil }
        var negative = false
        if p[i] == Byte.minus { negative = true; i += 1 } else if p[i] == Byte.plus { i += 1 }
        var whole: Int64 = 0
        var wholeDigits = 0
        while i < end {
            let b = p[i]
            let d = b &- Byte.zero
            if d < 10 {
                whole = whole &* 10 &+ Int64(d)
                wholeDigits += 1
                guard wholeDigits <= 15 else { return nil }
            } else if b != Byte.comma || wholeDigits == 0 {
                break
            }
            i += 1
        }
        var frac: Int64 = 0
        var fracDigits = 0
        if i < end && p[i] == Byte.dot {
            i += 1
            while i < end {
                let d = p[i] &- Byte.zero
                guard d < 10 else { break }
                if fracDigits < 2 {
                    frac = frac * 10 + Int64(d)
                } else if fracDigits == 2 {
                    // The first digit past the paisa decides the rounding (half away from zero).
                    if d >= 5 { frac += 1; rounded = true } else if d != 0 { rounded = true }
                } else if d != 0 {
                    rounded = true
                }
                fracDigits += 1
                i += 1
            }
        }
        guard i == end, wholeDigits + fracDigits > 0 else { return nil }
        if fracDigits == 1 { frac *= 10 }
        let value = whole * 100 + frac
        return negative ? -value : value
    }

    /// A price as paise: the common `1234.50` read directly (digits, a dot, two digits), anything
    /// else through ``paise(_:_:_:rounded:)``.
    @inline(__always)
    static func price(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, rounded: inout Bool) -> Int64? {
        let n = end - start
        if n >= 4 && n <= 18 && p[end - 3] == Byte.dot {
            let d1 = p[end - 2] &- Byte.zero, d2 = p[end - 1] &- Byte.zero
            if d1 < 10 && d2 < 10, let whole = digits(p, start, end - 3) {
                return whole * 100 + Int64(d1) * 10 + Int64(d2)
            }
        }
        return paise(p, start, end, rounded: &rounded)
    }

    /// A whole number of shares or contracts; `12.0` is accepted, `12.5` is not. An empty field or
    /// `-` means 0 (indices have no volume). Nil when the text is not a count.
    @inline(__always)
    static func count(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int64? {
        if start == end || (end - start == 1 && p[start] == Byte.minus) { return 0 }
        var i = start
        var negative = false
        if p[i] == Byte.minus { negative = true; i += 1 } else if p[i] == Byte.plus { i += 1 }
        var n: Int64 = 0
        var nDigits = 0
        while i < end {
            let b = p[i]
            let d = b &- Byte.zero
            if d < 10 {
                n = n &* 10 &+ Int64(d)
                nDigits += 1
                guard nDigits <= 18 else { return nil }
            } else if b != Byte.comma || nDigits == 0 {
                break
            }
            i += 1
        }
        guard nDigits > 0 else { return nil }
        if i < end && p[i] == Byte.dot {
            i += 1
            while i < end && p[i] == Byte.zero { i += 1 }
        }
        guard i == end else { return nil }
        return negative ? -n : n
    }

    /// Three-letter English month names, case-insensitive: `JAN`, `Feb` → 1 … 12.
    @inline(__always)
    static func monthName(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int64? {
        guard end - start == 3 else { return nil }
        let a = p[start] | 0x20, b = p[start + 1] | 0x20, c = p[start + 2] | 0x20
        switch (a, b, c) {
        case (0x6A, 0x61, 0x6E): return 1   // jan
        case (0x66, 0x65, 0x62): return 2   // feb
        case (0x6D, 0x61, 0x72): return 3   // mar
        case (0x61, 0x70, 0x72): return 4   // apr
        case (0x6D, 0x61, 0x79): return 5   // may
        case (0x6A, 0x75, 0x6E): return 6   // jun
        case (0x6A, 0x75, 0x6C): return 7   // jul
        case (0x61, 0x75, 0x67): return 8   // aug
        case (0x73, 0x65, 0x70): return 9   // sep
        case (0x6F, 0x63, 0x74): return 10  // oct
        case (0x6E, 0x6F, 0x76): return 11  // nov
        case (0x64, 0x65, 0x63): return 12  // dec
        default: return nil
        }
    }

    /// A timestamp in any of the forms market data arrives in:
    /// - ISO-8601: `2021-01-01T03:45:00Z`, `2021-01-01 09:15:00+05:30`, `2017-12-15T09:15:00+0530`,
    ///   `2021-01-01 09:15` (naive), `2021-01-01` (date only); fractional seconds are dropped;
    /// - epoch seconds (`1609472700`) or milliseconds (13 digits);
    /// - `YYYYMMDD`;
    /// - `DD-MON-YYYY`, `DD Mon YYYY`, `DD-Mon-YY` (NSE exports);
    /// - numeric `D/M/YYYY` or `M/D/YYYY` (or with `-`), in the order `numericOrder` says;
    /// each of the last two optionally followed by ` HH:MM[:SS]`.
    static func stamp(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, numericOrder: DateOrder = .dmy) -> Stamp? {
        let n = end - start
        guard n >= 6 else { return nil }
        // ISO date first: the common case.
        if n >= 10 && p[start + 4] == Byte.minus && p[start + 7] == Byte.minus,
           let y = digits(p, start, start + 4), let m = digits(p, start + 5, start + 7),
           let d = digits(p, start + 8, start + 10), let days = CivilCalendar.validDays(year: y, month: m, day: d) {
            return timeOfDay(p, start + 10, end, days: days)
        }
        if let all = digits(p, start, end) {
            if n == 8 {
                guard let days = CivilCalendar.validDays(year: all / 10_000, month: all / 100 % 100, day: all % 100) else { return nil }
                return Stamp(seconds: days * 86_400, kind: .dateOnly)
            }
            if n >= 9 && n <= 12 { return Stamp(seconds: all, kind: .absolute) }
            if n == 13 { return Stamp(seconds: all / 1_000, kind: .absolute) }
            return nil
        }
        // Day first with a separator: `14-JUN-2024`, `13 Jun 2025`, `1/4/2016`, `13-01-2016`.
        var i = start
        while i < end && Byte.isDigit(p[i]) { i += 1 }
        guard i > start, i - start <= 2, i < end else { return nil }
        let sep = p[i]
        guard sep == Byte.minus || sep == Byte.slash || sep == Byte.space else { return nil }
        let first = digits(p, start, i)!
        let secondStart = i + 1
        var j = secondStart
        while j < end && p[j] != sep { j += 1 }
        guard j < end else { return nil }
        let dayValue: Int64, monthValue: Int64
        if let name = monthName(p, secondStart, j) {
            dayValue = first; monthValue = name
        } else if let second = digits(p, secondStart, j), j - secondStart <= 2, sep != Byte.space {
            (dayValue, monthValue) = numericOrder == .dmy ? (first, second) : (second, first)
        } else {
            return nil
        }
        var k = j + 1
        while k < end && Byte.isDigit(p[k]) { k += 1 }
        guard var year = digits(p, j + 1, k) else { return nil }
        if k - (j + 1) == 2 { year += 2000 } else if k - (j + 1) != 4 { return nil }
        guard let days = CivilCalendar.validDays(year: year, month: monthValue, day: dayValue) else { return nil }
        return timeOfDay(p, k, end, days: days)
    }

    /// The optional ` HH:MM[:SS[.fff]]` and zone after a date that ends at `start`.
    @inline(__always)
    static func timeOfDay(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, days: Int64) -> Stamp? {
        if start == end { return Stamp(seconds: days * 86_400, kind: .dateOnly) }
        let sep = p[start]
        guard sep == Byte.upperT || sep == Byte.lowerT || sep == Byte.space else { return nil }
        var i = start + 1
        guard end - i >= 5, p[i + 2] == Byte.colon, let hh = digits(p, i, i + 2), let mm = digits(p, i + 3, i + 5),
              hh < 24, mm < 60 else { return nil }
        i += 5
        var ss: Int64 = 0
        if i < end && p[i] == Byte.colon {
            guard end - i >= 3, let s = digits(p, i + 1, i + 3), s < 60 else { return nil }
            ss = s
            i += 3
            if i < end && (p[i] == Byte.dot || p[i] == Byte.comma) {
                i += 1
                let fracStart = i
                while i < end && Byte.isDigit(p[i]) { i += 1 }
                guard i > fracStart else { return nil }
            }
        }
        let local = days * 86_400 + hh * 3_600 + mm * 60 + ss
        while i < end && p[i] == Byte.space { i += 1 }
        if i == end { return Stamp(seconds: local, kind: .naive) }
        let z = p[i]
        if (z == Byte.upperZ || z == Byte.lowerZ) && i + 1 == end { return Stamp(seconds: local, kind: .absolute) }
        guard z == Byte.plus || z == Byte.minus else { return nil }
        i += 1
        let rest = end - i
        let oh: Int64, om: Int64
        if rest == 2, let h = digits(p, i, i + 2) {
            oh = h; om = 0
        } else if rest == 4, let h = digits(p, i, i + 2), let m = digits(p, i + 2, i + 4) {
            oh = h; om = m
        } else if rest == 5, p[i + 2] == Byte.colon, let h = digits(p, i, i + 2), let m = digits(p, i + 3, i + 5) {
            oh = h; om = m
        } else {
            return nil
        }
        guard oh <= 14, om < 60 else { return nil }
        let offset = (oh * 3_600 + om * 60) * (z == Byte.minus ? -1 : 1)
        return Stamp(seconds: local - offset, kind: .absolute)
    }

    /// Splits one CSV line into field ranges: cells are trimmed of spaces and tabs, and a cell in
    /// double quotes is read without them (a comma inside quotes stays in the cell).
    static func splitFields(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, into fields: inout [Range<Int>]) {
        fields.removeAll(keepingCapacity: true)
        var i = start
        while true {
            while i < end && (p[i] == Byte.space || p[i] == Byte.tab) { i += 1 }
            var cellStart = i, cellEnd = i
            if i < end && p[i] == Byte.quote {
                cellStart = i + 1
                var j = cellStart
                while j < end {
                    if p[j] == Byte.quote {
                        if j + 1 < end && p[j + 1] == Byte.quote { j += 2; continue }
                        break
                    }
                    j += 1
                }
                cellEnd = j
                i = min(j + 1, end)
                while i < end && p[i] != Byte.comma { i += 1 }
            } else {
                while i < end && p[i] != Byte.comma { i += 1 }
                cellEnd = i
            }
            while cellEnd > cellStart && (p[cellEnd - 1] == Byte.space || p[cellEnd - 1] == Byte.tab) { cellEnd -= 1 }
            while cellStart < cellEnd && (p[cellStart] == Byte.space || p[cellStart] == Byte.tab) { cellStart += 1 }
            fields.append(cellStart..<cellEnd)
            if i >= end { break }
            i += 1  // past the comma
        }
    }

    /// The end of the line that starts at `start` (index of its `\n`, or `end`).
    @inline(__always)
    static func lineEnd(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        guard start < end, let hit = memchr(p + start, Int32(Byte.newline), end - start) else { return end }
        return p.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }

    /// Where the text begins, past a UTF-8 byte-order mark.
    static func bodyStart(_ p: UnsafePointer<UInt8>, _ count: Int) -> Int {
        count >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF ? 3 : 0
    }

    /// The text of a byte range, for messages.
    /// Whether the bytes of `r` are exactly `text`'s UTF-8 (no String made per row).
    static func sameText(_ p: UnsafePointer<UInt8>, _ r: Range<Int>, _ text: String) -> Bool {
        var utf8 = text.utf8.makeIterator()
        for i in r { guard utf8.next() == p[i] else { return false } }
        return utf8.next() == nil
    }

    static func text(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, limit: Int = 120) -> String {
        let e = min(end, start + limit)
        let s = String(decoding: UnsafeBufferPointer(start: p + start, count: max(0, e - start)), as: UTF8.self)
        return e < end ? s + "…" : s
    }
}
