import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import Foundation
import Logging

/// The Kite Connect account as the engine runner and the control commands use it: its cash and
/// positions as Kite reports them, one ``KiteBroker`` per session, and the emergency cancel-all
/// and flatten-all through the REST API.
///
/// Kite itself expires day orders and squares MIS positions off at the end of the day, so nothing
/// is settled here between sessions.
public final class KiteBrokerAccount: BrokerAccount {
    public let name = "kite"
    public let connection: KiteConnection
    public let instruments: KiteInstrumentMap
    public let instrumentKinds: [InstrumentKind]
    /// A rehearsal: sessions replay recorded bars into kite-sim's external market.
    public let rehearsal: Bool
    let limiter: KiteRateLimiter
    let logger: Logger
    /// The open session's broker, which the emergency commands reuse.
    private var current: KiteBroker?

    public init(connection: KiteConnection, instruments: KiteInstrumentMap, instrumentKinds: [InstrumentKind], rehearsal: Bool,
                logger: Logger) {
        self.connection = connection
        self.instruments = instruments
        self.instrumentKinds = instrumentKinds
        self.rehearsal = rehearsal
        self.limiter = KiteRateLimiter(connection.rateLimits)
        self.logger = logger
    }

    func client() throws -> KiteClient { try KiteClient(connection: connection, limiter: limiter) }

    /// Net cash available for trading in the equity segment (`GET /user/margins`); Kite knows only
    /// the present, so `time` is not used.
    public func cash(at time: UTCTimestamp) throws -> Int64 {
        guard let equity = try client().margins().equity else {
            throw KiteError(kind: .unknown("no equity segment"), httpStatus: 200, message: "Kite reported no equity margins")
        }
        return equity.net.paise.value
    }

    public func positions() throws -> [BrokerPosition] {
        try client().positions().net.filter { $0.quantity != 0 }.map { p in
            let name = instruments.symbol(exchange: p.exchange, tradingsymbol: p.tradingsymbol).map { instruments.entries[$0].symbol }
            return BrokerPosition(strategy: nil, symbol: name ?? p.tradingsymbol, quantity: p.quantity,
                                  openValue: p.quantity * p.averagePrice.paise.value)
        }
    }

    public func session(date: LocalDate, open: UTCTimestamp, close: UTCTimestamp) throws -> BrokerSession {
        let costs = try CostModel(instrumentKinds: instrumentKinds, pricingDate: date)
        let broker = try KiteBroker(connection: connection, limiter: limiter, instruments: instruments, charges: costs, logger: logger)
        current = broker
        let market = rehearsal ? try KiteSimMarket(broker: broker, connection: connection, instruments: instruments) : nil
        // Without a rehearsal market, the engine's own requests for events read the book.
        if market == nil { broker.pollInterval = 1 }
        // kite-sim fills from the bars it is given once: a restart takes the earlier fills from the record.
        return BrokerSession(broker: broker, market: market, recreatesFillsOnReplay: false)
    }

    public func settle(before open: UTCTimestamp, at time: UTCTimestamp) throws -> (expired: [String], closed: [ClosedPosition]) {
        ([], [])
    }

    /// Cancels every working order of the account (not only the engine's: an emergency means all),
    /// created before `before` when given; returns their tags (or Kite's order ids for untagged ones).
    public func cancelWorkingOrders(createdBefore before: UTCTimestamp?, reason: String, at time: UTCTimestamp) throws -> [String] {
        let client = try client()
        var cancelled: [String] = []
        for order in try client.orders() where ["OPEN", "TRIGGER PENDING", "AMO REQ RECEIVED"].contains(order.status) {
            if let before, let created = order.orderTimestamp?.utc, created >= before { continue }
            _ = try client.cancelOrder(order.orderID)
            cancelled.append(order.tag ?? order.orderID)
            logger.warning("cancelled a working order at Kite", metadata: [
                "order.client_id": "\(order.tag ?? "-")", "order.broker_id": "\(order.orderID)", "reason": "\(reason)"])
        }
        return cancelled
    }

    /// Closes every open intraday and carry-forward position with a market order and waits (up to
    /// `placement_lookup_seconds`) for each to complete.
    public func closePositions(reason: String, at time: UTCTimestamp) throws -> [ClosedPosition] {
        let client = try client()
        var closed: [ClosedPosition] = []
        for (n, p) in try client.positions().net.enumerated() where p.quantity != 0 && p.product != "CNC" {
            let side: Side = p.quantity > 0 ? .sell : .buy
            let tag = "K" + String(time.microseconds / 1_000_000, radix: 36).uppercased() + String(n, radix: 36).uppercased()
            let parameters = KiteOrderParameters(exchange: p.exchange, tradingsymbol: p.tradingsymbol, transactionType: side.rawValue,
                                                 orderType: "MARKET", quantity: abs(p.quantity), product: p.product, tag: String(tag.prefix(20)))
            let orderID: String
            do {
                orderID = try client.placeOrder(parameters)
            } catch let error as KiteError where error.isOutcomeUnknownOnPlacement {
                guard let found = try client.orders().first(where: { $0.tag == parameters.tag }) else { throw error }
                orderID = found.orderID
            }
            let deadline = Date(timeIntervalSinceNow: connection.placementLookupSeconds)
            var filled: KiteOrder?
            while Date() < deadline {
                if let state = try client.orderHistory(orderID).last, state.status == "COMPLETE" || state.status == "REJECTED" || state.status == "CANCELLED" {
                    filled = state
                    break
                }
                Thread.sleep(forTimeInterval: 0.2)
            }
            guard let filled, filled.status == "COMPLETE" else {
                throw KiteError(kind: .order, httpStatus: 200, message: "the closing order \(orderID) for \(p.tradingsymbol) did not complete"
                                + (filled.map { ": \($0.status) \($0.statusMessage ?? "")" } ?? " in time"))
            }
            let price = filled.averagePrice.paise.value
            let pnl = (price - p.averagePrice.paise.value) * p.quantity
            let name = instruments.symbol(exchange: p.exchange, tradingsymbol: p.tradingsymbol).map { instruments.entries[$0].symbol }
            closed.append(ClosedPosition(clientOrderId: parameters.tag, strategy: "", symbol: name ?? p.tradingsymbol, side: side,
                                         quantity: abs(p.quantity), price: price, netPnL: pnl,
                                         time: filled.exchangeTimestamp?.utc ?? filled.orderTimestamp?.utc ?? time))
            logger.warning("closed a position at Kite", metadata: [
                "symbol": "\(p.tradingsymbol)", "quantity": "\(p.quantity)", "price": "\(Paise(price))", "reason": "\(reason)"])
        }
        return closed
    }
}
