import AlphaPrimeSupport
import AlphaPrimeDomain
import Foundation
import Logging

/// The broker's book against what the engine counts: an event the broker sent and the engine never
/// heard (a postback lost, an update dropped with a connection) is found there, and the broker wins.
extension SessionRun {
    /// How often, in market minutes, a session with working orders reads the broker's book.
    static var reconcileEveryMinutes: Int64 { 5 }

    /// Reads the broker's order book and trade book for the orders the engine still counts as
    /// working (or as sent and not yet answered), and applies what only the book shows: the
    /// acceptance of a placement, executions not yet counted (by their broker trade id, so one
    /// counted already is never counted again) and the end of an order the broker cancelled or
    /// rejected. Orders the fills cause go out as after any fill. Not while a restart replays what an
    /// earlier run recorded: that run's own reconciliations are in the record.
    ///
    /// A read is a step (``takeStep()``): a restart replaying the session takes it too and, in place
    /// of the read, takes in what the earlier run found there (released by ``RecordedBroker`` at
    /// that step).
    func reconcileWithTheBook(time: Int64) throws {
        guard let broker, mode != .monitor else { return }
        let open = core.orders.filter { !$0.status.isTerminal }.map(\.request)
        guard !open.isEmpty else { return }
        takeStep()
        guard recorded == nil, !inCatchUp else {
            guard recorded != nil else { return }
            events.removeAll(keepingCapacity: true)
            broker.takeEvents(into: &events)
            guard !events.isEmpty else { return }
            try apply(events, time: time)
            if core.hasRequests { try route(time: time) }
            flushEventLogs()
            return
        }
        let book = Dictionary(try broker.orders().map { ($0.clientOrderId, $0) }, uniquingKeysWith: { _, last in last })
        let wanted = Set(open.map { clientId($0.id) })
        var trades: [String: [BrokerFill]] = [:]
        for fill in try broker.fills() where wanted.contains(fill.clientOrderId) { trades[fill.clientOrderId, default: []].append(fill) }

        var missed: [BrokerEvent] = []
        for order in open {
            let tag = clientId(order.id)
            guard let entry = book[tag] else { continue }
            if awaitingPlacement.contains(order.id), entry.status != .rejected {
                missed.append(.accepted(orderID: order.id, brokerOrderId: entry.brokerOrderId ?? tag))
            }
            let fills = trades[tag] ?? []
            for fill in fills.sorted(by: { $0.time < $1.time }) where !appliedFills.contains(Self.appliedFillKey(order.id, fill.brokerTradeId)) {
                missed.append(.filled(Fill(orderID: order.id, strategy: order.strategy, symbol: order.symbol, side: order.side,
                                           quantity: fill.quantity, price: fill.price, charges: fill.charges,
                                           time: fill.time.microseconds / 1_000_000), brokerTradeId: fill.brokerTradeId))
            }
            let counted = fills.reduce(0) { $0 + $1.quantity }
            switch entry.status {
            case .cancelled where counted < order.quantity:
                missed.append(.cancelled(orderID: order.id, reason: "the broker's book shows it cancelled"))
            case .rejected:
                missed.append(.rejected(orderID: order.id, reason: "the broker's book shows it rejected"))
            default:
                break
            }
        }
        guard !missed.isEmpty else { return }
        logs.engine.warning("the broker's book shows what its events did not tell: applied now (the broker's record wins)",
                            metadata: ["events": "\(missed.count)", "market_time": "\(UTCTimestamp(secondsSinceEpoch: time))"])
        outcome.reconciledEvents += missed.count
        try apply(missed, time: time)
        if core.hasRequests { try route(time: time) }
        flushEventLogs()
    }
}
