import AlphaPrimeDomain
import Foundation
import Hummingbird
import Logging

extension KiteSimServer {
    /// The rehearsal's own control (`/sim/*`): no session needed; the server listens on loopback only.
    func addSimRoutes(to router: Router<BasicRequestContext>, logger: Logger) {
        router.post("/sim/market/bar") { request, _ -> Response in
            let fields = try await Self.fields(of: request)
            guard configuration.market == .external else {
                throw KiteAPIError.input("The market is replayed (--market replay): bars cannot be posted.")
            }
            let posted = try SimPostedBar(fields: fields, instruments: state.instruments)
            let fills = try state.withState { (s: inout KiteSimState.Inner) throws(KiteAPIError) -> Int? in
                if let now = s.marketTime, posted.bar.time < now {
                    throw KiteAPIError.input("Invalid `time`: \(posted.bar.time) is before the market's time \(now).")
                }
                // A bar the instrument has traded through is not traded again, and only its last bar has a rest.
                let last = s.lastBars[posted.instrument]
                switch posted.phase {
                case .bar:
                    if let last, posted.bar.time < last.time || (posted.bar.time == last.time && last.done) { return nil }
                case .rest:
                    if last?.time != posted.bar.time { return nil }
                case .last:
                    break
                }
                s.marketTime = posted.bar.time
                switch posted.phase {
                case .bar:
                    let fills = s.exchange.marketBar(posted.bar, instrument: posted.instrument, maxFills: posted.maxFills)
                    s.lastBars[posted.instrument] = (posted.bar.time, fills < posted.maxFills)
                    return fills
                case .rest: return s.exchange.marketRestOfBar(posted.bar, instrument: posted.instrument, maxFills: posted.maxFills)
                case .last:
                    return s.exchange.fillMarketOrdersAtLastPrice(instrument: posted.instrument, time: posted.bar.time,
                                                                  maxFills: posted.maxFills)
                }
            }
            return KiteHTTP.success(.object([("fills", .int(Int64(fills ?? 0))), ("traded", .bool(fills != nil)),
                                             ("time", .int(posted.bar.time))]))
        }
        router.get("/sim/faults") { _, _ -> Response in
            KiteHTTP.success(state.read { $0.faults.json })
        }
        router.post("/sim/faults") { request, _ -> Response in
            let fields = try await Self.fields(of: request)
            // The ticker's faults are acts, not settings: checked first, done once the settings are.
            var drop = false, stall: Int64?
            var settingPairs: [(key: String, value: String)] = []
            for pair in fields.pairs {
                switch pair.key.replacingOccurrences(of: "_", with: "-") {
                case "ticker-drop":
                    guard pair.value == "1" || pair.value == "0" else {
                        throw KiteAPIError.input("Invalid `ticker_drop`: \"\(pair.value)\" (1 closes every ticker connection now).")
                    }
                    drop = drop || pair.value == "1"
                case "ticker-stall-seconds":
                    guard let seconds = Int64(pair.value), seconds >= 0 else {
                        throw KiteAPIError.input("Invalid `ticker_stall_seconds`: \"\(pair.value)\" (whole market seconds, 0 or more).")
                    }
                    stall = seconds
                default:
                    settingPairs.append(pair)
                }
            }
            var settings = try state.withState { (s: inout KiteSimState.Inner) throws(KiteAPIError) -> JSON in
                var faults = s.faults
                for (name, value) in settingPairs {
                    do throws(FaultSettingError) {
                        try faults.set(name, to: value, now: IST.epochSeconds(Date()))
                    } catch {
                        throw KiteAPIError.input(error.description)
                    }
                }
                if faults.seed != s.faults.seed { s.draws = SeededDraws(seed: faults.seed) }
                s.faults = faults
                return faults.json
            }
            if case .object(var members) = settings {
                if drop { members.append(("ticker_dropped", .int(Int64(ticker.dropAll())))) }
                if let stall {
                    members.append(("ticker_stalled_until", ticker.stall(seconds: stall).map { .string(IST.isoText(epochSeconds: $0)) } ?? .null))
                }
                settings = .object(members)
            }
            logger.info("faults set", metadata: ["faults": "\(fields.pairs.map { "\($0.key)=\($0.value)" }.joined(separator: " "))"])
            return KiteHTTP.success(settings)
        }
        router.get("/sim/clock") { _, _ -> Response in
            KiteHTTP.success(ticker.clockJSON())
        }
        // (Re)starts the ticker's clock: `date` (required), `speed`, `start`, as the `--ticker-*` flags.
        router.post("/sim/ticker") { request, _ -> Response in
            let fields = try await Self.fields(of: request)
            let date = try fields.required("date")
            let start: TickerStart
            switch TickerStart.parse(date: date, speed: fields["speed"].flatMap { $0.isEmpty ? nil : $0 },
                                     start: fields["start"].flatMap { $0.isEmpty ? nil : $0 }) {
            case .success(let value): start = value
            case .failure(let error): throw KiteAPIError.input("Invalid `\(error.field)`: \"\(error.value)\" (expected \(error.expected)).")
            }
            let schedule: TickerSchedule
            do {
                schedule = try ticker.schedule(for: start.date)
            } catch let error as BarFileError {
                logger.error("a bar file cannot be read", metadata: ["error": "\(error)"])
                throw KiteAPIError(status: .internalServerError, errorType: "GeneralException", message: error.description)
            }
            guard !schedule.isEmpty else {
                throw KiteAPIError.input("No bundled 1-minute bars of any instrument for \(start.date).")
            }
            ticker.start(start, schedule: schedule)
            logger.info("ticker started", metadata: [
                "date": "\(start.date)", "speed": "\(start.speed)", "start": "\(IST.isoText(epochSeconds: start.epochSeconds))",
            ])
            return KiteHTTP.success(ticker.clockJSON())
        }
        // A new day at the broker: an empty order book and trade book, the account's cash as at
        // start, the counters at zero. The sessions, faults and the market's time stay.
        router.post("/sim/reset") { _, _ -> Response in
            try state.withState { (s: inout KiteSimState.Inner) throws(KiteAPIError) -> Void in
                s.exchange = SimExchange(instruments: configuration.instruments, userID: Self.userID, cash: configuration.cash,
                                         slippageTicks: configuration.slippageTicks)
                s.counters = SimCounters()
                s.lastBars = [:]
            }
            ticker.resetCounters()
            logger.info("book reset")
            return KiteHTTP.success(.object([("reset", .bool(true))]))
        }
        router.get("/sim/stats") { _, _ -> Response in
            let stats = try state.withState { s in s.statsJSON }
            guard case .object(let members) = stats else { return KiteHTTP.success(stats) }
            return KiteHTTP.success(.object(members + ticker.statsMembers))
        }
    }
}

/// A bar a client posts to `POST /sim/market/bar`.
struct SimPostedBar: Sendable, Equatable {
    enum Phase: String, Sendable { case bar, rest, last }
    var instrument: Int
    var bar: Bar
    var phase: Phase
    /// Stop after this many fills (`max_fills`; every fill the bar makes when not given): a client
    /// that posts the same bar again after reacting to a fill (cancelling the other leg of a
    /// bracket) steps through the bar fill by fill.
    var maxFills: Int

    /// Fields `exchange`, `tradingsymbol`, `time` (UTC epoch seconds, the bar's start), `phase`
    /// (`bar`, the default; `rest`; `last`), an optional `max_fills`, and for `bar` and `rest` the
    /// prices `open_paise`, `high_paise`, `low_paise`, `close_paise` (a high and low that enclose
    /// the open and close), and an optional `volume`.
    init(fields: FormFields, instruments: SimInstrumentList) throws(KiteAPIError) {
        let exchange = try fields.required("exchange"), symbol = try fields.required("tradingsymbol")
        guard let index = instruments.index(exchange: exchange, tradingsymbol: symbol) else {
            throw KiteAPIError.input("Invalid `tradingsymbol`: \(exchange):\(symbol) is not in the instrument list.")
        }
        guard let time = try fields.integer("time") else { throw KiteAPIError.input("Missing or empty field `time`.") }
        let phaseText = fields["phase"].flatMap { $0.isEmpty ? nil : $0 } ?? "bar"
        guard let phase = Phase(rawValue: phaseText) else {
            throw KiteAPIError.input("Invalid `phase`: \"\(phaseText)\" (bar, rest or last).")
        }
        instrument = index
        self.phase = phase
        let maxFills = try fields.integer("max_fills") ?? Int64(Int.max)
        guard maxFills > 0 else { throw KiteAPIError.input("Invalid `max_fills`: \(maxFills) (it must be positive).") }
        self.maxFills = Int(maxFills)
        guard phase != .last else {
            bar = Bar(time: time, open: 0, high: 0, low: 0, close: 0)
            return
        }
        var prices: [Int64] = []
        for name in ["open_paise", "high_paise", "low_paise", "close_paise"] {
            guard let value = try fields.integer(name) else { throw KiteAPIError.input("Missing or empty field `\(name)`.") }
            guard value > 0 else { throw KiteAPIError.input("Invalid `\(name)`: \(value) (it must be positive).") }
            prices.append(value)
        }
        guard prices[1] >= max(prices[0], prices[3]), prices[2] <= min(prices[0], prices[3]) else {
            throw KiteAPIError.input("Invalid bar: the high and low must enclose the open and close.")
        }
        let volume = try fields.integer("volume") ?? 0
        guard volume >= 0 else { throw KiteAPIError.input("Invalid `volume`: \(volume).") }
        bar = Bar(time: time, open: prices[0], high: prices[1], low: prices[2], close: prices[3], volume: volume)
    }
}
