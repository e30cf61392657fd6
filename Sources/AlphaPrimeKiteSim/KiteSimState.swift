import AlphaPrimeDomain
import Foundation
import Synchronization

/// Counts `GET /sim/stats` reports.
struct SimCounters: Sendable, Equatable {
    /// Every `POST /orders/:variety` received, whatever came of it.
    var placementsReceived = 0
    /// Faults injected, by kind (`place-503`, `place-504`, `place-timeout400`, `place-drop`,
    /// `burst-429`, `rate-limit-429`, `token-expired`).
    var faults: [String: Int] = [:]
    /// Requests answered 429 (bursts and the order rate limit).
    var answered429 = 0
}

/// Everything kite-sim holds, behind one lock: the exchange, the sessions, the faults and their
/// draws, the counters, the market clock. Every request takes the lock once for its whole change,
/// so what one request does is seen whole by the next.
final class KiteSimState: Sendable {
    struct Inner: Sendable {
        var exchange: SimExchange
        var sessions: SimSessions
        var faults: FaultSettings
        var draws: SeededDraws
        var counters = SimCounters()
        /// Order requests of the last second, for `max-orders-per-second`.
        var recentOrderRequests: [ContinuousClock.Instant] = []
        /// The market's time: the latest bar posted (external market), or where the replay is.
        var marketTime: Int64?
        /// The external market's last bar of each instrument, and whether it was traded through (a
        /// post of it filled fewer orders than it allowed): a restarted engine posting it again
        /// trades nothing twice.
        var lastBars: [Int: (time: Int64, done: Bool)] = [:]
        /// During a replay: the wall instant and market time it started from, and its speed.
        var replayOrigin: (wall: ContinuousClock.Instant, market: Int64, speed: Double)?
    }

    private let inner: Mutex<Inner>
    let instruments: SimInstrumentList
    let userID: String
    /// Where order updates go (to every ticker connection).
    let ticker: KiteTicker?

    init(exchange: SimExchange, sessions: SimSessions, faults: FaultSettings, ticker: KiteTicker? = nil) {
        instruments = exchange.instruments
        userID = exchange.userID
        self.ticker = ticker
        inner = Mutex(Inner(exchange: exchange, sessions: sessions, faults: faults, draws: SeededDraws(seed: faults.seed)))
    }

    /// Runs `body` on the state, first putting into the book the late placements now due; then
    /// hands the order updates it caused to the ticker, still under the lock, so they go out in
    /// the order they happened.
    func withState<T>(_ body: (inout Inner) throws(KiteAPIError) -> T) throws(KiteAPIError) -> T {
        try inner.withLock { (state: inout Inner) throws(KiteAPIError) -> T in
            state.exchange.revealLatePlacements(placedBy: .now - .milliseconds(state.faults.lateOrderMilliseconds),
                                                 now: state.marketNow())
            let result: Result<T, KiteAPIError>
            do throws(KiteAPIError) {
                result = .success(try body(&state))
            } catch {
                result = .failure(error)
            }
            let updates = state.exchange.takeOrderUpdates()
            if !updates.isEmpty, let ticker, ticker.hasConnections {
                ticker.broadcast(orderUpdates: updates.map { update in
                    let orderTimestamp = IST.kiteText(epochSeconds: update.state.placedAt)
                    let checksum = state.sessions.postbackChecksum(orderID: update.state.orderID, orderTimestamp: orderTimestamp)
                    let payload = update.payload(instruments.instruments[update.state.instrument], userID: userID, checksum: checksum)
                    return JSON.object([("type", .string("order")), ("data", payload)]).text
                })
            }
            return try result.get()
        }
    }

    /// Whether a ticker handshake's query (`api_key`, `access_token`) names a live session, not
    /// past `token-expires-at`.
    func authorizeTicker(query: String) -> Bool {
        guard let fields = try? FormFields(encoded: query), let key = fields["api_key"], let token = fields["access_token"] else {
            return false
        }
        return (try? withState { (s: inout Inner) throws(KiteAPIError) -> Bool in
            guard s.sessions.isLive(apiKey: key, accessToken: token) else { return false }
            if let expiry = s.faults.tokenExpiresAt, IST.epochSeconds(Date()) >= expiry {
                s.counters.faults["token-expired", default: 0] += 1
                return false
            }
            return true
        }) ?? false
    }

    func read<T>(_ body: (Inner) -> T) -> T { inner.withLock { body($0) } }
}

extension KiteSimState.Inner {
    /// The market's time now (UTC epoch seconds): the last posted bar's, the replay's, or (before
    /// the external market has posted a bar) the wall clock's.
    func marketNow() -> Int64 {
        if let origin = replayOrigin {
            let elapsed = ContinuousClock.now - origin.wall
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            return origin.market + Int64((seconds * origin.speed).rounded(.down))
        }
        return marketTime ?? IST.epochSeconds(Date())
    }

    /// Whether a request with this `Authorization` header may act, and if so its access token:
    /// the session must be live and the token not past `token-expires-at`.
    mutating func authorize(_ header: String?, kiteVersion: String?) throws(KiteAPIError) -> String {
        guard kiteVersion == "3", let token = sessions.authorizedToken(header) else { throw KiteAPIError.token }
        if let expiry = faults.tokenExpiresAt, IST.epochSeconds(Date()) >= expiry {
            counters.faults["token-expired", default: 0] += 1
            throw KiteAPIError.token
        }
        return token
    }

    /// Takes one request of a 429 burst, when one is under way.
    mutating func takeBurst429() -> Bool {
        guard faults.burst429 > 0 else { return false }
        faults.burst429 -= 1
        counters.faults["burst-429", default: 0] += 1
        counters.answered429 += 1
        return true
    }

    /// Counts an order request against `max-orders-per-second`; false when it is over the limit.
    mutating func admitOrderRequest(at now: ContinuousClock.Instant = .now) -> Bool {
        guard faults.maxOrdersPerSecond > 0 else { return true }
        recentOrderRequests.removeAll { now - $0 >= .seconds(1) }
        guard recentOrderRequests.count < faults.maxOrdersPerSecond else {
            counters.faults["rate-limit-429", default: 0] += 1
            counters.answered429 += 1
            return false
        }
        recentOrderRequests.append(now)
        return true
    }

    /// The fault this placement meets (one seeded draw per placement, whatever the rates).
    mutating func drawPlacementFault() -> PlacementFault? {
        let fault = PlacementFault.pick(draws.unit(), settings: faults)
        if let fault { counters.faults[fault.rawValue, default: 0] += 1 }
        return fault
    }

    /// `GET /sim/stats`.
    var statsJSON: JSON {
        .object([
            ("placements_received", .int(Int64(counters.placementsReceived))),
            ("orders_in_book", .int(Int64(exchange.orders.count))),
            ("orders_not_yet_visible", .int(Int64(exchange.latePlacements.count))),
            ("duplicate_tags", .int(Int64(exchange.duplicateTags))),
            ("fills", .int(Int64(exchange.trades.count))),
            ("faults", .object(counters.faults.sorted { $0.key < $1.key }.map { ($0.key, .int(Int64($0.value))) })),
            ("answered_429", .int(Int64(counters.answered429))),
            ("market_time", .string(marketTime.map { IST.kiteText(epochSeconds: $0) })),
        ])
    }
}
