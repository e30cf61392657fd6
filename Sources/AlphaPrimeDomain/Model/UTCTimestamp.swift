import AlphaPrimeSupport
import Foundation

/// An instant, as whole microseconds since 1970-01-01T00:00:00Z.
///
/// This is how every timestamp is stored in the state database (an integer column, always UTC, never
/// local time). Market logic converts to IST for display and session rules.
public struct UTCTimestamp: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var microseconds: Int64

    @inlinable public init(microseconds: Int64) { self.microseconds = microseconds }

    public init(_ date: Date) {
        self.microseconds = Int64((date.timeIntervalSince1970 * 1_000_000).rounded(.down))
    }

    public init(secondsSinceEpoch seconds: Int64) { self.microseconds = seconds * 1_000_000 }

    /// The wall clock now. Code that runs in backtests takes its time from the engine's clock instead.
    public static func now() -> UTCTimestamp { UTCTimestamp(Date()) }

    public var date: Date { Date(timeIntervalSince1970: Double(microseconds) / 1_000_000) }

    public func adding(microseconds delta: Int64) -> UTCTimestamp { UTCTimestamp(microseconds: microseconds + delta) }
    public func adding(seconds delta: Int64) -> UTCTimestamp { adding(microseconds: delta * 1_000_000) }

    /// ISO 8601 in UTC with microseconds: `2026-01-26T03:45:00.000000Z`.
    public var description: String {
        let seconds = microseconds >= 0 ? microseconds / 1_000_000 : (microseconds - 999_999) / 1_000_000
        let micros = microseconds - seconds * 1_000_000
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let date = LocalDate(daysSinceEpoch: Int(days))
        func pad(_ v: Int64, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(date)T\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay % 3600 / 60, 2)):\(pad(secondOfDay % 60, 2)).\(pad(micros, 6))Z"
    }

    @inlinable public static func < (a: UTCTimestamp, b: UTCTimestamp) -> Bool { a.microseconds < b.microseconds }

    public init(from decoder: Decoder) throws { microseconds = try decoder.singleValueContainer().decode(Int64.self) }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(microseconds)
    }
}
