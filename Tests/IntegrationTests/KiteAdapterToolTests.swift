import AlphaPrimeDomain
import AlphaPrimeExecution
import AlphaPrimeHTTP
import AlphaPrimeKite
import Foundation
import Logging
import Testing

/// The Kite adapter's tools and failures against kite-sim: the daily login through the built
/// `broker` tool, a burst of 429s, an access token that expires, and the secrets kept out of
/// every output.
@Suite(.serialized) struct KiteAdapterToolTests {
    static let logger = Logger(label: "kite-adapter-test", factory: { _ in SwiftLogNoOpLogHandler() })
    static let instruments = KiteInstrumentMap([.init(symbol: "NIFTY 50", exchange: "NSE", tradingsymbol: "NIFTY", tickSize: 5)])

    static func order(_ id: Int64) -> BrokerOrderRequest {
        BrokerOrderRequest(clientOrderId: "T\(id)", order: OrderRequest(id: id, strategy: 0, symbol: 0, side: .buy, quantity: 65, type: .limit,
                                                                         limitPrice: 100_000, time: 1_613_965_500))
    }

    static func answers(_ broker: KiteBroker) -> [BrokerEvent] {
        #expect(broker.waitForCommands(timeout: 30))
        var events: [BrokerEvent] = []
        broker.takeEvents(into: &events)
        return events
    }

    @Test func theDailyLoginIsExchangedStoredPrivatelyAndChecked() throws {
        let sim = try KiteSimProcess(["--market", "external"], preloadToken: false)
        let home = try TestHome()
        try sim.configureLive(home)
        try home.writeDotEnv("KITE_API_KEY=\(KiteSimProcess.apiKey)\nKITE_API_SECRET=\(KiteSimProcess.apiSecret)\n")
        try home.edit("config/broker_config.yaml", replacing: "login_url: https://kite.zerodha.com/connect/login",
                      with: "login_url: \(sim.baseURL)/connect/login")

        let none = try home.run("broker", ["status"])
        #expect(none.status == 1)
        #expect(none.stdout.contains("none; log in with: broker login"))

        // The trader logs in on the login page; Kite redirects with the request token.
        let redirect = try HTTPClient().perform(HTTPRequest(method: .get, url: KiteClient.loginURL("\(sim.baseURL)/connect/login", apiKey: KiteSimProcess.apiKey)))
        #expect(redirect.status == 302)
        let location = try #require(redirect.headers["location"])
        let login = try home.run("broker", ["login", "--request-token", location])
        #expect(login.status == 0, "\(login.stderr)")
        #expect(login.stdout.contains("logged in to Kite as"))
        let file = home.path("var/kite-session.json")
        let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)

        let status = try home.run("broker", ["status", "--check", "--json"])
        #expect(status.status == 0, "\(status.stdout)\(status.stderr)")
        #expect(status.stdout.contains("\"accepted_by_kite\" : true"))

        // A request token is good once.
        let again = try home.run("broker", ["login", "--request-token", location])
        #expect(again.status == 78)
        #expect(again.stderr.contains("TokenException"))

        for output in [login.stdout, login.stderr, status.stdout, again.stderr] + (try home.logFiles().values) {
            #expect(!output.contains(KiteSimProcess.apiSecret), "the API secret never shows")
        }
        let stored = try String(contentsOf: file, encoding: .utf8)
        let token = try #require(stored.firstMatch(of: /"access_token" : "([A-Za-z0-9]+)"/)?.1)
        for output in [login.stdout, login.stderr, status.stdout] + (try home.logFiles().values) {
            #expect(!output.contains(String(token)), "the access token never shows")
        }

        let logout = try home.run("broker", ["logout"])
        #expect(logout.status == 0)
        #expect(!FileManager.default.fileExists(atPath: file.path))
    }

    @Test func aBurstOf429sIsWaitedOutAndNothingIsPlacedTwice() throws {
        let sim = try KiteSimProcess(["--market", "external"])
        let limiter = KiteRateLimiter(sim.connection().rateLimits)
        let broker = try KiteBroker(connection: sim.connection(), limiter: limiter, instruments: Self.instruments, charges: NoCharges(),
                                    logger: Self.logger)
        _ = try sim.sim("/sim/faults", form: [("burst-429", "2")])
        broker.submit(Self.order(1))
        let events = Self.answers(broker)
        #expect(events.count == 1)
        guard case .accepted = events.first else { Issue.record("expected the order accepted after the 429s, got \(events)"); return }
        // Reads are retried through a burst too.
        _ = try sim.sim("/sim/faults", form: [("burst-429", "2")])
        #expect(try broker.orders().map(\.clientOrderId) == ["T1"])
        let stats = try sim.sim("/sim/stats")
        #expect(stats["duplicate_tags"] as? Int == 0)
        #expect(stats["answered_429"] as? Int == 4)
    }

    @Test func anExpiredTokenRejectsThePlacementAsATokenError() throws {
        let sim = try KiteSimProcess(["--market", "external"])
        let broker = try KiteBroker(connection: sim.connection(), limiter: KiteRateLimiter(sim.connection().rateLimits),
                                    instruments: Self.instruments, charges: NoCharges(), logger: Self.logger)
        _ = try sim.sim("/sim/faults", form: [("token-expires-at", "+0")])
        broker.submit(Self.order(1))
        let events = Self.answers(broker)
        guard case .rejected(_, let reason)? = events.first else { Issue.record("expected a rejection, got \(events)"); return }
        #expect(reason.contains("TokenException"))
        #expect(reason.contains("403"))
        #expect(!reason.contains(KiteSimProcess.accessToken))
        #expect(throws: KiteError.self) { try broker.orders() }
        let stats = try sim.sim("/sim/stats")
        #expect(stats["orders_in_book"] as? Int == 0)
    }
}
