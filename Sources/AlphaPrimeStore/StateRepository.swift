import AlphaPrimeSupport
import AlphaPrimeDomain

/// Typed reads and writes of the state database, the same code for SQLite and PostgreSQL.
///
/// Writes that belong together run in one transaction (a fill and its order's new status; the kill
/// switch and its risk event). Time ranges are half-open: `from` included, `before` excluded.
/// Timestamps are always passed in (the engine's clock), never taken from the wall clock here.
public struct StateRepository: Sendable {
    public let database: any SQLDatabase
    /// The URL it was opened from (keys the engine lock: the lock file beside a SQLite file).
    public let url: DatabaseURL?

    public init(database: any SQLDatabase, url: DatabaseURL? = nil) {
        self.database = database
        self.url = url
    }

    /// Inserts a row and returns the id the database gave it (`RETURNING id`, which both backends speak).
    func insertReturningId(_ sql: String, _ parameters: [SQLValue]) throws -> Int64 {
        guard let row = try database.queryFirst(sql + " RETURNING id", parameters) else {
            throw StoreError(.statementFailed, backend: database.backend, message: "the insert returned no id", sql: sql)
        }
        return try row.int64("id")
    }

    // MARK: Orders

    static let orderColumns = """
        id, mode, client_order_id, broker_order_id, strategy, symbol, exchange, side, order_type, product, \
        quantity, limit_price_paise, trigger_price_paise, status, filled_quantity, average_price_paise, \
        status_reason, created_at_us, updated_at_us, learnt_step
        """

    /// Records a new order (before it is sent to the broker) and returns it with its id.
    /// A second order with the same client order id in the same mode is refused (`.uniqueViolation`).
    @discardableResult
    public func insertOrder(_ order: OrderRecord) throws -> OrderRecord {
        guard OrderRecord.isValidClientOrderId(order.clientOrderId) else {
            throw StoreError(.invalidValue, backend: database.backend,
                             message: "a client order id must be 1 to 20 ASCII letters and digits (Kite's tag)")
        }
        var stored = order
        stored.id = try insertReturningId("""
            INSERT INTO orders (mode, client_order_id, broker_order_id, strategy, symbol, exchange, side, order_type, \
            product, quantity, limit_price_paise, trigger_price_paise, status, filled_quantity, average_price_paise, \
            status_reason, created_at_us, updated_at_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [
                SQLValue(order.mode), .text(order.clientOrderId), SQLValue(order.brokerOrderId), .text(order.strategy),
                .text(order.symbol), .text(order.exchange), SQLValue(order.side), SQLValue(order.orderType),
                SQLValue(order.product), .integer(order.quantity), SQLValue(order.limitPrice), SQLValue(order.triggerPrice),
                SQLValue(order.status), .integer(order.filledQuantity), SQLValue(order.averagePrice),
                SQLValue(order.statusReason), SQLValue(order.createdAt), SQLValue(order.updatedAt),
            ])
        return stored
    }

    public func order(id: Int64) throws -> OrderRecord? {
        try database.queryFirst("SELECT \(Self.orderColumns) FROM orders WHERE id = ?", [.integer(id)]).map(OrderRecord.init(row:))
    }

    public func order(mode: TradingMode, clientOrderId: String) throws -> OrderRecord? {
        try database.queryFirst("SELECT \(Self.orderColumns) FROM orders WHERE mode = ? AND client_order_id = ?",
                                [SQLValue(mode), .text(clientOrderId)]).map(OrderRecord.init(row:))
    }

    /// Orders not yet filled, cancelled or rejected, oldest first.
    public func openOrders(mode: TradingMode) throws -> [OrderRecord] {
        try database.query("""
            SELECT \(Self.orderColumns) FROM orders
            WHERE mode = ? AND status NOT IN ('FILLED', 'CANCELLED', 'REJECTED') ORDER BY created_at_us, id
            """, [SQLValue(mode)]).map(OrderRecord.init(row:))
    }

    /// Orders created in `[from, before)`, oldest first.
    public func orders(mode: TradingMode, createdFrom from: UTCTimestamp, before: UTCTimestamp) throws -> [OrderRecord] {
        try database.query("""
            SELECT \(Self.orderColumns) FROM orders
            WHERE mode = ? AND created_at_us >= ? AND created_at_us < ? ORDER BY created_at_us, id
            """, [SQLValue(mode), SQLValue(from), SQLValue(before)]).map(OrderRecord.init(row:))
    }

    /// Sets an order's status and reason (and its broker order id when given) and returns the order.
    /// Throws `.notFound` when no order has that client order id in that mode.
    @discardableResult
    public func updateOrderStatus(
        mode: TradingMode, clientOrderId: String, status: OrderStatus, reason: String? = nil,
        brokerOrderId: String? = nil, at time: UTCTimestamp
    ) throws -> OrderRecord {
        try database.transaction {
            let changed = try database.execute("""
                UPDATE orders SET status = ?, status_reason = ?, broker_order_id = COALESCE(?, broker_order_id), updated_at_us = ?
                WHERE mode = ? AND client_order_id = ?
                """, [SQLValue(status), SQLValue(reason), SQLValue(brokerOrderId), SQLValue(time), SQLValue(mode),
                      .text(clientOrderId)])
            guard changed == 1, let order = try order(mode: mode, clientOrderId: clientOrderId) else {
                throw StoreError(.notFound, backend: database.backend, message: "no \(mode.rawValue) order has that client order id")
            }
            return order
        }
    }

    // MARK: Fills

    static let fillColumns = "id, mode, order_id, broker_trade_id, quantity, price_paise, charges_paise, filled_at_us, learnt_step"

    /// Records a fill and, in the same transaction, the order's filled quantity, average price
    /// (rounded to the nearest paisa, half away from zero) and status: FILLED when complete,
    /// else PARTIALLY_FILLED (an order already cancelled or rejected keeps that status).
    /// A fill that would take the order past its quantity is refused.
    @discardableResult
    public func recordFill(_ fill: FillRecord) throws -> (fill: FillRecord, order: OrderRecord) {
        try database.transaction {
            // Touch the order first: on PostgreSQL this locks its row, so two fills for one order
            // are summed one after the other (SQLite's BEGIN IMMEDIATE already serialises writers).
            let touched = try database.execute("UPDATE orders SET updated_at_us = ? WHERE id = ? AND mode = ?",
                                               [SQLValue(fill.filledAt), .integer(fill.orderId), SQLValue(fill.mode)])
            guard touched == 1, var order = try order(id: fill.orderId) else {
                throw StoreError(.notFound, backend: database.backend, message: "no \(fill.mode.rawValue) order has the id this fill names")
            }
            var stored = fill
            stored.id = try insertReturningId("""
                INSERT INTO fills (mode, order_id, broker_trade_id, quantity, price_paise, charges_paise, filled_at_us, learnt_step)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, [SQLValue(fill.mode), .integer(fill.orderId), SQLValue(fill.brokerTradeId), .integer(fill.quantity),
                      SQLValue(fill.price), SQLValue(fill.charges), SQLValue(fill.filledAt), SQLValue(fill.learntStep)])

            var filled: Int64 = 0, value: Int64 = 0
            for f in try fills(orderId: fill.orderId) {
                let (v, overflow) = f.price.value.multipliedReportingOverflow(by: f.quantity)
                guard !overflow, !value.addingReportingOverflow(v).overflow else {
                    throw StoreError(.invalidValue, backend: database.backend, message: "the filled value of the order does not fit in 64 bits of paise")
                }
                value += v
                filled += f.quantity
            }
            guard filled <= order.quantity else {
                throw StoreError(.invalidValue, backend: database.backend,
                                 message: "a fill of \(fill.quantity) would take the order past its quantity (\(order.quantity), already filled \(filled - fill.quantity))")
            }
            order.filledQuantity = filled
            // Rounded half away from zero without overflowing (prices are positive).
            let (whole, remainder) = value.quotientAndRemainder(dividingBy: filled)
            order.averagePrice = Paise(remainder >= filled - remainder ? whole + 1 : whole)
            order.status = filled == order.quantity ? .filled : (order.status.isTerminal ? order.status : .partiallyFilled)
            order.updatedAt = fill.filledAt
            try database.execute("""
                UPDATE orders SET filled_quantity = ?, average_price_paise = ?, status = ?, updated_at_us = ? WHERE id = ?
                """, [.integer(order.filledQuantity), SQLValue(order.averagePrice), SQLValue(order.status),
                      SQLValue(order.updatedAt), .integer(fill.orderId)])
            return (stored, order)
        }
    }

    /// An order's fills in the order they happened.
    public func fills(orderId: Int64) throws -> [FillRecord] {
        try database.query("SELECT \(Self.fillColumns) FROM fills WHERE order_id = ? ORDER BY filled_at_us, id",
                           [.integer(orderId)]).map(FillRecord.init(row:))
    }

    /// Fills in `[from, before)`, oldest first.
    public func fills(mode: TradingMode, from: UTCTimestamp, before: UTCTimestamp) throws -> [FillRecord] {
        try database.query("""
            SELECT \(Self.fillColumns) FROM fills WHERE mode = ? AND filled_at_us >= ? AND filled_at_us < ?
            ORDER BY filled_at_us, id
            """, [SQLValue(mode), SQLValue(from), SQLValue(before)]).map(FillRecord.init(row:))
    }
}

extension OrderRecord {
    init(row: SQLRow) throws {
        self.init(
            id: try row.int64("id"), mode: try row.enumValue("mode"), clientOrderId: try row.string("client_order_id"),
            brokerOrderId: try row.optionalString("broker_order_id"), strategy: try row.string("strategy"),
            symbol: try row.string("symbol"), exchange: try row.string("exchange"), side: try row.enumValue("side"),
            orderType: try row.enumValue("order_type"), product: try row.enumValue("product"),
            quantity: try row.int64("quantity"), limitPrice: try row.optionalPaise("limit_price_paise"),
            triggerPrice: try row.optionalPaise("trigger_price_paise"), status: try row.enumValue("status"),
            filledQuantity: try row.int64("filled_quantity"), averagePrice: try row.optionalPaise("average_price_paise"),
            statusReason: try row.optionalString("status_reason"), createdAt: try row.timestamp("created_at_us"),
            updatedAt: try row.timestamp("updated_at_us"))
        learntStep = try row.optionalInt64("learnt_step")
    }
}

extension FillRecord {
    init(row: SQLRow) throws {
        self.init(
            id: try row.int64("id"), mode: try row.enumValue("mode"), orderId: try row.int64("order_id"),
            brokerTradeId: try row.optionalString("broker_trade_id"), quantity: try row.int64("quantity"),
            price: try row.paise("price_paise"), charges: try row.paise("charges_paise"),
            filledAt: try row.timestamp("filled_at_us"), learntStep: try row.optionalInt64("learnt_step"))
    }
}
