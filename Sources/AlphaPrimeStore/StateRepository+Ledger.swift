import AlphaPrimeSupport
import AlphaPrimeDomain

// Trades, portfolio snapshots and strategy performance: what reports read.

extension StateRepository {
    // MARK: Trades

    static let tradeColumns = """
        id, mode, strategy, symbol, exchange, side, quantity, entry_price_paise, exit_price_paise, entry_at_us, \
        exit_at_us, gross_pnl_paise, charges_paise, net_pnl_paise, entry_order_id, exit_order_id, exit_reason
        """

    /// Records a closed trade and returns it with its id.
    @discardableResult
    public func insertTrade(_ trade: TradeRecord) throws -> TradeRecord {
        var stored = trade
        stored.id = try insertReturningId("""
            INSERT INTO trades (mode, strategy, symbol, exchange, side, quantity, entry_price_paise, exit_price_paise, \
            entry_at_us, exit_at_us, gross_pnl_paise, charges_paise, net_pnl_paise, entry_order_id, exit_order_id, \
            exit_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [
                SQLValue(trade.mode), .text(trade.strategy), .text(trade.symbol), .text(trade.exchange), SQLValue(trade.side),
                .integer(trade.quantity), SQLValue(trade.entryPrice), SQLValue(trade.exitPrice), SQLValue(trade.entryAt),
                SQLValue(trade.exitAt), SQLValue(trade.grossPnl), SQLValue(trade.charges), SQLValue(trade.netPnl),
                SQLValue(trade.entryOrderId), SQLValue(trade.exitOrderId), SQLValue(trade.exitReason),
            ])
        return stored
    }

    /// Trades closed in `[from, before)`, oldest first.
    public func trades(mode: TradingMode, exitedFrom from: UTCTimestamp, before: UTCTimestamp) throws -> [TradeRecord] {
        try database.query("""
            SELECT \(Self.tradeColumns) FROM trades WHERE mode = ? AND exit_at_us >= ? AND exit_at_us < ?
            ORDER BY exit_at_us, id
            """, [SQLValue(mode), SQLValue(from), SQLValue(before)]).map(TradeRecord.init(row:))
    }

    // MARK: Portfolio history

    static let snapshotColumns = """
        id, mode, recorded_at_us, cash_paise, positions_value_paise, equity_paise, realized_pnl_paise, \
        unrealized_pnl_paise, open_positions
        """

    @discardableResult
    public func recordPortfolioSnapshot(_ snapshot: PortfolioSnapshot) throws -> PortfolioSnapshot {
        var stored = snapshot
        stored.id = try insertReturningId("""
            INSERT INTO portfolio_history (mode, recorded_at_us, cash_paise, positions_value_paise, equity_paise, \
            realized_pnl_paise, unrealized_pnl_paise, open_positions) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, [
                SQLValue(snapshot.mode), SQLValue(snapshot.recordedAt), SQLValue(snapshot.cash),
                SQLValue(snapshot.positionsValue), SQLValue(snapshot.equity), SQLValue(snapshot.realizedPnl),
                SQLValue(snapshot.unrealizedPnl), SQLValue(snapshot.openPositions),
            ])
        return stored
    }

    /// The most recent snapshot, or nil when none was recorded for the mode.
    public func latestPortfolioSnapshot(mode: TradingMode) throws -> PortfolioSnapshot? {
        try database.queryFirst("""
            SELECT \(Self.snapshotColumns) FROM portfolio_history WHERE mode = ? ORDER BY recorded_at_us DESC, id DESC LIMIT 1
            """, [SQLValue(mode)]).map(PortfolioSnapshot.init(row:))
    }

    /// Snapshots recorded in `[from, before)`, oldest first.
    public func portfolioHistory(mode: TradingMode, from: UTCTimestamp, before: UTCTimestamp) throws -> [PortfolioSnapshot] {
        try database.query("""
            SELECT \(Self.snapshotColumns) FROM portfolio_history WHERE mode = ? AND recorded_at_us >= ? AND recorded_at_us < ?
            ORDER BY recorded_at_us, id
            """, [SQLValue(mode), SQLValue(from), SQLValue(before)]).map(PortfolioSnapshot.init(row:))
    }

    // MARK: Strategy performance

    static let performanceColumns = """
        mode, strategy, trading_date, trades, wins, losses, gross_pnl_paise, charges_paise, net_pnl_paise, \
        max_drawdown_paise, updated_at_us
        """

    /// Writes a strategy's figures for a day, replacing what was there for that mode, strategy and day.
    public func upsertStrategyPerformance(_ record: StrategyPerformanceRecord) throws {
        try database.execute("""
            INSERT INTO strategy_performance (\(Self.performanceColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (mode, strategy, trading_date) DO UPDATE SET
                trades = excluded.trades, wins = excluded.wins, losses = excluded.losses,
                gross_pnl_paise = excluded.gross_pnl_paise, charges_paise = excluded.charges_paise,
                net_pnl_paise = excluded.net_pnl_paise, max_drawdown_paise = excluded.max_drawdown_paise,
                updated_at_us = excluded.updated_at_us
            """, [
                SQLValue(record.mode), .text(record.strategy), .text(record.tradingDate.description), SQLValue(record.trades),
                SQLValue(record.wins), SQLValue(record.losses), SQLValue(record.grossPnl), SQLValue(record.charges),
                SQLValue(record.netPnl), SQLValue(record.maxDrawdown), SQLValue(record.updatedAt),
            ])
    }

    /// Every strategy's figures for the trading days `from` through `through` (both included),
    /// by day then strategy.
    public func strategyPerformance(mode: TradingMode, from: LocalDate, through: LocalDate) throws -> [StrategyPerformanceRecord] {
        try database.query("""
            SELECT \(Self.performanceColumns) FROM strategy_performance
            WHERE mode = ? AND trading_date >= ? AND trading_date <= ? ORDER BY trading_date, strategy
            """, [SQLValue(mode), .text(from.description), .text(through.description)]).map(StrategyPerformanceRecord.init(row:))
    }
}

extension TradeRecord {
    init(row: SQLRow) throws {
        self.init(
            id: try row.int64("id"), mode: try row.enumValue("mode"), strategy: try row.string("strategy"),
            symbol: try row.string("symbol"), exchange: try row.string("exchange"), side: try row.enumValue("side"),
            quantity: try row.int64("quantity"), entryPrice: try row.paise("entry_price_paise"),
            exitPrice: try row.paise("exit_price_paise"), entryAt: try row.timestamp("entry_at_us"),
            exitAt: try row.timestamp("exit_at_us"), grossPnl: try row.paise("gross_pnl_paise"),
            charges: try row.paise("charges_paise"), entryOrderId: try row.optionalInt64("entry_order_id"),
            exitOrderId: try row.optionalInt64("exit_order_id"), exitReason: try row.optionalString("exit_reason"))
    }
}

extension PortfolioSnapshot {
    init(row: SQLRow) throws {
        self.init(
            id: try row.int64("id"), mode: try row.enumValue("mode"), recordedAt: try row.timestamp("recorded_at_us"),
            cash: try row.paise("cash_paise"), positionsValue: try row.paise("positions_value_paise"),
            equity: try row.paise("equity_paise"), realizedPnl: try row.paise("realized_pnl_paise"),
            unrealizedPnl: try row.paise("unrealized_pnl_paise"), openPositions: try row.int("open_positions"))
    }
}

extension StrategyPerformanceRecord {
    init(row: SQLRow) throws {
        let dateText = try row.string("trading_date")
        guard let date = LocalDate(dateText) else {
            throw StoreError(.typeMismatch, message: "column 'trading_date' does not hold a YYYY-MM-DD date")
        }
        self.init(
            mode: try row.enumValue("mode"), strategy: try row.string("strategy"), tradingDate: date,
            trades: try row.int("trades"), wins: try row.int("wins"), losses: try row.int("losses"),
            grossPnl: try row.paise("gross_pnl_paise"), charges: try row.paise("charges_paise"),
            netPnl: try row.paise("net_pnl_paise"), maxDrawdown: try row.paise("max_drawdown_paise"),
            updatedAt: try row.timestamp("updated_at_us"))
    }
}
