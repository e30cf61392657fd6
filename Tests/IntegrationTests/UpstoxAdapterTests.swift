import AlphaPrimeDomain
import AlphaPrimeExecution
import AlphaPrimeHTTP
import AlphaPrimeSupport
import AlphaPrimeUpstox
import Foundation
import Logging
import Synchronization
import Testing

/// The Upstox adapter against a local server speaking Upstox API v2 (``UpstoxStub``): the login
/// exchange and the stored session, placing and cancelling through ``UpstoxBroker``, the book,
/// positions, funds and LTP through ``UpstoxClient``, an unknown placement outcome resolved by its
/// tag with nothing placed twice, typed errors, and no token or secret in any error or log line.
@Suite(.serialized) struct UpstoxAdapterTests {
    /// Log lines, kept to be searched for secrets.
    final class Lines: @unchecked Sendable {
        let lines = Mutex<[String]>([])
        var all: [String] { lines.withLock { $0 } }
    }

    struct Capture: LogHandler {
        let sink: Lines
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
            let text = "\(event.level) \(event.message) \(merged.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " "))"
            sink.lines.withLock { $0.append(text) }
        }
    }

    static let limits = BrokerConfig.RateLimits(requestsPerSecond: 50, quoteRequestsPerSecond: 50, historicalRequestsPerSecond: 50,
                                                ordersPerSecond: 10, ordersPerMinute: 400, ordersPerDay: 5000)

    static func connection(_ stub: UpstoxStub, token: String = UpstoxStub.accessToken, timeout: Double = 10) -> UpstoxConnection {
        UpstoxConnection(baseURL: stub.baseURL, apiKey: UpstoxStub.apiKey, accessToken: token, connectTimeout: 1, requestTimeout: timeout,
                         retries: BrokerConfig.Retries(maxAttempts: 2, backoffMS: 20, maxBackoffMS: 100), rateLimits: limits,
                         placementLookupSeconds: 3)
    }

    struct NoCharges: ChargesModel {
        func charges(side: Side, quantity: Int64, price: Int64, product: ProductType, symbol: SymbolID) -> Int64 { 0 }
        func charges(side: Side, quantity: Int64, price: Int64, product: ProductType, symbol: SymbolID, time: Int64) -> Int64 { 0 }
    }

    static let instruments = UpstoxInstrumentMap([
        .init(symbol: "RELIANCE", instrumentKey: "NSE_EQ|INE002A01018", tradingSymbol: "INE002A01018"),
    ])

    static func order(_ id: Int64, type: OrderType = .limit, side: Side = .buy) -> OrderRequest {
        OrderRequest(id: id, strategy: 0, symbol: 0, side: side, quantity: 5, type: type, limitPrice: 250_050, triggerPrice: 0,
                     product: .mis, purpose: .entry, ocoGroup: 0, time: 0)
    }

    static func events(_ broker: UpstoxBroker) -> [BrokerEvent] {
        #expect(broker.waitForCommands(timeout: 15))
        var events: [BrokerEvent] = []
        broker.takeEvents(into: &events)
        return events
    }

    static func secretFree(_ texts: [String]) {
        for text in texts {
            #expect(!text.contains(UpstoxStub.accessToken), "the access token in: \(text)")
            #expect(!text.contains(UpstoxStub.apiSecret), "the client secret in: \(text)")
        }
    }

    @Test func loginExchangeStoresTheSessionMode600() async throws {
        let stub = try await UpstoxStub()
        defer { stub.stop() }
        let client = try UpstoxClient(connection: Self.connection(stub, token: ""), limiter: UpstoxRateLimiter(Self.limits))
        let answer = try client.exchangeCode(UpstoxStub.code, apiSecret: UpstoxStub.apiSecret, redirectURI: UpstoxStub.redirectURI)
        #expect(answer.userID == "STUB01")
        #expect(answer.accessToken == UpstoxStub.accessToken)
        let home = AlphaPrimeHome(root: FileManager.default.temporaryDirectory.appending(path: "upstox-login-\(UUID().uuidString)"))
        try FileManager.default.createDirectory(at: home.varDirectory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home.root) }
        let stored = UpstoxStoredSession(userID: answer.userID, accessToken: answer.accessToken, loginAt: .now())
        try UpstoxSessionFile.save(stored, home: home)
        let mode = try FileManager.default.attributesOfItem(atPath: UpstoxSessionFile.url(home: home).path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try UpstoxSessionFile.load(home: home) == stored)
        #expect(try UpstoxSessionFile.accessToken(home: home, configured: "", at: .now()) == UpstoxStub.accessToken)
        // The code is good once; a second exchange is a typed error without the secret.
        let again = #expect(throws: UpstoxError.self) {
            try client.exchangeCode(UpstoxStub.code, apiSecret: UpstoxStub.apiSecret, redirectURI: UpstoxStub.redirectURI)
        }
        #expect(again?.httpStatus == 400)
        #expect(again?.code == "UDAPI100057")
        let wrong = #expect(throws: UpstoxError.self) {
            try client.exchangeCode("other", apiSecret: "not-the-secret", redirectURI: UpstoxStub.redirectURI)
        }
        #expect(wrong?.httpStatus == 401)
        Self.secretFree(["\(again as Any)", "\(wrong as Any)", "\(stored)"])
    }

    /// The built `broker` tool: login with the redirect URL, the stored file mode 600, status
    /// checked against the stub, the code good once, logout; no secret in any output or log file.
    @Test func theBrokerToolLogsInToUpstox() async throws {
        let stub = try await UpstoxStub()
        defer { stub.stop() }
        let home = try TestHome()
        try home.edit("config/broker_config.yaml", replacing: "base_url: https://api.upstox.com/v2", with: "base_url: \(stub.baseURL)")
        try home.writeDotEnv("UPSTOX_API_KEY=\(UpstoxStub.apiKey)\nUPSTOX_API_SECRET=\(UpstoxStub.apiSecret)\n")

        let none = try home.run("broker", ["status", "--broker", "upstox"])
        #expect(none.status == 1)
        #expect(none.stdout.contains("Upstox access token: none; log in with: broker login --broker upstox"))
        let noRedirect = try home.run("broker", ["login", "--broker", "upstox", "--code", UpstoxStub.code])
        #expect(noRedirect.status == 64)

        let redirect = "\(UpstoxStub.redirectURI)?code=\(UpstoxStub.code)&state=x"
        let login = try home.run("broker", ["login", "--broker", "upstox", "--code", redirect])
        #expect(login.status == 0, "\(login.stderr)")
        #expect(login.stdout.contains("logged in to Upstox as STUB01"))
        let file = home.path("var/upstox-session.json")
        let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)

        let status = try home.run("broker", ["status", "--broker", "upstox", "--check", "--json"])
        #expect(status.status == 0, "\(status.stdout)\(status.stderr)")
        #expect(status.stdout.contains("\"accepted_by_upstox\" : true"))

        let again = try home.run("broker", ["login", "--broker", "upstox", "--code", redirect])
        #expect(again.status == 65, "\(again.stderr)")
        #expect(again.stderr.contains("UDAPI100057"))

        let outputs = [none.stdout, none.stderr, login.stdout, login.stderr, status.stdout, status.stderr, again.stdout, again.stderr]
            + (try home.logFiles().values)
        Self.secretFree(outputs)

        let logout = try home.run("broker", ["logout", "--broker", "upstox"])
        #expect(logout.status == 0)
        #expect(!FileManager.default.fileExists(atPath: file.path))
    }

    @Test func placeCancelBookPositionsFundsAndLTP() async throws {
        let stub = try await UpstoxStub()
        defer { stub.stop() }
        let sink = Lines()
        let logger = Logger(label: "upstox-test") { _ in Capture(sink: sink) }
        let broker = try UpstoxBroker(connection: Self.connection(stub), limiter: UpstoxRateLimiter(Self.limits),
                                      instruments: Self.instruments, charges: NoCharges(), logger: logger)
        broker.submit(BrokerOrderRequest(clientOrderId: "AP1ORDER1", order: Self.order(1)))
        let placed = Self.events(broker)
        guard case .accepted(orderID: 1, brokerOrderId: let upstoxID)? = placed.first else {
            Issue.record("expected the order accepted, got \(placed)")
            return
        }
        let book = try broker.orders()
        let mine = try #require(book.first { $0.clientOrderId == "AP1ORDER1" })
        #expect(mine.brokerOrderId == upstoxID)
        #expect(mine.symbol == "RELIANCE")
        #expect(mine.quantity == 5 && mine.status == .open && mine.side == .buy && mine.orderType == .limit)
        let sent = try #require(stub.read { $0.orders.first })
        #expect(sent.body["price"] == "2500.5")
        #expect(sent.body["product"] == "I" && sent.body["validity"] == "DAY" && sent.body["tag"] == "AP1ORDER1")
        broker.requestCancel(orderID: 1, clientOrderId: "AP1ORDER1")
        #expect(Self.events(broker) == [.cancelled(orderID: 1, reason: "cancelled on request")])
        #expect(try broker.orders().first { $0.clientOrderId == "AP1ORDER1" }?.status == .cancelled)
        // A second cancel is refused, typed.
        broker.requestCancel(orderID: 1, clientOrderId: "AP1ORDER1")
        guard case .cancelRefused(orderID: 1, reason: let why)? = Self.events(broker).first else {
            Issue.record("expected the second cancel refused")
            return
        }
        #expect(why.contains("HTTP 400"))

        let client = try UpstoxClient(connection: Self.connection(stub), limiter: UpstoxRateLimiter(Self.limits))
        #expect(try client.positions().count == 2)
        #expect(try client.funds().equity?.availableMargin.paise == Paise(1_550_746))
        #expect(try client.ltp(["NSE_EQ|INE848E01016"])["NSE_EQ:NHPC"]?.lastPrice.paise == Paise(5_205))
        #expect(try client.trades().first?.tradeID == "50091502")
        let positions = try broker.positions()
        #expect(positions.map(\.quantity) == [15, 1])
        #expect(positions[0].openValue == 15 * 265)
        let account = UpstoxBrokerAccount(connection: Self.connection(stub), instruments: Self.instruments, instrumentKinds: [.equity],
                                          logger: logger)
        #expect(try account.cash(at: .now()) == 1_550_746)
        Self.secretFree(sink.all)
    }

    @Test(arguments: ["5xx", "timeout"])
    func unknownOutcomeIsResolvedByTagWithoutADuplicate(fault: String) async throws {
        let stub = try await UpstoxStub()
        defer { stub.stop() }
        let sink = Lines()
        let logger = Logger(label: "upstox-test") { _ in Capture(sink: sink) }
        let broker = try UpstoxBroker(connection: Self.connection(stub, timeout: 1.5), limiter: UpstoxRateLimiter(Self.limits),
                                      instruments: Self.instruments, charges: NoCharges(), logger: logger)
        stub.set { fault == "5xx" ? ($0.failNextPlacementWith5xx = true) : ($0.withholdNextPlacement = true) }
        broker.submit(BrokerOrderRequest(clientOrderId: "AP2UNKNOWN", order: Self.order(2, type: .market)))
        let events = Self.events(broker)
        let placed = stub.read { $0.orders }
        #expect(stub.read { $0.placements } == 1, "placed once, never resent")
        #expect(placed.filter { $0.body["tag"] == "AP2UNKNOWN" }.count == 1)
        #expect(events == [.accepted(orderID: 2, brokerOrderId: placed[0].orderID)])
        #expect(sink.all.contains { $0.contains("placement outcome unknown") })
        #expect(sink.all.contains { $0.contains("placement outcome resolved") })
        // Submitting the same client order id again sends nothing.
        broker.submit(BrokerOrderRequest(clientOrderId: "AP2UNKNOWN", order: Self.order(2, type: .market)))
        #expect(Self.events(broker).isEmpty)
        #expect(stub.read { $0.placements } == 1)
        Self.secretFree(sink.all)
    }

    /// The emergency commands through the account: every working order cancelled, every open
    /// intraday or carry-forward position closed with a market order (equity delivery left alone).
    @Test func emergencyCancelAndFlattenThroughTheAccount() async throws {
        let stub = try await UpstoxStub()
        defer { stub.stop() }
        let broker = try UpstoxBroker(connection: Self.connection(stub), limiter: UpstoxRateLimiter(Self.limits),
                                      instruments: Self.instruments, charges: NoCharges(), logger: Logger(label: "t"))
        broker.submit(BrokerOrderRequest(clientOrderId: "AP5WORKING", order: Self.order(5)))
        #expect(Self.events(broker).count == 1)
        let account = UpstoxBrokerAccount(connection: Self.connection(stub), instruments: Self.instruments, instrumentKinds: [.equity],
                                          logger: Logger(label: "t"))
        #expect(try account.cancelWorkingOrders(createdBefore: nil, reason: "test", at: .now()) == ["AP5WORKING"])
        #expect(stub.read { $0.orders.first?.status } == "cancelled")
        let closed = try account.closePositions(reason: "test", at: UTCTimestamp(secondsSinceEpoch: 1_704_858_000))
        #expect(closed.count == 1, "the NFO position closed, the BSE equity delivery left alone")
        let close = try #require(closed.first)
        #expect(close.side == .sell && close.quantity == 15 && close.price == 150)
        #expect(close.netPnL == (150 - 265) * 15)
        let sent = try #require(stub.read { $0.orders.last })
        #expect(sent.body["instrument_token"] == "NSE_FO|52618" && sent.body["product"] == "D" && sent.body["order_type"] == "MARKET")
    }

    @Test func aRestartedSessionTakesItsOrdersFromTheBook() async throws {
        let stub = try await UpstoxStub()
        defer { stub.stop() }
        let first = try UpstoxBroker(connection: Self.connection(stub), limiter: UpstoxRateLimiter(Self.limits),
                                     instruments: Self.instruments, charges: NoCharges(), logger: Logger(label: "t"))
        first.submit(BrokerOrderRequest(clientOrderId: "AP3RESTART", order: Self.order(3)))
        #expect(Self.events(first).count == 1)
        let second = try UpstoxBroker(connection: Self.connection(stub), limiter: UpstoxRateLimiter(Self.limits),
                                      instruments: Self.instruments, charges: NoCharges(), logger: Logger(label: "t"))
        second.submit(BrokerOrderRequest(clientOrderId: "AP3RESTART", order: Self.order(3)))
        guard case .accepted(orderID: 3, _)? = Self.events(second).first else {
            Issue.record("expected the order taken in from the book")
            return
        }
        #expect(stub.read { $0.placements } == 1)
    }

    @Test func errorsAreTypedWithTheHTTPStatusAndCarryNoSecret() async throws {
        let stub = try await UpstoxStub()
        defer { stub.stop() }
        let stale = try UpstoxClient(connection: Self.connection(stub, token: "stale-token-0000"), limiter: UpstoxRateLimiter(Self.limits))
        let error = #expect(throws: UpstoxError.self) { try stale.orders() }
        #expect(error?.httpStatus == 401)
        #expect(error?.code == "UDAPI100050")
        #expect(error?.isTokenError == true)
        #expect(error?.exitStatus == .configError)
        #expect(!"\(error as Any)".contains("stale-token-0000"))
        // A placement the stub refuses is rejected with Upstox's message, typed, never resent.
        let broker = try UpstoxBroker(connection: Self.connection(stub), limiter: UpstoxRateLimiter(Self.limits),
                                      instruments: UpstoxInstrumentMap([.init(symbol: "X", instrumentKey: "BAD", tradingSymbol: "X")]),
                                      charges: NoCharges(), logger: Logger(label: "t"))
        broker.submit(BrokerOrderRequest(clientOrderId: "AP4BAD", order: Self.order(4)))
        guard case .rejected(orderID: 4, reason: let reason)? = Self.events(broker).first else {
            Issue.record("expected a rejection")
            return
        }
        #expect(reason == "Upstox UDAPI1052 (HTTP 400): The instrument_token is invalid")
        // Nothing listens: the connection error names the host alone.
        let closed = UpstoxConnection(baseURL: "http://127.0.0.1:9/v2", apiKey: UpstoxStub.apiKey, accessToken: UpstoxStub.accessToken,
                                      connectTimeout: 1, requestTimeout: 1, retries: .init(maxAttempts: 1, backoffMS: 1, maxBackoffMS: 1),
                                      rateLimits: Self.limits)
        let offline = #expect(throws: HTTPError.self) { try UpstoxClient(connection: closed, limiter: UpstoxRateLimiter(Self.limits)).funds() }
        Self.secretFree(["\(offline as Any)", "\(closed)", "\(Self.connection(stub))"])
    }
}
