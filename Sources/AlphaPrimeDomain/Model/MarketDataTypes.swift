import AlphaPrimeSupport

/// The length of one bar: `1m`, `5m`, `15m`, `60m`, `1d`.
///
/// Intraday timeframes are whole minutes that divide a day; `1d` is one session.
public struct Timeframe: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let seconds: Int64

    public static let oneMinute = Timeframe(checkedSeconds: 60)
    public static let fiveMinutes = Timeframe(checkedSeconds: 300)
    public static let fifteenMinutes = Timeframe(checkedSeconds: 900)
    public static let sixtyMinutes = Timeframe(checkedSeconds: 3_600)
    public static let oneDay = Timeframe(checkedSeconds: 86_400)

    private init(checkedSeconds: Int64) { self.seconds = checkedSeconds }

    /// A timeframe of whole minutes below a day, or exactly one day; nil otherwise.
    public init?(seconds: Int64) {
        guard seconds == 86_400 || (seconds > 0 && seconds < 86_400 && seconds % 60 == 0) else { return nil }
        self.seconds = seconds
    }

    /// Parses `1m`, `5m`, `15m`, `60m`, `1h`, `1d` (also `5min`, `1day`).
    public init?(_ text: String) {
        let t = text.lowercased()
        let digits = t.prefix { $0.isASCII && $0.isNumber }
        guard let n = Int64(digits), n > 0 else { return nil }
        switch t.dropFirst(digits.count) {
        case "m", "min", "minute", "minutes": self.init(seconds: n * 60)
        case "h", "hour", "hours": self.init(seconds: n * 3_600)
        case "d", "day", "days": if n == 1 { self.init(seconds: 86_400) } else { return nil }
        default: return nil
        }
    }

    public var isDaily: Bool { seconds == 86_400 }
    public var minutes: Int64 { seconds / 60 }

    /// `1m`, `60m`, `1d`: the name used in folder names and flags.
    public var description: String { isDaily ? "1d" : "\(seconds / 60)m" }

    public static func < (a: Timeframe, b: Timeframe) -> Bool { a.seconds < b.seconds }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        guard let tf = Timeframe(text) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "expected a timeframe such as 1m, 5m, 15m, 60m or 1d, got '\(text)'")
        }
        self = tf
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// The zone of timestamps written without an offset ("naive" wall-clock times).
public enum MarketZone: String, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    case ist, utc

    public var offsetSeconds: Int64 { self == .ist ? IST.offsetSeconds : 0 }
    public var description: String { rawValue.uppercased() }
}

/// Which end of its interval a bar's timestamp names. ALPHA-PRIME stores bars by their **start**;
/// some vendors stamp a 1-minute bar with the minute it ends (09:16 for 09:15:00–09:15:59).
public enum BarLabel: String, Hashable, Sendable, Codable, CaseIterable {
    case start, end
}

/// The file formats the importer reads.
public enum MarketDataFormat: String, Hashable, Sendable, Codable, CaseIterable {
    /// ALPHA-PRIME's own `timestamp,open,high,low,close,volume` CSV (also with offset, naive or
    /// epoch-second timestamps).
    case canonical
    /// Headerless `symbol,YYYYMMDD,HH:MM,open,high,low,close,volume,oi` (naive IST).
    case headerless
    /// CSV with a header row and ISO-8601 timestamps (with or without an offset) or dates.
    case iso
    /// NSE website exports: BOM, quoted and padded header cells, `DD-MON-YYYY` dates, newest first.
    case nse
    /// Kite Connect historical candles JSON.
    case kite
}

/// What to do with a row that fails validation.
public enum BadRowPolicy: String, Hashable, Sendable, Codable, CaseIterable {
    /// Report every problem and fail (nothing is written).
    case fail
    /// Drop the bad rows, report each one, and carry on with the rest.
    case skip
}
