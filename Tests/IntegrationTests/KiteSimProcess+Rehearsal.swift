import AlphaPrimeDomain
import AlphaPrimeKite
import AlphaPrimeHTTP
import Foundation

/// What the adapter's tests need of a kite-sim: its address as a Kite connection, its own
/// endpoints through the adapter's HTTP client, and a home configured to trade live through it.
extension KiteSimProcess {
    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// `GET`/`POST` of kite-sim's own endpoints (`/sim/…`); the envelope's data.
    func sim(_ path: String, form: [(String, String)]? = nil) throws -> [String: Any] {
        let client = try HTTPClient()
        let response = try client.perform(HTTPRequest(
            method: form == nil ? .get : .post, url: baseURL + path,
            headers: form == nil ? [] : [(name: "Content-Type", value: "application/x-www-form-urlencoded")],
            body: form.map { Data(FormEncoding.encode($0).utf8) }))
        let object = try JSONSerialization.jsonObject(with: response.body) as? [String: Any]
        return (object?["data"] as? [String: Any]) ?? [:]
    }

    /// A home's broker_config.yaml pointed at this kite-sim, with limits a replay at full speed
    /// does not wait on, and the `.env` of a trader with every live gate open.
    /// `lifecycleStage`: where every enabled strategy stands (the live engine trades none below
    /// live-10); nil leaves the lifecycle untouched.
    func configureLive(_ home: TestHome, lifecycleStage: StrategyStage? = .live100) throws {
        try home.edit("config/broker_config.yaml", replacing: "active_broker: paper", with: "active_broker: kite")
        try home.edit("config/broker_config.yaml", replacing: "base_url: https://api.kite.trade", with: "base_url: \(baseURL)")
        for (old, new) in [("requests_per_second: 10 ", "requests_per_second: 5000 "),
                           ("quote_requests_per_second: 1\n", "quote_requests_per_second: 100\n"),
                           ("historical_requests_per_second: 3\n", "historical_requests_per_second: 100\n"),
                           ("orders_per_second: 10\n", "orders_per_second: 1000\n"),
                           ("orders_per_minute: 400\n", "orders_per_minute: 60000\n"),
                           ("orders_per_day: 5000 ", "orders_per_day: 100000 ")] {
            try home.edit("config/broker_config.yaml", replacing: old, with: new)
        }
        try home.writeDotEnv("""
            ENVIRONMENT=production
            ENABLE_REAL_TRADING=true
            ENABLE_PAPER_TRADING=true
            KITE_API_KEY=\(Self.apiKey)
            KITE_API_SECRET=\(Self.apiSecret)
            KITE_ACCESS_TOKEN=\(Self.accessToken)

            """)
        for folder in ["backups", "var"] {
            let url = home.path(folder)
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: url.path)
        }
        if lifecycleStage != nil { try LifecycleFixture.place(home, at: lifecycleStage!) }
    }

    /// A connection to this kite-sim for the adapter used in-process.
    func connection(requestTimeout: Double = 5, lookupSeconds: Double = 5) -> KiteConnection {
        KiteConnection(
            baseURL: baseURL, apiKey: Self.apiKey, accessToken: Self.accessToken, connectTimeout: 2, requestTimeout: requestTimeout,
            retries: BrokerConfig.Retries(maxAttempts: 3, backoffMS: 5, maxBackoffMS: 40),
            rateLimits: BrokerConfig.RateLimits(requestsPerSecond: 100_000, quoteRequestsPerSecond: 100, historicalRequestsPerSecond: 100,
                                                ordersPerSecond: 100_000, ordersPerMinute: 6_000_000, ordersPerDay: 100_000_000),
            placementLookupSeconds: lookupSeconds)
    }
}
