/// The trading core every mode runs: strategies → risk stage → orders, and fills → ledger.
///
/// It is synchronous and deterministic: the same bars and fills in give the same orders out. A
/// driver feeds it (the backtester with a ``SimulatedBroker``, the engine with a paper or live
/// broker), sends what appears in ``outbox`` to the broker, and reports fills and cancellations back.
/// Generic over the strategy type so the hot path is specialised (use ``AnyStrategy`` to mix kinds).
public struct TradingCore<S: Strategy>: Sendable {
    /// A signal the risk stage refused, kept for the risk log and reports.
    public struct Rejection: Sendable, Equatable {
        public var strategy: Int
        public var signal: Signal
        public var rejection: RiskRejection
    }

    public private(set) var strategies: [S]
    public let instruments: [Instrument]
    public var ledger: Ledger
    public var risk: RiskManager
    public var product: ProductType
    /// Every order of the run, by id − 1.
    public private(set) var orders: [OrderState] = []
    /// Orders to hand to the broker, oldest first. The driver empties it.
    public var outbox: [OrderRequest] = []
    /// Ids of working orders the broker must cancel. The driver empties it.
    public var cancelRequests: [Int64] = []
    public private(set) var rejections: [Rejection] = []
    /// Signals dropped because the strategy already had an order working.
    public private(set) var suppressedSignals = 0
    public private(set) var signalCount = 0
    public private(set) var dayStartEquity: Int64
    /// Why new entries are refused (kill switch, circuit breaker, square-off, stop); nil when allowed.
    /// Exits are never refused.
    public var entriesHaltedReason: String?
    public private(set) var peakEquity: Int64

    /// Strategy instances by symbol, flattened: the instances of symbol s are
    /// `symbolInstances[symbolInstanceStart[s] ..< symbolInstanceStart[s + 1]]`.
    let symbolInstanceStart: [Int]
    let symbolInstances: [Int]
    var minutesSinceOpen = -1
    var minutesToClose = -1
    /// Per strategy instance: the working entry/exit order (0 when none).
    var workingOrder: [Int64]
    /// Per strategy instance: stop loss and take profit to place when the pending entry fills.
    var protection: [(stop: Int64, target: Int64)]
    /// Per strategy instance: working protective order ids.
    var protectiveOrders: [[Int64]]
    var nextOCOGroup: Int64 = 1

    public init(strategies: [S], instruments: [Instrument], startingCapital: Int64, risk: RiskManager = RiskManager(),
                product: ProductType = .mis) {
        self.strategies = strategies
        self.instruments = instruments
        self.risk = risk
        self.product = product
        ledger = Ledger(startingCapital: startingCapital, instruments: instruments.count,
                        bookSymbols: strategies.map(\.symbol))
        var bySymbol = Array(repeating: [Int](), count: instruments.count)
        for (i, s) in strategies.enumerated() { bySymbol[s.symbol].append(i) }
        var start = [0]
        for list in bySymbol { start.append(start.last! + list.count) }
        symbolInstanceStart = start
        symbolInstances = bySymbol.flatMap { $0 }
        workingOrder = Array(repeating: 0, count: strategies.count)
        protection = Array(repeating: (0, 0), count: strategies.count)
        protectiveOrders = Array(repeating: [], count: strategies.count)
        dayStartEquity = startingCapital
        peakEquity = startingCapital
        outbox.reserveCapacity(8)
    }

    public mutating func start() {
        for i in strategies.indices { strategies[i].onStart() }
    }

    public mutating func stop() {
        for i in strategies.indices { strategies[i].onStop() }
    }

    /// A new trading day begins: the daily-loss baseline resets.
    public mutating func startDay() {
        dayStartEquity = ledger.equity
    }

    /// Where the next bars sit in the session (minutes since open / to close at their start), or -1.
    public mutating func setSessionPosition(minutesSinceOpen: Int, minutesToClose: Int) {
        self.minutesSinceOpen = minutesSinceOpen
        self.minutesToClose = minutesToClose
    }

    /// A bar closed: mark the symbol, ask its strategies, pass their signals through risk.

    public mutating func onBar(_ bar: Bar, symbol: SymbolID) {
        ledger.mark(symbol, price: bar.close)
        let equity = ledger.equity
        if equity > peakEquity { peakEquity = equity }
        var k = symbolInstanceStart[symbol]
        let end = symbolInstanceStart[symbol + 1]
        while k < end {
            let i = symbolInstances[k]
            k += 1
            var context = ledger.context(for: i)
            context.minutesSinceOpen = minutesSinceOpen
            context.minutesToClose = minutesToClose
            if let signal = strategies[i].onBar(bar, context: context) {
                handle(signal, instance: i, time: bar.time)
            }
        }
    }

    /// A signal from instance `i`: drop it if an order is already working, else ask the risk stage.

    mutating func handle(_ signal: Signal, instance i: Int, time: Int64) {
        signalCount += 1
        if workingOrder[i] != 0 {
            suppressedSignals += 1
            return
        }
        if signal.intent == .enter, let reason = entriesHaltedReason {
            rejections.append(Rejection(strategy: i, signal: signal, rejection: RiskRejection(rule: "entries_halted", reason: reason)))
            return
        }
        let book = ledger.books[i]
        let symbol = signal.symbol
        let context = RiskContext(
            time: time, equity: ledger.equity, cash: ledger.cash, startingCapital: ledger.startingCapital,
            dayStartEquity: dayStartEquity, peakEquity: peakEquity, openPositions: ledger.openPositionCount,
            position: book.quantity, netPosition: ledger.netQuantity[symbol], lastPrice: ledger.lastPrice[symbol],
            lotSize: instruments[symbol].lotSize, minutesSinceOpen: minutesSinceOpen, minutesToClose: minutesToClose)
        switch risk.evaluate(signal, context: context) {
        case .rejected(let rejection):
            rejections.append(Rejection(strategy: i, signal: signal, rejection: rejection))
        case .approved(let quantity):

            let limit = signal.orderType == .limit || signal.orderType == .stopLoss
                ? instruments[symbol].roundToTick(signal.limitPrice, signal.side == .buy ? .down : .up) : 0
            let id = newOrder(OrderRequest(
                id: 0, strategy: i, symbol: symbol, side: signal.side, quantity: quantity, type: signal.orderType,
                limitPrice: limit, product: product, purpose: signal.intent == .enter ? .entry : .exit, time: time))
            workingOrder[i] = id
            if signal.intent == .enter {
                let stop = signal.stopLoss > 0 ? instruments[symbol].roundToTick(signal.stopLoss) : 0
                let target = signal.takeProfit > 0 ? instruments[symbol].roundToTick(signal.takeProfit) : 0
                protection[i] = (stop, target)
            } else {
                cancelProtection(of: i)
            }
        }
    }

    /// Records a new order as created and queues it for the broker. Returns its id.
    @discardableResult
    mutating func newOrder(_ request: OrderRequest) -> Int64 {
        var request = request
        request.id = Int64(orders.count + 1)
        orders.append(OrderState(request: request))
        outbox.append(request)
        return request.id
    }

    mutating func cancelProtection(of i: Int) {
        for id in protectiveOrders[i] where !orders[Int(id - 1)].status.isTerminal {
            cancelRequests.append(id)
        }
        protectiveOrders[i].removeAll(keepingCapacity: true)
    }

    /// The broker accepted the order.
    public mutating func orderAccepted(_ id: Int64, time: Int64) {
        let k = Int(id - 1)
        if orders[k].status == .created {
            orders[k].status = .open
            orders[k].updatedAt = time
        }
    }

    /// The broker cancelled (or expired) the order.
    public mutating func orderCancelled(_ id: Int64, reason: String, time: Int64) {
        finish(id, status: .cancelled, reason: reason, time: time)
    }

    /// The broker rejected the order.
    public mutating func orderRejected(_ id: Int64, reason: String, time: Int64) {
        finish(id, status: .rejected, reason: reason, time: time)
    }

    mutating func finish(_ id: Int64, status: OrderStatus, reason: String, time: Int64) {
        let k = Int(id - 1)
        guard !orders[k].status.isTerminal else { return }
        orders[k].status = status
        orders[k].statusReason = reason
        orders[k].updatedAt = time
        let i = orders[k].request.strategy
        if workingOrder[i] == id { workingOrder[i] = 0 }
    }

    /// A fill: the order, the ledger, and protective orders when an entry completes.
    public mutating func onFill(_ fill: Fill) {
        let k = Int(fill.orderID - 1)
        orders[k].filledQuantity += fill.quantity
        orders[k].filledValue += fill.quantity * fill.price
        orders[k].charges += fill.charges
        orders[k].updatedAt = fill.time
        let done = orders[k].filledQuantity >= orders[k].request.quantity
        orders[k].status = done ? .filled : .partiallyFilled
        ledger.apply(fill)
        let equity = ledger.equity
        if equity > peakEquity { peakEquity = equity }
        let i = fill.strategy
        let request = orders[k].request
        if done && workingOrder[i] == fill.orderID { workingOrder[i] = 0 }
        if done && request.purpose == .entry {
            placeProtection(instance: i, request: request, time: fill.time)
        }
        if ledger.books[i].quantity == 0 {
            cancelProtection(of: i)
        }
    }

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
    public mutating func flattenAll(time: Int64) -> Int {
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
                type: .market, product: product, purpose: .squareOff, time: time))
            queued += 1
        }
        return queued
    }
}
