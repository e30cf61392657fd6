import AlphaPrimeDomain

/// A JSON value as kite-sim writes it: objects keep their keys in the order Kite's own answers
/// use, rupee amounts are written exactly from paise (`109.4` is `10940` paise, never a rounded
/// double), and `null` is written where Kite writes it (an optional that is absent).
enum JSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    /// A rupee amount held in paise: written as its exact decimal (`1234.5`, `72`, `-0.05`).
    case rupees(Int64)
    /// A computed amount that need not be whole paise (an average price): written as the shortest
    /// decimal that reads back as the same double.
    case number(Double)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])

    static func == (a: JSON, b: JSON) -> Bool { a.text == b.text }

    /// A string, or `null` when there is none.
    static func string(_ value: String?) -> JSON { value.map { .string($0) } ?? .null }

    /// The JSON text, compact.
    var text: String {
        var out = ""
        write(to: &out)
        return out
    }

    func write(to out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let n): out += String(n)
        case .rupees(let paise): out += Self.rupeeText(paise)
        case .number(let d): out += d.isFinite ? (d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : "\(d)") : "0"
        case .string(let s): Self.writeString(s, to: &out)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.write(to: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (i, (key, value)) in members.enumerated() {
                if i > 0 { out += "," }
                Self.writeString(key, to: &out)
                out += ":"
                value.write(to: &out)
            }
            out += "}"
        }
    }

    /// `10940` paise → `109.4`; `7200` → `72`; `-5` → `-0.05`.
    static func rupeeText(_ paise: Int64) -> String {
        let sign = paise < 0 ? "-" : ""
        let magnitude = paise.magnitude
        let whole = magnitude / 100, fraction = magnitude % 100
        if fraction == 0 { return "\(sign)\(whole)" }
        if fraction % 10 == 0 { return "\(sign)\(whole).\(fraction / 10)" }
        return "\(sign)\(whole).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    static func writeString(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}

extension JSON {
    /// Kite's success envelope: `{"status":"success","data":…}`.
    static func success(_ data: JSON) -> JSON { .object([("status", .string("success")), ("data", data)]) }

    /// Kite's error envelope: `{"status":"error","message":…,"data":null,"error_type":…}`.
    static func error(message: String, errorType: String) -> JSON {
        .object([("status", .string("error")), ("message", .string(message)), ("data", .null),
                 ("error_type", .string(errorType))])
    }
}

extension IST {
    /// Kite's REST timestamp: IST wall-clock text `yyyy-MM-dd HH:mm:ss`.
    static func kiteText(epochSeconds: Int64) -> String {
        let t = dateTime(epochSeconds: epochSeconds)
        return "\(t.date) \(clockText(t))"
    }

    /// `HH:mm:ss` of an IST instant.
    static func clockText(_ t: ISTDateTime) -> String { "\(t.time):\(t.second < 10 ? "0" : "")\(t.second)" }

    /// A historical candle's timestamp: `2021-02-22T09:15:00+0530`.
    static func candleText(epochSeconds: Int64) -> String {
        let t = dateTime(epochSeconds: epochSeconds)
        return "\(t.date)T\(clockText(t))+0530"
    }
}
