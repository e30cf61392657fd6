import AlphaPrimeSupport
import AlphaPrimeDomain

/// The strategy lifecycle (migration 8): stage changes, appended, and research evidence.
extension StateRepository {
    static let stageColumns = "strategy, parameters_hash, stage, previous_stage, changed_at_us, actor, reason, evidence"

    public func recordStageChange(_ change: StrategyStageChange) throws {
        try database.execute("INSERT INTO strategy_stages (\(Self.stageColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [
            .text(change.identity.name), .text(change.identity.parametersHash), .text(change.stage.rawValue),
            .text(change.previousStage.rawValue), SQLValue(change.changedAt), .text(change.actor), .text(change.reason),
            .text(change.evidence),
        ])
    }

    /// The stage changes of a parameter set, oldest first.
    public func stageHistory(_ identity: StrategyIdentity) throws -> [StrategyStageChange] {
        try database.query("""
            SELECT \(Self.stageColumns) FROM strategy_stages WHERE strategy = ? AND parameters_hash = ?
            ORDER BY changed_at_us, id
            """, [.text(identity.name), .text(identity.parametersHash)]).map(StrategyStageChange.init(row:))
    }

    /// The newest stage change of a parameter set; nil when it was never moved (it is in research).
    public func currentStage(_ identity: StrategyIdentity) throws -> StrategyStageChange? {
        try database.queryFirst("""
            SELECT \(Self.stageColumns) FROM strategy_stages WHERE strategy = ? AND parameters_hash = ?
            ORDER BY changed_at_us DESC, id DESC LIMIT 1
            """, [.text(identity.name), .text(identity.parametersHash)]).map(StrategyStageChange.init(row:))
    }

    /// The newest stage change of any other parameter set of this name (a strategy whose parameters
    /// changed: what it had reached before).
    public func otherParameterSets(of identity: StrategyIdentity) throws -> [StrategyStageChange] {
        try database.query("""
            SELECT \(Self.stageColumns) FROM strategy_stages WHERE strategy = ? AND parameters_hash <> ?
            ORDER BY changed_at_us, id
            """, [.text(identity.name), .text(identity.parametersHash)]).map(StrategyStageChange.init(row:))
    }

    static let evidenceColumns = "strategy, parameters_hash, recorded_at_us, run_id, period_start, period_end, evidence"

    public func recordEvidence(_ record: StrategyEvidenceRecord) throws {
        try database.execute("INSERT INTO strategy_evidence (\(Self.evidenceColumns)) VALUES (?, ?, ?, ?, ?, ?, ?)", [
            .text(record.identity.name), .text(record.identity.parametersHash), SQLValue(record.recordedAt), .text(record.runID),
            .text(record.periodStart.description), .text(record.periodEnd.description), .text(record.evidence),
        ])
    }

    /// The newest evidence of a parameter set.
    public func latestEvidence(_ identity: StrategyIdentity) throws -> StrategyEvidenceRecord? {
        try database.queryFirst("""
            SELECT \(Self.evidenceColumns) FROM strategy_evidence WHERE strategy = ? AND parameters_hash = ?
            ORDER BY recorded_at_us DESC, id DESC LIMIT 1
            """, [.text(identity.name), .text(identity.parametersHash)]).map(StrategyEvidenceRecord.init(row:))
    }
}

extension StrategyStageChange {
    init(row: SQLRow) throws {
        self.init(identity: StrategyIdentity(name: try row.string("strategy"), parametersHash: try row.string("parameters_hash")),
                  stage: try row.enumValue("stage"), previousStage: try row.enumValue("previous_stage"),
                  changedAt: try row.timestamp("changed_at_us"), actor: try row.string("actor"), reason: try row.string("reason"),
                  evidence: try row.string("evidence"))
    }
}

extension StrategyEvidenceRecord {
    init(row: SQLRow) throws {
        func date(_ column: String) throws -> LocalDate {
            let text = try row.string(column)
            guard let d = LocalDate(text) else {
                throw StoreError(.typeMismatch, message: "column '\(column)' does not hold a YYYY-MM-DD date")
            }
            return d
        }
        self.init(identity: StrategyIdentity(name: try row.string("strategy"), parametersHash: try row.string("parameters_hash")),
                  recordedAt: try row.timestamp("recorded_at_us"), runID: try row.string("run_id"),
                  periodStart: try date("period_start"), periodEnd: try date("period_end"), evidence: try row.string("evidence"))
    }
}
