import AlphaPrimeSupport
import AlphaPrimeDomain

extension StateSchema {
    /// Migration 8: the strategy lifecycle. `strategy_stages` is append-only: a strategy's stage is
    /// its newest row for its name and parameter hash (none: `research`); `strategy_evidence` holds
    /// what `strategy evaluate` measured for a parameter set. Neither has a mode: a stage is the
    /// strategy's, across paper and live.
    static let v8Lifecycle = """
        CREATE TABLE strategy_stages (
            id {{id}},
            strategy TEXT NOT NULL CHECK (length(strategy) >= 1),
            parameters_hash TEXT NOT NULL CHECK (length(parameters_hash) = 16),
            stage TEXT NOT NULL CHECK (stage IN ('research', 'paper', 'live-10', 'live-25', 'live-50', 'live-100', 'retired')),
            previous_stage TEXT NOT NULL CHECK (previous_stage IN ('research', 'paper', 'live-10', 'live-25', 'live-50', 'live-100', 'retired')),
            changed_at_us {{int}} NOT NULL,
            actor TEXT NOT NULL CHECK (actor IN ('trader', 'engine')),
            reason TEXT NOT NULL CHECK (length(reason) >= 1),
            evidence TEXT NOT NULL
        ){{strict}};
        CREATE INDEX strategy_stages_identity_idx ON strategy_stages (strategy, parameters_hash, changed_at_us);

        CREATE TABLE strategy_evidence (
            id {{id}},
            strategy TEXT NOT NULL CHECK (length(strategy) >= 1),
            parameters_hash TEXT NOT NULL CHECK (length(parameters_hash) = 16),
            recorded_at_us {{int}} NOT NULL,
            run_id TEXT NOT NULL,
            period_start TEXT NOT NULL CHECK (length(period_start) = 10),
            period_end TEXT NOT NULL CHECK (length(period_end) = 10),
            evidence TEXT NOT NULL
        ){{strict}};
        CREATE INDEX strategy_evidence_identity_idx ON strategy_evidence (strategy, parameters_hash, recorded_at_us);
        """
}
