import AlphaPrimeSupport
import AlphaPrimeDomain

// Archive batches and account checkpoints (migration 5).

extension StateRepository {
    static let batchColumns = "id, month, file, rows, tables, cutoff_at_us, archived_at_us, restored_at_us"

    public func accountCheckpoint(mode: TradingMode, epoch: Int, atOrBefore time: UTCTimestamp) throws -> AccountCheckpointRecord? {
        guard try database.tableExists("account_checkpoints") else { return nil }
        return try database.queryFirst("""
            SELECT c.id, c.mode, c.epoch, c.as_of_us, c.cash_paise, c.batch_id, c.created_at_us FROM account_checkpoints c
            JOIN archive_batches b ON b.id = c.batch_id
            WHERE c.mode = ? AND c.epoch = ? AND c.as_of_us <= ? AND b.restored_at_us IS NULL
            ORDER BY c.as_of_us DESC, c.id DESC LIMIT 1
            """, [SQLValue(mode), .integer(Int64(epoch)), SQLValue(time)]).map { row in
            AccountCheckpointRecord(
                id: try row.int64("id"), mode: try row.enumValue("mode"), epoch: try row.int("epoch"),
                asOf: try row.timestamp("as_of_us"), cash: try row.paise("cash_paise"), batchId: try row.int64("batch_id"),
                createdAt: try row.timestamp("created_at_us"))
        }
    }

    public func archivedBatches() throws -> [ArchiveBatchRecord] {
        try archiveBatches().filter { $0.restoredAt == nil }
    }

    /// Every archive batch, restored ones included, oldest month first.
    public func archiveBatches() throws -> [ArchiveBatchRecord] {
        guard try database.tableExists("archive_batches") else { return [] }
        return try database.query("SELECT \(Self.batchColumns) FROM archive_batches ORDER BY month, id").map(ArchiveBatchRecord.init(row:))
    }

    /// Records an archive file (inside the transaction that deletes its rows) and returns it with its id.
    @discardableResult
    public func insertArchiveBatch(_ batch: ArchiveBatchRecord) throws -> ArchiveBatchRecord {
        var stored = batch
        stored.id = try insertReturningId("""
            INSERT INTO archive_batches (month, file, rows, tables, cutoff_at_us, archived_at_us) VALUES (?, ?, ?, ?, ?, ?)
            """, [.text(batch.month), .text(batch.file), .integer(batch.rows), .text(batch.tables), SQLValue(batch.cutoffAt),
                  SQLValue(batch.archivedAt)])
        return stored
    }

    public func insertAccountCheckpoint(_ checkpoint: AccountCheckpointRecord) throws {
        try database.execute("""
            INSERT INTO account_checkpoints (mode, epoch, as_of_us, cash_paise, batch_id, created_at_us) VALUES (?, ?, ?, ?, ?, ?)
            """, [SQLValue(checkpoint.mode), .integer(Int64(checkpoint.epoch)), SQLValue(checkpoint.asOf), SQLValue(checkpoint.cash),
                  .integer(checkpoint.batchId), SQLValue(checkpoint.createdAt)])
    }

    /// Marks a batch restored (its rows are back) and drops its checkpoints.
    public func markArchiveBatchRestored(id: Int64, at time: UTCTimestamp) throws {
        try database.execute("DELETE FROM account_checkpoints WHERE batch_id = ?", [.integer(id)])
        try database.execute("UPDATE archive_batches SET restored_at_us = ? WHERE id = ?", [SQLValue(time), .integer(id)])
    }
}

extension ArchiveBatchRecord {
    init(row: SQLRow) throws {
        self.init(id: try row.int64("id"), month: try row.string("month"), file: try row.string("file"), rows: try row.int64("rows"),
                  tables: try row.string("tables"), cutoffAt: try row.timestamp("cutoff_at_us"),
                  archivedAt: try row.timestamp("archived_at_us"), restoredAt: try row.optionalTimestamp("restored_at_us"))
    }
}
