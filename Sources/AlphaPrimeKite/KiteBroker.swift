import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import AlphaPrimeHTTP
import Foundation
import Logging
import Synchronization

/// The Kite Connect adapter of the broker port for one session.
///
/// Commands go out on a ``KiteOrderLane`` (never on the engine's thread); their answers, the fills
/// and the orders Kite ended come back as ``BrokerEvent``s through ``takeEvents(into:)``. The book
/// (``refresh()``) is read on the engine's thread when it asks.
///
/// Placement is never resent blindly: the client order id goes in Kite's `tag`. A placement whose
/// outcome is unknown (a timeout, a broken connection, a 5xx, Kite's "timed out" 400) is looked up
/// in the order book by its tag with back-off for up to `placement_lookup_seconds`, holding the
/// lane: found, it is accepted; still not found, it is reported as ``BrokerEvent/outcomeUnknown(orderID:reason:)``
/// and the engine settles it from ``orders()``. A 429 or a connection that was never made is
/// certainly not placed and is tried again after back-off, after the tag was looked up.
///
/// Kite has no OCO orders: when an order of an OCO group fills, the adapter cancels its working
/// siblings (reported as cancelled with "OCO sibling filled", as the paper broker does). Charges are
/// the cost model's for each fill (Kite's trades carry none; the contract note is the final word).
public final class KiteBroker: Broker, @unchecked Sendable {
    public let name = "kite"
    let client: KiteClient
    let lane: KiteOrderLane
    let instruments: KiteInstrumentMap
    let charges: any ChargesModel
    let logger: Logger
    /// Orders of this session by tag (the client order id), and what is known of them.
    let shared = Mutex(Shared())

    struct Tracked {
        var request: OrderRequest
        var kiteOrderID: String?
        var seenTrades: Set<String> = []
        var filled: Int64 = 0
        /// Ended (complete, cancelled, rejected) as far as the engine was told.
        var done = false
        var cancelRequested = false
        /// Placement answered (accepted, rejected or still unknown after the lookup).
        var answered = false
    }

    struct Shared {
        var events: [BrokerEvent] = []
        var byTag: [String: Tracked] = [:]
        var tagOfKiteOrder: [String: String] = [:]
        var tagOfOrderID: [Int64: String] = [:]
        /// Tags already in Kite's book when the session started (a restart): never placed again.
        var bookAtStart: [String: String] = [:]
    }

    public init(connection: KiteConnection, limiter: KiteRateLimiter, instruments: KiteInstrumentMap, charges: any ChargesModel,
                logger: Logger) throws {
        client = try KiteClient(connection: connection, limiter: limiter)
        lane = KiteOrderLane(client: try KiteClient(connection: connection, limiter: limiter), name: "kite-orders")
        self.instruments = instruments
        self.charges = charges
        self.logger = logger
        // What an earlier run of this session already placed: a restarted engine re-creates those
        // orders, and they are recognised here by their tags instead of being placed twice.
        let book = try client.orders()
        shared.withLock { s in
            for order in book { for tag in [order.tag].compactMap({ $0 }) + (order.tags ?? []) { s.bookAtStart[tag] = order.orderID } }
        }
    }

    deinit { lane.stop() }

    /// Waits until every command handed over has been answered (or `timeout` seconds).
    @discardableResult
    public func waitForCommands(timeout: Double) -> Bool { lane.waitUntilIdle(timeout: timeout) }

    func emit(_ event: BrokerEvent) { shared.withLock { $0.events.append(event) } }

    // MARK: Commands

    public func submit(_ request: BrokerOrderRequest) {
        let order = request.order
        let tag = request.clientOrderId
        guard order.quantity > 0 else {
            return emit(.rejected(orderID: order.id, reason: "quantity must be positive, got \(order.quantity)"))
        }
        guard instruments.entries.indices.contains(order.symbol) else {
            return emit(.rejected(orderID: order.id, reason: "unknown instrument \(order.symbol)"))
        }
        guard (1...20).contains(tag.utf8.count), tag.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            return emit(.rejected(orderID: order.id, reason: "client order id '\(tag)' is not a Kite tag (1 to 20 letters and digits)"))
        }
        let known: (sent: Bool, inBook: String?) = shared.withLock { s in
            if s.byTag[tag] != nil { return (true, nil) }
            s.byTag[tag] = Tracked(request: order)
            s.tagOfOrderID[order.id] = tag
            return (false, s.bookAtStart[tag])
        }
        guard !known.sent else {
            logger.warning("an order with this tag was already sent in this session; not sent again", metadata: ["order.client_id": "\(tag)"])
            return
        }
        if let kiteOrderID = known.inBook {
            logger.notice("the order is already in Kite's book from an earlier run; taken in, not placed again",
                          metadata: ["order.client_id": "\(tag)", "order.broker_id": "\(kiteOrderID)"])
            return accepted(tag: tag, orderID: order.id, kiteOrderID: kiteOrderID)
        }
        let parameters = self.parameters(order, tag: tag)
        lane.enqueue { [self] client in place(parameters, orderID: order.id, client: client) }
    }

    func parameters(_ order: OrderRequest, tag: String) -> KiteOrderParameters {
        let entry = instruments.entries[order.symbol]
        return KiteOrderParameters(
            exchange: entry.exchange, tradingsymbol: entry.tradingsymbol, transactionType: order.side.rawValue,
            orderType: order.type.rawValue, quantity: order.quantity, product: order.product.rawValue,
            price: order.type == .limit || order.type == .stopLoss ? Paise(order.limitPrice) : nil,
            triggerPrice: order.type == .stopLoss || order.type == .stopLossMarket ? Paise(order.triggerPrice) : nil, tag: tag)
    }

    /// On the lane: the placement and, when its outcome is unknown, the lookup of its tag.
    func place(_ parameters: KiteOrderParameters, orderID: Int64, client: KiteClient) {
        let tag = parameters.tag
        let attempts = max(1, client.connection.retries.maxAttempts)
        var attempt = 1
        while true {
            do {
                let kiteOrderID = try client.placeOrder(parameters)
                return accepted(tag: tag, orderID: orderID, kiteOrderID: kiteOrderID)
            } catch let error as KiteError where error.httpStatus == 429 {
                // Refused by Kite's rate limiter: nothing was placed. Tried again after back-off,
                // unless the tag is in the book by then.
                logger.warning("Kite answered 429 to a placement; trying again after back-off",
                               metadata: ["order.client_id": "\(tag)", "attempt": "\(attempt)"])
                if attempt >= attempts { return rejected(tag: tag, orderID: orderID, reason: "\(error)") }
                client.backOff(attempt: attempt)
                attempt += 1
                if let found = try? lookUp(tag: tag, client: client) { return accepted(tag: tag, orderID: orderID, kiteOrderID: found) }
            } catch let error as KiteError where error.isOutcomeUnknownOnPlacement {
                return resolveUnknown(tag: tag, orderID: orderID, reason: "\(error)", client: client)
            } catch let error as KiteError {
                return rejected(tag: tag, orderID: orderID, reason: "\(error)")
            } catch let error as HTTPError where !error.mayHaveReachedServer {
                logger.warning("a placement could not reach Kite; trying again after back-off",
                               metadata: ["order.client_id": "\(tag)", "attempt": "\(attempt)", "error": "\(error)"])
                if attempt >= attempts { return rejected(tag: tag, orderID: orderID, reason: "\(error)") }
                client.backOff(attempt: attempt)
                attempt += 1
            } catch let error as HTTPError {
                return resolveUnknown(tag: tag, orderID: orderID, reason: "\(error)", client: client)
            } catch {
                // The daily order cap of the rate limiter.
                return rejected(tag: tag, orderID: orderID, reason: "\(error)")
            }
        }
    }

    /// Looks the tag up in the order book with back-off, for up to `placement_lookup_seconds`.
    func resolveUnknown(tag: String, orderID: Int64, reason: String, client: KiteClient) {
        logger.warning("placement outcome unknown; looking the order up in Kite's order book by its tag",
                       metadata: ["order.client_id": "\(tag)", "reason": "\(reason)"])
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(client.connection.placementLookupSeconds * 1e9)
        var attempt = 1
        while true {
            if let found = try? lookUp(tag: tag, client: client) {
                logger.notice("placement outcome resolved: the order is in Kite's book",
                              metadata: ["order.client_id": "\(tag)", "order.broker_id": "\(found)", "lookups": "\(attempt)"])
                return accepted(tag: tag, orderID: orderID, kiteOrderID: found)
            }
            if DispatchTime.now().uptimeNanoseconds >= deadline { break }
            client.backOff(attempt: min(attempt, 8))
            attempt += 1
        }
        shared.withLock { $0.byTag[tag]?.answered = true }
        emit(.outcomeUnknown(orderID: orderID, reason: "\(reason); not in Kite's order book after \(attempt) lookups"))
    }

    func lookUp(tag: String, client: KiteClient) throws -> String? {
        try client.orders().first(where: { $0.tag == tag || ($0.tags ?? []).contains(tag) })?.orderID
    }

    func accepted(tag: String, orderID: Int64, kiteOrderID: String) {
        shared.withLock { s in
            s.byTag[tag]?.kiteOrderID = kiteOrderID
            s.byTag[tag]?.answered = true
            s.tagOfKiteOrder[kiteOrderID] = tag
            s.events.append(.accepted(orderID: orderID, brokerOrderId: kiteOrderID))
        }
    }

    func rejected(tag: String, orderID: Int64, reason: String) {
        shared.withLock { s in
            s.byTag[tag]?.done = true
            s.byTag[tag]?.answered = true
            s.events.append(.rejected(orderID: orderID, reason: reason))
        }
    }

    public func requestCancel(orderID: Int64, clientOrderId: String) {
        let kiteOrderID: String? = shared.withLock { s in
            s.byTag[clientOrderId]?.cancelRequested = true
            return s.byTag[clientOrderId]?.kiteOrderID
        }
        lane.enqueue { [self] client in
            // An order whose placement was still being answered has its id by now.
            let id = kiteOrderID ?? shared.withLock { $0.byTag[clientOrderId]?.kiteOrderID }
            guard let id else { return emit(.cancelRefused(orderID: orderID, reason: "not at the broker")) }
            do {
                _ = try client.cancelOrder(id)
                shared.withLock { s in
                    s.byTag[clientOrderId]?.done = true
                    s.events.append(.cancelled(orderID: orderID, reason: "cancelled on request"))
                }
            } catch {
                emit(.cancelRefused(orderID: orderID, reason: "\(error)"))
            }
        }
    }

    public func requestModify(orderID: Int64, clientOrderId: String, triggerPrice: Int64) {
        lane.enqueue { [self] client in
            guard let tracked = shared.withLock({ $0.byTag[clientOrderId] }), let id = tracked.kiteOrderID, !tracked.done else {
                return emit(.modifyRefused(orderID: orderID, reason: "not a working order at the broker"))
            }
            do {
                _ = try client.modifyOrder(id, triggerPrice: Paise(triggerPrice))
                shared.withLock { s in
                    s.byTag[clientOrderId]?.request.triggerPrice = triggerPrice
                    s.events.append(.modified(orderID: orderID, triggerPrice: triggerPrice))
                }
            } catch {
                emit(.modifyRefused(orderID: orderID, reason: "\(error)"))
            }
        }
    }

    /// How often ``takeEvents(into:)`` reads the book itself (seconds), in a session nothing else
    /// polls for it; nil when a rehearsal market reads it after each market step.
    public var pollInterval: Double?
    var lastPoll: UInt64 = 0

    public func takeEvents(into events: inout [BrokerEvent]) {
        if let pollInterval {
            let now = DispatchTime.now().uptimeNanoseconds
            if now &- lastPoll >= UInt64(pollInterval * 1e9) {
                lastPoll = now
                do {
                    try refresh()
                } catch {
                    logger.warning("could not read the order book; the next poll tries again", metadata: ["error": "\(error)"])
                }
            }
        }
        shared.withLock { s in
            guard !s.events.isEmpty else { return }
            events.append(contentsOf: s.events)
            s.events.removeAll(keepingCapacity: true)
        }
    }
}
