import Foundation

/// One HTTP request: what ``HTTPClient/perform(_:)`` sends.
public struct HTTPRequest: Sendable {
    public enum Method: String, Sendable { case get = "GET", post = "POST", put = "PUT", delete = "DELETE" }

    public var method: Method
    /// The whole URL, query included. It may carry a secret (a WebSocket token), so it is never
    /// put into an error or a log by this library: errors name the host alone.
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: Data?
    /// Seconds to establish the connection (TCP and TLS).
    public var connectTimeout: Double
    /// Seconds for the whole exchange, connection included.
    public var timeout: Double

    public init(method: Method, url: String, headers: [(name: String, value: String)] = [], body: Data? = nil,
                connectTimeout: Double = 5, timeout: Double = 10) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.connectTimeout = connectTimeout
        self.timeout = timeout
    }

    /// The host the URL names (for messages that must not carry the URL itself).
    public var host: String {
        URLComponents(string: url)?.host ?? "?"
    }
}

/// An answer: its status, its headers (names lower-cased; a repeated header keeps its last value)
/// and its body.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// `application/x-www-form-urlencoded`, as HTML forms and Kite Connect's order endpoints take it.
public enum FormEncoding {
    /// Characters left as they are (RFC 3986 unreserved); everything else is percent-encoded, a
    /// space as `%20`.
    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    public static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    /// `a=1&b=x%20y`, in the order given.
    public static func encode(_ fields: [(String, String)]) -> String {
        fields.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
    }
}
