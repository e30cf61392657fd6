import AlphaPrimeSupport
import Foundation

/// `config/broker_config.yaml`: which broker the engine talks to and how (endpoints, timeouts,
/// retries, rate limits, products). Keys and tokens come from the environment through `${…}`.
public struct BrokerConfig: Codable, Sendable, Equatable {
    public enum Name: String, Codable, Sendable, CaseIterable, ConfigChoice { case paper, kite, upstox }

    public struct Paper: Codable, Sendable, Equatable {
        /// No longer a setting: read only to name it in an error. Paper orders fill on the next
        /// 1-minute bar, so a delay under a minute would change no fill.
        public var fillLatencyMS: Int?
        /// Adverse slippage applied to market fills, in ticks.
        public var slippageTicks: Int

        enum CodingKeys: String, CodingKey { case fillLatencyMS = "fill_latency_ms", slippageTicks = "slippage_ticks" }
    }

    public struct Timeouts: Codable, Sendable, Equatable {
        public var connectSeconds: Double
        public var requestSeconds: Double

        enum CodingKeys: String, CodingKey { case connectSeconds = "connect_seconds", requestSeconds = "request_seconds" }
    }

    /// Retries for reads only: an order POST is never retried blindly (its outcome is looked up by tag).
    public struct Retries: Codable, Sendable, Equatable {
        public var maxAttempts: Int
        public var backoffMS: Int
        public var maxBackoffMS: Int
        /// How long a placement whose outcome is unknown (a timeout, a 5xx, Kite's "timed out" 400)
        /// is looked up in the order book by its tag, with back-off, before it is taken as not placed.
        /// 60 seconds when not given.
        public var placementLookupSeconds: Double?

        public init(maxAttempts: Int, backoffMS: Int, maxBackoffMS: Int, placementLookupSeconds: Double? = nil) {
            self.maxAttempts = maxAttempts
            self.backoffMS = backoffMS
            self.maxBackoffMS = maxBackoffMS
            self.placementLookupSeconds = placementLookupSeconds
        }

        enum CodingKeys: String, CodingKey {
            case maxAttempts = "max_attempts", backoffMS = "backoff_ms", maxBackoffMS = "max_backoff_ms"
            case placementLookupSeconds = "placement_lookup_seconds"
        }
    }

    public struct RateLimits: Codable, Sendable, Equatable {
        /// Every endpoint together.
        public var requestsPerSecond: Double
        public var quoteRequestsPerSecond: Double
        public var historicalRequestsPerSecond: Double
        public var ordersPerSecond: Double
        public var ordersPerMinute: Int
        public var ordersPerDay: Int
        /// Modifications the broker accepts for one order.
        public var modificationsPerOrder: Int?

        public init(requestsPerSecond: Double, quoteRequestsPerSecond: Double, historicalRequestsPerSecond: Double,
                    ordersPerSecond: Double, ordersPerMinute: Int, ordersPerDay: Int, modificationsPerOrder: Int? = nil) {
            self.requestsPerSecond = requestsPerSecond
            self.quoteRequestsPerSecond = quoteRequestsPerSecond
            self.historicalRequestsPerSecond = historicalRequestsPerSecond
            self.ordersPerSecond = ordersPerSecond
            self.ordersPerMinute = ordersPerMinute
            self.ordersPerDay = ordersPerDay
            self.modificationsPerOrder = modificationsPerOrder
        }

        enum CodingKeys: String, CodingKey {
            case requestsPerSecond = "requests_per_second", quoteRequestsPerSecond = "quote_requests_per_second"
            case historicalRequestsPerSecond = "historical_requests_per_second", ordersPerSecond = "orders_per_second"
            case ordersPerMinute = "orders_per_minute", ordersPerDay = "orders_per_day"
            case modificationsPerOrder = "modifications_per_order"
        }
    }

    public struct WebSocket: Codable, Sendable, Equatable {
        public var maxInstrumentsPerConnection: Int
        public var maxConnections: Int
        public var reconnectMaxDelaySeconds: Double
        /// No print for this many seconds in market hours makes the live feed stale (entries pause,
        /// the feed reconnects). Optional in the file; 30 when absent.
        public var staleAfterSeconds: Double

        enum CodingKeys: String, CodingKey {
            case maxInstrumentsPerConnection = "max_instruments_per_connection", maxConnections = "max_connections"
            case reconnectMaxDelaySeconds = "reconnect_max_delay_seconds", staleAfterSeconds = "stale_after_seconds"
        }

        public init(maxInstrumentsPerConnection: Int, maxConnections: Int, reconnectMaxDelaySeconds: Double, staleAfterSeconds: Double = 30) {
            self.maxInstrumentsPerConnection = maxInstrumentsPerConnection
            self.maxConnections = maxConnections
            self.reconnectMaxDelaySeconds = reconnectMaxDelaySeconds
            self.staleAfterSeconds = staleAfterSeconds
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            maxInstrumentsPerConnection = try c.decode(Int.self, forKey: .maxInstrumentsPerConnection)
            maxConnections = try c.decode(Int.self, forKey: .maxConnections)
            reconnectMaxDelaySeconds = try c.decode(Double.self, forKey: .reconnectMaxDelaySeconds)
            staleAfterSeconds = try c.decodeIfPresent(Double.self, forKey: .staleAfterSeconds) ?? 30
        }
    }

    /// A live broker's API.
    public struct LiveBroker: Codable, Sendable, Equatable {
        public var apiKey: String
        public var apiSecret: String
        public var accessToken: String
        public var baseURL: String
        public var loginURL: String
        public var websocketURL: String
        public var timeouts: Timeouts
        public var retries: Retries
        public var rateLimits: RateLimits
        public var websocket: WebSocket
        public var products: [ProductType]

        enum CodingKeys: String, CodingKey {
            case apiKey = "api_key", apiSecret = "api_secret", accessToken = "access_token", baseURL = "base_url"
            case loginURL = "login_url", websocketURL = "websocket_url", timeouts, retries
            case rateLimits = "rate_limits", websocket, products
        }

        func validate(_ v: inout ConfigValidator, at path: String, active: Bool, variablePrefix: String) {
            Self.url(baseURL, schemes: ["https"], at: path + ".base_url", &v)
            Self.url(loginURL, schemes: ["https"], at: path + ".login_url", &v)
            Self.url(websocketURL, schemes: ["wss"], at: path + ".websocket_url", &v)
            let f = ConfigValidator.format
            for (key, value) in [("connect_seconds", timeouts.connectSeconds), ("request_seconds", timeouts.requestSeconds)] {
                v.check(value > 0 && value <= 120, "\(path).timeouts.\(key)", "must be more than 0 and at most 120 seconds, got \(f(value))")
            }
            v.check(retries.maxAttempts >= 1 && retries.maxAttempts <= 10, path + ".retries.max_attempts",
                    "must be from 1 to 10, got \(retries.maxAttempts)")
            v.nonNegative(retries.backoffMS, path + ".retries.backoff_ms")
            if let lookup = retries.placementLookupSeconds {
                v.check(lookup > 0 && lookup <= 600, path + ".retries.placement_lookup_seconds",
                        "must be more than 0 and at most 600 seconds, got \(f(lookup))")
            }
            v.check(retries.maxBackoffMS >= retries.backoffMS, path + ".retries.max_backoff_ms",
                    "must be at least backoff_ms (\(retries.backoffMS)), got \(retries.maxBackoffMS)", involving: [path + ".retries.backoff_ms"])
            let r = rateLimits, rp = path + ".rate_limits"
            for (key, value) in [("requests_per_second", r.requestsPerSecond), ("quote_requests_per_second", r.quoteRequestsPerSecond),
                                 ("historical_requests_per_second", r.historicalRequestsPerSecond), ("orders_per_second", r.ordersPerSecond)] {
                v.check(value > 0, "\(rp).\(key)", "must be greater than 0, got \(f(value))")
            }
            v.positive(r.ordersPerMinute, rp + ".orders_per_minute")
            v.positive(r.ordersPerDay, rp + ".orders_per_day")
            if let m = r.modificationsPerOrder { v.positive(m, rp + ".modifications_per_order") }
            v.check(r.ordersPerSecond <= r.requestsPerSecond, rp + ".orders_per_second",
                    "is above requests_per_second (\(f(r.requestsPerSecond)))", involving: [rp + ".requests_per_second"])
            v.check(Double(r.ordersPerMinute) <= r.ordersPerSecond * 60, rp + ".orders_per_minute",
                    "cannot be reached at \(f(r.ordersPerSecond)) orders per second", involving: [rp + ".orders_per_second"])
            v.check(r.ordersPerDay >= r.ordersPerMinute, rp + ".orders_per_day",
                    "is below orders_per_minute (\(r.ordersPerMinute))", involving: [rp + ".orders_per_minute"])
            v.positive(websocket.maxInstrumentsPerConnection, path + ".websocket.max_instruments_per_connection")
            v.positive(websocket.maxConnections, path + ".websocket.max_connections")
            v.check(websocket.reconnectMaxDelaySeconds > 0, path + ".websocket.reconnect_max_delay_seconds", "must be greater than 0")
            v.check(websocket.staleAfterSeconds >= 1 && websocket.staleAfterSeconds <= 3_600, path + ".websocket.stale_after_seconds",
                    "must be 1 to 3600 seconds")
            v.check(!products.isEmpty, path + ".products", "list at least one product (MIS, CNC, NRML)")
            v.unique(products, path: { "\(path).products[\($0)]" }, describe: { $0.rawValue })
            if active {
                v.check(!apiKey.isEmpty, path + ".api_key", "required when active_broker is \(path); set \(variablePrefix)_API_KEY in .env")
                v.check(!apiSecret.isEmpty, path + ".api_secret", "required when active_broker is \(path); set \(variablePrefix)_API_SECRET in .env")
            }
        }

        /// A broker URL must be encrypted, except on this machine's loopback address (a kite-sim
        /// rehearsal), where `http`/`ws` are accepted too.
        static func url(_ text: String, schemes: [String], at path: String, _ v: inout ConfigValidator) {
            guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host else {
                v.error(path, "expected a URL like \(schemes[0])://host/…, got '\(text)'")
                return
            }
            let plain = schemes.map { $0 == "https" ? "http" : $0 == "wss" ? "ws" : $0 }
            if isLoopback(host), plain.contains(scheme) { return }
            v.check(schemes.contains(scheme), path, "must use \(schemes.joined(separator: " or ")), got \(scheme)"
                        + (plain.contains(scheme) ? " (plain \(scheme) is accepted only on 127.0.0.1 or localhost)" : ""))
        }

        /// 127.0.0.0/8, `localhost`, `::1`.
        public static func isLoopback(_ host: String) -> Bool {
            host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
        }

        /// Whether the API is a kite-sim (or any server) on this machine's loopback address.
        public var isLoopback: Bool {
            URL(string: baseURL)?.host.map(Self.isLoopback) ?? false
        }
    }

    public var activeBroker: Name
    public var paper: Paper
    public var kite: LiveBroker
    public var upstox: LiveBroker

    enum CodingKeys: String, CodingKey { case activeBroker = "active_broker", paper, kite, upstox }

    public static let fileName = "broker_config.yaml"

    public func validate(_ v: inout ConfigValidator) {
        if paper.fillLatencyMS != nil {
            v.error("paper.fill_latency_ms", "is no longer a setting: paper orders fill on the next 1-minute bar "
                    + "(at its open, slippage_ticks worse), so a delay under a minute changes no fill; delete this line")
        }
        v.nonNegative(paper.slippageTicks, "paper.slippage_ticks")
        kite.validate(&v, at: "kite", active: activeBroker == .kite, variablePrefix: "KITE")
        upstox.validate(&v, at: "upstox", active: activeBroker == .upstox, variablePrefix: "UPSTOX")
    }
}
