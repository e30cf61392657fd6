import Foundation

// MARK: - Text messages from Kite

extension KiteTickerCodec {
    /// Decodes one text WebSocket message, a JSON object `{"type": …, "data": …}`:
    ///
    /// - `"order"`: `data` is the order postback's payload → `.order` (decoded as
    ///   `KitePostback(tickerUpdateFrom:)` does: `user_id`, `app_id`, `unfilled_quantity` and
    ///   `checksum` may be missing); a payload that is not an order is an error.
    /// - `"error"` / `"message"`: `data` is a string → `.error` / `.message` with it; when `data` is
    ///   missing or not a string, with the whole raw text instead.
    /// - any other `type`, or none: `.message` with the whole raw text, so a new kind of message
    ///   from Kite is passed on to be logged rather than breaking the connection.
    ///
    /// Text that is not JSON, or JSON that is not an object, throws (offset 0).
    public static func decode(text: String) throws(KiteTickerDecodeError) -> KiteTickerMessage {
        let envelope: TextEnvelope
        do {
            envelope = try JSONDecoder().decode(TextEnvelope.self, from: Data(text.utf8))
        } catch {
            throw KiteTickerDecodeError(offset: 0, reason: describe(error))
        }
        switch envelope.content {
        case .order(let postback): return .order(postback)
        case .error(let data): return .error(data ?? text)
        case .message(let data): return .message(data ?? text)
        case .unknown: return .message(text)
        }
    }

    struct TextEnvelope: Decodable {
        enum Content { case order(KitePostback), error(String?), message(String?), unknown }
        var content: Content

        enum CodingKeys: String, CodingKey { case type, data }

        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            switch try? c.decode(String.self, forKey: .type) {
            case "order": content = .order(try c.decode(TickerOrderUpdate.self, forKey: .data).postback)
            case "error": content = .error(try? c.decode(String.self, forKey: .data))
            case "message": content = .message(try? c.decode(String.self, forKey: .data))
            default: content = .unknown
            }
        }
    }

    struct TickerOrderUpdate: Decodable {
        var postback: KitePostback
        init(from decoder: Decoder) throws { postback = try KitePostback(tickerUpdateFrom: decoder) }
    }

    /// What is wrong and where (by coding path).
    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "not a Kite ticker text message" }
        func path(_ context: DecodingError.Context, _ key: (any CodingKey)? = nil) -> String {
            let keys = context.codingPath.map(\.stringValue) + (key.map { [$0.stringValue] } ?? [])
            return keys.isEmpty ? "the message" : "`" + keys.joined(separator: ".") + "`"
        }
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return "not JSON (\(context.underlyingError.map { "\($0)" } ?? context.debugDescription))"
        case .dataCorrupted(let context):
            return "\(path(context)): \(context.debugDescription)"
        case .keyNotFound(let key, let context):
            return "\(path(context, key)) is missing"
        case .typeMismatch(let type, let context) where context.codingPath.isEmpty:
            return "the message is not a JSON object (expected \(type))"
        case .typeMismatch(let type, let context):
            return "\(path(context)) is not of type \(type)"
        case .valueNotFound(let type, let context):
            return "\(path(context)) is null, expected \(type)"
        @unknown default:
            return "not a Kite ticker text message"
        }
    }
}

// MARK: - Requests to Kite

extension KiteTickerCodec {
    /// `{"a":"subscribe","v":[408065,884737]}`: start streaming these instruments (in the mode
    /// last set for them; Kite's default is `quote`).
    public static func subscribe(_ tokens: [UInt32]) -> String {
        #"{"a":"subscribe","v":"# + list(tokens) + "}"
    }

    /// `{"a":"unsubscribe","v":[408065]}`: stop streaming these instruments.
    public static func unsubscribe(_ tokens: [UInt32]) -> String {
        #"{"a":"unsubscribe","v":"# + list(tokens) + "}"
    }

    /// `{"a":"mode","v":["full",[408065]]}`: set these instruments' streaming mode.
    public static func mode(_ mode: KiteTickerMode, _ tokens: [UInt32]) -> String {
        #"{"a":"mode","v":[""# + mode.rawValue + #"","# + list(tokens) + "]}"
    }

    private static func list(_ tokens: [UInt32]) -> String {
        "[" + tokens.map(String.init).joined(separator: ",") + "]"
    }

    /// `wss://ws.kite.trade?api_key=…&access_token=…` from a base such as `"wss://ws.kite.trade"` or
    /// `"ws://127.0.0.1:PORT"`: the key and token percent-encoded (everything but letters, digits and
    /// `-._~`), appended with `&` when the base already has a query.
    public static func url(base: String, apiKey: String, accessToken: String) -> String {
        base + (base.contains("?") ? "&" : "?")
            + "api_key=" + percentEncoded(apiKey) + "&access_token=" + percentEncoded(accessToken)
    }

    static func percentEncoded(_ value: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(value.utf8.count)
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.append(byte)
            default:
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0f)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
