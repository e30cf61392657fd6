import AlphaPrimeDomain
import Foundation

/// A rupee amount as Kite's JSON gives it (a number such as `1434.5`), with its value in exact paise.
///
/// Foundation's `JSONDecoder` hands numbers over as `Double`; `paise` is `(rupees * 100)` rounded half
/// away from zero to the nearest paisa. For a price with at most two decimals and magnitude below
/// 2^53 / 100 rupees (about 90 trillion) that is exact: the nearest `Double` to such a decimal, times
/// 100, is within far less than half a paisa of the true integer. Computed amounts (P&L, margins,
/// charges such as `0.01876`, `870.57475`) carry sub-paisa digits and float noise; `paise` rounds them
/// and `rupees` keeps what Kite sent.
public struct KitePrice: Decodable, Sendable, Hashable, CustomStringConvertible {
    /// The amount exactly as decoded from the JSON number.
    public var rupees: Double
    /// The amount rounded to the nearest paisa (half away from zero).
    public var paise: Paise

    public init(rupees: Double) {
        self.rupees = rupees
        self.paise = Paise(rupeesRounded: rupees)
    }

    /// Parses decimal rupee text (`"2528.4"`, `"0.05"`, from the instrument CSVs): exact paise from
    /// the digits when it has at most two decimals, otherwise (`"0.0025"`) rounded to the nearest
    /// paisa. Nil when the text is not a plain decimal number.
    public init?(decimalText text: String) {
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-") }),
              let rupees = Double(text), Self.fitsInPaise(rupees) else { return nil }
        self.rupees = rupees
        self.paise = Paise(rupees: text) ?? Paise(rupeesRounded: rupees)
    }

    /// Decodes a JSON number; one whose paise do not fit in `Int64` (`1e300`) is a decoding error.
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let rupees = try container.decode(Double.self)
        guard Self.fitsInPaise(rupees) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "a rupee amount out of range: \(rupees)")
        }
        self.init(rupees: rupees)
    }

    /// Whether `rupees`, rounded to the nearest paisa, is a finite amount that `Int64` paise can hold.
    static func fitsInPaise(_ rupees: Double) -> Bool {
        Int64(exactly: (rupees * 100).rounded(.toNearestOrAwayFromZero)) != nil
    }

    public var description: String { "\(paise)" }
}

/// A Kite timestamp, kept as sent and as a UTC instant.
///
/// Kite sends REST timestamps as IST wall-clock text `yyyy-MM-dd HH:mm:ss` (no offset: IST is
/// UTC+5:30 all year, so `2021-05-31 09:18:57` is `2021-05-31T03:48:57Z`), and historical candles and
/// ticker renderings as ISO 8601 with an offset (`2017-12-15T09:15:00+0530`, `…+05:30`). Both are read
/// by `IST.epochSeconds(iso8601:)`: the date must exist, the time be valid, nothing may follow, and
/// text without an offset is IST. Kite's "no value" timestamps (`0001-01-01 00:00:00`,
/// `1970-01-01 00:00:00`) parse as those instants; callers treat them as absent.
public struct KiteTimestamp: Decodable, Sendable, Hashable, CustomStringConvertible {
    /// The text Kite sent.
    public var text: String
    /// The instant it names.
    public var utc: UTCTimestamp

    /// Parses Kite's text; nil when it is not a timestamp in one of the forms above.
    public init?(_ text: String) {
        guard let seconds = IST.epochSeconds(iso8601: text) else { return nil }
        self.text = text
        self.utc = UTCTimestamp(secondsSinceEpoch: seconds)
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = KiteTimestamp(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "not a Kite timestamp (yyyy-MM-dd HH:mm:ss IST or ISO 8601): \(text)")
        }
        self = value
    }

    public var description: String { text }
}

/// An `{"order_id": …}` answer: order placement, modification and cancellation (also mutual fund
/// orders).
public struct KiteOrderReference: Decodable, Sendable, Hashable {
    public var orderID: String
    enum CodingKeys: String, CodingKey { case orderID = "order_id" }
}

/// A day's open, high, low and close.
public struct KiteOHLC: Decodable, Sendable, Hashable {
    public var open: KitePrice
    public var high: KitePrice
    public var low: KitePrice
    public var close: KitePrice
    enum CodingKeys: String, CodingKey { case open, high, low, close }
}
