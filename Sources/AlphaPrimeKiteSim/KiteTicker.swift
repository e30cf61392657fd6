import AlphaPrimeSupport
import AlphaPrimeDomain
import Foundation
import ServiceLifecycle
import Synchronization

/// What starts the ticker's clock: the day whose bars it streams, how fast, from which IST time.
public struct TickerStart: Sendable, Equatable {
    public var date: LocalDate
    /// Market seconds per wall second, 1 or more.
    public var speed: Double
    /// IST seconds after midnight the clock starts at.
    public var secondOfDay: Int

    /// A minute before the open: a client can connect and wait for it.
    public static let defaultSecondOfDay = (9 * 60 + 14) * 60

    public init(date: LocalDate, speed: Double = 1, secondOfDay: Int = defaultSecondOfDay) {
        self.date = date; self.speed = speed; self.secondOfDay = secondOfDay
    }

    /// The clock's start, UTC epoch seconds.
    var epochSeconds: Int64 { IST.epochSeconds(date: date, secondOfDay: secondOfDay) }

    /// `HH:MM` or `HH:MM:SS` (IST) as seconds after midnight.
    public static func secondOfDay(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, parts.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCII) }),
              let h = Int(parts[0]), let m = Int(parts[1]), let s = parts.count == 3 ? Int(parts[2]) : 0,
              (0..<24).contains(h), (0..<60).contains(m), (0..<60).contains(s) else { return nil }
        return (h * 60 + m) * 60 + s
    }

    /// Checks a start given on the command line or to `POST /sim/ticker`; the message says what
    /// was expected.
    public static func parse(date: String, speed: String?, start: String?) -> Result<TickerStart, TickerStartError> {
        guard let day = LocalDate(date) else { return .failure(TickerStartError(field: "date", value: date, expected: "YYYY-MM-DD")) }
        var result = TickerStart(date: day)
        if let speed {
            guard let value = Double(speed), value.isFinite, value >= 1, value <= 100_000 else {
                return .failure(TickerStartError(field: "speed", value: speed, expected: "a number from 1 to 100000 (× real time)"))
            }
            result.speed = value
        }
        if let start {
            guard let second = secondOfDay(start) else {
                return .failure(TickerStartError(field: "start", value: start, expected: "HH:MM or HH:MM:SS (IST)"))
            }
            result.secondOfDay = second
        }
        return .success(result)
    }
}

/// A ticker start that is not one.
public struct TickerStartError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `date`, `speed` or `start`.
    public var field: String
    public var value: String
    public var expected: String
    /// As a flag's error: `--ticker-speed "0.5": expected …`.
    public var description: String { "--ticker-\(field) \"\(value)\": expected \(expected)" }
}

/// A ticker day without bars of any instrument.
public struct TickerDataMissing: Error, Sendable, CustomStringConvertible, ExitStatusProviding {
    public var date: LocalDate
    public var folder: String
    public var description: String { "no bundled 1-minute bars of any instrument for the ticker date \(date) in \(folder)" }
    public var exitStatus: ExitStatus { .noInput }
}

/// kite-sim's ticker (docs/kite-sim.md, "The ticker"): its connections and their subscriptions,
/// the simulated clock the day's ticks are due on, the stall and drop faults, the counters.
///
/// Everything is behind one lock. Messages for a connection go into its own stream in the order
/// they are decided (ticks, heartbeats, order updates), and its WebSocket handler writes them out.
final class KiteTicker: Sendable {
    /// A message for one connection.
    enum Outbound: Sendable, Equatable {
        case binary([UInt8])
        case text(String)
        /// Close the connection (a WebSocket close frame, 1001) with this reason.
        case close(String)
    }

    struct Connection: Sendable {
        var continuation: AsyncStream<Outbound>.Continuation
        /// Subscribed tokens and their modes.
        var modes: [Int64: TickerMode] = [:]
        /// When something was last sent (a heartbeat is due a second later).
        var lastSent: ContinuousClock.Instant
    }

    /// The clock: market time = start + wall time elapsed since `origin` × speed.
    struct Clock: Sendable {
        var start: TickerStart
        var schedule: TickerSchedule
        var origin: ContinuousClock.Instant
        /// The next instant of the schedule not yet sent (or skipped).
        var next: Int
        var dayOverAnnounced = false

        /// Market time (UTC epoch seconds, fractional) at a wall instant.
        func marketTime(at now: ContinuousClock.Instant) -> Double {
            let elapsed = now - origin
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            return Double(start.epochSeconds) + seconds * start.speed
        }

        /// The wall instant market time reaches `time`.
        func wallInstant(of time: Int64) -> ContinuousClock.Instant {
            origin + .nanoseconds(Int64((Double(time - start.epochSeconds) / start.speed * 1e9).rounded(.up)))
        }
    }

    struct Counters: Sendable, Equatable {
        var connectionsEver = 0
        var ticksSent = 0
        var framesSent = 0
        var heartbeatsSent = 0
        var drops = 0
        var ticksSkipped = 0
        var orderUpdatesSent = 0
    }

    struct State: Sendable {
        var connections: [Int: Connection] = [:]
        var nextConnection = 1
        var clock: Clock?
        /// Ticks before this market time are not sent (`ticker_stall_seconds`).
        var stallUntil: Int64?
        var counters = Counters()
        var port = 0
    }

    private let state = Mutex(State())
    let instruments: SimInstrumentList
    let bars: BarFiles

    init(instruments: SimInstrumentList, bars: BarFiles) {
        self.instruments = instruments
        self.bars = bars
    }

    // MARK: The day and the clock

    /// The day's ticks of every instrument with bars that day, and of an index with only daily bars
    /// (India VIX): its day's open all day, with the previous day's close (see ``dailyOnly(_:date:minutes:)``).
    func schedule(for date: LocalDate) throws -> TickerSchedule {
        let dayStart = IST.epochSeconds(date: date, secondOfDay: 0)
        var streamed: [TickerInstrument] = []
        var dailyOnly: [SimInstrument] = []
        for instrument in instruments.instruments {
            let day = try bars.day(symbol: instrument.dataFolder, date: date)
            guard day.count > 0 else {
                if !instrument.isTradable { dailyOnly.append(instrument) }
                continue
            }
            // The previous day's close: the last bar of the fortnight before.
            let before = try bars.minuteBars(symbol: instrument.dataFolder, from: dayStart - 15 * 86_400, to: dayStart - 1)
            streamed.append(TickerInstrument(
                token: instrument.token, isIndex: !instrument.isTradable, bars: (0..<day.count).map { day[$0] },
                previousClose: before.count > 0 ? before[before.count - 1].close : 0))
        }
        let minutes = Set(streamed.flatMap { $0.bars.map(\.time) }).sorted()
        for instrument in dailyOnly {
            if let vix = try self.dailyOnly(instrument, date: date, minutes: minutes) { streamed.append(vix) }
        }
        return TickerSchedule(date: date, instruments: streamed)
    }

    /// An index kite-sim has daily bars of only (India VIX: `INDIAVIX/1d/`): streamed at the
    /// minutes the other instruments trade, its price the day's open throughout (kite-sim has no
    /// intraday path for it), its close field the previous day's close, as Kite's packets carry it.
    /// Nil without a daily bar that day.
    func dailyOnly(_ instrument: SimInstrument, date: LocalDate, minutes: [Int64]) throws -> TickerInstrument? {
        guard !minutes.isEmpty else { return nil }
        let days = try bars.dailyBars(symbol: instrument.dataFolder, years: (date.year - 1)...date.year)
        let dayStart = IST.epochSeconds(date: date, secondOfDay: 0)
        var today: Bar?, previous: Bar?
        for i in 0..<days.count {
            let bar = days[i]
            if bar.time < dayStart { previous = bar } else if bar.time < dayStart + 86_400 { today = bar; break } else { break }
        }
        guard let today else { return nil }
        let flat = minutes.map { Bar(time: $0, open: today.open, high: today.open, low: today.open, close: today.open, volume: 0) }
        return TickerInstrument(token: instrument.token, isIndex: true, bars: flat, previousClose: previous?.close ?? 0)
    }

    /// (Re)starts the clock at `start` now: ticks before the start time are never sent.
    func start(_ start: TickerStart, schedule: TickerSchedule, now: ContinuousClock.Instant = .now) {
        state.withLock { s in
            s.clock = Clock(start: start, schedule: schedule, origin: now, next: schedule.firstInstant(atOrAfter: start.epochSeconds))
            s.stallUntil = nil
        }
    }

    func setPort(_ port: Int) { state.withLock { $0.port = port } }

    // MARK: Connections

    /// Registers a connection whose messages go to `continuation`; returns its id.
    func connect(_ continuation: AsyncStream<Outbound>.Continuation, now: ContinuousClock.Instant = .now) -> Int {
        state.withLock { s in
            let id = s.nextConnection
            s.nextConnection += 1
            s.connections[id] = Connection(continuation: continuation, lastSent: now)
            s.counters.connectionsEver += 1
            return id
        }
    }

    var hasConnections: Bool { state.withLock { !$0.connections.isEmpty } }

    func disconnect(_ id: Int) {
        let gone = state.withLock { $0.connections.removeValue(forKey: id) }
        gone?.continuation.finish()
    }

    /// A text message from a client: `{"a":"subscribe","v":[tokens]}`, `{"a":"unsubscribe",…}`
    /// or `{"a":"mode","v":["ltp"|"quote"|"full",[tokens]]}`. Anything else is answered with an
    /// error message.
    func receive(_ text: String, from id: Int) {
        let request = Self.parse(text)
        state.withLock { s in
            guard var connection = s.connections[id] else { return }
            switch request {
            case .success(.subscribe(let tokens)):
                for token in tokens where connection.modes[token] == nil { connection.modes[token] = .quote }
            case .success(.unsubscribe(let tokens)):
                for token in tokens { connection.modes[token] = nil }
            case .success(.mode(let mode, let tokens)):
                for token in tokens { connection.modes[token] = mode }
            case .failure(let error):
                connection.continuation.yield(.text(Self.textMessage(type: "error", data: error.message)))
            }
            s.connections[id] = connection
        }
    }

    enum Request: Equatable {
        case subscribe([Int64])
        case unsubscribe([Int64])
        case mode(TickerMode, [Int64])
    }

    struct RequestError: Error, Equatable { var message: String }

    /// Reads a client's message.
    static func parse(_ text: String) -> Result<Request, RequestError> {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
              let action = object["a"] as? String else {
            return .failure(RequestError(message: "Invalid message: expected {\"a\": action, \"v\": value}."))
        }
        func tokens(_ value: Any?) -> [Int64]? {
            guard let list = value as? [Any] else { return nil }
            var out: [Int64] = []
            for item in list {
                guard let number = item as? NSNumber, !(item is Bool), let token = Int64(exactly: number.doubleValue), token > 0 else {
                    return nil
                }
                out.append(token)
            }
            return out
        }
        switch action {
        case "subscribe", "unsubscribe":
            guard let list = tokens(object["v"]) else {
                return .failure(RequestError(message: "Invalid \(action): expected \"v\": [instrument_token, …]."))
            }
            return .success(action == "subscribe" ? .subscribe(list) : .unsubscribe(list))
        case "mode":
            guard let value = object["v"] as? [Any], value.count == 2, let name = value[0] as? String,
                  let mode = TickerMode(rawValue: name), let list = tokens(value[1]) else {
                return .failure(RequestError(message: "Invalid mode: expected \"v\": [\"ltp\"|\"quote\"|\"full\", [instrument_token, …]]."))
            }
            return .success(.mode(mode, list))
        default:
            return .failure(RequestError(message: "Invalid action \"\(action)\": expected subscribe, unsubscribe or mode."))
        }
    }

    /// `{"type":TYPE,"data":"…"}`.
    static func textMessage(type: String, data: String) -> String {
        JSON.object([("type", .string(type)), ("data", .string(data))]).text
    }

    /// Order updates, in the order they happened, to every connection.
    func broadcast(orderUpdates: [String]) {
        state.withLock { s in
            for (id, connection) in s.connections {
                for update in orderUpdates { connection.continuation.yield(.text(update)) }
                s.connections[id]?.lastSent = .now
            }
            s.counters.orderUpdatesSent += orderUpdates.count * s.connections.count
        }
    }

    // MARK: Faults

    /// `ticker_drop`: closes every connection now; returns how many.
    @discardableResult
    func dropAll(reason: String = "kite-sim: ticker_drop") -> Int {
        let dropped = state.withLock { s in
            let all = s.connections
            s.connections = [:]
            s.counters.drops += all.count
            return all
        }
        for connection in dropped.values {
            connection.continuation.yield(.close(reason))
            connection.continuation.finish()
        }
        return dropped.count
    }

    /// Closes every connection (the server is stopping); not counted as a drop.
    func closeAll(reason: String) {
        let all = state.withLock { s in
            defer { s.connections = [:] }
            return s.connections
        }
        for connection in all.values {
            connection.continuation.yield(.close(reason))
            connection.continuation.finish()
        }
    }

    /// `ticker_stall_seconds`: no ticks for `seconds` of market time from now (0 ends a stall);
    /// returns the market time ticks resume at, nil when the clock is not running.
    @discardableResult
    func stall(seconds: Int64, now: ContinuousClock.Instant = .now) -> Int64? {
        state.withLock { s in
            guard let clock = s.clock else { return nil }
            let market = Int64(clock.marketTime(at: now).rounded(.down))
            s.stallUntil = seconds > 0 ? market + seconds : nil
            return market + seconds
        }
    }

    // MARK: Sending

    /// Sends what is due at `now`: the ticks of every instant the clock has reached (each
    /// connection its subscribed tokens in their modes, one message per instant; skipped while
    /// stalled), and a heartbeat to each connection that was sent nothing for a second. Returns
    /// when to call again.
    func step(now: ContinuousClock.Instant = .now) -> ContinuousClock.Instant {
        state.withLock { s in
            var wake = now + .milliseconds(250)
            if var clock = s.clock {
                let instants = clock.schedule.instants
                while clock.next < instants.count, clock.wallInstant(of: instants[clock.next].time) <= now {
                    let instant = instants[clock.next]
                    clock.next += 1
                    if let stall = s.stallUntil, instant.time < stall {
                        s.counters.ticksSkipped += instant.ticks.count
                        continue
                    }
                    for (id, connection) in s.connections where !connection.modes.isEmpty {
                        var packets: [[UInt8]] = []
                        for encoded in instant.ticks {
                            if let mode = connection.modes[encoded.tick.token] { packets.append(encoded.packet(mode)) }
                        }
                        guard !packets.isEmpty else { continue }
                        connection.continuation.yield(.binary(TickerPackets.message(packets)))
                        s.connections[id]?.lastSent = now
                        s.counters.ticksSent += packets.count
                        s.counters.framesSent += 1
                    }
                }
                if clock.next < instants.count {
                    wake = min(wake, clock.wallInstant(of: instants[clock.next].time))
                } else if !clock.dayOverAnnounced {
                    clock.dayOverAnnounced = true
                    let text = Self.textMessage(type: "message", data: "kite-sim: the ticks of \(clock.schedule.date) are over")
                    for (id, connection) in s.connections {
                        connection.continuation.yield(.text(text))
                        s.connections[id]?.lastSent = now
                    }
                }
                s.clock = clock
            }
            for (id, connection) in s.connections {
                if now - connection.lastSent >= .seconds(1) {
                    connection.continuation.yield(.binary(TickerPackets.heartbeat))
                    s.connections[id]?.lastSent = now
                    s.counters.heartbeatsSent += 1
                }
                wake = min(wake, (s.connections[id]?.lastSent ?? now) + .seconds(1))
            }
            return max(wake, now + .milliseconds(1))
        }
    }

    // MARK: Reports

    /// `GET /sim/clock`.
    func clockJSON(now: ContinuousClock.Instant = .now) -> JSON {
        state.withLock { s in
            var members: [(String, JSON)] = [("ticker_port", .int(Int64(s.port)))]
            guard let clock = s.clock else {
                return .object(members + [
                    ("date", .null), ("market_time", .null), ("epoch_seconds", .null), ("speed", .null), ("running", .bool(false)),
                    ("day_over", .bool(false)), ("stalled_until", .null),
                ])
            }
            let market = Int64(clock.marketTime(at: now).rounded(.down))
            let stall = s.stallUntil.flatMap { $0 > market ? $0 : nil }
            members += [
                ("date", .string(clock.schedule.date.description)),
                ("market_time", .string(IST.isoText(epochSeconds: market))),
                ("epoch_seconds", .int(market)),
                ("speed", .number(clock.start.speed)),
                ("running", .bool(true)),
                ("day_over", .bool(clock.next >= clock.schedule.instants.count)),
                ("stalled_until", stall.map { .string(IST.isoText(epochSeconds: $0)) } ?? .null),
            ]
            return .object(members)
        }
    }

    /// The ticker's lines of `GET /sim/stats`.
    var statsMembers: [(String, JSON)] {
        state.withLock { s in
            [
                ("ticker_connections", .int(Int64(s.connections.count))),
                ("ticker_connections_ever", .int(Int64(s.counters.connectionsEver))),
                ("ticker_ticks_sent", .int(Int64(s.counters.ticksSent))),
                ("ticker_frames_sent", .int(Int64(s.counters.framesSent))),
                ("ticker_heartbeats_sent", .int(Int64(s.counters.heartbeatsSent))),
                ("ticker_ticks_skipped", .int(Int64(s.counters.ticksSkipped))),
                ("ticker_drops", .int(Int64(s.counters.drops))),
                ("ticker_order_updates_sent", .int(Int64(s.counters.orderUpdatesSent))),
            ]
        }
    }

    /// `POST /sim/reset`: the counters at zero (the connections stay, and count as ever made).
    func resetCounters() {
        state.withLock { s in s.counters = Counters(connectionsEver: s.connections.count) }
    }
}

/// Runs the ticker's clock: sends what is due, sleeps until the next tick or heartbeat (at most a
/// quarter of a second, so a restarted clock or a new connection is seen soon), and at a graceful
/// shutdown closes every connection.
struct TickerDriver: Service {
    let ticker: KiteTicker

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let wake = ticker.step()
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(until: wake, clock: .continuous) }
            } catch {
                break
            }
        }
        ticker.closeAll(reason: "kite-sim is stopping")
    }
}

extension IST {
    /// ISO 8601 with IST's offset: `2021-02-15T09:14:00+05:30`.
    static func isoText(epochSeconds: Int64) -> String {
        let t = dateTime(epochSeconds: epochSeconds)
        return "\(t.date)T\(clockText(t))+05:30"
    }
}
