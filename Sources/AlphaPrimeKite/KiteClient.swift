import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeHTTP
import Foundation

/// Where and how the Kite Connect API is reached: `broker_config.yaml`'s `kite` section with the
/// key and token from `.env` (or the stored daily login).
///
/// Its description masks the key's secret parts; the access token is never printed.
public struct KiteConnection: Sendable, CustomStringConvertible {
    /// `https://api.kite.trade`, or a kite-sim on a loopback address.
    public var baseURL: String
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

    public var description: String { "Kite Connect at \(baseURL) (api key \(SecretNames.mask), access token \(SecretNames.mask))" }
}

/// The Kite Connect v3 REST API over one HTTP connection (libcurl): one client per thread.
///
/// Every request carries `X-Kite-Version: 3` and `Authorization: token api_key:access_token`; bodies
/// are form-encoded; answers are the `{"status", "data"}` envelope, decoded into the typed models,
/// and an error envelope becomes a ``KiteError`` with its HTTP status. Reads are retried with
/// exponential back-off and jitter (a transport failure, a 5xx, a 429); an order placement is never
/// retried here — its caller looks the tag up in the order book instead.
///
/// Errors carry Kite's message and the HTTP status, never a request: no header, token or body.
public final class KiteClient {
    public let connection: KiteConnection
    let http: HTTPClient
    let limiter: KiteRateLimiter
    var random = SystemRandomNumberGenerator()

    public init(connection: KiteConnection, limiter: KiteRateLimiter) throws {
        self.connection = connection
        self.http = try HTTPClient()
        self.limiter = limiter
    }

    // MARK: Orders

    /// Places a regular order; returns Kite's order id. Not retried: on an error whose
    /// ``KiteError/isOutcomeUnknownOnPlacement`` is true, or an ``HTTPError`` that
    /// ``HTTPError/mayHaveReachedServer``, the order may exist — look its tag up.
    public func placeOrder(_ order: KiteOrderParameters) throws -> String {
        try limiter.acquire(.order)
        let answer: KiteOrderID = try send(.post, "/orders/regular", form: order.form, retrying: false)
        return answer.orderID
    }

    /// Modifies a working regular order (its trigger, price, quantity or type).
    public func modifyOrder(_ orderID: String, quantity: Int64? = nil, price: Paise? = nil, triggerPrice: Paise? = nil,
                            orderType: String? = nil) throws -> String {
        var form: [(String, String)] = []
        if let quantity { form.append(("quantity", String(quantity))) }
        if let price { form.append(("price", price.description)) }
        if let triggerPrice { form.append(("trigger_price", triggerPrice.description)) }
        if let orderType { form.append(("order_type", orderType)) }
        form.append(("validity", "DAY"))
        try limiter.acquire(.order)
        let answer: KiteOrderID = try send(.put, "/orders/regular/\(Self.pathSegment(orderID))", form: form, retrying: false)
        return answer.orderID
    }

    /// Cancels a working regular order.
    public func cancelOrder(_ orderID: String) throws -> String {
        try limiter.acquire(.order)
        let answer: KiteOrderID = try send(.delete, "/orders/regular/\(Self.pathSegment(orderID))", retrying: false)
        return answer.orderID
    }

    /// The day's order book.
    public func orders() throws -> [KiteOrder] {
        try send(.get, "/orders")
    }

    /// One order's states, oldest first.
    public func orderHistory(_ orderID: String) throws -> [KiteOrder] {
        try send(.get, "/orders/\(Self.pathSegment(orderID))")
    }

    /// One order's executions.
    public func orderTrades(_ orderID: String) throws -> [KiteTrade] {
        try send(.get, "/orders/\(Self.pathSegment(orderID))/trades")
    }

    /// The day's executions.
    public func trades() throws -> [KiteTrade] {
        try send(.get, "/trades")
    }

    /// Net and day positions.
    public func positions() throws -> KitePositions {
        try send(.get, "/portfolio/positions")
    }

    /// Funds and margins of both segments.
    public func margins() throws -> KiteMargins {
        try send(.get, "/user/margins")
    }

    public func profile() throws -> KiteProfile {
        try send(.get, "/user/profile")
    }

    // MARK: Market data

    /// Last traded prices of `EXCHANGE:TRADINGSYMBOL` (or instrument token) keys.
    public func ltp(_ instruments: [String]) throws -> [String: KiteLTPQuote] {
        try send(.get, "/quote/ltp", query: instruments.map { ("i", $0) }, kind: .quote)
    }

    /// Full quotes.
    public func quote(_ instruments: [String]) throws -> [String: KiteQuote] {
        try send(.get, "/quote", query: instruments.map { ("i", $0) }, kind: .quote)
    }

    /// The instrument master (every exchange, or one), as Kite's CSV.
    public func instruments(exchange: String? = nil) throws -> [KiteInstrument] {
        let path = exchange.map { "/instruments/\(Self.pathSegment($0))" } ?? "/instruments"
        let response = try self.exchange(.get, path, query: [], form: nil, kind: .read, retrying: true)
        guard (200...299).contains(response.status) else {
            _ = try KiteResponse.decode(response.body, as: KiteNothing?.self, httpStatus: response.status)
            throw KiteError(kind: .unknown("HTTP \(response.status)"), httpStatus: response.status, message: "no instrument list")
        }
        return try KiteInstrument.parseCSV(response.bodyText, file: "\(connection.baseURL)\(path)")
    }

    /// Candles of one instrument from `from` to `to` (IST wall-clock times, inclusive), at an
    /// interval Kite names (`minute`, `5minute`, `day`, …). The caller keeps each request within
    /// Kite's range limit for the interval (``KiteHistoricalInterval/maximumDays``).
    public func historical(token: Int64, interval: String, from: ISTDateTime, to: ISTDateTime, continuous: Bool = false,
                           openInterest: Bool = false) throws -> [KiteCandle] {
        let query = [("from", Self.kiteTime(from)), ("to", Self.kiteTime(to)), ("continuous", continuous ? "1" : "0"),
                     ("oi", openInterest ? "1" : "0")]
        let answer: KiteCandles = try send(.get, "/instruments/historical/\(token)/\(Self.pathSegment(interval))", query: query,
                                           kind: .historical)
        return answer.candles
    }

    /// The same request as ``historical(token:interval:from:to:continuous:openInterest:)``, answered
    /// with Kite's JSON exactly as sent (`{"status": "success", "data": {"candles": [...]}}`), for a
    /// reader that keeps each price's digits (`market-data fetch` hands it to the Kite candles
    /// importer, the same reader `market-data import --format kite` uses).
    ///
    /// - Throws: ``KiteError`` for an error answer, ``HTTPError`` when Kite cannot be reached.
    public func historicalJSON(token: Int64, interval: KiteHistoricalInterval, from: ISTDateTime, to: ISTDateTime,
                               continuous: Bool = false, openInterest: Bool = false) throws -> Data {
        let path = "/instruments/historical/\(token)/\(interval.rawValue)"
        let query = [("from", Self.kiteTime(from)), ("to", Self.kiteTime(to)), ("continuous", continuous ? "1" : "0"),
                     ("oi", openInterest ? "1" : "0")]
        let response = try exchange(.get, path, query: query, form: nil, kind: .historical, retrying: true)
        // An error envelope (whatever the HTTP status) becomes a KiteError; a success passes as sent.
        _ = try KiteResponse.decode(response.body, as: KiteNothing?.self, httpStatus: response.status)
        return response.body
    }

    // MARK: Session

    /// Exchanges a login's `request_token` for the day's session (its access token). The checksum
    /// is SHA-256 of api_key + request_token + api_secret; the secret itself is never sent.
    public func generateSession(requestToken: String, apiSecret: String) throws -> KiteSession {
        let checksum = SHA256.hex(of: connection.apiKey + requestToken + apiSecret)
        return try send(.post, "/session/token",
                        form: [("api_key", connection.apiKey), ("request_token", requestToken), ("checksum", checksum)],
                        retrying: false, authenticated: false)
    }

    /// Ends the session (the access token stops working).
    public func invalidateSession() throws {
        let _: Bool = try send(.delete, "/session/token",
                               query: [("api_key", connection.apiKey), ("access_token", connection.accessToken)], retrying: false)
    }

    /// Where the trader logs in each morning: Kite redirects from there to the app's redirect URL
    /// with `request_token`.
    public static func loginURL(_ loginBase: String, apiKey: String) -> String {
        "\(loginBase)?api_key=\(FormEncoding.escape(apiKey))&v=3"
    }

    // MARK: The exchange

    /// One call, decoded from the envelope, with reads retried.
    func send<T: Decodable>(_ method: HTTPRequest.Method, _ path: String, query: [(String, String)] = [],
                            form: [(String, String)]? = nil, kind: KiteRateLimiter.Kind = .read, retrying: Bool = true,
                            authenticated: Bool = true) throws -> T {
        let response = try exchange(method, path, query: query, form: form, kind: kind, retrying: retrying, authenticated: authenticated)
        do {
            return try KiteResponse.decode(response.body, as: T.self, httpStatus: response.status)
        } catch let error as DecodingError {
            throw KiteError(kind: .unknown("undecodable answer"), httpStatus: response.status,
                            message: "the answer to \(method.rawValue) \(Self.describe(path)) is not what Kite documents: \(Self.describe(error))")
        }
    }

    /// The HTTP exchange itself, rate limited; reads are retried on a transport failure, a 5xx or a 429.
    func exchange(_ method: HTTPRequest.Method, _ path: String, query: [(String, String)], form: [(String, String)]?,
                  kind: KiteRateLimiter.Kind, retrying: Bool, authenticated: Bool = true) throws -> HTTPResponse {
        var url = connection.baseURL + path
        if !query.isEmpty { url += "?" + FormEncoding.encode(query) }
        var headers = [(name: "X-Kite-Version", value: "3")]
        if authenticated {
            headers.append((name: "Authorization", value: "token \(connection.apiKey):\(connection.accessToken)"))
        }
        var body: Data?
        if let form {
            headers.append((name: "Content-Type", value: "application/x-www-form-urlencoded"))
            body = Data(FormEncoding.encode(form).utf8)
        }
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

    /// Sleeps `backoff_ms × 2^(attempt−1)`, capped at `max_backoff_ms`, less a random part of up to
    /// half of it (jitter, so that retries of several threads do not arrive together).
    func backOff(attempt: Int) {
        let retries = connection.retries
        let full = min(Double(retries.maxBackoffMS), Double(retries.backoffMS) * pow(2, Double(attempt - 1))) / 1000
        let wait = full * Double.random(in: 0.5...1, using: &random)
        if wait > 0 { Thread.sleep(forTimeInterval: wait) }
    }

    static func pathSegment(_ text: String) -> String { FormEncoding.escape(text) }

    /// A path for a message: the order id in it is not a secret, but the query never appears.
    static func describe(_ path: String) -> String { path }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context): "missing \(key.stringValue) at \(codingPath(context.codingPath))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context): "wrong type at \(codingPath(context.codingPath))"
        case .dataCorrupted(let context): "unreadable at \(codingPath(context.codingPath))"
        @unknown default: "unreadable"
        }
    }

    static func codingPath(_ path: [any CodingKey]) -> String {
        path.isEmpty ? "the top" : path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }

    /// `yyyy-MM-dd HH:mm:ss`, the form Kite's historical API takes.
    static func kiteTime(_ time: ISTDateTime) -> String {
        String(time.description.dropLast(4))
    }
}

/// `{"order_id": "…"}`, the answer to a placement, a modification and a cancellation.
struct KiteOrderID: Decodable {
    var orderID: String
    enum CodingKeys: String, CodingKey { case orderID = "order_id" }
}

/// A regular order as `POST /orders/regular` takes it.
public struct KiteOrderParameters: Sendable, Equatable {
    public var exchange: String
    public var tradingsymbol: String
    /// `BUY` or `SELL`.
    public var transactionType: String
    /// `MARKET`, `LIMIT`, `SL`, `SL-M`.
    public var orderType: String
    public var quantity: Int64
    /// `MIS`, `NRML`, `CNC`.
    public var product: String
    /// For LIMIT and SL.
    public var price: Paise?
    /// For SL and SL-M.
    public var triggerPrice: Paise?
    /// ≤ 20 letters and digits: the client order id.
    public var tag: String

    public init(exchange: String, tradingsymbol: String, transactionType: String, orderType: String, quantity: Int64,
                product: String, price: Paise? = nil, triggerPrice: Paise? = nil, tag: String) {
        self.exchange = exchange; self.tradingsymbol = tradingsymbol; self.transactionType = transactionType
        self.orderType = orderType; self.quantity = quantity; self.product = product; self.price = price
        self.triggerPrice = triggerPrice; self.tag = tag
    }

    var form: [(String, String)] {
        var fields = [("tradingsymbol", tradingsymbol), ("exchange", exchange), ("transaction_type", transactionType),
                      ("order_type", orderType), ("quantity", String(quantity)), ("product", product), ("validity", "DAY")]
        if let price { fields.append(("price", price.description)) }
        if let triggerPrice { fields.append(("trigger_price", triggerPrice.description)) }
        fields.append(("tag", tag))
        return fields
    }
}
