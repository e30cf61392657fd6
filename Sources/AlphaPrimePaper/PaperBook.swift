import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution

/// The paper broker acting on its recorded book when no engine is running: expiring day orders
/// left over from earlier sessions, squaring off positions carried past their session (as a
/// broker's MIS auto square-off does), and the emergency stop's cancel-all and flatten-all.
///
/// Positions are closed at the last known price (the engine's last mark for the symbol, or the
/// last fill if that is newer), with the fill model's slippage and the cost model's charges. Each
/// close is one market order (client order id with purpose letter K), its fill and the trade it
/// completes, written in one transaction. Everything is stamped with the market time `at` the
/// caller gives (the bar the engine was on when it stopped), so a session resumed later takes these
/// changes in at the point where the engine left off.
public struct PaperBook: Sendable {
    /// One position closed.
    public typealias Closed = ClosedPosition

    public let repository: any StateStore
    public let mode: TradingMode
    public let startingCapital: Int64
    public let instruments: [Instrument]
    public let instrumentKinds: [InstrumentKind]
    public let fillModel: FillModel
    public let product: ProductType

    public init(repository: any StateStore, mode: TradingMode = .paper, settings: PaperSettings) {
        self.repository = repository
        self.mode = mode
        startingCapital = settings.startingCapital
        instruments = settings.instruments
        instrumentKinds = settings.instrumentKinds
        fillModel = settings.fillModel
        product = settings.product
    }

    /// The account rebuilt from the recorded fills of its current epoch (optionally only those before `before`).
    public func account(before: UTCTimestamp = UTCTimestamp(microseconds: .max)) throws -> PaperAccount {
        try PaperAccount.recorded(in: repository, mode: mode, configuredCapital: startingCapital, before: before)
    }

    /// Cancels every working order (created before `before` when given). Returns their client order ids.
    @discardableResult
    public func cancelWorkingOrders(createdBefore before: UTCTimestamp? = nil, reason: String, at time: UTCTimestamp) throws -> [String] {
        let open = try repository.openOrders(mode: mode).filter { before == nil || $0.createdAt < before! }
        guard !open.isEmpty else { return [] }
        try repository.transaction {
            for order in open {
                try repository.updateOrderStatus(id: try PaperBookError.id(of: order), status: .cancelled, reason: reason,
                                                 at: max(time, order.updatedAt))
            }
        }
        return open.map(\.clientOrderId)
    }

    /// Closes every open position (of books that last traded before `before`, when given) at the last
    /// known price.
    @discardableResult
    public func closePositions(before: UTCTimestamp? = nil, reason: String, exitReason: ExitReason = .killSwitch,
                               at marketTime: UTCTimestamp) throws -> [Closed] {
        var account = try account(before: before ?? UTCTimestamp(microseconds: .max))
        let books = account.openBooks
        guard !books.isEmpty else { return [] }
        let marks = Dictionary(try repository.marks(mode: mode).map { ($0.symbol, $0) }, uniquingKeysWith: { a, _ in a })
        var closed: [Closed] = []
        try repository.transaction {
            for book in books {
                let key = account.books[book]
                let ledgerBook = account.ledger.books[book]
                let symbolIndex = ledgerBook.symbol
                let last = account.lastFill[symbolIndex]
                var price = last.price
                if let mark = marks[key.symbol], mark.markedAt.microseconds / 1_000_000 >= last.time,
                   before == nil || mark.markedAt < before! {
                    price = mark.price.value
                }
                let time = max(last.time, marketTime.microseconds / 1_000_000)
                let instrumentId = instruments.firstIndex { $0.symbol == key.symbol }
                let tick = instrumentId.map { instruments[$0].tickSize } ?? 5
                let kind = instrumentId.map { instrumentKinds[$0] } ?? .equity
                let exchange = account.exchanges[symbolIndex]
                let side: Side = ledgerBook.quantity > 0 ? .sell : .buy
                let quantity = abs(ledgerBook.quantity)
                let fillPrice = fillModel.slipped(price, side: side, tickSize: tick)
                let date = IST.dateTime(epochSeconds: time).date
                let charges = try CostModel(instrumentKinds: [kind], pricingDate: date)
                    .charges(side: side, quantity: quantity, price: fillPrice, product: product, symbol: 0)
                let code = ClientOrderID.bookCode(strategy: key.strategy, symbol: key.symbol)
                var sequence: Int64 = 1
                var clientId = ClientOrderID.emergency(bookCode: code, time: time, sequence: sequence)
                while try repository.order(mode: mode, clientOrderId: clientId) != nil {
                    sequence += 1
                    clientId = ClientOrderID.emergency(bookCode: code, time: time, sequence: sequence)
                }
                let at = UTCTimestamp(secondsSinceEpoch: time)
                let inserted = try repository.insertOrder(OrderRecord(
                    mode: mode, clientOrderId: clientId, brokerOrderId: "P" + clientId, strategy: key.strategy, symbol: key.symbol,
                    exchange: exchange, side: side, orderType: .market, product: product, quantity: quantity,
                    status: .open, statusReason: reason, createdAt: at))
                let orderId = try PaperBookError.id(of: inserted)
                try repository.recordFill(FillRecord(
                    mode: mode, orderId: orderId, brokerTradeId: "\(clientId)-1", quantity: quantity, price: Paise(fillPrice),
                    charges: Paise(charges), filledAt: at))
                let entryOrder = account.entryOrderId[book]
                let trades = account.applyClose(book: book, side: side, quantity: quantity, price: fillPrice, charges: charges,
                                                time: time, orderId: orderId)
                var net: Int64 = 0
                for t in trades {
                    net += t.netPnL
                    try repository.insertTrade(TradeRecord(
                        mode: mode, strategy: key.strategy, symbol: key.symbol, exchange: exchange, side: t.direction,
                        quantity: t.quantity, entryPrice: Paise((t.entryValue + t.quantity / 2) / t.quantity),
                        exitPrice: Paise((t.exitValue + t.quantity / 2) / t.quantity),
                        entryAt: UTCTimestamp(secondsSinceEpoch: t.entryTime), exitAt: at, grossPnl: Paise(t.grossPnL),
                        charges: Paise(t.charges), entryOrderId: entryOrder > 0 ? entryOrder : nil, exitOrderId: orderId,
                        exitReason: exitReason.rawValue))
                }
                closed.append(Closed(clientOrderId: clientId, strategy: key.strategy, symbol: key.symbol, side: side,
                                     quantity: quantity, price: fillPrice, netPnL: net, time: at))
            }
        }
        return closed
    }
}

/// The recorded book returned an order without its id: the state database is broken.
public struct PaperBookError: Error, Sendable, CustomStringConvertible, ExitStatusProviding {
    public var clientOrderId: String
    public var description: String {
        "paper broker: order \(clientOrderId) came back from the state database without its id"
    }
    public var exitStatus: ExitStatus { .dataError }

    static func id(of order: OrderRecord) throws -> Int64 {
        guard let id = order.id else { throw PaperBookError(clientOrderId: order.clientOrderId) }
        return id
    }
}
