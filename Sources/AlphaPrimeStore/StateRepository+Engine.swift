import AlphaPrimeSupport
import AlphaPrimeDomain

// Risk events and the engine's persisted state (heartbeat, kill switch).

extension StateRepository {
    // MARK: Risk events

    static let riskEventColumns = "id, mode, occurred_at_us, rule, severity, action, strategy, symbol, message"

    @discardableResult
    public func recordRiskEvent(_ event: RiskEventRecord) throws -> RiskEventRecord {
        var stored = event
        stored.id = try insertReturningId("""
            INSERT INTO risk_events (mode, occurred_at_us, rule, severity, action, strategy, symbol, message)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, [
                SQLValue(event.mode), SQLValue(event.occurredAt), .text(event.rule), SQLValue(event.severity),
                .text(event.action), SQLValue(event.strategy), SQLValue(event.symbol), .text(event.message),
            ])
        return stored
    }

    /// Risk events in `[from, before)`, oldest first.
    public func riskEvents(mode: TradingMode, from: UTCTimestamp, before: UTCTimestamp) throws -> [RiskEventRecord] {
        try database.query("""
            SELECT \(Self.riskEventColumns) FROM risk_events WHERE mode = ? AND occurred_at_us >= ? AND occurred_at_us < ?
            ORDER BY occurred_at_us, id
            """, [SQLValue(mode), SQLValue(from), SQLValue(before)]).map(RiskEventRecord.init(row:))
    }

    // MARK: Engine state

    static let engineStateColumns = """
        mode, status, kill_switch, kill_switch_by, kill_switch_at_us, kill_switch_reason, heartbeat_at_us, pid, host, \
        updated_at_us
        """

    /// The engine's state for a mode, or nil when no engine has run in that mode and no kill switch was set.
    public func engineState(mode: TradingMode) throws -> EngineStateRecord? {
        try database.queryFirst("SELECT \(Self.engineStateColumns) FROM engine_state WHERE mode = ?", [SQLValue(mode)])
            .map(EngineStateRecord.init(row:))
    }

    /// Records that the engine is alive: its status, process id and host, at `time`. Leaves the kill
    /// switch as it is.
    public func recordHeartbeat(mode: TradingMode, status: String, pid: Int64?, host: String?, at time: UTCTimestamp) throws {
        try database.execute("""
            INSERT INTO engine_state (mode, status, kill_switch, heartbeat_at_us, pid, host, updated_at_us)
            VALUES (?, ?, 0, ?, ?, ?, ?)
            ON CONFLICT (mode) DO UPDATE SET status = excluded.status, heartbeat_at_us = excluded.heartbeat_at_us,
                pid = excluded.pid, host = excluded.host, updated_at_us = excluded.updated_at_us
            """, [SQLValue(mode), .text(status), SQLValue(time), SQLValue(pid), SQLValue(host), SQLValue(time)])
    }

    /// Sets the kill switch for a mode (it stays set across restarts) and records a critical risk
    /// event, in one transaction.
    public func setKillSwitch(mode: TradingMode, by who: String, reason: String, at time: UTCTimestamp) throws {
        try changeKillSwitch(mode: mode, on: true, by: who, reason: reason, at: time)
    }

    /// Clears the kill switch (only after an explicit, confirmed reset) and records it as a risk
    /// event, in one transaction. `killSwitchBy/At/Reason` then say who cleared it, when and why.
    public func clearKillSwitch(mode: TradingMode, by who: String, reason: String, at time: UTCTimestamp) throws {
        try changeKillSwitch(mode: mode, on: false, by: who, reason: reason, at: time)
    }

    private func changeKillSwitch(mode: TradingMode, on: Bool, by who: String, reason: String, at time: UTCTimestamp) throws {
        try database.transaction {
            try database.execute("""
                INSERT INTO engine_state (mode, status, kill_switch, kill_switch_by, kill_switch_at_us, kill_switch_reason, updated_at_us)
                VALUES (?, 'stopped', ?, ?, ?, ?, ?)
                ON CONFLICT (mode) DO UPDATE SET kill_switch = excluded.kill_switch, kill_switch_by = excluded.kill_switch_by,
                    kill_switch_at_us = excluded.kill_switch_at_us, kill_switch_reason = excluded.kill_switch_reason,
                    updated_at_us = excluded.updated_at_us
                """, [SQLValue(mode), SQLValue(on), .text(who), SQLValue(time), .text(reason), SQLValue(time)])
            try recordRiskEvent(RiskEventRecord(
                mode: mode, occurredAt: time, rule: "kill_switch", severity: on ? .critical : .warning,
                action: on ? "kill_switch_set" : "kill_switch_cleared", message: "\(on ? "set" : "cleared") by \(who): \(reason)"))
        }
    }
}

extension RiskEventRecord {
    init(row: SQLRow) throws {
        self.init(
            id: try row.int64("id"), mode: try row.enumValue("mode"), occurredAt: try row.timestamp("occurred_at_us"),
            rule: try row.string("rule"), severity: try row.enumValue("severity"), action: try row.string("action"),
            strategy: try row.optionalString("strategy"), symbol: try row.optionalString("symbol"),
            message: try row.string("message"))
    }
}

extension EngineStateRecord {
    init(row: SQLRow) throws {
        self.init(
            mode: try row.enumValue("mode"), status: try row.string("status"), killSwitch: try row.bool("kill_switch"),
            killSwitchBy: try row.optionalString("kill_switch_by"), killSwitchAt: try row.optionalTimestamp("kill_switch_at_us"),
            killSwitchReason: try row.optionalString("kill_switch_reason"), heartbeatAt: try row.optionalTimestamp("heartbeat_at_us"),
            pid: try row.optionalInt64("pid"), host: try row.optionalString("host"), updatedAt: try row.timestamp("updated_at_us"))
    }
}
