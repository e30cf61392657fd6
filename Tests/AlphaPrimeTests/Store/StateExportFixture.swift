import Foundation
import Testing
@testable import AlphaPrimeSupport
@testable import AlphaPrimeDomain
@testable import AlphaPrimeStore

/// Representative rows in every state table, with text that strains the export format (tabs, line
/// breaks, backslashes, quotes, non-ASCII, empty text beside NULL) and integers at the ends of Int64.
enum ExportFixture {
    static let awkward = [
        "tab\there", "line\nfeed\r\ncrlf", "back\\slash \\N \\t \\\\", "\"quoted\" 'single' `tick`",
        "unicode ₹ नमस्ते 🚀 é ä", "", "\\N", "\u{1}\u{7f}\u{1b}[0m controls", "trailing space ", "\"",
    ]
    static let modes = ["paper", "live", "backtest"]
    static let t0: Int64 = 1_769_400_000_000_000

    /// Inserts one row; returns its id when the table has one.
    @discardableResult
    static func insert(_ database: any SQLDatabase, _ table: String, _ row: KeyValuePairs<String, SQLValue>,
                       returningId: Bool = true) throws -> Int64? {
        let sql = "INSERT INTO \(table) (\(row.map(\.key).joined(separator: ", "))) VALUES ("
            + Array(repeating: "?", count: row.count).joined(separator: ", ") + ")"
        guard returningId else {
            try database.execute(sql, row.map(\.value))
            return nil
        }
        return try database.queryFirst(sql + " RETURNING id", row.map(\.value))?.int64("id")
    }

    /// Fills every state table of a migrated database.
    static func fill(_ database: any SQLDatabase) throws {
        try database.transaction {
            var orders: [(id: Int64, mode: String)] = []
            for (i, text) in awkward.enumerated() {
                let mode = modes[i % 3], n = Int64(i)
                let id = try insert(database, "orders", [
                    "mode": .text(mode), "client_order_id": .text("AP\(i)"), "broker_order_id": i % 2 == 0 ? .null : .text(text),
                    "strategy": .text(text), "symbol": .text("SYM\(i) \(text)"), "exchange": "NSE",
                    "side": i % 2 == 0 ? "BUY" : "SELL", "order_type": "LIMIT", "product": "MIS",
                    "quantity": .integer(i == 0 ? .max : 10 + n), "limit_price_paise": i == 1 ? .integer(.max) : .null,
                    "trigger_price_paise": .integer(.min + n), "status": "OPEN", "filled_quantity": 0,
                    "average_price_paise": .integer(-n), "status_reason": i == 3 ? .null : .text(text),
                    "created_at_us": .integer(t0 + n), "updated_at_us": .integer(.max - n),
                ])!
                orders.append((id, mode))
                _ = try insert(database, "fills", [
                    "mode": .text(mode), "order_id": .integer(id), "broker_trade_id": i % 3 == 0 ? .null : .text(text),
                    "quantity": 1, "price_paise": .integer(.max), "charges_paise": .integer(.min), "filled_at_us": .integer(t0 - n),
                ])
            }
            // Gaps in the ids: a deleted order in the middle and at the end.
            for suffix in ["X1", "X2"] {
                let gap = try insert(database, "orders", [
                    "mode": "paper", "client_order_id": .text(suffix), "strategy": "s", "symbol": "S", "exchange": "NSE",
                    "side": "BUY", "order_type": "MARKET", "product": "CNC", "quantity": 1, "status": "CREATED",
                    "created_at_us": .integer(t0), "updated_at_us": .integer(t0),
                ])!
                try database.execute("DELETE FROM orders WHERE id = ?", [.integer(gap)])
                if suffix == "X1" { try fillRest(database, orders: orders) }
            }
        }
    }

    private static func fillRest(_ database: any SQLDatabase, orders: [(id: Int64, mode: String)]) throws {
        for (i, text) in awkward.enumerated() {
            let mode = modes[i % 3], n = Int64(i)
            let entry = orders.first { $0.mode == mode }!.id
            _ = try insert(database, "trades", [
                "mode": .text(mode), "strategy": .text(text), "symbol": .text(text), "exchange": "NFO",
                "side": i % 2 == 0 ? "BUY" : "SELL", "quantity": .integer(.max - n), "entry_price_paise": .integer(.min),
                "exit_price_paise": .integer(.max), "entry_at_us": .integer(t0), "exit_at_us": .integer(t0 + 1),
                "gross_pnl_paise": 9_000_000_000_000_000_000, "charges_paise": -200_000_000_000_000_000,
                "net_pnl_paise": 9_200_000_000_000_000_000, "entry_order_id": .integer(entry),
                "exit_order_id": i % 2 == 0 ? .null : .integer(entry), "exit_reason": .text(text),
            ])
            _ = try insert(database, "portfolio_history", [
                "mode": .text(mode), "recorded_at_us": .integer(t0 + n), "cash_paise": .integer(.min + 1),
                "positions_value_paise": .integer(.max), "equity_paise": 0, "realized_pnl_paise": .integer(-1),
                "unrealized_pnl_paise": .integer(n), "open_positions": .integer(n),
            ])
            _ = try insert(database, "strategy_performance", [
                "mode": .text(mode), "strategy": .text("strategy \(i) \(text)"), "trading_date": "2026-01-26", "trades": .integer(n),
                "wins": 0, "losses": .integer(n), "gross_pnl_paise": .integer(.min), "charges_paise": 1,
                "net_pnl_paise": .integer(.max), "max_drawdown_paise": .integer(-n), "updated_at_us": .integer(t0),
            ])
            _ = try insert(database, "risk_events", [
                "mode": .text(mode), "occurred_at_us": .integer(t0 + n), "rule": .text("rule \(text)"),
                "severity": i % 2 == 0 ? "critical" : "info", "action": .text(text), "strategy": i % 2 == 0 ? .null : "",
                "symbol": .text(text), "message": .text(text),
            ])
            _ = try insert(database, "engine_control", [
                "mode": .text(mode), "command": i % 2 == 0 ? "stop" : "emergency_stop", "requested_by": .text(text),
                "reason": i % 3 == 0 ? .null : .text(text), "requested_at_us": .integer(t0),
                "handled_at_us": i % 2 == 0 ? .null : .integer(.max), "outcome": .text(text),
            ])
            _ = try insert(database, "engine_sessions", [
                "mode": .text(mode), "trading_date": .text("2026-01-\(10 + i)"), "status": "completed", "source": .text(text),
                "day_start_cash_paise": .integer(.max), "deferred_rows": .integer(n), "last_bar_at_us": i == 0 ? .null : .integer(t0),
                "halted_reason": .text(text), "recoveries": 0, "started_at_us": .integer(t0), "updated_at_us": .integer(t0),
                "completed_at_us": .null, "risk_state_open": .text(riskState(text)), "risk_state_close": i % 2 == 0 ? .null : "",
            ])
        }
        for (i, mode) in modes.enumerated() {
            try insert(database, "engine_state", [
                "mode": .text(mode), "status": .text(awkward[i]), "kill_switch": .integer(Int64(i % 2)),
                "kill_switch_by": i == 0 ? .null : .text(awkward[i + 3]), "kill_switch_at_us": .integer(.min),
                "kill_switch_reason": .text(awkward[i + 1]), "heartbeat_at_us": .integer(t0), "pid": 4_194_304, "host": "",
                "updated_at_us": .integer(t0),
            ], returningId: false)
            // Symbols whose order differs between byte order and a linguistic collation.
            for symbol in ["b", "B", "a", "é", "Z", "a b", "ä", "_x", "\u{1F680}"] {
                try insert(database, "engine_marks", [
                    "mode": .text(mode), "symbol": .text(symbol), "price_paise": .integer(.max), "marked_at_us": .integer(t0),
                ], returningId: false)
            }
            let batch = try insert(database, "archive_batches", [
                "month": .text("2021-0\(i + 1)"), "file": .text("alpha-prime-archive-\(awkward[i])-\(i)"), "rows": .integer(.max),
                "tables": .text(awkward[i + 1]), "cutoff_at_us": .integer(.min), "archived_at_us": .integer(t0),
                "restored_at_us": i == 0 ? .null : .integer(t0),
            ])
            try insert(database, "account_checkpoints", [
                "mode": .text(mode), "epoch": .integer(Int64(i + 1)), "as_of_us": .integer(t0), "cash_paise": .integer(.min),
                "batch_id": .integer(batch ?? 0), "created_at_us": .integer(t0),
            ])
            try insert(database, "account_epochs", [
                "mode": .text(mode), "epoch": .integer(Int64(i + 2)), "starting_capital_paise": .integer(.max),
                "first_fill_id": 1, "first_session_id": 1, "first_trade_id": .integer(Int64(i + 1)), "previous_cash_paise": .integer(.min),
                "reset_by": .text(awkward[i]), "reason": .text(awkward[i + 2]), "backup_file": i == 0 ? .null : "",
                "reset_at_us": .integer(t0),
            ])
        }
        // The instrument master: text keys of every kind, NULL prices finer than a paisa, the largest token.
        for (i, symbol) in ["NIFTY 50", "NIFTY26JANFUT", "é-SYM", "a b", "\u{1F680}"].enumerated() {
            try insert(database, "instruments", [
                "instrument_token": .integer(i == 4 ? .max : Int64(256_265 + i)), "exchange_token": .integer(Int64(i)),
                "tradingsymbol": .text(symbol), "name": .text(awkward[i]), "expiry": i % 2 == 0 ? .null : "2026-01-27",
                "strike_paise": i == 2 ? .null : .integer(2_400_000), "tick_size_paise": i == 3 ? .null : 5,
                "lot_size": .integer(Int64(i * 25)), "instrument_type": "FUT", "segment": .text(awkward[i + 1]),
                "exchange": .text(i % 2 == 0 ? "NSE" : "NFO"), "downloaded_on": "2026-01-12",
            ], returningId: false)
        }
        // Bars a live session built: awkward symbols, the extreme prices and volumes.
        for (i, mode) in ["paper", "live"].enumerated() {
            try insert(database, "engine_bars", [
                "mode": .text(mode), "symbol": .text(awkward[i]), "bar_at_us": .integer(t0 + Int64(i) * 60_000_000),
                "open_paise": 1, "high_paise": .integer(.max), "low_paise": 1, "close_paise": .integer(.max),
                "volume": .integer(i == 0 ? 0 : .max),
            ], returningId: false)
        }
        // The lifecycle: awkward names, reasons and evidence JSON with escapes of its own.
        for (i, stage) in ["paper", "live-10"].enumerated() {
            try insert(database, "strategy_stages", [
                "strategy": .text(awkward[i]), "parameters_hash": "0123456789abcdef", "stage": .text(stage),
                "previous_stage": i == 0 ? "research" : "paper", "changed_at_us": .integer(t0 + Int64(i)),
                "actor": i == 0 ? "trader" : "engine", "reason": .text(awkward[i + 1]), "evidence": .text(riskState(awkward[i])),
            ])
            try insert(database, "strategy_evidence", [
                "strategy": .text(awkward[i]), "parameters_hash": "fedcba9876543210", "recorded_at_us": .integer(t0 - Int64(i)),
                "run_id": "20260112-101500_momentum_evaluate", "period_start": "2021-02-15", "period_end": "2021-02-26",
                "evidence": .text(riskState(awkward[i + 1])),
            ])
        }
    }

    /// A risk state as the engine stores it: pretty-printed JSON holding escapes of its own.
    static func riskState(_ note: String) -> String {
        let escaped = note.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\t", with: "\\t")
        return "{\n  \"peak_paise\" : 9223372036854775807,\n  \"note\" : \"\(escaped)\",\n  \"halted\" : null\n}"
    }
}

/// A temporary directory for one test, removed afterwards.
func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
    let url = FileManager.default.temporaryDirectory.appending(path: "alpha-prime-export-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try body(url)
}

/// Runs `body` and returns the ``StateExportError`` it throws (recording an issue otherwise).
func stateExportError(sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) -> StateExportError? {
    do {
        try body()
        Issue.record("expected a StateExportError, nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as StateExportError {
        return error
    } catch {
        Issue.record("expected a StateExportError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

extension TestBackend {
    var backend: DatabaseBackend { self == .sqlite ? .sqlite : .postgresql }
}

/// A fresh database like ``TestDatabases/withFresh(_:_:)``, given as a way to open connections to
/// it, so a test can have a second connection writing while the first reads.
func withFreshDatabase<T>(_ backend: TestBackend, _ body: (@escaping @Sendable () throws -> any SQLDatabase) throws -> T) throws -> T {
    switch backend {
    case .sqlite:
        let directory = FileManager.default.temporaryDirectory.appending(path: "alpha-prime-store-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appending(path: "state.db").path
        return try body { try SQLiteConnection(path: path) }
    case .postgresql:
        let url = try TestDatabases.requirePostgresURL()
        let schema = try TestDatabases.createSchema(url)
        defer { TestDatabases.dropSchema(schema, url) }
        let scoped = TestDatabases.scopedURL(url, searchPath: schema)
        return try body { try PostgresConnection(url: scoped) }
    }
}
