import AlphaPrimeSupport
import AlphaPrimeDomain

/// The state database's schema, as versioned migrations.
///
/// Conventions every table follows:
/// - every row has `mode` ('backtest' | 'paper' | 'live', checked), so paper and live never mix;
/// - money is integer paise in columns ending `_paise`;
/// - timestamps are integer microseconds since the Unix epoch, UTC, in columns ending `_at_us`
///   (in SQLite: `datetime(created_at_us / 1000000, 'unixepoch')` to read one);
/// - trading dates (IST calendar days) are `YYYY-MM-DD` text.
///
/// A migration's SQL is a template (see ``SQLDialect/render(_:)``); its checksum is the SHA-256 of the
/// template, the same for both backends. Never edit an applied migration: add a new one.
public enum StateSchema {
    public static let migrations: [Migration] = [
        Migration(version: 1, name: "initial state schema", sql: v1),
        Migration(version: 2, name: "engine sessions, control requests and marks", sql: v2Engine),
        Migration(version: 3, name: "risk state at a session's open and close", sql: v3EngineRiskState),
        Migration(version: 4, name: "paper account epochs", sql: v4AccountEpochs),
        Migration(version: 5, name: "archive batches and account checkpoints", sql: v5Archive),
        Migration(version: 6, name: "the instrument master", sql: v6Instruments),
        Migration(version: 7, name: "bars a live session built", sql: v7EngineBars),
        Migration(version: 8, name: "strategy lifecycle stages and evidence", sql: v8Lifecycle),
        Migration(version: 9, name: "the steps at which the engine learnt of fills and order ends", sql: v9LearntSteps),
    ]

    /// The tables the current schema must have (checked by `db-maintenance integrity-check`).
    public static let tables = [
        "schema_migrations", "orders", "fills", "trades", "portfolio_history", "strategy_performance",
        "risk_events", "engine_state",
    ] + engineTables + ["account_epochs", "archive_batches", "account_checkpoints", "instruments", "engine_bars",
                                        "strategy_stages", "strategy_evidence"]

    static let v1 = """
        CREATE TABLE orders (
            id {{id}},
            mode TEXT NOT NULL CHECK (mode IN ('backtest', 'paper', 'live')),
            client_order_id TEXT NOT NULL CHECK (length(client_order_id) BETWEEN 1 AND 20),
            broker_order_id TEXT,
            strategy TEXT NOT NULL,
            symbol TEXT NOT NULL,
            exchange TEXT NOT NULL,
            side TEXT NOT NULL CHECK (side IN ('BUY', 'SELL')),
            order_type TEXT NOT NULL CHECK (order_type IN ('MARKET', 'LIMIT', 'SL', 'SL-M')),
            product TEXT NOT NULL CHECK (product IN ('MIS', 'CNC', 'NRML')),
            quantity {{int}} NOT NULL CHECK (quantity > 0),
            limit_price_paise {{int}},
            trigger_price_paise {{int}},
            status TEXT NOT NULL CHECK (status IN ('CREATED', 'SUBMITTED', 'OPEN', 'PARTIALLY_FILLED', 'FILLED', 'CANCELLED', 'REJECTED')),
            filled_quantity {{int}} NOT NULL DEFAULT 0 CHECK (filled_quantity >= 0 AND filled_quantity <= quantity),
            average_price_paise {{int}},
            status_reason TEXT,
            created_at_us {{int}} NOT NULL,
            updated_at_us {{int}} NOT NULL,
            CONSTRAINT orders_client_order_id_unique UNIQUE (mode, client_order_id),
            CONSTRAINT orders_id_mode_unique UNIQUE (id, mode)
        ){{strict}};
        CREATE INDEX orders_mode_created_idx ON orders (mode, created_at_us);
        CREATE INDEX orders_mode_status_idx ON orders (mode, status);
        CREATE INDEX orders_symbol_idx ON orders (symbol, created_at_us);
        CREATE INDEX orders_broker_order_idx ON orders (broker_order_id);

        CREATE TABLE fills (
            id {{id}},
            mode TEXT NOT NULL CHECK (mode IN ('backtest', 'paper', 'live')),
            order_id {{int}} NOT NULL,
            broker_trade_id TEXT,
            quantity {{int}} NOT NULL CHECK (quantity > 0),
            price_paise {{int}} NOT NULL CHECK (price_paise > 0),
            charges_paise {{int}} NOT NULL DEFAULT 0,
            filled_at_us {{int}} NOT NULL,
            CONSTRAINT fills_order_fk FOREIGN KEY (order_id, mode) REFERENCES orders (id, mode),
            CONSTRAINT fills_broker_trade_unique UNIQUE (order_id, broker_trade_id)
        ){{strict}};
        CREATE INDEX fills_order_idx ON fills (order_id);
        CREATE INDEX fills_mode_filled_idx ON fills (mode, filled_at_us);

        CREATE TABLE trades (
            id {{id}},
            mode TEXT NOT NULL CHECK (mode IN ('backtest', 'paper', 'live')),
            strategy TEXT NOT NULL,
            symbol TEXT NOT NULL,
            exchange TEXT NOT NULL,
            side TEXT NOT NULL CHECK (side IN ('BUY', 'SELL')),
            quantity {{int}} NOT NULL CHECK (quantity > 0),
            entry_price_paise {{int}} NOT NULL,
            exit_price_paise {{int}} NOT NULL,
            entry_at_us {{int}} NOT NULL,
            exit_at_us {{int}} NOT NULL,
            gross_pnl_paise {{int}} NOT NULL,
            charges_paise {{int}} NOT NULL,
            net_pnl_paise {{int}} NOT NULL,
            entry_order_id {{int}},
            exit_order_id {{int}},
            exit_reason TEXT,
            CONSTRAINT trades_net_pnl_check CHECK (net_pnl_paise = gross_pnl_paise - charges_paise),
            CONSTRAINT trades_entry_order_fk FOREIGN KEY (entry_order_id, mode) REFERENCES orders (id, mode),
            CONSTRAINT trades_exit_order_fk FOREIGN KEY (exit_order_id, mode) REFERENCES orders (id, mode)
        ){{strict}};
        CREATE INDEX trades_mode_exit_idx ON trades (mode, exit_at_us);
        CREATE INDEX trades_symbol_idx ON trades (symbol, exit_at_us);
        CREATE INDEX trades_strategy_idx ON trades (mode, strategy, exit_at_us);

        CREATE TABLE portfolio_history (
            id {{id}},
            mode TEXT NOT NULL CHECK (mode IN ('backtest', 'paper', 'live')),
            recorded_at_us {{int}} NOT NULL,
            cash_paise {{int}} NOT NULL,
            positions_value_paise {{int}} NOT NULL,
            equity_paise {{int}} NOT NULL,
            realized_pnl_paise {{int}} NOT NULL,
            unrealized_pnl_paise {{int}} NOT NULL,
            open_positions {{int}} NOT NULL CHECK (open_positions >= 0)
        ){{strict}};
        CREATE INDEX portfolio_history_mode_recorded_idx ON portfolio_history (mode, recorded_at_us);

        CREATE TABLE strategy_performance (
            id {{id}},
            mode TEXT NOT NULL CHECK (mode IN ('backtest', 'paper', 'live')),
            strategy TEXT NOT NULL,
            trading_date TEXT NOT NULL CHECK (length(trading_date) = 10),
            trades {{int}} NOT NULL CHECK (trades >= 0),
            wins {{int}} NOT NULL CHECK (wins >= 0),
            losses {{int}} NOT NULL CHECK (losses >= 0),
            gross_pnl_paise {{int}} NOT NULL,
            charges_paise {{int}} NOT NULL,
            net_pnl_paise {{int}} NOT NULL,
            max_drawdown_paise {{int}} NOT NULL,
            updated_at_us {{int}} NOT NULL,
            CONSTRAINT strategy_performance_day_unique UNIQUE (mode, strategy, trading_date)
        ){{strict}};
        CREATE INDEX strategy_performance_date_idx ON strategy_performance (mode, trading_date);

        CREATE TABLE risk_events (
            id {{id}},
            mode TEXT NOT NULL CHECK (mode IN ('backtest', 'paper', 'live')),
            occurred_at_us {{int}} NOT NULL,
            rule TEXT NOT NULL,
            severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
            action TEXT NOT NULL,
            strategy TEXT,
            symbol TEXT,
            message TEXT NOT NULL
        ){{strict}};
        CREATE INDEX risk_events_mode_occurred_idx ON risk_events (mode, occurred_at_us);

        CREATE TABLE engine_state (
            mode TEXT PRIMARY KEY CHECK (mode IN ('backtest', 'paper', 'live')),
            status TEXT NOT NULL,
            kill_switch {{int}} NOT NULL DEFAULT 0 CHECK (kill_switch IN (0, 1)),
            kill_switch_by TEXT,
            kill_switch_at_us {{int}},
            kill_switch_reason TEXT,
            heartbeat_at_us {{int}},
            pid {{int}},
            host TEXT,
            updated_at_us {{int}} NOT NULL
        ){{strict}};
        """
}
