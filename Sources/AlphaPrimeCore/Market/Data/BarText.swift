import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// Writing bar fields as text straight into a byte buffer, and short texts for messages.
package enum UTCText {
    private static func two(_ v: Int64, _ out: UnsafeMutablePointer<UInt8>, _ k: Int) {
        out[k] = UInt8(truncatingIfNeeded: 48 + v / 10)
        out[k + 1] = UInt8(truncatingIfNeeded: 48 + v % 10)
    }

    /// `2021-02-22T03:45:00Z` (20 bytes) for UTC epoch seconds; returns the index after it.
    @inline(__always)
    static func writeISO(_ epoch: Int64, to out: UnsafeMutablePointer<UInt8>, at start: Int) -> Int {
        let days = CivilCalendar.floorDiv(epoch, 86_400)
        let sod = epoch - days * 86_400
        let (y, m, d) = CivilCalendar.date(days: days)
        var k = start
        two(y / 100, out, k); two(y % 100, out, k + 2)
        out[k + 4] = Byte.minus
        two(m, out, k + 5)
        out[k + 7] = Byte.minus
        two(d, out, k + 8)
        out[k + 10] = Byte.upperT
        two(sod / 3_600, out, k + 11)
        out[k + 13] = Byte.colon
        two(sod / 60 % 60, out, k + 14)
        out[k + 16] = Byte.colon
        two(sod % 60, out, k + 17)
        out[k + 19] = Byte.upperZ
        k += 20
        return k
    }

    /// A whole number in decimal; returns the index after it.
    @inline(__always)
    static func writeInteger(_ value: Int64, to out: UnsafeMutablePointer<UInt8>, at start: Int) -> Int {
        var k = start
        var magnitude = value.magnitude
        if value < 0 { out[k] = Byte.minus; k += 1 }
        var digits = 1
        var probe = magnitude
        while probe >= 10 { probe /= 10; digits += 1 }
        var j = k + digits - 1
        repeat {
            out[j] = UInt8(truncatingIfNeeded: 48 + magnitude % 10)
            magnitude /= 10
            j -= 1
        } while magnitude > 0
        return k + digits
    }

    /// Paise as rupees with two decimals: `14013.15`, `-0.05`; returns the index after it.
    @inline(__always)
    static func writeRupees(_ paise: Int64, to out: UnsafeMutablePointer<UInt8>, at start: Int) -> Int {
        var k = start
        if paise < 0 { out[k] = Byte.minus; k += 1 }
        let m = paise.magnitude
        k = writeInteger(Int64(m / 100), to: out, at: k)
        out[k] = Byte.dot
        let f = Int64(m % 100)
        two(f, out, k + 1)
        return k + 3
    }

    /// `2021-02-22T03:45:00Z`
    package static func iso(_ epoch: Int64) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
            _ = writeISO(epoch, to: buffer.baseAddress!, at: 0)
            return String(decoding: buffer, as: UTF8.self)
        }
    }

    /// `2021-02-22 09:15 IST` (with seconds when not zero).
    package static func ist(_ epoch: Int64) -> String {
        let local = IST.dateTime(epochSeconds: epoch)
        let s = local.second
        return "\(local.date) \(local.time)\(s == 0 ? "" : ":\(s < 10 ? "0" : "")\(s)") IST"
    }

    /// `09:15` (IST wall clock).
    static func istTime(_ epoch: Int64) -> String {
        let local = IST.dateTime(epochSeconds: epoch)
        let s = local.second
        return "\(local.time)\(s == 0 ? "" : ":\(s < 10 ? "0" : "")\(s)")"
    }

    /// `14013.15`
    static func rupees(_ paise: Int64) -> String { Paise(paise).description }
}

/// The checks every bar must pass on its own.
enum BarChecks {
    struct Problem {
        var kind: DataProblemKind
        var message: String
    }

    /// Every problem of one bar (empty when it is sound).
    static func problems(open o: Int64, high h: Int64, low l: Int64, close c: Int64, volume v: Int64) -> [Problem] {
        guard o <= 0 || h <= 0 || l <= 0 || c <= 0 || h < l || o < l || o > h || c < l || c > h || v < 0 else { return [] }
        var found: [Problem] = []
        if o <= 0 || h <= 0 || l <= 0 || c <= 0 {
            // The range checks would only repeat this (a zero low or high is no range).
            let named = [("open", o), ("high", h), ("low", l), ("close", c)].filter { $0.1 <= 0 }
                .map { "\($0.0) \(UTCText.rupees($0.1))" }.joined(separator: ", ")
            found.append(Problem(kind: .nonPositivePrice, message: "price not positive: \(named)"))
        } else if h < l {
            found.append(Problem(kind: .highBelowLow, message: "high \(UTCText.rupees(h)) is below low \(UTCText.rupees(l))"))
        } else {
            if o < l || o > h {
                found.append(Problem(kind: .openOutsideRange, message: "open \(UTCText.rupees(o)) is outside [low \(UTCText.rupees(l)), high \(UTCText.rupees(h))]"))
            }
            if c < l || c > h {
                found.append(Problem(kind: .closeOutsideRange, message: "close \(UTCText.rupees(c)) is outside [low \(UTCText.rupees(l)), high \(UTCText.rupees(h))]"))
            }
        }
        if v < 0 { found.append(Problem(kind: .negativeVolume, message: "volume \(v) is negative")) }
        return found
    }

    @inline(__always)
    static func isSound(open o: Int64, high h: Int64, low l: Int64, close c: Int64, volume v: Int64) -> Bool {
        !(o <= 0 || h <= 0 || l <= 0 || c <= 0 || h < l || o < l || o > h || c < l || c > h || v < 0)
    }

    static func firstProblem(open o: Int64, high h: Int64, low l: Int64, close c: Int64, volume v: Int64) -> Problem? {
        isSound(open: o, high: h, low: l, close: c, volume: v) ? nil : problems(open: o, high: h, low: l, close: c, volume: v).first
    }
}
