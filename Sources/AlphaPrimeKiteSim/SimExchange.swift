import AlphaPrimeDomain
import AlphaPrimeExecution

/// kite-sim's exchange and account: the order book, the working orders matched by the platform's
/// own ``SimulatedBroker`` (the paper broker's fill rules, no charges, no OCO), the fills, the
/// positions kept by the platform's ``Ledger``, and the market each instrument last showed.
///
/// A value type: ``KiteSimState`` holds it behind a lock, so every request sees it whole.
struct SimExchange: Sendable {
    let instruments: SimInstrumentList
    let userID: String
    /// The account's opening cash, paise.
    let cash: Int64

    private(set) var simulator: SimulatedBroker
    /// One book per instrument and product (book = instrument × 3 + product), so P&L is the
    /// platform's own arithmetic.
    private(set) var ledger: Ledger
    private(set) var orders: [SimBookOrder] = []
    private var orderIndex: [String: Int] = [:]
    private var bySequence: [Int64: Int] = [:]
    private(set) var trades: [SimTrade] = []
    private(set) var quotes: [SimQuote]
    /// Bought and sold quantity and value per book.
    private(set) var flows: [SimFlow]
    /// Books with a fill, in the order of their first fill (the order positions are listed in).
    private(set) var tradedBooks: [Int] = []
    private var nextSequence: Int64 = 1
    private var tagCounts: [String: Int] = [:]
    /// Orders whose tag an earlier order already carried.
    private(set) var duplicateTags = 0
    /// Placed orders the exchange does not show yet (a placement that timed out inside Kite),
    /// in the order they were placed.
    private(set) var latePlacements: [(ticket: SimOrderTicket, orderID: String, sequence: Int64, placedAt: ContinuousClock.Instant)] = []
    /// The status changes the ticker tells its clients of (Kite's order updates), oldest first,
    /// until taken.
    private(set) var orderUpdates: [SimOrderUpdate] = []

    static let products: [ProductType] = [.mis, .cnc, .nrml]

    init(instruments: SimInstrumentList, userID: String, cash: Int64, slippageTicks: Int64) {
        self.instruments = instruments
        self.userID = userID
        self.cash = cash
        simulator = SimulatedBroker(fillModel: FillModel(slippage: slippageTicks == 0 ? .none : .ticks(slippageTicks)),
                                    charges: NoCharges(), tickSizes: instruments.instruments.map(\.tickSize))
        let books = instruments.count * Self.products.count
        ledger = Ledger(startingCapital: cash, instruments: instruments.count,
                        bookSymbols: (0..<books).map { $0 / Self.products.count })
        quotes = instruments.instruments.map { SimQuote(lastPrice: $0.listedPrice) }
        flows = Array(repeating: SimFlow(), count: books)
    }

    static func book(instrument: Int, product: ProductType) -> Int {
        instrument * products.count + products.firstIndex(of: product)!
    }

    func order(_ orderID: String) -> SimBookOrder? { orderIndex[orderID].map { orders[$0] } }

    // MARK: Placing, modifying, cancelling

    /// Takes a new order id for a placement (also for one that becomes visible later).
    mutating func newOrderID() -> (orderID: String, sequence: Int64) {
        defer { nextSequence += 1 }
        return (String(100_000_000_000_000 + nextSequence), nextSequence)
    }

    /// Places an order at market time `now`: into the book and, unless the account cannot carry it
    /// (then REJECTED, as Kite's risk check does), into the working orders.
    @discardableResult
    mutating func place(_ ticket: SimOrderTicket, now: Int64, id: (orderID: String, sequence: Int64)? = nil) -> String {
        let (orderID, sequence) = id ?? newOrderID()
        // A late placement's tag was counted when it was placed.
        if id == nil { count(tag: ticket.tag) }
        var entry = SimBookOrder(
            state: SimOrderState(orderID: orderID, sequence: sequence, instrument: ticket.instrument, side: ticket.side,
                                 orderType: ticket.orderType, product: ticket.product, quantity: ticket.quantity,
                                 price: ticket.price, triggerPrice: ticket.triggerPrice, tag: ticket.tag,
                                 status: "PUT ORDER REQ RECEIVED", placedAt: now),
            history: [])
        entry.history.append(entry.state)
        entry.record("VALIDATION PENDING", at: nil)
        let required = requiredMargin(ticket)
        let available = margins().net
        if required > available {
            entry.record(SimOrderState.rejected, at: now, message:
                "Insufficient funds. Required margin is \(Paise(required)) but available margin is \(Paise(available)).")
        } else {
            entry.record("OPEN PENDING", at: nil)
            entry.state.acceptedAt = now
            entry.record(SimOrderState.workingStatus(ticket.orderType, triggered: false), at: now)
            simulator.submit(request(for: entry.state, time: now))
        }
        orderUpdates.append(SimOrderUpdate(entry.state))
        orderIndex[orderID] = orders.count
        bySequence[sequence] = orders.count
        orders.append(entry)
        return orderID
    }

    /// Counts an order's tag: one that an earlier order already carried is a duplicate.
    private mutating func count(tag: String?) {
        guard let tag else { return }
        if tagCounts[tag, default: 0] > 0 { duplicateTags += 1 }
        tagCounts[tag, default: 0] += 1
    }

    /// Registers an order placed at `placedAt` (wall clock) that the book does not show yet.
    mutating func placeLate(_ ticket: SimOrderTicket, placedAt: ContinuousClock.Instant) -> String {
        count(tag: ticket.tag)
        let id = newOrderID()
        latePlacements.append((ticket, id.orderID, id.sequence, placedAt))
        return id.orderID
    }

    /// Puts the late placements made by `instant` (wall clock) into the book, placed at market
    /// time `now`.
    mutating func revealLatePlacements(placedBy instant: ContinuousClock.Instant, now: Int64) {
        while let first = latePlacements.first, first.placedAt <= instant {
            latePlacements.removeFirst()
            place(first.ticket, now: now, id: (first.orderID, first.sequence))
        }
    }

    /// Modifies a working order (`PUT /orders/regular/:order_id`): quantity, price, trigger price,
    /// order type, each kept when not given. A trigger-only change of a stop that has not
    /// triggered moves it in place (as the paper broker's trailing stop does); any other change
    /// replaces the working order.
    mutating func modify(_ orderID: String, fields: FormFields, now: Int64) throws(KiteAPIError) {
        guard let index = orderIndex[orderID] else { throw .order("Couldn't find that `order_id`.") }
        var entry = orders[index]
        let old = entry.state
        guard old.isWorking else { throw .order("Order cannot be modified as it is \(old.status).") }
        if let validity = fields["validity"], !validity.isEmpty, validity != "DAY" {
            throw .input("Invalid `validity`: \"\(validity)\" (kite-sim takes DAY orders only).")
        }
        var ticket = ticket(of: old)
        let newType = fields["order_type"].flatMap { $0.isEmpty ? nil : $0 } ?? old.orderType.rawValue
        try ticket.apply(orderType: newType, quantity: try fields.integer("quantity") ?? old.quantity,
                         price: try fields.rupees("price") ?? old.price,
                         triggerPrice: try fields.rupees("trigger_price") ?? old.triggerPrice,
                         instrument: instruments.instruments[old.instrument])
        entry.state.orderType = ticket.orderType
        entry.state.quantity = ticket.quantity
        entry.state.price = ticket.price
        entry.state.triggerPrice = ticket.triggerPrice
        entry.state.modified = true
        entry.state.triggered = old.triggered && ticket.orderType == old.orderType
        let isStop = old.orderType == .stopLoss || old.orderType == .stopLossMarket
        if isStop && !old.triggered && ticket.orderType == old.orderType && ticket.quantity == old.quantity
            && ticket.price == old.price {
            simulator.modify(orderID: old.sequence, triggerPrice: ticket.triggerPrice)
        } else {
            simulator.cancel(orderID: old.sequence)
            simulator.submit(request(for: entry.state, time: now))
        }
        entry.record("MODIFY VALIDATION PENDING", at: nil)
        entry.record("MODIFY PENDING", at: nil)
        entry.record(SimOrderState.workingStatus(ticket.orderType, triggered: entry.state.triggered), at: now)
        orders[index] = entry
        orderUpdates.append(SimOrderUpdate(entry.state, status: SimOrderUpdate.modified))
    }

    /// Cancels a working order (`DELETE /orders/regular/:order_id`).
    mutating func cancel(_ orderID: String, now: Int64) throws(KiteAPIError) {
        guard let index = orderIndex[orderID] else { throw .order("Couldn't find that `order_id`.") }
        guard orders[index].state.isWorking else {
            throw .order("Order cannot be cancelled as it is \(orders[index].state.status).")
        }
        simulator.cancel(orderID: orders[index].state.sequence)
        orders[index].state.cancelledQuantity = orders[index].state.quantity - orders[index].state.filledQuantity
        orders[index].record("CANCEL PENDING", at: nil)
        orders[index].record(SimOrderState.cancelled, at: now)
        orderUpdates.append(SimOrderUpdate(orders[index].state))
    }

    /// The order updates since the last call, oldest first.
    mutating func takeOrderUpdates() -> [SimOrderUpdate] {
        defer { orderUpdates.removeAll() }
        return orderUpdates
    }

    /// The placement parameters of an order as it stands.
    private func ticket(of state: SimOrderState) -> SimOrderTicket {
        SimOrderTicket(instrument: state.instrument, side: state.side, orderType: state.orderType,
                              product: state.product, quantity: state.quantity, price: state.price,
                              triggerPrice: state.triggerPrice, tag: state.tag)
    }

    /// The working order the simulated exchange matches: an SL order that has triggered without
    /// reaching its limit works as a LIMIT order at its price.
    private func request(for state: SimOrderState, time: Int64) -> OrderRequest {
        let type: OrderType = state.triggered ? .limit : state.orderType
        return OrderRequest(id: state.sequence, strategy: Self.book(instrument: state.instrument, product: state.product),
                            symbol: state.instrument, side: state.side, quantity: state.quantity, type: type,
                            limitPrice: state.price, triggerPrice: state.triggered ? 0 : state.triggerPrice,
                            product: state.product, purpose: .entry, ocoGroup: 0, time: time)
    }

    /// What the order needs of the account: the margin (``margin(value:product:)``) of the
    /// quantity that opens or adds to a position (a reducing order needs nothing), valued at its
    /// price, its trigger, or the last price.
    private func requiredMargin(_ ticket: SimOrderTicket) -> Int64 {
        let position = ledger.books[Self.book(instrument: ticket.instrument, product: ticket.product)].quantity
        let reducing = position != 0 && (position > 0) != (ticket.side == .buy)
        let adding = reducing ? max(0, ticket.quantity - abs(position)) : ticket.quantity
        let price = ticket.price > 0 ? ticket.price : ticket.triggerPrice > 0 ? ticket.triggerPrice : quotes[ticket.instrument].lastPrice
        return Self.margin(value: adding * price, product: ticket.product)
    }

    /// The margin a position of this value blocks: a fifth for MIS (Kite's 5× intraday leverage
    /// on equity), the whole value for CNC and NRML; rounded up to the paisa.
    static func margin(value: Int64, product: ProductType) -> Int64 {
        product == .mis ? (value + 4) / 5 : value
    }

    // MARK: The market

    /// A new bar of `instrument`: the quote moves to it, and the working orders fill against it
    /// from its open (as the paper broker's `marketBar`). Returns the number of fills.
    mutating func marketBar(_ bar: Bar, instrument: Int, maxFills: Int = .max) -> Int {
        quotes[instrument].record(bar)
        guard simulator.hasWorkingOrders else { return 0 }
        var fills: [Fill] = []
        simulator.processBar(bar, symbol: instrument, fills: &fills, maxFills: maxFills)
        return settle(fills, instrument: instrument, time: bar.time)
    }

    /// The rest of the bar being processed: orders placed meanwhile may fill within it (as the
    /// paper broker's `marketRestOfBar`).
    mutating func marketRestOfBar(_ bar: Bar, instrument: Int, maxFills: Int = .max) -> Int {
        guard simulator.hasWorkingOrders else { return 0 }
        var fills: [Fill] = []
        simulator.processRestOfBar(bar, symbol: instrument, fills: &fills, maxFills: maxFills)
        return settle(fills, instrument: instrument, time: bar.time)
    }

    /// Working market orders of `instrument` fill at the last bar's close, stamped `time` (as the
    /// paper broker's `fillMarketOrdersAtLastPrice`). Nothing fills before the first bar.
    mutating func fillMarketOrdersAtLastPrice(instrument: Int, time: Int64, maxFills: Int = .max) -> Int {
        let price = quotes[instrument].lastBarClose
        guard price > 0, simulator.hasWorkingOrders else { return 0 }
        var fills: [Fill] = []
        simulator.processBar(Bar(time: time, open: price, high: price, low: price, close: price), symbol: instrument, fills: &fills,
                             maxFills: maxFills)
        return settle(fills, instrument: instrument, time: time)
    }

    /// Books the fills (order COMPLETE, a trade, the ledger), and marks the SL orders of the
    /// instrument that triggered without filling as OPEN.
    private mutating func settle(_ fills: [Fill], instrument: Int, time: Int64) -> Int {
        for fill in fills {
            guard let index = bySequence[fill.orderID] else { continue }
            orders[index].state.filledQuantity += fill.quantity
            orders[index].state.averagePrice = fill.price
            orders[index].record(SimOrderState.complete, at: fill.time)
            let state = orders[index].state
            orderUpdates.append(SimOrderUpdate(state))
            trades.append(SimTrade(tradeID: String(10_000_000 + trades.count + 1), orderID: state.orderID,
                                   exchangeOrderID: state.exchangeOrderID, instrument: fill.symbol, product: state.product,
                                   side: fill.side, quantity: fill.quantity, price: fill.price, time: fill.time))
            ledger.apply(fill)
            let book = fill.strategy
            if flows[book].isEmpty { tradedBooks.append(book) }
            flows[book].add(fill)
        }
        let triggered = Set(simulator.working.filter { $0.symbol == instrument && $0.type == .limit }.map(\.id))
        for index in orders.indices where orders[index].state.instrument == instrument
            && orders[index].state.orderType == .stopLoss && !orders[index].state.triggered
            && orders[index].state.isWorking && triggered.contains(orders[index].state.sequence) {
            orders[index].state.triggered = true
            orders[index].record(SimOrderState.open, at: time)
            orderUpdates.append(SimOrderUpdate(orders[index].state))
        }
        return fills.count
    }
}

/// Bought and sold quantity and value (paise) of one book.
struct SimFlow: Sendable, Equatable {
    var buyQuantity: Int64 = 0
    var buyValue: Int64 = 0
    var sellQuantity: Int64 = 0
    var sellValue: Int64 = 0

    var isEmpty: Bool { buyQuantity == 0 && sellQuantity == 0 }

    mutating func add(_ fill: Fill) {
        if fill.side == .buy {
            buyQuantity += fill.quantity; buyValue += fill.quantity * fill.price
        } else {
            sellQuantity += fill.quantity; sellValue += fill.quantity * fill.price
        }
    }
}
