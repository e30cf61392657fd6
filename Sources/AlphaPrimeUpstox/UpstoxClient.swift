import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeHTTP
import Foundation

/// Where and how the Upstox API v2 is reached: `broker_config.yaml`'s `upstox` section with the
/// access token of the stored login (or `UPSTOX_ACCESS_TOKEN`).
///
/// Its description masks the key; the access token is never printed.
public struct UpstoxConnection: Sendable, CustomStringConvertible {
    /// `https://api.upstox.com/v2`, or a local server on a loopback address.
    public var baseURL: String
    /// The app's API key (OAuth `client_id`).
    public var apiKey: String
    public var accessToken: String
    public var connectTimeout: Double
    public var requestTimeout: Double
    public var retries: BrokerConfig.Retries
    public var rateLimits: BrokerConfig.RateLimits
    /// How long a placement whose outcome is unknown is looked up in the order book by its tag.
    public var placementLookupSeconds: Double

    public init(baseURL: String, apiKey: String, accessToken: String, connectTimeout: Double = 5, requestTimeout: Double = 10,
                retries: BrokerConfig.Retries, rateLimits: BrokerConfig.RateLimits, placementLookupSeconds: Double = 60) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.apiKey = apiKey
        self.accessToken = accessToken
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.retries = retries
        self.rateLimits = rateLimits
        self.placementLookupSeconds = placementLookupSeconds
    }

    public init(_ settings: BrokerConfig.LiveBroker, accessToken: String) {
        self.init(baseURL: settings.baseURL, apiKey: settings.apiKey, accessToken: accessToken,
                  connectTimeout: settings.timeouts.connectSeconds, requestTimeout: settings.timeouts.requestSeconds,
                  retries: settings.retries, rateLimits: settings.rateLimits,
                  placementLookupSeconds: settings.retries.placementLookupSeconds ?? 60)
    }

    public var description: String { "Upstox API at \(baseURL) (api key \(SecretNames.mask), access token \(SecretNames.mask))" }
}

/// An order as `POST /order/place` takes it (a JSON body).
public struct UpstoxOrderParameters: Sendable, Equatable {
    /// `NSE_EQ|INE002A01018`, `NSE_FO|52618`.
    public var instrumentToken: String
    /// `BUY` or `SELL`.
    public var transactionType: String
    /// `MARKET`, `LIMIT`, `SL`, `SL-M`.
    public var orderType: String
    public var quantity: Int64
    /// `I` (intraday) or `D` (delivery / carry forward).
    public var product: String
    /// For LIMIT and SL; 0 otherwise.
    public var price: Paise
    /// For SL and SL-M; 0 otherwise.
    public var triggerPrice: Paise
    /// The client order id.
    public var tag: String

    public init(instrumentToken: String, transactionType: String, orderType: String, quantity: Int64, product: String,
                price: Paise = .zero, triggerPrice: Paise = .zero, tag: String) {
        self.instrumentToken = instrumentToken; self.transactionType = transactionType; self.orderType = orderType
        self.quantity = quantity; self.product = product; self.price = price; self.triggerPrice = triggerPrice; self.tag = tag
    }

    /// The engine's product as Upstox names it: MIS is intraday (`I`), NRML and CNC are delivery (`D`).
    public static func product(_ product: ProductType) -> String { product == .mis ? "I" : "D" }

    var json: String {
        UpstoxJSON.object([
            ("quantity", String(quantity)), ("product", UpstoxJSON.string(product)), ("validity", UpstoxJSON.string("DAY")),
            ("price", price.description), ("tag", UpstoxJSON.string(tag)), ("instrument_token", UpstoxJSON.string(instrumentToken)),
            ("order_type", UpstoxJSON.string(orderType)), ("transaction_type", UpstoxJSON.string(transactionType)),
            ("disclosed_quantity", "0"), ("trigger_price", triggerPrice.description), ("is_amo", "false"),
        ])
    }
}

/// JSON text built field by field, so that prices go out as the exact decimal of their paise.
enum UpstoxJSON {
    static func string(_ text: String) -> String {
        (try? String(decoding: JSONEncoder().encode(text), as: UTF8.self)) ?? "\"\""
    }

    static func object(_ fields: [(String, String)]) -> String {
        "{" + fields.map { "\(string($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }
}

/// The Upstox API v2 REST API over one HTTP connection (libcurl): one client per thread.
///
/// Every request carries `Authorization: Bearer ACCESS_TOKEN` and `Accept: application/json`;
/// bodies are JSON (the token exchange alone is form-encoded); answers are the `{"status", "data"}`
/// envelope, decoded into the typed models, and an error envelope becomes an ``UpstoxError`` with
/// its HTTP status. Reads are retried with exponential back-off and jitter (a transport failure, a
/// 5xx, a 429); an order placement is never retried here — its caller looks the tag up in the
/// order book instead.
///
/// Errors carry Upstox's message and the HTTP status, never a request: no header, token or body.
public final class UpstoxClient {
    public let connection: UpstoxConnection
    let http: HTTPClient
    let limiter: UpstoxRateLimiter
    var random = SystemRandomNumberGenerator()

    public init(connection: UpstoxConnection, limiter: UpstoxRateLimiter) throws {
        self.connection = connection
        self.http = try HTTPClient()
        self.limiter = limiter
    }

    // MARK: Orders

    /// Places a regular order; returns Upstox's order id. Not retried: on an ``UpstoxError`` whose
    /// ``UpstoxError/isOutcomeUnknownOnPlacement`` is true, or an ``HTTPError`` that
    /// ``HTTPError/mayHaveReachedServer``, the order may exist — look its tag up.
    public func placeOrder(_ order: UpstoxOrderParameters) throws -> String {
        try limiter.acquire(.order)
        let answer: UpstoxOrderReference = try send(.post, "/order/place", json: order.json, kind: .order, retrying: false)
        return answer.orderID
    }

    /// Modifies a working order (`PUT /order/modify`): its quantity, type, price and trigger.
    public func modifyOrder(_ orderID: String, quantity: Int64, orderType: String, price: Paise, triggerPrice: Paise) throws -> String {
        try limiter.acquire(.order)
        let body = UpstoxJSON.object([
            ("quantity", String(quantity)), ("validity", UpstoxJSON.string("DAY")), ("price", price.description),
            ("order_id", UpstoxJSON.string(orderID)), ("order_type", UpstoxJSON.string(orderType)), ("disclosed_quantity", "0"),
            ("trigger_price", triggerPrice.description),
        ])
        let answer: UpstoxOrderReference = try send(.put, "/order/modify", json: body, kind: .order, retrying: false)
        return answer.orderID
    }

    /// Cancels a working order (`DELETE /order/cancel?order_id=`).
    public func cancelOrder(_ orderID: String) throws -> String {
        try limiter.acquire(.order)
        let answer: UpstoxOrderReference = try send(.delete, "/order/cancel", query: [("order_id", orderID)], kind: .order, retrying: false)
        return answer.orderID
    }

    /// The day's order book.
    public func orders() throws -> [UpstoxOrder] { try send(.get, "/order/retrieve-all") }

    /// One order's states, oldest first (`GET /order/history`).
    public func orderHistory(_ orderID: String) throws -> [UpstoxOrder] {
        try send(.get, "/order/history", query: [("order_id", orderID)])
    }

    /// One order's latest state (`GET /order/details`).
    public func orderDetails(_ orderID: String) throws -> UpstoxOrder {
        try send(.get, "/order/details", query: [("order_id", orderID)])
    }

    /// One order's executions (`GET /order/trades`).
    public func orderTrades(_ orderID: String) throws -> [UpstoxTrade] {
        try send(.get, "/order/trades", query: [("order_id", orderID)])
    }

    /// The day's executions.
    public func trades() throws -> [UpstoxTrade] { try send(.get, "/order/trades/get-trades-for-day") }

    /// Intraday and carry-forward positions.
    public func positions() throws -> [UpstoxPosition] { try send(.get, "/portfolio/short-term-positions") }

    /// Funds and margin of both segments.
    public func funds() throws -> UpstoxFunds { try send(.get, "/user/get-funds-and-margin") }

    /// The account holder's id (`GET /user/profile`), which proves the token is accepted.
    public func profileUserID() throws -> String {
        struct Profile: Decodable { var user_id: String }
        let profile: Profile = try send(.get, "/user/profile")
        return profile.user_id
    }

    // MARK: Market data

    /// Last traded prices of instrument keys (`NSE_EQ|INE848E01016`), keyed as Upstox keys the
    /// answer (`NSE_EQ:NHPC`); each entry names its instrument key.
    public func ltp(_ instrumentKeys: [String]) throws -> [String: UpstoxLTP] {
        try send(.get, "/market-quote/ltp", query: [("instrument_key", instrumentKeys.joined(separator: ","))], kind: .quote)
    }

    // MARK: Session

    /// Where the trader logs in each morning: Upstox redirects from there to the app's redirect
    /// URL with `code=…`.
    public static func loginURL(_ loginBase: String, apiKey: String, redirectURI: String) -> String {
        "\(loginBase)?response_type=code&client_id=\(FormEncoding.escape(apiKey))&redirect_uri=\(FormEncoding.escape(redirectURI))"
    }

    /// Exchanges a login's authorization code (good once) for the day's access token. The secret
    /// goes in the form body only, and never into an error or a log.
    public func exchangeCode(_ code: String, apiSecret: String, redirectURI: String) throws -> UpstoxTokenResponse {
        let form = [("code", code), ("client_id", connection.apiKey), ("client_secret", apiSecret),
                    ("redirect_uri", redirectURI), ("grant_type", "authorization_code")]
        let response = try exchange(.post, "/login/authorization/token", query: [], body: Data(FormEncoding.encode(form).utf8),
                                    contentType: "application/x-www-form-urlencoded", kind: .read, retrying: false, authenticated: false)
        guard (200...299).contains(response.status) else { throw UpstoxResponse.error(response.body, httpStatus: response.status) }
        do {
            return try JSONDecoder().decode(UpstoxTokenResponse.self, from: response.body)
        } catch {
            throw UpstoxError(code: "undecodable answer", httpStatus: response.status,
                              message: "the answer to the token exchange is not what Upstox documents")
        }
    }

    /// Ends the session (`DELETE /logout`): the access token stops working.
    public func logout() throws {
        let _: Bool = try send(.delete, "/logout", retrying: false)
    }

    // MARK: The exchange

    /// One call, decoded from the envelope, with reads retried.
    func send<T: Decodable>(_ method: HTTPRequest.Method, _ path: String, query: [(String, String)] = [], json: String? = nil,
                            kind: UpstoxRateLimiter.Kind = .read, retrying: Bool = true) throws -> T {
        let response = try exchange(method, path, query: query, body: json.map { Data($0.utf8) },
                                    contentType: json == nil ? nil : "application/json", kind: kind, retrying: retrying)
        do {
            return try UpstoxResponse.decode(response.body, as: T.self, httpStatus: response.status)
        } catch let error as DecodingError {
            throw UpstoxError(code: "undecodable answer", httpStatus: response.status,
                              message: "the answer to \(method.rawValue) \(path) is not what Upstox documents: \(Self.describe(error))")
        }
    }

    /// The HTTP exchange itself, rate limited; reads are retried on a transport failure, a 5xx or a 429.
    func exchange(_ method: HTTPRequest.Method, _ path: String, query: [(String, String)], body: Data?, contentType: String?,
                  kind: UpstoxRateLimiter.Kind, retrying: Bool, authenticated: Bool = true) throws -> HTTPResponse {
        var url = connection.baseURL + path
        if !query.isEmpty { url += "?" + FormEncoding.encode(query) }
        var headers: [(name: String, value: String)] = [(name: "Accept", value: "application/json")]
        if authenticated { headers.append((name: "Authorization", value: "Bearer \(connection.accessToken)")) }
        if let contentType { headers.append((name: "Content-Type", value: contentType)) }
        let request = HTTPRequest(method: method, url: url, headers: headers, body: body,
                                  connectTimeout: connection.connectTimeout, timeout: connection.requestTimeout)
        let attempts = retrying ? max(1, connection.retries.maxAttempts) : 1
        var attempt = 1
        while true {
            if kind != .order || attempt > 1 { try limiter.acquire(kind == .order ? .read : kind) }
            do {
                let response = try http.perform(request)
                if attempt < attempts, response.status == 429 || (500...599).contains(response.status) {
                    backOff(attempt: attempt)
                    attempt += 1
                    continue
                }
                return response
            } catch let error as HTTPError {
                guard attempt < attempts else { throw error }
                backOff(attempt: attempt)
                attempt += 1
            }
        }
    }

    /// Sleeps `backoff_ms × 2^(attempt−1)`, capped at `max_backoff_ms`, less a random part of up to half.
    func backOff(attempt: Int) {
        let retries = connection.retries
        let full = min(Double(retries.maxBackoffMS), Double(retries.backoffMS) * pow(2, Double(attempt - 1))) / 1000
        let wait = full * Double.random(in: 0.5...1, using: &random)
        if wait > 0 { Thread.sleep(forTimeInterval: wait) }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ p: [any CodingKey]) -> String {
            p.isEmpty ? "the top" : p.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing \(key.stringValue) at \(path(context.codingPath))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context): return "wrong type at \(path(context.codingPath))"
        case .dataCorrupted(let context): return "unreadable at \(path(context.codingPath))"
        @unknown default: return "unreadable"
        }
    }
}
