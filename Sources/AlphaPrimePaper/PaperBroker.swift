import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// The paper broker: fills orders against the market it sees by the ``FillModel`` rules of a
/// ``SimulatedBroker`` (next bar's open for market orders, limit and stop prices, slippage), with
/// charges from the ``CostModel``.
///
/// Its book is the state database: every order the engine places here is recorded (as SUBMITTED)
/// before ``submit(_:)`` is called, and every fill it reports is recorded before the engine acts on
/// it, so a restart continues the same paper account. In memory it holds only the working orders
/// of the session, which the engine rebuilds after a crash by replaying the session's bars: the
/// matching is deterministic, so the same orders fill at the same prices. ``orders()``,
/// ``positions()`` and ``fills()`` read the recorded book.
public final class PaperBroker: Broker, SimulatedMarket {
    public let name = "paper"
    public let mode: TradingMode
    let repository: (any StateStore)?
    let startingCapital: Int64
    /// The session the order book covers: `[from, before)`, UTC.
    let sessionFrom: UTCTimestamp
    let sessionBefore: UTCTimestamp

    var simulator: SimulatedBroker
    var clientIds: [Int64: String] = [:]
    var fillsPerOrder: [Int64: Int] = [:]
    var pending: [Fill] = []
    var events: [BrokerEvent] = []
    var cancelledByOCO: [Int64] = []
    /// Last close seen per symbol, paise (0 before the first bar).
    public private(set) var lastPrice: [Int64]
    public private(set) var lastBarTime: [Int64]

    public init(simulator: SimulatedBroker, mode: TradingMode = .paper, repository: (any StateStore)?, startingCapital: Int64,
                sessionFrom: UTCTimestamp, sessionBefore: UTCTimestamp) {
        self.simulator = simulator
        self.mode = mode
        self.repository = repository
        self.startingCapital = startingCapital
        self.sessionFrom = sessionFrom
        self.sessionBefore = sessionBefore
        lastPrice = Array(repeating: 0, count: simulator.tickSizes.count)
        lastBarTime = Array(repeating: 0, count: simulator.tickSizes.count)
        pending.reserveCapacity(8)
        events.reserveCapacity(8)
    }

    public var hasWorkingOrders: Bool { simulator.hasWorkingOrders }

    // MARK: Orders

    /// Answers at once: accepted into the working set (its broker id is `P` + the client order id),
    /// or rejected when the order cannot be valid.
    public func submit(_ request: BrokerOrderRequest) {
        let order = request.order
        guard order.quantity > 0 else {
            events.append(.rejected(orderID: order.id, reason: "quantity must be positive, got \(order.quantity)"))
            return
        }
        guard order.symbol >= 0, order.symbol < simulator.tickSizes.count else {
            events.append(.rejected(orderID: order.id, reason: "unknown instrument \(order.symbol)"))
            return
        }
        clientIds[order.id] = request.clientOrderId
        simulator.submit(order)
        events.append(.accepted(orderID: order.id, brokerOrderId: "P" + request.clientOrderId))
    }

    public func requestCancel(orderID: Int64, clientOrderId: String) {
        if simulator.cancel(orderID: orderID) {
            events.append(.cancelled(orderID: orderID, reason: "cancelled on request"))
        } else {
            events.append(.cancelRefused(orderID: orderID, reason: "not working"))
        }
    }

    public func requestModify(orderID: Int64, clientOrderId: String, triggerPrice: Int64) {
        if simulator.modify(orderID: orderID, triggerPrice: triggerPrice) {
            events.append(.modified(orderID: orderID, triggerPrice: triggerPrice))
        } else {
            events.append(.modifyRefused(orderID: orderID, reason: "not a working stop order"))
        }
    }

    /// Takes an order already in the book (recorded by another process, or re-created during
    /// recovery) into the working set without a placement.
    public func adopt(_ order: OrderRequest, clientOrderId: String, countedFills: [BrokerFill]) {
        clientIds[order.id] = clientOrderId
        fillsPerOrder[order.id] = countedFills.count
        simulator.submit(order)
    }

    /// Drops a working order the book says is no longer working (cancelled while the engine was down).
    public func forget(orderID: Int64) {
        simulator.cancel(orderID: orderID)
    }

    // MARK: Market

    public func marketBar(_ bar: Bar, symbol: SymbolID) {
        lastPrice[symbol] = bar.close
        lastBarTime[symbol] = bar.time
        guard simulator.hasWorkingOrders else { return }
        simulator.processBar(bar, symbol: symbol, fills: &pending)
        collect()
    }

    public func marketRestOfBar(_ bar: Bar, symbol: SymbolID) {
        guard simulator.hasWorkingOrders else { return }
        simulator.processRestOfBar(bar, symbol: symbol, fills: &pending)
        collect()
    }

    /// Fills the working market orders of `symbol` at the last price seen (slippage applies): the
    /// broker squaring off at the close, or an engine stopping with `--flatten` between bars.
    /// `time` stamps the fills.
    public func fillMarketOrdersAtLastPrice(symbol: SymbolID, time: Int64) {
        let price = lastPrice[symbol]
        guard price > 0, simulator.hasWorkingOrders else { return }
        let flat = Bar(time: time, open: price, high: price, low: price, close: price)
        simulator.processBar(flat, symbol: symbol, fills: &pending)
        collect()
    }

    /// Fills first (in the order the simulator produced them), then the OCO cancellations they caused.
    private func collect() {
        if pending.isEmpty { return }
        for fill in pending {
            let n = (fillsPerOrder[fill.orderID] ?? 0) + 1
            fillsPerOrder[fill.orderID] = n
            let tag = clientIds[fill.orderID] ?? "ORDER\(fill.orderID)"
            events.append(.filled(fill, brokerTradeId: "\(tag)-\(n)"))
        }
        pending.removeAll(keepingCapacity: true)
        for id in simulator.takeCancelledByOCO() {
            events.append(.cancelled(orderID: id, reason: "OCO sibling filled"))
        }
    }

    public func takeEvents(into events: inout [BrokerEvent]) {
        if self.events.isEmpty { return }
        events.append(contentsOf: self.events)
        self.events.removeAll(keepingCapacity: true)
    }

    // MARK: The recorded book

    public func orders() throws -> [BrokerOrder] {
        guard let repository else { return [] }
        return try repository.orders(mode: mode, createdFrom: sessionFrom, before: sessionBefore).map { o in
            BrokerOrder(clientOrderId: o.clientOrderId, brokerOrderId: o.brokerOrderId, strategy: o.strategy, symbol: o.symbol,
                        side: o.side, orderType: o.orderType, quantity: o.quantity, filledQuantity: o.filledQuantity,
                        status: o.status, createdAt: o.createdAt)
        }
    }

    public func positions() throws -> [BrokerPosition] {
        guard let repository else { return [] }
        return try PaperAccount.recorded(in: repository, mode: mode, configuredCapital: startingCapital).positions
    }

    public func fills() throws -> [BrokerFill] {
        guard let repository else { return [] }
        return try repository.accountFills(mode: mode, from: sessionFrom, before: sessionBefore).map { f in
            BrokerFill(clientOrderId: f.clientOrderId, brokerTradeId: f.fill.brokerTradeId ?? "", quantity: f.fill.quantity,
                       price: f.fill.price.value, charges: f.fill.charges.value, time: f.fill.filledAt)
        }
    }
}
