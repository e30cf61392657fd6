import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// Orders that close positions: the protective pair an entry fill places, and flattening everything.
extension TradingCore {
    mutating func placeProtection(instance i: Int, request: OrderRequest, time: Int64) {
        let (stop, target) = protection[i]
        protection[i] = (0, 0)
        guard stop > 0 || target > 0 else { return }
        let quantity = abs(ledger.books[i].quantity)
        guard quantity > 0 else { return }
        let side = ledger.books[i].quantity > 0 ? Side.sell : Side.buy
        let group = stop > 0 && target > 0 ? nextOCOGroup : 0
        if group != 0 { nextOCOGroup += 1 }
        if stop > 0 {
            let id = newOrder(OrderRequest(id: 0, strategy: i, symbol: request.symbol, side: side, quantity: quantity,
                                           type: .stopLossMarket, triggerPrice: stop, product: request.product,
                                           purpose: .stopLoss, ocoGroup: group, time: time))
            protectiveOrders[i].append(id)
        }
        if target > 0 {
            let id = newOrder(OrderRequest(id: 0, strategy: i, symbol: request.symbol, side: side, quantity: quantity,
                                           type: .limit, limitPrice: target, product: request.product,
                                           purpose: .takeProfit, ocoGroup: group, time: time))
            protectiveOrders[i].append(id)
        }
    }

    /// Closes every open position with a market order (purpose `square_off`), cancelling working
    /// entries and protective orders first. Positions whose exit is already working are left to it.
    /// Returns how many exit orders were queued.
    @discardableResult
    public mutating func flattenAll(time: Int64, reason: ExitReason = .squareOff) -> Int {
        var queued = 0
        for i in strategies.indices {
            let quantity = ledger.books[i].quantity
            let working = workingOrder[i]
            if working != 0 {
                let purpose = orders[Int(working - 1)].request.purpose
                if purpose == .entry {
                    cancelRequests.append(working)
                    workingOrder[i] = 0
                    protection[i] = (0, 0)
                } else if quantity != 0 {
                    continue  // an exit is already on its way
                }
            }
            cancelProtection(of: i)
            guard quantity != 0 else { continue }
            let symbol = ledger.books[i].symbol
            workingOrder[i] = newOrder(OrderRequest(
                id: 0, strategy: i, symbol: symbol, side: quantity > 0 ? .sell : .buy, quantity: abs(quantity),
                type: .market, product: product, purpose: .squareOff, time: time), exitReason: reason)
            queued += 1
        }
        return queued
    }
}
