import AlphaPrimeSupport
import AlphaPrimeDomain

extension StateSchema {
    /// The tables migration 2 adds for the trading engine.
    public static let engineTables = ["engine_sessions", "engine_control", "engine_marks"]

    /// Migration 2: what the engine keeps beyond the v1 tables.
    ///
    /// - `engine_sessions`: one row per mode and trading day the engine ran: the paper account's cash at
    ///   the open (so a restart rebuilds the same day), how far the last run got (the number of
    ///   snapshot/risk-event rows it committed and the market time of the bar it was on), whether
    ///   entries were halted and why, and how often the session was recovered after a crash.
    /// - `engine_control`: requests from other processes (`engine stop`, `engine emergency-stop`) that
    ///   the running loop polls, with when and how each was handled.
    /// - `engine_marks`: the last price the engine saw per symbol, so `engine emergency-stop` can close
    ///   the paper account at the last known price when the engine is hung or gone.
    static let v2Engine = """
        CREATE TABLE engine_sessions (
            id {{id}},
            mode TEXT NOT NULL CHECK (mode IN ('backtest', 'paper', 'live')),
            trading_date TEXT NOT NULL CHECK (length(trading_date) = 10),
            status TEXT NOT NULL CHECK (status IN ('running', 'stopped', 'completed')),
            source TEXT NOT NULL,
            day_start_cash_paise {{int}} NOT NULL,
            deferred_rows {{int}} NOT NULL DEFAULT 0 CHECK (deferred_rows >= 0),
            last_bar_at_us {{int}},
            halted_reason TEXT,
            recoveries {{int}} NOT NULL DEFAULT 0 CHECK (recoveries >= 0),
            started_at_us {{int}} NOT NULL,
            updated_at_us {{int}} NOT NULL,
            completed_at_us {{int}},
            CONSTRAINT engine_sessions_day_unique UNIQUE (mode, trading_date)
        ){{strict}};

        CREATE TABLE engine_control (
            id {{id}},
            mode TEXT NOT NULL CHECK (mode IN ('backtest', 'paper', 'live')),
            command TEXT NOT NULL CHECK (command IN ('stop', 'stop_flatten', 'emergency_stop')),
            requested_by TEXT NOT NULL,
            reason TEXT,
            requested_at_us {{int}} NOT NULL,
            handled_at_us {{int}},
            outcome TEXT
        ){{strict}};
        CREATE INDEX engine_control_pending_idx ON engine_control (mode, handled_at_us);

        CREATE TABLE engine_marks (
            mode TEXT NOT NULL CHECK (mode IN ('backtest', 'paper', 'live')),
            symbol TEXT NOT NULL,
            price_paise {{int}} NOT NULL CHECK (price_paise > 0),
            marked_at_us {{int}} NOT NULL,
            PRIMARY KEY (mode, symbol)
        ){{strict}};
        """

    /// Migration 3: the risk stage's state (JSON of `RiskState`) at a session's open and at its close
    /// or stop, so the next session carries the peak, the recent trades and any run halt forward, and
    /// a restart rebuilds the day from the same state.
    static let v3EngineRiskState = """
        ALTER TABLE engine_sessions ADD COLUMN risk_state_open TEXT;
        ALTER TABLE engine_sessions ADD COLUMN risk_state_close TEXT;
        """
}

extension StateSchema {
    /// Migration 4: account epochs. `reset-portfolio` closes a paper account's history into a new
    /// epoch with fresh starting capital. An epoch starts after the rows that existed when it was
    /// opened — by row id, not by time, because replayed sessions carry market times of any year:
    /// fills with `id >= first_fill_id` and sessions with `id >= first_session_id` belong to it.
    /// Epoch 1 is implicit (no row): everything before the first reset, on the configured capital.
    static let v4AccountEpochs = """
        CREATE TABLE account_epochs (
            id {{id}},
            mode TEXT NOT NULL CHECK (mode IN ('backtest', 'paper', 'live')),
            epoch {{int}} NOT NULL CHECK (epoch >= 2),
            starting_capital_paise {{int}} NOT NULL CHECK (starting_capital_paise > 0),
            first_fill_id {{int}} NOT NULL CHECK (first_fill_id >= 1),
            first_session_id {{int}} NOT NULL CHECK (first_session_id >= 1),
            first_trade_id {{int}} NOT NULL CHECK (first_trade_id >= 1),
            previous_cash_paise {{int}} NOT NULL,
            reset_by TEXT NOT NULL,
            reason TEXT NOT NULL,
            backup_file TEXT,
            reset_at_us {{int}} NOT NULL,
            CONSTRAINT account_epochs_unique UNIQUE (mode, epoch)
        ){{strict}};
        """
}

extension StateSchema {
    /// Migration 5: what `archive run` moved out of the hot tables, and the accounts' cash at the
    /// end of each archived month.
    ///
    /// - `archive_batches`: one row per archive file, written in the same transaction that deletes
    ///   its rows, so a file without a row here is the leftover of an interrupted run. `tables` is the
    ///   JSON of the rows' per-table digests.
    /// - `account_checkpoints`: a mode's cash as of the end of an archived month (its positions flat
    ///   then), so the account is rebuilt from the checkpoint and the fills after it once the fills
    ///   before it are archived.
    static let v5Archive = """
        CREATE TABLE archive_batches (
            id {{id}},
            month TEXT NOT NULL CHECK (length(month) = 7),
            file TEXT NOT NULL,
            rows {{int}} NOT NULL CHECK (rows >= 0),
            tables TEXT NOT NULL,
            cutoff_at_us {{int}} NOT NULL,
            archived_at_us {{int}} NOT NULL,
            restored_at_us {{int}},
            CONSTRAINT archive_batches_file_unique UNIQUE (file)
        ){{strict}};

        CREATE TABLE account_checkpoints (
            id {{id}},
            mode TEXT NOT NULL CHECK (mode IN ('backtest', 'paper', 'live')),
            epoch {{int}} NOT NULL CHECK (epoch >= 1),
            as_of_us {{int}} NOT NULL,
            cash_paise {{int}} NOT NULL,
            batch_id {{int}} NOT NULL,
            created_at_us {{int}} NOT NULL,
            CONSTRAINT account_checkpoints_batch_fk FOREIGN KEY (batch_id) REFERENCES archive_batches (id)
        ){{strict}};
        CREATE INDEX account_checkpoints_mode_idx ON account_checkpoints (mode, epoch, as_of_us);
        """
}

extension StateSchema {
    /// Migration 9: when the engine learnt of what the broker did. A session takes the broker's
    /// events and reads its book at numbered steps (`EngineJournal`); `fills.learnt_step` is the
    /// step at which an execution was counted, `orders.learnt_step` the step at which the
    /// order's latest status came from the broker, and `engine_sessions.last_step` the step the
    /// engine had reached at its last commit (where a restart hands over to the broker). A restart replays each recorded event at its
    /// step, so an event that reached the earlier run late is not seen earlier by the replay. NULL
    /// for rows from older builds and rows not written by an engine session.
    static let v9LearntSteps = """
        ALTER TABLE fills ADD COLUMN learnt_step {{int}} CHECK (learnt_step >= 0);
        ALTER TABLE orders ADD COLUMN learnt_step {{int}} CHECK (learnt_step >= 0);
        ALTER TABLE engine_sessions ADD COLUMN last_step {{int}} CHECK (last_step >= 0);
        """
}
