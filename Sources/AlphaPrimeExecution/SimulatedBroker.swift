import AlphaPrimeSupport
import AlphaPrimeDomain

/// A broker simulated against bars, for backtests and the paper account: holds working orders and
/// fills them by the ``FillModel`` rules, with charges from a ``ChargesModel``.
public struct SimulatedBroker: Sendable {
    public var fillModel: FillModel
    public var charges: any ChargesModel
    /// Tick size in paise per symbol (index = SymbolID).
    public var tickSizes: [Int64]
    public private(set) var working: [OrderRequest] = []
    /// Orders cancelled because their OCO sibling filled, waiting to be reported.
    public private(set) var cancelledByOCO: [Int64] = []
    @usableFromInline var filledIDs: [Int64] = []
    @usableFromInline var filledGroups: [Int64] = []

    public init(fillModel: FillModel = FillModel(), charges: any ChargesModel = NoCharges(), tickSizes: [Int64]) {
        self.fillModel = fillModel; self.charges = charges; self.tickSizes = tickSizes
        working.reserveCapacity(16)
        filledIDs.reserveCapacity(16)
        filledGroups.reserveCapacity(16)
    }

    public var hasWorkingOrders: Bool { !working.isEmpty }

    /// Accepts an order; it is first considered on the next bar (or, for a protective order placed
    /// while a bar is being processed, by ``processRestOfBar(_:symbol:fills:)``).
    public mutating func submit(_ order: OrderRequest) {
        working.append(order)
    }

    /// Cancels a working order; returns false if it was not working (already filled or unknown).
    @discardableResult
    public mutating func cancel(orderID: Int64) -> Bool {
        guard let i = working.firstIndex(where: { $0.id == orderID }) else { return false }
        working.remove(at: i)
        return true
    }

    public mutating func takeCancelledByOCO() -> [Int64] {
        defer { cancelledByOCO.removeAll(keepingCapacity: true) }
        return cancelledByOCO
    }

    /// Fills working orders of `symbol` against a new bar, from its open. Appends to `fills`.
    @inlinable
    public mutating func processBar(_ bar: Bar, symbol: SymbolID, fills: inout [Fill]) {
        if working.isEmpty { return }
        process(bar, symbol: symbol, fromOpen: true, fills: &fills)
    }

    /// Fills protective orders placed while this bar was processed, against the bar's high and low.
    public mutating func processRestOfBar(_ bar: Bar, symbol: SymbolID, fills: inout [Fill]) {
        if working.isEmpty { return }
        process(bar, symbol: symbol, fromOpen: false, fills: &fills)
    }

    @usableFromInline
    mutating func process(_ bar: Bar, symbol: SymbolID, fromOpen: Bool, fills: inout [Fill]) {
        let tick = tickSizes[symbol]
        filledIDs.removeAll(keepingCapacity: true)
        filledGroups.removeAll(keepingCapacity: true)
        // Pass 1: market orders (only from the open); pass 2: stops; pass 3: limits.
        for pass in 0..<3 {
            for order in working where order.symbol == symbol {
                if filledIDs.contains(order.id) { continue }
                if order.ocoGroup != 0 && filledGroups.contains(order.ocoGroup) { continue }
                let price: Int64?
                switch (pass, order.type) {
                case (0, .market):
                    price = fromOpen ? fillModel.slipped(bar.open, side: order.side, tickSize: tick) : nil
                case (1, .stopLossMarket), (1, .stopLoss):
                    price = stopPrice(order, bar: bar, fromOpen: fromOpen, tick: tick)
                case (2, .limit):
                    price = limitPrice(order, bar: bar, fromOpen: fromOpen)
                default:
                    price = nil
                }
                guard let price else { continue }
                let fee = charges.charges(side: order.side, quantity: order.quantity, price: price,
                                          product: order.product, symbol: symbol)
                fills.append(Fill(orderID: order.id, strategy: order.strategy, symbol: symbol, side: order.side,
                                  quantity: order.quantity, price: price, charges: fee, time: bar.time))
                filledIDs.append(order.id)
                if order.ocoGroup != 0 { filledGroups.append(order.ocoGroup) }
            }
        }
        if filledIDs.isEmpty { return }
        var kept = 0
        for i in working.indices {
            let order = working[i]
            if filledIDs.contains(order.id) { continue }
            if order.ocoGroup != 0 && filledGroups.contains(order.ocoGroup) {
                cancelledByOCO.append(order.id)
                continue
            }
            working[kept] = order
            kept += 1
        }
        working.removeLast(working.count - kept)
    }

    /// SL / SL-M: triggered at or through the trigger price. An SL that cannot fill within its limit
    /// becomes a LIMIT order.
    @usableFromInline
    mutating func stopPrice(_ order: OrderRequest, bar: Bar, fromOpen: Bool, tick: Int64) -> Int64? {
        let t = order.triggerPrice
        var raw: Int64
        if order.side == .buy {
            if fromOpen && bar.open >= t { raw = bar.open } else if bar.high >= t { raw = t } else { return nil }
        } else {
            if fromOpen && bar.open <= t { raw = bar.open } else if bar.low <= t { raw = t } else { return nil }
        }
        if order.type == .stopLoss {
            let withinLimit = order.side == .buy ? raw <= order.limitPrice : raw >= order.limitPrice
            if !withinLimit {
                if let i = working.firstIndex(where: { $0.id == order.id }) {
                    working[i].type = .limit
                    working[i].triggerPrice = 0
                }
                return nil
            }
            return raw
        }
        raw = fillModel.slipped(raw, side: order.side, tickSize: tick)
        return raw
    }

    @usableFromInline
    func limitPrice(_ order: OrderRequest, bar: Bar, fromOpen: Bool) -> Int64? {
        let l = order.limitPrice
        if order.side == .buy {
            if fromOpen && bar.open <= l { return bar.open }
            return bar.low <= l ? l : nil
        } else {
            if fromOpen && bar.open >= l { return bar.open }
            return bar.high >= l ? l : nil
        }
    }
}
