import AlphaPrimeSupport
import AlphaPrimeDomain
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// How the market moves.
public enum SimMarketMode: Sendable, Equatable {
    /// Only when a client posts bars to `POST /sim/market/bar`: exact and deterministic.
    case external
    /// The bundled bars of `date` replayed from 09:15 IST at `speed` × real time.
    case replay(date: LocalDate, speed: Double)
}

/// Everything `kite-sim serve` is started with.
public struct KiteSimConfiguration: Sendable {
    /// 0: any free port.
    public var port: Int
    public var apiKey: String
    public var apiSecret: String
    /// Where `GET /connect/login` sends the browser with the request token.
    public var redirectURL: String
    /// An access token valid from the start (tests, scripts).
    public var accessToken: String?
    /// The account's opening cash, paise.
    public var cash: Int64
    public var instruments: SimInstrumentList
    public var bars: BarFiles
    public var slippageTicks: Int64
    public var market: SimMarketMode
    public var faults: FaultSettings
    /// The ticker WebSocket's port (0: any free port).
    public var tickerPort: Int
    /// The ticker's clock from the start; nil: no ticks until `POST /sim/ticker` starts it.
    public var ticker: TickerStart?

    public init(port: Int, apiKey: String, apiSecret: String, redirectURL: String, accessToken: String?, cash: Int64,
                instruments: SimInstrumentList, bars: BarFiles, slippageTicks: Int64, market: SimMarketMode,
                faults: FaultSettings, tickerPort: Int = 0, ticker: TickerStart? = nil) {
        self.port = port; self.apiKey = apiKey; self.apiSecret = apiSecret; self.redirectURL = redirectURL
        self.accessToken = accessToken; self.cash = cash; self.instruments = instruments; self.bars = bars
        self.slippageTicks = slippageTicks; self.market = market; self.faults = faults
        self.tickerPort = tickerPort; self.ticker = ticker
    }
}

/// A replay day with no bundled bars: nothing to replay.
public struct ReplayDataMissing: Error, Sendable, CustomStringConvertible, ExitStatusProviding {
    public var date: LocalDate
    public var folder: String
    public var description: String { "no bundled 1-minute bars of any instrument for \(date) in \(folder)" }
    public var exitStatus: ExitStatus { .noInput }
}

/// The server could not start listening (the port is taken, say).
public struct ListenFailed: Error, Sendable, CustomStringConvertible, ExitStatusProviding {
    public var port: Int
    public var reason: String
    public var description: String { "cannot listen on 127.0.0.1:\(port): \(reason)" }
    public var exitStatus: ExitStatus { .unavailable }
}

/// kite-sim: a Kite Connect v3 server on 127.0.0.1 (docs/kite-sim.md).
public struct KiteSimServer: Sendable {
    public let configuration: KiteSimConfiguration
    let state: KiteSimState
    let replay: ReplayMarket?
    let ticker: KiteTicker

    /// The simulated account's user.
    static let userID = "KS0001"

    /// Builds the server; for a replay, reads the day's bars first (an error names the file).
    public init(configuration: KiteSimConfiguration) throws {
        self.configuration = configuration
        let exchange = SimExchange(instruments: configuration.instruments, userID: Self.userID, cash: configuration.cash,
                                   slippageTicks: configuration.slippageTicks)
        ticker = KiteTicker(instruments: configuration.instruments, bars: configuration.bars)
        state = KiteSimState(
            exchange: exchange,
            sessions: SimSessions(apiKey: configuration.apiKey, apiSecret: configuration.apiSecret, accessToken: configuration.accessToken),
            faults: configuration.faults, ticker: ticker)
        if let start = configuration.ticker {
            let schedule = try ticker.schedule(for: start.date)
            guard !schedule.isEmpty else { throw TickerDataMissing(date: start.date, folder: configuration.bars.folder.path) }
            ticker.start(start, schedule: schedule)
        }
        if case .replay(let date, let speed) = configuration.market {
            let market = try ReplayMarket(date: date, speed: speed, instruments: configuration.instruments, bars: configuration.bars, state: state)
            guard !market.bars.isEmpty else { throw ReplayDataMissing(date: date, folder: configuration.bars.folder.path) }
            replay = market
        } else {
            replay = nil
        }
    }

    /// Serves until SIGTERM or SIGINT, then stops gracefully. `onListening` gets the bound ports
    /// (the REST API's, the ticker's) once both accept connections.
    public func run(logger: Logger, onListening: @escaping @Sendable (_ port: Int, _ tickerPort: Int) -> Void) async throws {
        let router = Router()
        router.add(middleware: KiteSimMiddleware(state: state, logger: logger))
        addRoutes(to: router, logger: logger)
        // The ports once bound; `onListening` is called when both are.
        let ports = Mutex<(api: Int?, ticker: Int?)>((nil, nil))
        let ticker = self.ticker
        @Sendable func bound(api: Int? = nil, ticker tickerPort: Int? = nil) {
            let both = ports.withLock { p -> (Int, Int)? in
                if let api { p.api = api }
                if let tickerPort { p.ticker = tickerPort }
                guard let a = p.api, let t = p.ticker else { return nil }
                return (a, t)
            }
            if let tickerPort { ticker.setPort(tickerPort) }
            if let both { onListening(both.0, both.1) }
        }
        var app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: configuration.port), serverName: nil),
            onServerRunning: { channel in bound(api: channel.localAddress?.port ?? 0) },
            logger: logger)
        if let replay { app.addServices(replay) }
        // Shut down in reverse order: the driver closes the ticker's connections before its server stops.
        app.addServices(tickerApplication(logger: logger) { port in bound(ticker: port) }, TickerDriver(ticker: ticker))
        // Never the API secret or a token.
        logger.info("kite-sim starting", metadata: [
            "market": "\(configuration.market)", "instruments": "\(configuration.instruments.count)",
            "ticker": "\(configuration.ticker.map { "\($0.date) from \($0.secondOfDay)s at \($0.speed)x" } ?? "off")",
            "data": "\(configuration.bars.folder.path)", "faults": "\(state.read { $0.faults.json.text })",
        ])
        do {
            try await app.runService()
        } catch {
            let (api, tickerPort) = ports.withLock { ($0.api, $0.ticker) }
            if api == nil { throw ListenFailed(port: configuration.port, reason: "\(error)") }
            if tickerPort == nil { throw ListenFailed(port: configuration.tickerPort, reason: "\(error)") }
            throw error
        }
    }

    func addRoutes(to router: Router<BasicRequestContext>, logger: Logger) {
        addSessionRoutes(to: router)
        addMarketRoutes(to: router, logger: logger)
        addOrderRoutes(to: router, logger: logger)
        addSimRoutes(to: router, logger: logger)
    }

    // MARK: Helpers for the routes

    /// The form fields of a request: its query, then its body.
    static func fields(of request: Request) async throws -> FormFields {
        var fields = try FormFields(encoded: request.uri.query ?? "")
        let body = try await request.body.collect(upTo: 1 << 20)
        fields.append(try FormFields(encoded: String(decoding: body.readableBytesView, as: UTF8.self)))
        return fields
    }

    static let kiteVersion = HTTPFields.Element.Name("X-Kite-Version")!

    /// Runs an authenticated Kite call: the session must be live (else 403 TokenException);
    /// an order request counts against `max-orders-per-second` (else 429).
    func authenticated<T>(_ request: Request, isOrderRequest: Bool = false,
                          _ body: (inout KiteSimState.Inner, String) throws(KiteAPIError) -> T) throws(KiteAPIError) -> T {
        try state.withState { (s: inout KiteSimState.Inner) throws(KiteAPIError) -> T in
            let token = try s.authorize(request.headers[.authorization], kiteVersion: request.headers[Self.kiteVersion])
            if isOrderRequest, !s.admitOrderRequest() { throw KiteAPIError.tooManyRequests }
            return try body(&s, token)
        }
    }
}

extension KiteSimServer {
    /// Refuses the request (403 TokenException) unless it carries a live session.
    func requireSession(_ request: Request) throws(KiteAPIError) {
        _ = try authenticated(request) { _, _ in Response(status: .ok) }
    }
}

/// Around every request: the placement count, the 429 bursts and the latency of the Kite API
/// (`/sim/*` is the rehearsal's own control and meets none of them), Kite's 404, a debug line.
struct KiteSimMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let state: KiteSimState
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // The path only: a query may carry an access token (`DELETE /session/token`).
        logger.debug("request", metadata: ["http.method": "\(request.method)", "http.path": "\(request.uri.path)"])
        if request.uri.path.hasPrefix("/sim/") { return try await next(request, context) }
        let (burst, latency) = try state.withState { (s: inout KiteSimState.Inner) throws(KiteAPIError) in
            if request.method == .post, request.uri.path.hasPrefix("/orders/") { s.counters.placementsReceived += 1 }
            return (s.takeBurst429(), s.faults.latencyMilliseconds)
        }
        let response: Response
        if burst {
            response = try KiteAPIError.tooManyRequests.response(from: request, context: context)
        } else {
            do {
                response = try await next(request, context)
            } catch let error as HTTPError where error.status == .notFound {
                response = try KiteAPIError.routeNotFound.response(from: request, context: context)
            }
        }
        if latency > 0 { try await Task.sleep(for: .milliseconds(latency)) }
        return response
    }
}
