import AlphaPrimeSupport
import AlphaPrimeDomain
import Foundation

extension StateRepository {
    // MARK: Engine sessions

    static let engineSessionColumns = """
        id, mode, trading_date, status, source, day_start_cash_paise, deferred_rows, last_bar_at_us, halted_reason, \
        recoveries, started_at_us, updated_at_us, completed_at_us, risk_state_open, risk_state_close, last_step
        """

    public func engineSession(mode: TradingMode, date: LocalDate) throws -> EngineSessionRecord? {
        try database.queryFirst("SELECT \(Self.engineSessionColumns) FROM engine_sessions WHERE mode = ? AND trading_date = ?",
                                [SQLValue(mode), .text(date.description)]).map(EngineSessionRecord.init(row:))
    }

    /// The session most recently written to, or nil when the engine never ran in the mode.
    public func latestEngineSession(mode: TradingMode) throws -> EngineSessionRecord? {
        try database.queryFirst("""
            SELECT \(Self.engineSessionColumns) FROM engine_sessions WHERE mode = ? ORDER BY updated_at_us DESC, id DESC LIMIT 1
            """, [SQLValue(mode)]).map(EngineSessionRecord.init(row:))
    }

    /// The latest session of a mode before a trading day, or nil.
    public func latestEngineSession(mode: TradingMode, before date: LocalDate) throws -> EngineSessionRecord? {
        try database.queryFirst("""
            SELECT \(Self.engineSessionColumns) FROM engine_sessions WHERE mode = ? AND trading_date < ?
            ORDER BY trading_date DESC LIMIT 1
            """, [SQLValue(mode), .text(date.description)]).map(EngineSessionRecord.init(row:))
    }

    /// The sessions of the trading days `from` through `through`, oldest first.
    public func engineSessions(mode: TradingMode, from: LocalDate, through: LocalDate) throws -> [EngineSessionRecord] {
        try database.query("""
            SELECT \(Self.engineSessionColumns) FROM engine_sessions WHERE mode = ? AND trading_date >= ? AND trading_date <= ?
            ORDER BY trading_date
            """, [SQLValue(mode), .text(from.description), .text(through.description)]).map(EngineSessionRecord.init(row:))
    }

    /// Records a new session. A second session for the same mode and day is refused (`.uniqueViolation`).
    @discardableResult
    public func insertEngineSession(_ session: EngineSessionRecord) throws -> EngineSessionRecord {
        var stored = session
        stored.id = try insertReturningId("""
            INSERT INTO engine_sessions (mode, trading_date, status, source, day_start_cash_paise, deferred_rows, \
            last_bar_at_us, halted_reason, recoveries, started_at_us, updated_at_us, completed_at_us, risk_state_open, \
            risk_state_close) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [
                SQLValue(session.mode), .text(session.tradingDate.description), SQLValue(session.status), .text(session.source),
                SQLValue(session.dayStartCash), .integer(session.deferredRows), SQLValue(session.lastBarAt),
                SQLValue(session.haltedReason), SQLValue(session.recoveries), SQLValue(session.startedAt),
                SQLValue(session.updatedAt), SQLValue(session.completedAt), SQLValue(session.riskStateOpen),
                SQLValue(session.riskStateClose),
            ])
        return stored
    }

    /// Writes how far the engine got: committed deferred rows, the bar it was on, why entries are halted.
    public func recordEngineProgress(sessionId: Int64, deferredRows: Int64, lastBarAt: UTCTimestamp?, lastStep: Int64?,
                                     haltedReason: String?, at time: UTCTimestamp) throws {
        try database.execute("""
            UPDATE engine_sessions SET deferred_rows = ?, last_bar_at_us = ?, last_step = ?, halted_reason = ?, updated_at_us = ?
            WHERE id = ?
            """, [.integer(deferredRows), SQLValue(lastBarAt), SQLValue(lastStep), SQLValue(haltedReason), SQLValue(time),
                  .integer(sessionId)])
    }

    /// Records the risk stage's state a session closed or stopped with.
    public func recordEngineRiskStateClose(sessionId: Int64, json: String) throws {
        try database.execute("UPDATE engine_sessions SET risk_state_close = ? WHERE id = ?", [.text(json), .integer(sessionId)])
    }

    /// Sets a session's status (and, when completed, when); counts a recovery when asked.
    public func setEngineSessionStatus(sessionId: Int64, status: EngineSessionRecord.Status, countRecovery: Bool = false,
                                       at time: UTCTimestamp) throws {
        try database.execute("""
            UPDATE engine_sessions SET status = ?, recoveries = recoveries + ?, updated_at_us = ?,
                completed_at_us = CASE WHEN ? = 'completed' THEN ? ELSE completed_at_us END
            WHERE id = ?
            """, [SQLValue(status), .integer(countRecovery ? 1 : 0), SQLValue(time), SQLValue(status), SQLValue(time),
                  .integer(sessionId)])
    }

    // MARK: Control requests

    static let engineControlColumns = "id, mode, command, requested_by, reason, requested_at_us, handled_at_us, outcome"

    @discardableResult
    public func requestEngineControl(_ request: EngineControlRecord) throws -> EngineControlRecord {
        var stored = request
        stored.id = try insertReturningId("""
            INSERT INTO engine_control (mode, command, requested_by, reason, requested_at_us, handled_at_us, outcome)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, [SQLValue(request.mode), SQLValue(request.command), .text(request.requestedBy), SQLValue(request.reason),
                  SQLValue(request.requestedAt), SQLValue(request.handledAt), SQLValue(request.outcome)])
        return stored
    }

    /// Requests not handled yet, oldest first.
    public func pendingEngineControl(mode: TradingMode) throws -> [EngineControlRecord] {
        try database.query("""
            SELECT \(Self.engineControlColumns) FROM engine_control WHERE mode = ? AND handled_at_us IS NULL ORDER BY id
            """, [SQLValue(mode)]).map(EngineControlRecord.init(row:))
    }

    public func engineControl(id: Int64) throws -> EngineControlRecord? {
        try database.queryFirst("SELECT \(Self.engineControlColumns) FROM engine_control WHERE id = ?", [.integer(id)])
            .map(EngineControlRecord.init(row:))
    }

    public func markEngineControlHandled(id: Int64, outcome: String, at time: UTCTimestamp) throws {
        try database.execute("UPDATE engine_control SET handled_at_us = ?, outcome = ? WHERE id = ? AND handled_at_us IS NULL",
                             [SQLValue(time), .text(outcome), .integer(id)])
    }

    // MARK: Marks

    public func upsertMark(_ mark: MarkRecord) throws {
        try database.execute("""
            INSERT INTO engine_marks (mode, symbol, price_paise, marked_at_us) VALUES (?, ?, ?, ?)
            ON CONFLICT (mode, symbol) DO UPDATE SET price_paise = excluded.price_paise, marked_at_us = excluded.marked_at_us
            """, [SQLValue(mark.mode), .text(mark.symbol), SQLValue(mark.price), SQLValue(mark.markedAt)])
    }

    /// The last price seen per symbol, by symbol.
    public func marks(mode: TradingMode) throws -> [MarkRecord] {
        try database.query("SELECT mode, symbol, price_paise, marked_at_us FROM engine_marks WHERE mode = ? ORDER BY symbol",
                           [SQLValue(mode)]).map { row in
            MarkRecord(mode: try row.enumValue("mode"), symbol: try row.string("symbol"), price: try row.paise("price_paise"),
                       markedAt: try row.timestamp("marked_at_us"))
        }
    }

    // MARK: Bars a live session built

    public func recordEngineBars(_ bars: [EngineBarRecord]) throws {
        guard !bars.isEmpty else { return }
        try database.transaction {
            for r in bars {
                try database.execute("""
                    INSERT INTO engine_bars (mode, symbol, bar_at_us, open_paise, high_paise, low_paise, close_paise, volume)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (mode, symbol, bar_at_us) DO NOTHING
                    """, [SQLValue(r.mode), .text(r.symbol), .integer(r.bar.time * 1_000_000), .integer(r.bar.open),
                          .integer(r.bar.high), .integer(r.bar.low), .integer(r.bar.close), .integer(r.bar.volume)])
            }
        }
    }

    public func engineBars(mode: TradingMode, from: UTCTimestamp, before: UTCTimestamp) throws -> [EngineBarRecord] {
        try database.query("""
            SELECT mode, symbol, bar_at_us, open_paise, high_paise, low_paise, close_paise, volume FROM engine_bars
            WHERE mode = ? AND bar_at_us >= ? AND bar_at_us < ? ORDER BY bar_at_us, symbol
            """, [SQLValue(mode), SQLValue(from), SQLValue(before)]).map { row in
            EngineBarRecord(mode: try row.enumValue("mode"), symbol: try row.string("symbol"),
                            bar: Bar(time: try row.int64("bar_at_us") / 1_000_000, open: try row.int64("open_paise"),
                                     high: try row.int64("high_paise"), low: try row.int64("low_paise"),
                                     close: try row.int64("close_paise"), volume: try row.int64("volume")))
        }
    }

    // MARK: Orders and fills of an account

    /// Sets an order's status by its id (and its reason / broker order id when given).
    public func updateOrderStatus(id: Int64, status: OrderStatus, reason: String? = nil, brokerOrderId: String? = nil,
                                  at time: UTCTimestamp, learntStep: Int64? = nil) throws {
        try database.execute("""
            UPDATE orders SET status = ?, status_reason = COALESCE(?, status_reason),
                broker_order_id = COALESCE(?, broker_order_id), updated_at_us = ?, learnt_step = ? WHERE id = ?
            """, [SQLValue(status), SQLValue(reason), SQLValue(brokerOrderId), SQLValue(time), SQLValue(learntStep), .integer(id)])
    }

    /// Sets the step at which the engine learnt of a fill (by its id) or of an order's status (by
    /// the order's id).
    public func updateLearntStep(fillId: Int64?, orderId: Int64?, step: Int64) throws {
        if let fillId { try database.execute("UPDATE fills SET learnt_step = ? WHERE id = ?", [.integer(step), .integer(fillId)]) }
        if let orderId { try database.execute("UPDATE orders SET learnt_step = ? WHERE id = ?", [.integer(step), .integer(orderId)]) }
    }

    /// Moves a working stop order's trigger by its id (a trailing stop). An order that no longer
    /// works, or already has that trigger, is left as it is (a recovery replaying the moves changes
    /// nothing that was recorded).
    public func updateOrderTrigger(id: Int64, triggerPrice: Paise, at time: UTCTimestamp) throws {
        try database.execute("""
            UPDATE orders SET trigger_price_paise = ?, updated_at_us = ?
            WHERE id = ? AND status NOT IN ('FILLED', 'CANCELLED', 'REJECTED')
                AND (trigger_price_paise IS NULL OR trigger_price_paise <> ?)
            """, [SQLValue(triggerPrice), SQLValue(time), .integer(id), SQLValue(triggerPrice)])
    }

    /// Every fill of a mode filled in `[from, before)` with its order's identity, in the order the
    /// fills were recorded.
    public func accountFills(mode: TradingMode, from: UTCTimestamp = UTCTimestamp(microseconds: .min),
                             before: UTCTimestamp = UTCTimestamp(microseconds: .max)) throws -> [AccountFill] {
        try database.query("""
            SELECT f.id, f.mode, f.order_id, f.broker_trade_id, f.quantity, f.price_paise, f.charges_paise, f.filled_at_us, f.learnt_step,
                o.client_order_id, o.strategy, o.symbol, o.exchange, o.side, o.product
            FROM fills f JOIN orders o ON o.id = f.order_id AND o.mode = f.mode
            WHERE f.mode = ? AND f.filled_at_us >= ? AND f.filled_at_us < ?
            ORDER BY f.filled_at_us, f.id
            """, [SQLValue(mode), SQLValue(from), SQLValue(before)]).map { row in
            AccountFill(
                fill: try FillRecord(row: row), clientOrderId: try row.string("client_order_id"),
                strategy: try row.string("strategy"), symbol: try row.string("symbol"), exchange: try row.string("exchange"),
                side: try row.enumValue("side"), product: try row.enumValue("product"))
        }
    }
}

extension EngineSessionRecord {
    init(row: SQLRow) throws {
        let dateText = try row.string("trading_date")
        guard let date = LocalDate(dateText) else {
            throw StoreError(.typeMismatch, message: "column 'trading_date' does not hold a YYYY-MM-DD date")
        }
        self.init(
            id: try row.int64("id"), mode: try row.enumValue("mode"), tradingDate: date, status: try row.enumValue("status"),
            source: try row.string("source"), dayStartCash: try row.paise("day_start_cash_paise"),
            deferredRows: try row.int64("deferred_rows"), lastBarAt: try row.optionalTimestamp("last_bar_at_us"),
            haltedReason: try row.optionalString("halted_reason"), recoveries: try row.int("recoveries"),
            startedAt: try row.timestamp("started_at_us"), updatedAt: try row.timestamp("updated_at_us"),
            completedAt: try row.optionalTimestamp("completed_at_us"), riskStateOpen: try row.optionalString("risk_state_open"),
            riskStateClose: try row.optionalString("risk_state_close"))
        lastStep = try row.optionalInt64("last_step")
    }
}

extension EngineControlRecord {
    init(row: SQLRow) throws {
        self.init(
            id: try row.int64("id"), mode: try row.enumValue("mode"), command: try row.enumValue("command"),
            requestedBy: try row.string("requested_by"), reason: try row.optionalString("reason"),
            requestedAt: try row.timestamp("requested_at_us"), handledAt: try row.optionalTimestamp("handled_at_us"),
            outcome: try row.optionalString("outcome"))
    }
}
