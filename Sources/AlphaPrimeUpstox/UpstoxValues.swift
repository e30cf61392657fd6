import AlphaPrimeDomain
import Foundation

/// A rupee amount as Upstox's JSON gives it (a number such as `2.65`), with its value in exact paise
/// (rounded half away from zero to the nearest paisa; exact for prices with at most two decimals).
/// `null` decodes as zero where the model says the field may be absent.
public struct UpstoxPrice: Decodable, Sendable, Hashable, CustomStringConvertible {
    public var rupees: Double
    public var paise: Paise

    public init(rupees: Double) {
        self.rupees = rupees
        self.paise = Paise(rupeesRounded: rupees)
    }

    public init(from decoder: Decoder) throws {
        self.init(rupees: try decoder.singleValueContainer().decode(Double.self))
    }

    public var description: String { "\(paise)" }
}

/// An Upstox timestamp, kept as sent and as a UTC instant. The order book sends IST wall-clock text
/// `yyyy-MM-dd HH:mm:ss`; the trade book `dd-MMM-yyyy HH:mm:ss` (`03-Aug-2017 15:03:42`). Both are IST.
public struct UpstoxTimestamp: Decodable, Sendable, Hashable, CustomStringConvertible {
    public var text: String
    public var utc: UTCTimestamp

    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    public init?(_ text: String) {
        var iso = text
        let parts = text.split(separator: " ", maxSplits: 1)
        let date = parts.first.map { $0.split(separator: "-") } ?? []
        if date.count == 3, date[1].count == 3, let month = Self.months.firstIndex(of: String(date[1])), parts.count == 2 {
            iso = "\(date[2])-\(month < 9 ? "0" : "")\(month + 1)-\(date[0]) \(parts[1])"
        }
        guard let seconds = IST.epochSeconds(iso8601: iso) else { return nil }
        self.text = text
        self.utc = UTCTimestamp(secondsSinceEpoch: seconds)
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = UpstoxTimestamp(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an Upstox timestamp: \(text)")
        }
        self = value
    }

    public var description: String { text }
}
