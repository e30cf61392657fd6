// What the trading engine reads and writes beyond the v1 repository: its sessions, requests from
// other processes, the last prices it saw, and the account's fills joined with their orders.

/// One trading day the engine ran in one mode (migration 2, `engine_sessions`).
public struct EngineSessionRecord: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case running, stopped, completed
    }

    public var id: Int64?
    public var mode: TradingMode
    public var tradingDate: LocalDate
    public var status: Status
    /// Where the bars came from (`replay 2021-02-22`, a file path).
    public var source: String
    /// The account's cash when the session opened (the account is flat between sessions).
    public var dayStartCash: Paise
    /// How many snapshot and risk-event rows the engine committed for this session: a restart
    /// re-creates the same rows in the same order and skips this many.
    public var deferredRows: Int64
    /// Market time of the bar the engine was on at its last commit.
    public var lastBarAt: UTCTimestamp?
    /// Why new entries are refused (square-off, stop, a breaker), nil while they are allowed.
    public var haltedReason: String?
    /// How many times the session was resumed after the engine stopped or crashed.
    public var recoveries: Int
    public var startedAt: UTCTimestamp
    public var updatedAt: UTCTimestamp
    public var completedAt: UTCTimestamp?
    /// The risk stage's state (JSON) the session started from, and the one it closed or stopped with.
    public var riskStateOpen: String?
    public var riskStateClose: String?

    public init(id: Int64? = nil, mode: TradingMode, tradingDate: LocalDate, status: Status = .running, source: String,
                dayStartCash: Paise, deferredRows: Int64 = 0, lastBarAt: UTCTimestamp? = nil, haltedReason: String? = nil,
                recoveries: Int = 0, startedAt: UTCTimestamp, updatedAt: UTCTimestamp? = nil, completedAt: UTCTimestamp? = nil,
                riskStateOpen: String? = nil, riskStateClose: String? = nil) {
        self.id = id
        self.mode = mode
        self.tradingDate = tradingDate
        self.status = status
        self.source = source
        self.dayStartCash = dayStartCash
        self.deferredRows = deferredRows
        self.lastBarAt = lastBarAt
        self.haltedReason = haltedReason
        self.recoveries = recoveries
        self.startedAt = startedAt
        self.updatedAt = updatedAt ?? startedAt
        self.completedAt = completedAt
        self.riskStateOpen = riskStateOpen
        self.riskStateClose = riskStateClose
    }
}

/// What another process asks the running engine to do.
public enum EngineControlCommand: String, Sendable, Codable, CaseIterable {
    /// No new entries; exit cleanly, leaving positions and their protective orders in place.
    case stop
    /// No new entries; close every position, then exit.
    case stopFlatten = "stop_flatten"
    /// Cancel every order, close every position, keep the kill switch set, exit.
    case emergencyStop = "emergency_stop"
}

/// A request in `engine_control`.
public struct EngineControlRecord: Sendable, Equatable, Codable {
    public var id: Int64?
    public var mode: TradingMode
    public var command: EngineControlCommand
    public var requestedBy: String
    public var reason: String?
    public var requestedAt: UTCTimestamp
    public var handledAt: UTCTimestamp?
    public var outcome: String?

    public init(id: Int64? = nil, mode: TradingMode, command: EngineControlCommand, requestedBy: String, reason: String? = nil,
                requestedAt: UTCTimestamp, handledAt: UTCTimestamp? = nil, outcome: String? = nil) {
        self.id = id
        self.mode = mode
        self.command = command
        self.requestedBy = requestedBy
        self.reason = reason
        self.requestedAt = requestedAt
        self.handledAt = handledAt
        self.outcome = outcome
    }
}

/// The last price the engine saw for a symbol.
public struct MarkRecord: Sendable, Equatable, Codable {
    public var mode: TradingMode
    public var symbol: String
    public var price: Paise
    public var markedAt: UTCTimestamp

    public init(mode: TradingMode, symbol: String, price: Paise, markedAt: UTCTimestamp) {
        self.mode = mode
        self.symbol = symbol
        self.price = price
        self.markedAt = markedAt
    }
}

/// A fill with the order it belongs to: what an account is rebuilt from.
public struct AccountFill: Sendable, Equatable {
    public var fill: FillRecord
    public var clientOrderId: String
    public var strategy: String
    public var symbol: String
    public var exchange: String
    public var side: Side
    public var product: ProductType
}

extension StateRepository {
    // MARK: Engine sessions

    static let engineSessionColumns = """
        id, mode, trading_date, status, source, day_start_cash_paise, deferred_rows, last_bar_at_us, halted_reason, \
        recoveries, started_at_us, updated_at_us, completed_at_us, risk_state_open, risk_state_close
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
    public func recordEngineProgress(sessionId: Int64, deferredRows: Int64, lastBarAt: UTCTimestamp?, haltedReason: String?,
                                     at time: UTCTimestamp) throws {
        try database.execute("""
            UPDATE engine_sessions SET deferred_rows = ?, last_bar_at_us = ?, halted_reason = ?, updated_at_us = ? WHERE id = ?
            """, [.integer(deferredRows), SQLValue(lastBarAt), SQLValue(haltedReason), SQLValue(time), .integer(sessionId)])
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

    // MARK: Orders and fills of an account

    /// Sets an order's status by its id (and its reason / broker order id when given).
    public func updateOrderStatus(id: Int64, status: OrderStatus, reason: String? = nil, brokerOrderId: String? = nil,
                                  at time: UTCTimestamp) throws {
        try database.execute("""
            UPDATE orders SET status = ?, status_reason = COALESCE(?, status_reason),
                broker_order_id = COALESCE(?, broker_order_id), updated_at_us = ? WHERE id = ?
            """, [SQLValue(status), SQLValue(reason), SQLValue(brokerOrderId), SQLValue(time), .integer(id)])
    }

    /// Every fill of a mode filled in `[from, before)` with its order's identity, in the order the
    /// fills were recorded.
    public func accountFills(mode: TradingMode, from: UTCTimestamp = UTCTimestamp(microseconds: .min),
                             before: UTCTimestamp = UTCTimestamp(microseconds: .max)) throws -> [AccountFill] {
        try database.query("""
            SELECT f.id, f.mode, f.order_id, f.broker_trade_id, f.quantity, f.price_paise, f.charges_paise, f.filled_at_us,
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
