import AlphaPrimeSupport
import AlphaPrimeDomain

/// A broker simulated against bars, for backtests and the paper account: holds working orders and
/// fills them by the ``FillModel`` rules, with charges from a ``ChargesModel`` at the rates of each
/// fill's IST date.
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
    /// The last fill's price and symbol: where the market stood when the protective orders it
    /// caused were placed, for ``processRestOfBar(_:symbol:fills:)``.
    @usableFromInline var lastFillPrice: Int64 = 0
    @usableFromInline var lastFillSymbol: SymbolID = -1

    public init(fillModel: FillModel = FillModel(), charges: any ChargesModel = NoCharges(), tickSizes: [Int64]) {
        self.fillModel = fillModel; self.charges = charges; self.tickSizes = tickSizes
        working.reserveCapacity(16)
        filledIDs.reserveCapacity(16)
        filledGroups.reserveCapacity(16)
    }

    @inlinable public var hasWorkingOrders: Bool { !working.isEmpty }

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

    /// Moves a working stop order's trigger; returns false if it is not a working stop order.
    @discardableResult
    public mutating func modify(orderID: Int64, triggerPrice: Int64) -> Bool {
        guard triggerPrice > 0, let i = working.firstIndex(where: { $0.id == orderID }),
              working[i].type == .stopLossMarket || working[i].type == .stopLoss else { return false }
        working[i].triggerPrice = triggerPrice
        return true
    }

    /// Orders cancelled because their OCO sibling filled are waiting to be reported.
    @inlinable public var hasCancelledByOCO: Bool { !cancelledByOCO.isEmpty }

    public mutating func takeCancelledByOCO() -> [Int64] {
        defer { cancelledByOCO.removeAllKeepingCapacity() }
        return cancelledByOCO
    }

    /// Fills working orders of `symbol` against a new bar, from its open. Appends to `fills`.
    ///
    /// `maxFills` stops after that many fills, leaving the other orders working: processing the
    /// same bar again goes on where it stopped (market orders, then stops, then limits, each
    /// against the same prices), so a client can react to each fill — cancel the other leg of a
    /// bracket, as at a broker without OCO orders — before the next one (kite-sim's stepped bars).
    @inlinable
    public mutating func processBar(_ bar: Bar, symbol: SymbolID, fills: inout [Fill], maxFills: Int = .max) {
        if working.isEmpty { return }
        process(bar, symbol: symbol, fromOpen: true, fills: &fills, maxFills: maxFills)
    }

    /// Fills protective orders placed while this bar was processed, against the rest of the bar.
    ///
    /// A protective order never fills better than the market: one whose trigger (or limit) the
    /// market had already crossed when it was placed, the last fill's price, fills at that price
    /// (a stop with slippage, as the market order it becomes); otherwise at its own price when the
    /// bar's high or low reaches it.
    public mutating func processRestOfBar(_ bar: Bar, symbol: SymbolID, fills: inout [Fill], maxFills: Int = .max) {
        if working.isEmpty { return }
        process(bar, symbol: symbol, fromOpen: false, fills: &fills, maxFills: maxFills)
    }

    @usableFromInline
    mutating func process(_ bar: Bar, symbol: SymbolID, fromOpen: Bool, fills: inout [Fill], maxFills: Int = .max) {
        let tick = tickSizes[symbol]
        // Where the market stands as the orders are considered: the bar's open, or for the rest of
        // the bar the price of the fill that caused the new orders.
        let start: Int64? = fromOpen ? bar.open : (lastFillSymbol == symbol ? lastFillPrice : nil)
        filledIDs.removeAllKeepingCapacity()
        filledGroups.removeAllKeepingCapacity()
        // Pass 1: market orders (only from the open); pass 2: stops; pass 3: limits.
        passes: for pass in 0..<3 {
            // By index: a stop may turn into a limit order as it is read, and walking a copy of the
            // list would retain and release it on every pass.
            var j = 0
            while j < working.count {
                let order = working[j]
                j += 1
                guard order.symbol == symbol else { continue }
                if filledIDs.count >= maxFills { break passes }
                if filledIDs.contains(order.id) { continue }
                if order.ocoGroup != 0 && filledGroups.contains(order.ocoGroup) { continue }
                let price: Int64?
                switch (pass, order.type) {
                case (0, .market):
                    price = fromOpen ? fillModel.slipped(bar.open, side: order.side, tickSize: tick) : nil
                case (1, .stopLossMarket), (1, .stopLoss):
                    price = stopPrice(order, bar: bar, start: start, tick: tick)
                case (2, .limit):
                    price = limitPrice(order, bar: bar, start: start)
                default:
                    price = nil
                }
                guard let price else { continue }
                // At the rates in force on the fill's own IST date.
                let fee = charges.charges(side: order.side, quantity: order.quantity, price: price,
                                          product: order.product, symbol: symbol, time: bar.time)
                fills.append(Fill(orderID: order.id, strategy: order.strategy, symbol: symbol, side: order.side,
                                  quantity: order.quantity, price: price, charges: fee, time: bar.time))
                lastFillPrice = price
                lastFillSymbol = symbol
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
        if kept == 0 { working.removeAllKeepingCapacity() } else { working.removeLast(working.count - kept) }
    }

    /// SL / SL-M: triggered at or through the trigger price. From `start` (the open, or the market
    /// when the order was placed mid-bar) when that is already through the trigger; else at the
    /// trigger when the bar reaches it. An SL that cannot fill within its limit becomes a LIMIT order.
    @usableFromInline
    mutating func stopPrice(_ order: OrderRequest, bar: Bar, start: Int64?, tick: Int64) -> Int64? {
        let t = order.triggerPrice
        var raw: Int64
        if order.side == .buy {
            if let start, start >= t { raw = start } else if bar.high >= t { raw = t } else { return nil }
        } else {
            if let start, start <= t { raw = start } else if bar.low <= t { raw = t } else { return nil }
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

    /// LIMIT: at `start` (the open, or the market when placed mid-bar) when that is already at or
    /// better than the limit; else at the limit when the bar reaches it.
    @usableFromInline
    func limitPrice(_ order: OrderRequest, bar: Bar, start: Int64?) -> Int64? {
        let l = order.limitPrice
        if order.side == .buy {
            if let start, start <= l { return start }
            return bar.low <= l ? l : nil
        } else {
            if let start, start >= l { return start }
            return bar.high >= l ? l : nil
        }
    }
}
