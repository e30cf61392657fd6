import AlphaPrimeDomain
import Foundation
import Hummingbird
import Logging

extension KiteSimServer {
    static let exchanges: [JSON] = ["NSE", "NFO", "BFO", "CDS", "BSE", "MCX", "BCD", "MF"].map { .string($0) }
    static let products: [JSON] = ["CNC", "NRML", "MIS", "BO", "CO"].map { .string($0) }
    static let orderTypes: [JSON] = ["MARKET", "LIMIT", "SL", "SL-M"].map { .string($0) }

    /// The user, as `profile.json` has it.
    static var profile: [(String, JSON)] {
        [
            ("user_id", .string(userID)), ("user_type", .string("individual")), ("email", .string("kite-sim@localhost")),
            ("user_name", .string("ALPHA-PRIME Rehearsal")), ("user_shortname", .string("Rehearsal")),
            ("broker", .string("ZERODHA")), ("exchanges", .array(exchanges)), ("products", .array(products)),
            ("order_types", .array(orderTypes)), ("avatar_url", .null), ("meta", .object([("demat_consent", .string("physical"))])),
        ]
    }

    /// Login, sessions, the user.
    func addSessionRoutes(to router: Router<BasicRequestContext>) {
        // The login page: straight back to the app with a fresh request token.
        router.get("/connect/login") { request, _ -> Response in
            let fields = try await Self.fields(of: request)
            guard fields["api_key"] == configuration.apiKey else { throw KiteAPIError.input("Invalid `api_key`.") }
            guard fields["v"] == "3" else { throw KiteAPIError.input("Invalid `v`: the Kite Connect version must be 3.") }
            let token = try state.withState { (s: inout KiteSimState.Inner) throws(KiteAPIError) in s.sessions.newRequestToken() }
            let separator = configuration.redirectURL.contains("?") ? "&" : "?"
            let location = configuration.redirectURL + separator + "request_token=\(token)&action=login&status=success"
            return Response(status: .found, headers: [.location: location])
        }
        router.post("/session/token") { request, _ -> Response in
            let fields = try await Self.fields(of: request)
            let apiKey = try fields.required("api_key"), requestToken = try fields.required("request_token")
            let checksum = try fields.required("checksum")
            let (accessToken, now) = try state.withState { (s: inout KiteSimState.Inner) throws(KiteAPIError) in
                (try s.sessions.createSession(apiKey: apiKey, requestToken: requestToken, checksum: checksum),
                 IST.epochSeconds(Date()))
            }
            var session = Self.profile.filter { $0.0 != "meta" }
            session += [
                ("api_key", .string(apiKey)), ("access_token", .string(accessToken)),
                ("public_token", .string(SimSessions.randomToken())), ("enctoken", .string(SimSessions.randomToken())),
                ("refresh_token", .string("")), ("silo", .string("")), ("login_time", .string(IST.kiteText(epochSeconds: now))),
                ("meta", .object([("demat_consent", .string("physical"))])),
            ]
            return KiteHTTP.success(.object(session))
        }
        router.delete("/session/token") { request, _ -> Response in
            let fields = try await Self.fields(of: request)
            return try authenticated(request) { (s: inout KiteSimState.Inner, token: String) throws(KiteAPIError) in
                s.sessions.invalidate(fields["access_token"].flatMap { $0.isEmpty ? nil : $0 } ?? token)
                return KiteHTTP.success(.bool(true))
            }
        }
        router.get("/user/profile") { request, _ -> Response in
            try authenticated(request) { _, _ in KiteHTTP.success(.object(Self.profile)) }
        }
        router.get("/user/margins") { request, _ -> Response in
            try authenticated(request) { s, _ in
                KiteHTTP.success(.object([("equity", s.exchange.margins().json), ("commodity", SimMargins.emptySegment.json)]))
            }
        }
        router.get("/user/margins/{segment}") { request, context -> Response in
            let segment = context.parameters.get("segment") ?? ""
            return try authenticated(request) { (s: inout KiteSimState.Inner, _: String) throws(KiteAPIError) in
                switch segment {
                case "equity": return KiteHTTP.success(s.exchange.margins().json)
                case "commodity": return KiteHTTP.success(SimMargins.emptySegment.json)
                default: throw KiteAPIError.input("Invalid segment `\(segment)` (equity or commodity).")
                }
            }
        }
    }

    /// Instruments, candles, quotes.
    func addMarketRoutes(to router: Router<BasicRequestContext>, logger: Logger) {
        // The instrument master is public at Kite too: no session needed.
        router.get("/instruments") { _, _ -> Response in
            KiteHTTP.body(state.instruments.csv(), contentType: "text/csv")
        }
        router.get("/instruments/{exchange}") { _, context -> Response in
            let exchange = context.parameters.get("exchange") ?? ""
            return KiteHTTP.body(state.instruments.csv(exchange: exchange), contentType: "text/csv")
        }
        router.get("/instruments/historical/{token}/{interval}") { request, context -> Response in
            let fields = try await Self.fields(of: request)
            try requireSession(request)
            do {
                return KiteHTTP.success(try historical(token: context.parameters.get("token") ?? "",
                                                       interval: context.parameters.get("interval") ?? "", fields: fields))
            } catch let error as BarFileError {
                // The bundled data is wrong, not the request: say which file and line.
                logger.error("a bar file cannot be read", metadata: ["error": "\(error)"])
                throw KiteAPIError(status: .internalServerError, errorType: "GeneralException", message: error.description)
            }
        }
        enum Shape { case full, ltp, ohlc }
        for (path, shape) in [("/quote", Shape.full), ("/quote/ltp", .ltp), ("/quote/ohlc", .ohlc)] {
            router.get(RouterPath(path)) { request, _ -> Response in
                let keys = try await Self.fields(of: request).all("i")
                guard !keys.isEmpty else { throw KiteAPIError.input("Missing or empty field `i` (EXCHANGE:TRADINGSYMBOL).") }
                return try authenticated(request) { s, _ in
                    let now = s.marketNow()
                    var data: [(String, JSON)] = []
                    for key in keys where !data.contains(where: { $0.0 == key }) {
                        guard let index = s.exchange.instruments.index(key: key) else { continue }
                        let instrument = s.exchange.instruments.instruments[index], quote = s.exchange.quotes[index]
                        switch shape {
                        case .full: data.append((key, quote.quoteJSON(instrument, now: now)))
                        case .ltp: data.append((key, quote.ltpJSON(instrument)))
                        case .ohlc: data.append((key, quote.ohlcJSON(instrument)))
                        }
                    }
                    return KiteHTTP.success(.object(data))
                }
            }
        }
    }

    /// `GET /instruments/historical/:token/:interval?from=…&to=…[&continuous=0&oi=0]`: candles from
    /// the bundled 1-minute bars, aggregated on the IST session grid.
    func historical(token text: String, interval intervalText: String, fields: FormFields) throws -> JSON {
        guard let token = Int64(text), let index = state.instruments.index(token: token) else {
            throw KiteAPIError.input("Invalid `instrument_token`: \(text).")
        }
        guard let interval = CandleInterval(rawValue: intervalText) else {
            throw KiteAPIError.input("Invalid `interval`: \(intervalText) (minute, 3minute, 5minute, 10minute, 15minute, 30minute, 60minute or day).")
        }
        func instant(_ key: String) throws -> Int64 {
            let value = try fields.required(key)
            let text = value.count == 10 ? value + " 00:00:00" : value
            guard text.count == 19, let seconds = IST.epochSeconds(iso8601: text) else {
                throw KiteAPIError.input("Invalid `\(key)`: \"\(value)\" (yyyy-mm-dd hh:mm:ss, IST).")
            }
            return seconds
        }
        let from = try instant("from"), to = try instant("to")
        guard from <= to else { throw KiteAPIError.input("Invalid `from`: it is after `to`.") }
        guard to - from <= Int64(interval.maximumDays) * 86_400 else {
            throw KiteAPIError.input("interval exceeds max limit: \(interval.maximumDays) days")
        }
        for flag in ["continuous", "oi"] where ![nil, "", "0", "1"].contains(fields[flag]) {
            throw KiteAPIError.input("Invalid `\(flag)`: 0 or 1.")
        }
        let instrument = state.instruments.instruments[index]
        // Whole IST days, so every candle is built from all its bars; then the candles in [from, to].
        let firstDay = IST.epochSeconds(date: IST.dateTime(epochSeconds: from).date, secondOfDay: 0)
        let lastDay = IST.epochSeconds(date: IST.dateTime(epochSeconds: to).date, secondOfDay: 0)
        let bars = try configuration.bars.minuteBars(symbol: instrument.dataFolder, from: firstDay, to: lastDay + 86_399)
        // A day candle is stamped at midnight: it is in when its day is.
        let (low, high) = interval == .day ? (firstDay, lastDay) : (from, to)
        let candles = Candles.aggregate(bars, interval: interval).filter { $0.time >= low && $0.time <= high }
        let openInterest = fields["oi"] == "1"
        return .object([("candles", .array(candles.map { $0.json(openInterest: openInterest) }))])
    }
}
