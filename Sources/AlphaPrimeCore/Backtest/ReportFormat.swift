import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import Foundation

/// How reports show money, time and numbers. Money is formatted from exact paise with integer
/// arithmetic; only ratios go through floating-point formatting.
enum ReportFormat {
    /// `2021-01-01T09:15:00+05:30`: a UTC instant on the IST wall clock, ISO-8601 with offset.
    static func istISO8601(_ epochSeconds: Int64) -> String {
        let t = IST.dateTime(epochSeconds: epochSeconds)
        let s = t.secondOfDay
        return "\(t.date)T\(two(s / 3600)):\(two(s / 60 % 60)):\(two(s % 60))+05:30"
    }

    /// `1234.50`, `-0.05`: rupees with two decimals, exact.
    static func rupees(_ paise: Int64) -> String { Paise(paise).description }

    /// value / quantity rounded half away from zero to the paisa, in rupees: an average fill price.
    static func averagePrice(value: Int64, quantity: Int64) -> String {
        guard quantity != 0 else { return "" }
        return rupees(TradeStatistics.roundedAverage(value, Int(quantity)) ?? 0)
    }

    /// `₹12,34,567.89`: rupees with Indian digit grouping (lakh, crore), exact.
    static func inr(_ paise: Int64) -> String {
        let magnitude = paise.magnitude
        let whole = String(magnitude / 100), frac = magnitude % 100
        var grouped = ""
        if whole.count <= 3 {
            grouped = whole
        } else {
            let last3 = whole.suffix(3)
            var head = Array(whole.dropLast(3))
            var groups: [String] = []
            while head.count > 2 { groups.insert(String(head.suffix(2)), at: 0); head.removeLast(2) }
            if !head.isEmpty { groups.insert(String(head), at: 0) }
            grouped = groups.joined(separator: ",") + "," + last3
        }
        return "\(paise < 0 ? "-" : "")₹\(grouped).\(two(Int(frac)))"
    }

    /// `12.34%`; `—` for NaN, `∞` / `-∞` for infinities.
    static func percent(_ x: Double, digits: Int = 2) -> String {
        guard x.isFinite else { return nonFinite(x) }
        return String(format: "%.\(digits)f%%", x * 100)
    }

    /// `1.23`; `—` for NaN, `∞` / `-∞` for infinities.
    static func ratio(_ x: Double, digits: Int = 2) -> String {
        guard x.isFinite else { return nonFinite(x) }
        return String(format: "%.\(digits)f", x)
    }

    /// A number for CSV: the shortest text that reads back to the same Double; empty for NaN.
    static func csvNumber(_ x: Double) -> String { x.isNaN ? "" : x.description }

    static func nonFinite(_ x: Double) -> String { x.isNaN ? "—" : (x > 0 ? "∞" : "-∞") }

    static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// A CSV field, quoted when it holds a comma, quote or line break (RFC 4180).
    static func csvField(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Text safe inside HTML or SVG elements and attribute values.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
}
