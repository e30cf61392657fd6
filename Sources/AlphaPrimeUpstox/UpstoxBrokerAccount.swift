import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import Foundation
import Logging

/// The Upstox account as the engine runner and the control commands use it: its cash and
/// positions as Upstox reports them, one ``UpstoxBroker`` per session, and the emergency cancel-all
/// and flatten-all through the REST API.
///
/// Upstox itself expires day orders and squares intraday positions off at the end of the day, so
/// nothing is settled here between sessions. There is no rehearsal market: a session never
/// carries a ``SimulatedMarket``.
public final class UpstoxBrokerAccount: BrokerAccount {
    public let name = "upstox"
    public let connection: UpstoxConnection
    public let instruments: UpstoxInstrumentMap
    public let instrumentKinds: [InstrumentKind]
    let limiter: UpstoxRateLimiter
    let logger: Logger

    public init(connection: UpstoxConnection, instruments: UpstoxInstrumentMap, instrumentKinds: [InstrumentKind], logger: Logger) {
        self.connection = connection
        self.instruments = instruments
        self.instrumentKinds = instrumentKinds
        self.limiter = UpstoxRateLimiter(connection.rateLimits)
        self.logger = logger
    }

    func client() throws -> UpstoxClient { try UpstoxClient(connection: connection, limiter: limiter) }

    /// The equity segment's available margin (`GET /user/get-funds-and-margin`); Upstox knows only
    /// the present, so `time` is not used.
    public func cash(at time: UTCTimestamp) throws -> Int64 {
        guard let equity = try client().funds().equity else {
            throw UpstoxError(code: "no equity segment", httpStatus: 200, message: "Upstox reported no equity funds")
        }
        return equity.availableMargin.paise.value
    }

    public func positions() throws -> [BrokerPosition] {
        try client().positions().filter { $0.quantity != 0 }.map { p in
            BrokerPosition(strategy: nil, symbol: instruments.name(instrumentKey: p.instrumentToken, tradingSymbol: p.tradingSymbol),
                           quantity: p.quantity, openValue: p.quantity * p.openPrice.value)
        }
    }

    public func session(date: LocalDate, open: UTCTimestamp, close: UTCTimestamp) throws -> BrokerSession {
        let costs = try CostModel(instrumentKinds: instrumentKinds, pricingDate: date)
        let broker = try UpstoxBroker(connection: connection, limiter: limiter, instruments: instruments, charges: costs, logger: logger)
        // The engine's own requests for events read the book (no rehearsal market, no postbacks).
        broker.pollInterval = 1
        return BrokerSession(broker: broker, market: nil)
    }

    public func settle(before open: UTCTimestamp, at time: UTCTimestamp) throws -> (expired: [String], closed: [ClosedPosition]) {
        ([], [])
    }

    static let working: Set<String> = ["open", "trigger pending", "after market order req received", "put order req received",
                                       "validation pending", "open pending", "modify pending", "modify validation pending"]

    /// Cancels every working order of the account (not only the engine's: an emergency means all),
    /// created before `before` when given; returns their tags (or Upstox's order ids for untagged ones).
    public func cancelWorkingOrders(createdBefore before: UTCTimestamp?, reason: String, at time: UTCTimestamp) throws -> [String] {
        let client = try client()
        var cancelled: [String] = []
        for order in try client.orders() where Self.working.contains(order.status) {
            if let before, let created = order.orderTime, created >= before { continue }
            _ = try client.cancelOrder(order.orderID)
            cancelled.append(order.tag ?? order.orderID)
            logger.warning("cancelled a working order at Upstox", metadata: [
                "order.client_id": "\(order.tag ?? "-")", "order.broker_id": "\(order.orderID)", "reason": "\(reason)"])
        }
        return cancelled
    }

    /// Closes every open intraday and carry-forward position with a market order and waits (up to
    /// `placement_lookup_seconds`) for each to complete. Equity delivery (`D` on an `_EQ` key, Kite's
    /// CNC) is an investment, not a trade, and is left alone.
    public func closePositions(reason: String, at time: UTCTimestamp) throws -> [ClosedPosition] {
        let client = try client()
        var closed: [ClosedPosition] = []
        for (n, p) in try client.positions().enumerated() where p.quantity != 0 && !(p.product == "D" && p.instrumentToken.contains("_EQ|")) {
            let side: Side = p.quantity > 0 ? .sell : .buy
            let tag = "U" + String(time.microseconds / 1_000_000, radix: 36).uppercased() + String(n, radix: 36).uppercased()
            let parameters = UpstoxOrderParameters(instrumentToken: p.instrumentToken, transactionType: side.rawValue, orderType: "MARKET",
                                                   quantity: abs(p.quantity), product: p.product, tag: tag)
            let orderID: String
            do {
                orderID = try client.placeOrder(parameters)
            } catch let error as UpstoxError where error.isOutcomeUnknownOnPlacement {
                guard let found = try client.orders().first(where: { $0.tag == tag }) else { throw error }
                orderID = found.orderID
            }
            let deadline = Date(timeIntervalSinceNow: connection.placementLookupSeconds)
            var final: UpstoxOrder?
            while Date() < deadline {
                if let state = try client.orders().first(where: { $0.orderID == orderID }),
                   ["complete", "rejected", "cancelled"].contains(state.status) {
                    final = state
                    break
                }
                Thread.sleep(forTimeInterval: 0.2)
            }
            guard let final, final.status == "complete" else {
                throw UpstoxError(code: "not complete", httpStatus: 200, message: "the closing order \(orderID) for \(p.tradingSymbol) did not complete"
                                  + (final.map { ": \($0.status) \($0.statusMessage ?? "")" } ?? " in time"))
            }
            let price = final.averagePrice.paise.value
            let pnl = (price - p.openPrice.value) * p.quantity
            closed.append(ClosedPosition(clientOrderId: tag, strategy: "", symbol: instruments.name(instrumentKey: p.instrumentToken, tradingSymbol: p.tradingSymbol),
                                         side: side, quantity: abs(p.quantity), price: price, netPnL: pnl, time: final.orderTime ?? time))
            logger.warning("closed a position at Upstox", metadata: [
                "symbol": "\(p.tradingSymbol)", "quantity": "\(p.quantity)", "price": "\(Paise(price))", "reason": "\(reason)"])
        }
        return closed
    }
}
