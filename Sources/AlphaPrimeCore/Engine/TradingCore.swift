import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

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
    /// Per strategy instance, the share of its size it trades (its lifecycle stage in live mode:
    /// 10, 25, 50 or 100); empty: every instance at 100.
    public var livePercent: [Int] = []
    /// Every order of the run, by id − 1.
    public private(set) var orders: [OrderState] = []
    /// For each order (index = id − 1): the exit reason of a trade it closes.
    public private(set) var exitReasons: [ExitReason] = []
    /// Orders to hand to the broker, oldest first. The driver empties it.
    public var outbox: [OrderRequest] = []
    /// Ids of working orders the broker must cancel. The driver empties it.
    public var cancelRequests: [Int64] = []
    /// Working stop orders to move (trailing stops), with the trigger they had: for the broker.
    public var modifyRequests: [(id: Int64, trigger: Int64, previous: Int64)] = []
    public internal(set) var rejections: [Rejection] = []
    /// Signals dropped because the strategy already had an order working.
    public internal(set) var suppressedSignals = 0
    /// Stop orders moved by trailing stops.
    public private(set) var stopsMoved = 0
    public internal(set) var signalCount = 0
    /// Equity at the start of the current trading day (the daily-loss baseline).
    public var dayStartEquity: Int64 { risk.state.dayStartEquity }
    /// Why new entries are refused for the run (kill switch, max drawdown, a prop firm's rule, an
    /// engine stop); nil when allowed. Set by the risk stage when a run-level limit trips; the engine
    /// persists it, so a restart stays halted. Exits are never refused.
    public var entriesHaltedReason: String?
    /// The rule behind ``entriesHaltedReason`` (`kill_switch.drawdown_pct`, …); nil for a halt set
    /// by the engine itself.
    public var entriesHaltedRule: String?
    /// Why new entries are paused for now (the live market feed is stale); nil when not. Not
    /// persisted: it lasts while its cause does. Exits are never refused.
    public var entriesPausedReason: String?
    /// Highest equity seen (marks and fills).
    public var peakEquity: Int64 { risk.state.peakEquity }
    /// What the risk stage decided and saw, in order: approvals with their size (entries, when
    /// ``recordsApprovals``), rejections (once per strategy and rule in a row within a day; every
    /// one is in ``rejections``), breaker trips, the kill switch. The engine persists them; reports
    /// read them. Each keeps its numbers; its sentence (``RiskEvent/message``) is written when read.
    public private(set) var riskEvents: [RiskEvent] = []

    /// How many risk events there are so far.
    public var riskEventCount: Int { riskEvents.count }

    /// The risk events from position `index` on (those not yet written, say).
    public func riskEvents(from index: Int) -> ArraySlice<RiskEvent> {
        riskEvents[min(max(0, index), riskEvents.count)...]
    }

    /// Records an event in order.
    mutating func record(_ event: RiskEvent) {
        riskEvents.append(event)
    }

    /// An approved entry's event: plain numbers and the symbol's name, the sentence written when read.
    mutating func recordApproval(time: Int64, instance i: Int, symbol: SymbolID, side: Side, quantity: Int64, sizing: SizingDetail) {
        riskEvents.append(RiskEvent(
            time: time, rule: sizing.reducedBy ?? sizing.method.rule, severity: .info,
            action: sizing.reduction == .none ? .approved : .reduced, strategy: i, symbol: symbol, quantity: quantity,
            value: Double(quantity), limit: Double(sizing.sized),
            content: .approved(side, quantity: quantity, symbol: instruments[symbol].symbol, sizing: sizing)))
    }
    /// Record an event for every approved entry (off for optimiser sweeps that only need results);
    /// the risk manager's setting.
    public var recordsApprovals: Bool {
        get { risk.recordsApprovals }
        set { risk.recordsApprovals = newValue }
    }

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
    /// Per strategy instance: the working entry that will open a position from flat (0 when none).
    var openingOrder: [Int64]
    /// Entries working that will open a position from flat.
    var pendingEntries = 0
    /// Per symbol: books with a position plus entries working to open one.
    var positionsBySymbol: [Int]
    /// Per strategy instance: the rule of its last rejection event (repeats are not recorded again).
    var lastRejectedRule: [String?]
    /// The last signal a strategy emitted on a bar (written by the strategy, read by ``handle``).
    var emitted = Signal(symbol: 0, side: .buy, intent: .enter)
    /// Start of the next IST day (UTC epoch seconds): the first bar at or after it rolls the day.
    var nextDayStart = Int64.min
    /// The driver called ``startDay()`` for the day the next bar belongs to.
    var dayBegunByDriver = false

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
        openingOrder = Array(repeating: 0, count: strategies.count)
        positionsBySymbol = Array(repeating: 0, count: instruments.count)
        lastRejectedRule = Array(repeating: nil, count: strategies.count)
        self.risk.begin(startingCapital: startingCapital)
        outbox.reserveCapacity(8)
    }

    /// Makes room for `orders` orders, half as many closed trades and twice as many refused signals,
    /// so that a long run does not copy and re-touch these lists each time one doubles (a refusal is
    /// 250 bytes with its signal). Room never used is never touched.
    public mutating func reserveOrders(_ orders: Int) {
        self.orders.reserveCapacity(orders)
        exitReasons.reserveCapacity(orders)
        ledger.reserveTrades(orders / 2)
        rejections.reserveCapacity(orders * 2)
    }

    public mutating func start() {
        // A risk manager assigned after init starts from this run's capital.
        if risk.state.day == .min && risk.state.startingCapital != ledger.startingCapital {
            risk.begin(startingCapital: ledger.startingCapital)
        }
        for i in strategies.indices { strategies[i].onStart() }
    }

    public mutating func stop() {
        for i in strategies.indices { strategies[i].onStop() }
    }

    /// A new trading day begins: the daily-loss baseline is the equity now; the day's breakers,
    /// pauses and halts end. The day's clock (square-off) is set from the next bar. Call before the
    /// day's first fill or bar; a core that is not told rolls the day itself at its first bar.
    public mutating func startDay() {
        risk.beginDay(equity: ledger.equity, lastPrices: ledger.lastPrice)
        dayBegunByDriver = true
        nextDayStart = .min
    }

    /// ``startDay()`` with the day's clock set at once from `time` (any instant of that day). On the
    /// day the risk state already belongs to (a restart that restored it), the day's breakers, pauses
    /// and halts are kept and only the clock is set.
    public mutating func startDay(at time: Int64) {
        if RiskManager.istDay(time) != risk.state.day { startDay() }
        rollDay(time)
    }

    /// The risk stage's state (day, peak, breakers, halts, recent trades), for the engine to persist.
    public var riskState: RiskState { risk.state }

    /// Resumes persisted risk state after a restart.
    public mutating func restoreRiskState(_ state: RiskState) {
        risk.restore(state)
        nextDayStart = state.day == .min ? .min : (state.day + 1) * 86_400 - IST.offsetSeconds
        dayBegunByDriver = false
    }

    /// An explicit, confirmed reset of the run-level halt (kill switch, max drawdown, firm rules).
    public mutating func clearEntriesHalt() {
        entriesHaltedReason = nil
        entriesHaltedRule = nil
        risk.clearHalt()
    }

    /// Why an entry at `time` would be refused before any sizing: the run halt, the day's halt, a
    /// pause; nil when entries are open (the rules may still refuse a particular signal).
    public func entryBlock(at time: Int64) -> RiskRejection? {
        if let reason = entriesHaltedReason {
            return RiskRejection(rule: entriesHaltedRule ?? RiskRule.entriesHalted, reason: reason)
        }
        if let halt = risk.state.halt { return halt }
        if let halt = risk.state.dayHalt { return halt }
        if let reason = entriesPausedReason { return RiskRejection(rule: RiskRule.feedStale, reason: reason) }
        if time < risk.state.pausedUntil { return risk.state.pause }
        return nil
    }

    /// Where the next bars sit in the session (minutes since open / to close at their start), or -1.
    public mutating func setSessionPosition(minutesSinceOpen: Int, minutesToClose: Int) {
        self.minutesSinceOpen = minutesSinceOpen
        self.minutesToClose = minutesToClose
    }

    /// A bar closed: mark the symbol, ask its strategies, pass their signals through risk.
    ///
    /// Returns false when the bar only marked the symbol (no signal, no limit, no clock rule, no new
    /// day): it then made no request for the broker (``hasRequests`` is as it was before the bar).
    @inline(__always) @discardableResult
    public mutating func onBar(_ bar: Bar, symbol: SymbolID) -> Bool {
        var acted = false
        if bar.time >= nextDayStart { rollDay(bar.time); acted = true }
        ledger.mark(symbol, price: bar.close)
        let equity = ledger.equity
        if equity > risk.state.peakEquity { risk.raisePeak(equity) }
        if equity <= risk.watch.floor || equity >= risk.watch.ceiling {
            applyRiskLimits(equity: equity, time: bar.time)
            acted = true
        }
        if bar.time >= risk.watch.nextTime { applyRiskClock(time: bar.time); acted = true }
        var k = symbolInstanceStart[symbol]
        let end = symbolInstanceStart[symbol + 1]
        while k < end {
            let i = symbolInstances[k]
            k += 1
            var context = ledger.context(for: i)
            context.minutesSinceOpen = minutesSinceOpen
            context.minutesToClose = minutesToClose
            if strategies[i].onBar(bar, context: context, signal: &emitted) {
                handle(instance: i, time: bar.time)
                acted = true
            }
        }
        return acted
    }

    /// The first bar of a new IST day: begins the day in the risk stage (unless the driver did with
    /// ``startDay()``) and sets its clock: the square-off instant, moved for a session that opens
    /// after it or closes before it when the driver gave the session position.
    @inline(never)
    mutating func rollDay(_ time: Int64) {
        let day = RiskManager.istDay(time)
        if !dayBegunByDriver && day != risk.state.day { risk.beginDay(equity: ledger.equity, lastPrices: ledger.lastPrice) }
        dayBegunByDriver = false
        nextDayStart = (day + 1) * 86_400 - IST.offsetSeconds
        var session: (open: Int64, close: Int64)?
        if minutesSinceOpen >= 0 && minutesToClose >= 0 {
            let open = time - Int64(minutesSinceOpen) * 60
            if RiskManager.istDay(open) == day { session = (open, time + Int64(minutesToClose) * 60) }
        }
        risk.setDayClock(time: time, session: session, intraday: product == .mis)
        // A new day records each strategy's first refusal again.
        for i in lastRejectedRule.indices where lastRejectedRule[i] != nil { lastRejectedRule[i] = nil }
    }

    /// An opening entry filled or ended: it no longer waits to open a position.
    mutating func openingEntryDone(_ id: Int64, instance i: Int, symbol: SymbolID) {
        guard openingOrder[i] == id else { return }
        openingOrder[i] = 0
        pendingEntries -= 1
        positionsBySymbol[symbol] -= 1
    }

    /// Records a new order as created and queues it for the broker. Returns its id.
    ///
    /// Inlined where an order is made: called, its request came through memory written field by field
    /// and was read back in wider pieces, which stalls each read until the writes retire.
    @inline(__always) @discardableResult
    mutating func newOrder(_ request: OrderRequest, exitReason: ExitReason? = nil) -> Int64 {
        var request = request
        request.id = Int64(orders.count + 1)
        orders.append(OrderState(request: request))
        exitReasons.append(exitReason ?? ExitReason(purpose: request.purpose))
        outbox.append(request)
        return request.id
    }

    /// Orders for the broker are waiting: placements, cancellations or stop moves.
    public var hasRequests: Bool { !outbox.isEmpty || !cancelRequests.isEmpty || !modifyRequests.isEmpty }

    /// A trailing stop: the instance's working stop order moves to `price` (rounded to the nearest
    /// tick) when that is in the position's favour (higher for a long, lower for a short). Nothing
    /// happens while an exit is working or without a working stop.
    mutating func moveStop(to price: Int64, instance i: Int) {
        let position = ledger.books[i].quantity
        guard position != 0, workingOrder[i] == 0, price > 0 else { return }
        let trigger = instruments[ledger.books[i].symbol].roundToTick(price)
        for id in protectiveOrders[i] {
            let k = Int(id - 1)
            guard orders[k].request.purpose == .stopLoss, !orders[k].status.isTerminal else { continue }
            let current = orders[k].request.triggerPrice
            guard position > 0 ? trigger > current : trigger < current else { return }
            orders[k].request.triggerPrice = trigger
            modifyRequests.append((id, trigger, current))
            stopsMoved += 1
        }
    }

    /// The broker did not move a stop: the order keeps its previous trigger.
    public mutating func stopModifyRefused(_ id: Int64, previous: Int64) {
        orders[Int(id - 1)].request.triggerPrice = previous
    }

    mutating func cancelProtection(of i: Int) {
        guard !protectiveOrders[i].isEmpty else { return }
        for id in protectiveOrders[i] where !orders[Int(id - 1)].status.isTerminal {
            cancelRequests.append(id)
        }
        protectiveOrders[i].removeAllKeepingCapacity()
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
        openingEntryDone(id, instance: i, symbol: orders[k].request.symbol)
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
        let i = fill.strategy
        let wasOpen = ledger.books[i].quantity != 0
        let closedBefore = ledger.closedTrades.count
        ledger.apply(fill)
        if ledger.closedTrades.count != closedBefore { markExitReason(from: closedBefore, order: k) }
        risk.recordFill()
        let isOpen = ledger.books[i].quantity != 0
        if wasOpen != isOpen { positionsBySymbol[fill.symbol] += isOpen ? 1 : -1 }
        openingEntryDone(fill.orderID, instance: i, symbol: fill.symbol)
        let request = orders[k].request
        if done && workingOrder[i] == fill.orderID { workingOrder[i] = 0 }
        if done && request.purpose == .entry {
            placeProtection(instance: i, request: request, time: fill.time)
        }
        if !isOpen {
            cancelProtection(of: i)
        }
        if risk.tracksTrades && ledger.closedTrades.count != closedBefore { tradesClosed(from: closedBefore, time: fill.time) }
        let equity = ledger.equity
        if equity > risk.state.peakEquity { risk.raisePeak(equity) }
        if equity <= risk.watch.floor || equity >= risk.watch.ceiling { applyRiskLimits(equity: equity, time: fill.time) }
    }

    /// Trades a fill closed get the reason of the order that closed them.
    @inline(never)
    mutating func markExitReason(from first: Int, order k: Int) {
        ledger.setExitReason(exitReasons[k], fromTrade: first)
    }

    /// Trades closed by a fill: the Kelly window and the losing streak; the breaker's trip if it fires.
    @inline(never)
    mutating func tradesClosed(from first: Int, time: Int64) {
        for t in first..<ledger.closedTrades.count {
            let trade = ledger.closedTrades[t]
            if let trip = risk.recordClosedTrade(netPnL: trade.netPnL, time: time) {
                var event = trip.event(time: time)
                event.strategy = trade.strategy
                event.symbol = trade.symbol
                record(event)
            }
        }
    }

}
