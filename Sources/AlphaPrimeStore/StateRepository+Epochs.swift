import AlphaPrimeSupport
import AlphaPrimeDomain

// Account epochs (migration 4): the fresh starts of a paper account.

extension StateRepository {
    static let epochColumns = """
        id, mode, epoch, starting_capital_paise, first_fill_id, first_session_id, first_trade_id, previous_cash_paise, \
        reset_by, reason, backup_file, reset_at_us
        """

    /// The epoch the account of `mode` is in now, or nil for epoch 1 (never reset, or a database
    /// from before migration 4).
    public func currentAccountEpoch(mode: TradingMode) throws -> AccountEpochRecord? {
        guard try database.tableExists("account_epochs") else { return nil }
        return try database.queryFirst("""
            SELECT \(Self.epochColumns) FROM account_epochs WHERE mode = ? ORDER BY epoch DESC LIMIT 1
            """, [SQLValue(mode)]).map(AccountEpochRecord.init(row:))
    }

    /// Every recorded epoch of `mode`, oldest first (epoch 1 has no record).
    public func accountEpochs(mode: TradingMode) throws -> [AccountEpochRecord] {
        guard try database.tableExists("account_epochs") else { return [] }
        return try database.query("SELECT \(Self.epochColumns) FROM account_epochs WHERE mode = ? ORDER BY epoch",
                                  [SQLValue(mode)]).map(AccountEpochRecord.init(row:))
    }

    /// Opens the next epoch of `mode`: it starts after every fill, engine session and trade recorded
    /// so far (of any mode: ids are shared). One transaction; returns the record.
    @discardableResult
    public func openAccountEpoch(mode: TradingMode, startingCapital: Paise, previousCash: Paise, by who: String,
                                 reason: String, backupFile: String?, at time: UTCTimestamp) throws -> AccountEpochRecord {
        try database.transaction {
            func next(_ table: String) throws -> Int64 {
                (try database.queryFirst("SELECT MAX(id) AS m FROM \(table)")?.optionalInt64("m") ?? 0) + 1
            }
            let epoch = (try currentAccountEpoch(mode: mode)?.epoch ?? 1) + 1
            var record = AccountEpochRecord(
                mode: mode, epoch: epoch, startingCapital: startingCapital, firstFillId: try next("fills"),
                firstSessionId: try next("engine_sessions"), firstTradeId: try next("trades"), previousCash: previousCash,
                resetBy: who, reason: reason, backupFile: backupFile, resetAt: time)
            record.id = try insertReturningId("""
                INSERT INTO account_epochs (mode, epoch, starting_capital_paise, first_fill_id, first_session_id, first_trade_id, \
                previous_cash_paise, reset_by, reason, backup_file, reset_at_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [
                    SQLValue(mode), .integer(Int64(epoch)), SQLValue(startingCapital), .integer(record.firstFillId),
                    .integer(record.firstSessionId), .integer(record.firstTradeId), SQLValue(previousCash), .text(who),
                    .text(reason), SQLValue(backupFile), SQLValue(time),
                ])
            return record
        }
    }
}

extension AccountEpochRecord {
    init(row: SQLRow) throws {
        self.init(
            id: try row.int64("id"), mode: try row.enumValue("mode"), epoch: try row.int("epoch"),
            startingCapital: try row.paise("starting_capital_paise"), firstFillId: try row.int64("first_fill_id"),
            firstSessionId: try row.int64("first_session_id"), firstTradeId: try row.int64("first_trade_id"),
            previousCash: try row.paise("previous_cash_paise"), resetBy: try row.string("reset_by"),
            reason: try row.string("reason"), backupFile: try row.optionalString("backup_file"),
            resetAt: try row.timestamp("reset_at_us"))
    }
}
