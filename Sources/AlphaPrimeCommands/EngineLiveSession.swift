import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeCore
import AlphaPrimeStore
import AlphaPrimeHTTP
import AlphaPrimeKite
import Foundation
import Logging
import Synchronization

/// The WebSocket transport the engine's live feed connects with. The `engine` executable installs
/// one (SwiftNIO through swift-websocket) before it runs; no other tool links a WebSocket client.
public enum LiveFeedTransport {
    static let installed = Mutex<(any WebSocketConnector)?>(nil)

    public static func install(_ connector: any WebSocketConnector) { installed.withLock { $0 = connector } }

    static var connector: (any WebSocketConnector)? { installed.withLock { $0 } }
}

/// What the engine says of its feed while a live session runs (`var/feed-<mode>.json`, read by
/// `engine status`).
public struct LiveFeedReport: Codable, Sendable, Equatable {
    public var source: String
    public var connected: Bool
    public var subscribed: Int
    public var connections: Int
    /// Market time of the last print (IST), if any.
    public var lastTickAt: String?
    /// Seconds since the last print, on the engine's clock.
    public var lastTickAgeSeconds: Int64?
    /// Why the feed is stale, while it is.
    public var stale: String?
    public var staleEvents: Int
    public var updatedAt: String

    static func file(home: AlphaPrimeHome, mode: TradingMode) -> URL {
        home.varDirectory.appending(path: "feed-\(mode.rawValue).json")
    }

    static func read(home: AlphaPrimeHome, mode: TradingMode) -> LiveFeedReport? {
        guard let data = FileManager.default.contents(atPath: file(home: home, mode: mode).path) else { return nil }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try? decoder.decode(LiveFeedReport.self, from: data)
    }

    func write(home: AlphaPrimeHome, mode: TradingMode) throws {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        try FileManager.default.createDirectory(at: home.varDirectory, withIntermediateDirectories: true)
        try AtomicFile.write(Array(try encoder.encode(self)), to: Self.file(home: home, mode: mode))
    }

    init(feed: LiveFeedState, source: String, clock: any EngineClock) {
        let status = feed.sourceStatus
        self.source = source
        connected = status.connected
        subscribed = status.subscribed
        connections = status.connections
        let now = clock.now()
        lastTickAt = feed.lastTickAt.map { IST.dateTime(epochSeconds: $0).description }
        lastTickAgeSeconds = feed.lastTickAt.map { max(0, now.microseconds / 1_000_000 - $0) }
        stale = feed.stale
        staleEvents = feed.staleEvents
        updatedAt = IST.dateTime(now.date).description
    }
}

/// A session's errors before it can start on the wall clock.
struct LiveSessionError: Error, CustomStringConvertible, ExitStatusProviding {
    var description: String
    var exitStatus: ExitStatus
}

/// Builds a live session's parts from the configuration: the clock, the Kite ticker as the market
/// source, the instruments' tokens, the warm-up bars.
enum EngineLiveSession {
    /// The wall clock of a session: the system's, or, when the ticker is a kite-sim on this
    /// machine, kite-sim's simulated clock (a rehearsal at its speed).
    static func clock(_ context: ToolContext) throws -> any EngineClock {
        let kite = context.configuration.broker.kite
        guard BrokerConfig.LiveBroker.isLoopback(host(of: kite.websocketURL)) else { return SystemClock() }
        let url = kite.baseURL.hasSuffix("/") ? String(kite.baseURL.dropLast()) : kite.baseURL
        let response: HTTPResponse
        do {
            response = try HTTPClient().perform(HTTPRequest(method: .get, url: url + "/sim/clock", connectTimeout: 5, timeout: 10))
        } catch {
            throw LiveSessionError(description: "the ticker at \(kite.websocketURL) is on this machine, so its clock is kite-sim's, "
                + "but GET \(url)/sim/clock failed: \(error)", exitStatus: .unavailable)
        }
        guard response.status == 200,
              let envelope = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any],
              let object = envelope["data"] as? [String: Any] ?? envelope as [String: Any]? else {
            throw LiveSessionError(description: "\(url)/sim/clock answered HTTP \(response.status), not kite-sim's clock", exitStatus: .unavailable)
        }
        guard object["running"] as? Bool == true, let epoch = (object["epoch_seconds"] as? NSNumber)?.int64Value,
              let speed = (object["speed"] as? NSNumber)?.doubleValue, speed >= 1 else {
            throw LiveSessionError(description: "kite-sim's ticker is not running: start kite-sim with --ticker-date DATE "
                + "(and --ticker-speed, --ticker-start)", exitStatus: .unavailable)
        }
        return AcceleratedClock(now: UTCTimestamp(secondsSinceEpoch: epoch), rate: speed)
    }

    static func host(of url: String) -> String {
        let authority = WebSocketError.authority(of: url)
        if authority.hasPrefix("[") { return String(authority.dropFirst().prefix { $0 != "]" }) }
        return String(authority.prefix { $0 != ":" })
    }

    /// The Kite ticker subscribed to every traded instrument's price instrument (the index for an
    /// index), found in the instrument master, and to INDIA VIX when the master lists it and the
    /// VIX filter is on (the feed then gives the day's VIX, see docs/risk.md).
    static func source(_ context: ToolContext, setup: EngineSetup, store: any StateStore, clock: any EngineClock,
                       date: LocalDate, logger: Logger) throws -> KiteTickerSource {
        guard let connector = LiveFeedTransport.connector else {
            throw LiveSessionError(description: "this executable has no WebSocket transport for the live feed", exitStatus: .internalError)
        }
        let kite = context.configuration.broker.kite
        guard !kite.apiKey.isEmpty else {
            throw LiveSessionError(description: "the live feed is Kite's ticker: set KITE_API_KEY in .env", exitStatus: .configError)
        }
        guard let token = try KiteSessionFile.accessToken(home: context.home, configured: kite.accessToken, at: .now()) else {
            throw BrokerAccounts.NoAccessToken()
        }
        let resolver = InstrumentResolver(store: store)
        var subscriptions: [KiteTickerSource.Subscription] = []
        for s in setup.tradedSymbols {
            let symbol = setup.instruments[s].symbol
            guard let configured = context.configuration.general.instrument(symbol) else { continue }
            let resolved = try resolver.resolve(configured, on: date)
            guard let instrument = resolved.priceInstrument, instrument.instrumentToken > 0, instrument.instrumentToken <= Int64(UInt32.max) else {
                throw LiveSessionError(description: "\(symbol) has no instrument to take prices from in the instrument master "
                    + "(\(resolved.notes.joined(separator: "; "))); run market-data instruments", exitStatus: .noInput)
            }
            subscriptions.append(.init(token: UInt32(instrument.instrumentToken), symbol: s))
        }
        var vixToken: UInt32?
        if setup.risk.rules.vixBand != nil,
           let vix = try store.instruments(InstrumentQuery(exchange: "NSE", segment: "INDICES", tradingsymbol: IndiaVIXSeries.tradingSymbol)).first,
           vix.instrumentToken > 0, vix.instrumentToken <= Int64(UInt32.max) {
            vixToken = UInt32(vix.instrumentToken)
        }
        return KiteTickerSource(base: kite.websocketURL, apiKey: kite.apiKey, accessToken: token, subscriptions: subscriptions,
                                indiaVIXToken: vixToken, connector: connector, clock: clock,
                                maxReconnectDelay: .seconds(kite.websocket.reconnectMaxDelaySeconds), logger: logger)
    }

    /// Bars of minutes the feed did not see whole, from Kite's historical candles of each
    /// subscribed instrument (the minutes before it joined, or before a restart's first).
    static func backfill(_ context: ToolContext, subscriptions: [KiteTickerSource.Subscription], accessToken: String)
        -> (Int64, Int64) throws -> [(bar: Bar, symbol: SymbolID)] {
        let kite = context.configuration.broker.kite
        return { from, before in
            let client = try KiteClient(connection: KiteConnection(kite, accessToken: accessToken), limiter: KiteRateLimiter(kite.rateLimits))
            var bars: [(bar: Bar, symbol: SymbolID)] = []
            for s in subscriptions {
                let candles = try client.historical(token: Int64(s.token), interval: "minute", from: IST.dateTime(epochSeconds: from),
                                                    to: IST.dateTime(epochSeconds: before - 60))
                for c in candles {
                    let time = c.timestamp.utc.microseconds / 1_000_000
                    guard time >= from, time < before else { continue }
                    bars.append((Bar(time: time, open: c.open.paise.value, high: c.high.paise.value, low: c.low.paise.value,
                                     close: c.close.paise.value, volume: c.volume), s.symbol))
                }
            }
            return bars
        }
    }

    /// The bars of the `days` trading sessions before `date` from the market-data store, per symbol
    /// id; a symbol with none is said on standard error (its indicators start cold).
    static func warmup(setup: EngineSetup, calendar: TradingCalendar, store: MarketDataStore, date: LocalDate, days: Int) -> [BarSeries] {
        var series = setup.instruments.map { BarSeries(symbol: $0.symbol, timeframeSeconds: 60) }
        guard days > 0 else { return series }
        var start = date
        for _ in 0..<days { start = calendar.previousTradingDay(before: start) }
        let previous = calendar.previousTradingDay(before: date)
        for s in setup.tradedSymbols {
            let folder = ReplayData.folderName(setup.instruments[s].symbol)
            let loaded = (try? store.load(symbol: folder, timeframe: .oneMinute, from: start, through: previous))
                ?? BarSeries(symbol: setup.instruments[s].symbol, timeframeSeconds: 60)
            series[s] = loaded.slice(from: IST.epochSeconds(date: start, secondOfDay: 0), to: IST.epochSeconds(date: date, secondOfDay: 0))
            if series[s].isEmpty {
                ToolRunner.printError("engine: warning: no stored 1-minute bars of \(setup.instruments[s].symbol) from \(start) to \(previous) "
                    + "to warm its strategies up (market-data fetch them); they start cold")
            }
        }
        return series
    }

    /// The bars the session built go to the market-data store when it has none of that day, so the
    /// next session warms up on them and backtests can use them.
    static func storeBars(setup: EngineSetup, repository: any StateStore, mode: TradingMode, session: TradingCalendar.Session,
                          store: MarketDataStore, logger: Logger) {
        do {
            let recorded = try repository.engineBars(mode: mode, from: UTCTimestamp(secondsSinceEpoch: session.openEpochSeconds),
                                                     before: UTCTimestamp(secondsSinceEpoch: session.closeEpochSeconds))
            for instrument in setup.instruments {
                let bars = recorded.filter { $0.symbol == instrument.symbol }
                guard !bars.isEmpty else { continue }
                let folder = ReplayData.folderName(instrument.symbol)
                let existing = (try? store.load(symbol: folder, timeframe: .oneMinute, from: session.date, through: session.date))
                if let existing, !existing.isEmpty { continue }
                var series = BarSeries(symbol: folder, timeframeSeconds: 60)
                for b in bars { series.append(b.bar) }
                _ = try store.save(series, symbol: folder)
                logger.info("the session's bars were added to the market-data store", metadata: [
                    "symbol": "\(instrument.symbol)", "bars": "\(bars.count)", "date": "\(session.date)"])
            }
        } catch {
            logger.error("the session's bars could not be added to the market-data store", metadata: ["error": "\(error)"])
            ToolRunner.printError("engine: warning: the session's bars could not be added to the market-data store: \(error)")
        }
    }
}
