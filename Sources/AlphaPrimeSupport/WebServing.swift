/// A request as the dashboard's pages see it: the transport (an HTTP server linked into the
/// `dashboard` executable alone) turns each HTTP request into one of these.
public struct WebRequest: Sendable {
    public var method: String
    /// The path without the query: `/strategies`.
    public var path: String
    /// The query's fields, percent-decoded (a repeated name keeps its last value).
    public var query: [String: String]
    /// Header fields by lower-case name (repeated fields joined with ", ").
    public var headers: [String: String]
    public var body: [UInt8]

    public init(method: String, path: String, query: [String: String] = [:], headers: [String: String] = [:], body: [UInt8] = []) {
        self.method = method.uppercased()
        self.path = path
        self.query = query
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { "\($0), \($1)" })
        self.body = body
    }

    public func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// The body's fields when it is `application/x-www-form-urlencoded`, else none.
    public var form: [String: String] {
        guard header("content-type")?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true else { return [:] }
        return Self.fields(String(decoding: body, as: UTF8.self))
    }

    /// `a=1&b=x+y%21` → `["a": "1", "b": "x y!"]`.
    public static func fields(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            // A field whose name or value is not well-formed is left out.
            guard let name = decode(parts[0]), let value = parts.count > 1 ? decode(parts[1]) : "" else { continue }
            result[name] = value
        }
        return result
    }

    /// Percent-decoding with `+` as a space; nil when an escape is broken or the bytes are not UTF-8.
    public static func decode<S: StringProtocol>(_ text: S) -> String? {
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let b = utf8.popFirst() {
            switch b {
            case UInt8(ascii: "+"): bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard utf8.count >= 2, let hi = hex(utf8.removeFirst()), let lo = hex(utf8.removeFirst()) else { return nil }
                bytes.append(hi << 4 | lo)
            default: bytes.append(b)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// What the dashboard answers.
public struct WebResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public static func html(_ text: String, status: Int = 200) -> WebResponse {
        WebResponse(status: status, headers: [("Content-Type", "text/html; charset=utf-8")], body: Array(text.utf8))
    }

    public static func text(_ text: String, status: Int, contentType: String = "text/plain; charset=utf-8") -> WebResponse {
        WebResponse(status: status, headers: [("Content-Type", contentType)], body: Array(text.utf8))
    }

    public static func redirect(to location: String) -> WebResponse {
        WebResponse(status: 303, headers: [("Location", location)])
    }
}

/// An HTTP server: serves `handler` on `host:port` until the process is asked to stop (SIGTERM or
/// SIGINT), calling `started` with the port it listens on (the one chosen when `port` is 0).
public protocol WebServing: Sendable {
    func serve(host: String, port: Int, handler: @escaping @Sendable (WebRequest) async -> WebResponse,
               started: @escaping @Sendable (Int) -> Void) async throws
}
