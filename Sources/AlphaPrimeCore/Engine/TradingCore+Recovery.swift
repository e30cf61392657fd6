import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

// What the engine needs from the trading core when it recovers: taking in orders that exist at the
// broker but that the core did not create (an emergency close written by another process, a
// square-off made when the engine was stopped), using only the core's own order bookkeeping.

extension TradingCore {
    /// Adds an order that is already at the broker: it gets the next order id, is not queued for the
    /// broker again, and is marked accepted. Its fills and cancellation are then reported as usual.
    mutating func adoptExternalOrder(_ request: OrderRequest) -> Int64 {
        let id = newOrder(request)
        outbox.removeLast()
        orderAccepted(id, time: request.time)
        return id
    }

    /// Whether an order is still working (not filled, cancelled or rejected).
    func isWorking(_ id: Int64) -> Bool {
        id >= 1 && id <= Int64(orders.count) && !orders[Int(id - 1)].status.isTerminal
    }
}
