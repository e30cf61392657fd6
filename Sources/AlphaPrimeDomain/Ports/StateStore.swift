import AlphaPrimeSupport
import Foundation

/// The state database as the trading core sees it: typed reads and writes of orders, fills, trades,
/// snapshots, risk events, engine sessions, control requests and marks, and the one-engine lock.
/// `AlphaPrimeStore` implements it over SQLite and PostgreSQL; the core never sees SQL.
///
/// Writes that belong together run inside one ``transaction(_:)``. Time ranges are half-open (`from`
/// included, `before` excluded). Timestamps are passed in (the engine's clock), never read here.
public protocol StateStore: Sendable {
    /// Where the state lives, for messages (a PostgreSQL URL's password masked).
    var location: String { get }

    /// Runs `body` in one write transaction (nested calls join the outer one).
    func transaction<T>(_ body: () throws -> T) throws -> T
    /// Runs `body` in one read transaction: one consistent snapshot, however often others commit.
    func readTransaction<T>(_ body: () throws -> T) throws -> T
    /// Whether the engine's tables exist, and how many migrations are still to apply.
    func engineSchemaStatus() throws -> EngineSchemaStatus

    // MARK: Orders, fills, trades

    @discardableResult func insertOrder(_ order: OrderRecord) throws -> OrderRecord
    func order(mode: TradingMode, clientOrderId: String) throws -> OrderRecord?
    /// Orders not yet filled, cancelled or rejected, oldest first.
    func openOrders(mode: TradingMode) throws -> [OrderRecord]
    func orders(mode: TradingMode, createdFrom from: UTCTimestamp, before: UTCTimestamp) throws -> [OrderRecord]
    /// Sets an order's status by its id; `learntStep` is the engine session's step at which the
    /// broker reported it (nil: not from a broker's report).
    func updateOrderStatus(id: Int64, status: OrderStatus, reason: String?, brokerOrderId: String?, at time: UTCTimestamp,
                           learntStep: Int64?) throws
    /// Moves a working stop order's trigger (a trailing stop), by its id; an order that no longer
    /// works or already has that trigger is left as it is.
    func updateOrderTrigger(id: Int64, triggerPrice: Paise, at time: UTCTimestamp) throws
    @discardableResult func recordFill(_ fill: FillRecord) throws -> (fill: FillRecord, order: OrderRecord)
    /// Sets the step at which the engine learnt of a fill (by its id) or of an order's status (by
    /// the order's id).
    func updateLearntStep(fillId: Int64?, orderId: Int64?, step: Int64) throws
    /// The account's fills with their orders, oldest first.
    func accountFills(mode: TradingMode, from: UTCTimestamp, before: UTCTimestamp) throws -> [AccountFill]
    @discardableResult func insertTrade(_ trade: TradeRecord) throws -> TradeRecord
    /// The epoch a mode's account is in (`reset-portfolio`), nil for the first one.
    func currentAccountEpoch(mode: TradingMode) throws -> AccountEpochRecord?
    /// Every recorded epoch of a mode, oldest first (epoch 1 has no record).
    func accountEpochs(mode: TradingMode) throws -> [AccountEpochRecord]
    /// The latest checkpoint of a mode's account in `epoch` as of `time` or before (`archive run`).
    func accountCheckpoint(mode: TradingMode, epoch: Int, atOrBefore time: UTCTimestamp) throws -> AccountCheckpointRecord?
    /// The archive files whose rows are out of the database (not restored), oldest month first.
    func archivedBatches() throws -> [ArchiveBatchRecord]
    func trades(mode: TradingMode, exitedFrom from: UTCTimestamp, before: UTCTimestamp) throws -> [TradeRecord]

    // MARK: Portfolio, performance, risk

    @discardableResult func recordPortfolioSnapshot(_ snapshot: PortfolioSnapshot) throws -> PortfolioSnapshot
    func portfolioHistory(mode: TradingMode, from: UTCTimestamp, before: UTCTimestamp) throws -> [PortfolioSnapshot]
    func upsertStrategyPerformance(_ record: StrategyPerformanceRecord) throws
    /// Every strategy's figures for the trading days `from` through `through`, by day then strategy.
    func strategyPerformance(mode: TradingMode, from: LocalDate, through: LocalDate) throws -> [StrategyPerformanceRecord]
    @discardableResult func recordRiskEvent(_ event: RiskEventRecord) throws -> RiskEventRecord
    func riskEvents(mode: TradingMode, from: UTCTimestamp, before: UTCTimestamp) throws -> [RiskEventRecord]

    // MARK: Engine state, sessions, control requests, marks

    func engineState(mode: TradingMode) throws -> EngineStateRecord?
    func recordHeartbeat(mode: TradingMode, status: String, pid: Int64?, host: String?, at time: UTCTimestamp) throws
    /// Sets the kill switch and records the risk event saying so, in one transaction.
    func setKillSwitch(mode: TradingMode, by who: String, reason: String, at time: UTCTimestamp) throws
    func clearKillSwitch(mode: TradingMode, by who: String, reason: String, at time: UTCTimestamp) throws
    /// Records that an emergency stop took the engine's place (`engine_state.status`).
    func markEmergencyStopped(mode: TradingMode, at time: UTCTimestamp) throws

    func engineSession(mode: TradingMode, date: LocalDate) throws -> EngineSessionRecord?
    func latestEngineSession(mode: TradingMode) throws -> EngineSessionRecord?
    func latestEngineSession(mode: TradingMode, before date: LocalDate) throws -> EngineSessionRecord?
    /// The sessions of the trading days `from` through `through`, oldest first.
    func engineSessions(mode: TradingMode, from: LocalDate, through: LocalDate) throws -> [EngineSessionRecord]
    @discardableResult func insertEngineSession(_ session: EngineSessionRecord) throws -> EngineSessionRecord
    func recordEngineProgress(sessionId: Int64, deferredRows: Int64, lastBarAt: UTCTimestamp?, lastStep: Int64?,
                              haltedReason: String?, at time: UTCTimestamp) throws
    func recordEngineRiskStateClose(sessionId: Int64, json: String) throws
    func setEngineSessionStatus(sessionId: Int64, status: EngineSessionRecord.Status, countRecovery: Bool,
                                at time: UTCTimestamp) throws

    @discardableResult func requestEngineControl(_ request: EngineControlRecord) throws -> EngineControlRecord
    func pendingEngineControl(mode: TradingMode) throws -> [EngineControlRecord]
    func engineControl(id: Int64) throws -> EngineControlRecord?
    func markEngineControlHandled(id: Int64, outcome: String, at time: UTCTimestamp) throws

    func upsertMark(_ mark: MarkRecord) throws
    /// Records bars a live session built; a bar already recorded (same mode, symbol, start) is kept.
    func recordEngineBars(_ bars: [EngineBarRecord]) throws
    /// The bars a live session built with starts in `[from, before)`, by start then symbol.
    func engineBars(mode: TradingMode, from: UTCTimestamp, before: UTCTimestamp) throws -> [EngineBarRecord]
    func marks(mode: TradingMode) throws -> [MarkRecord]

    // MARK: The instrument master

    /// Replaces the stored instrument list of `exchange` (every exchange when nil) with `instruments`,
    /// all in one transaction, stamped as downloaded on `downloadedOn`. An instrument of another
    /// exchange than `exchange` is refused and nothing changes.
    func replaceInstruments(_ instruments: [InstrumentRecord], exchange: String?, downloadedOn: LocalDate) throws
    func instrument(token: Int64) throws -> InstrumentRecord?
    /// The instruments matching every field the query gives, by exchange, expiry, trading symbol.
    func instruments(_ query: InstrumentQuery) throws -> [InstrumentRecord]
    /// Counts per exchange and segment with the day each was downloaded, by exchange then segment.
    func instrumentLists() throws -> [InstrumentListSummary]

    // MARK: The one-engine lock

    /// Takes the engine lock of this database or throws ``EngineLockedError`` naming the holder.
    /// Released by ``EngineLease/release()``, or by the operating system or the server when the
    /// process dies, even by `kill -9`.
    func acquireEngineLock(holder: EngineLockHolder) throws -> any EngineLease
    /// Who holds the engine lock, without taking it; nil when no engine holds it.
    func engineLockHolder() throws -> EngineLockHolder?
    /// Ends a hung engine's own connection to the database (PostgreSQL), so its writes stop.
    func endEngineConnection(of holder: EngineLockHolder) throws
}

extension StateStore {
    public func updateOrderStatus(id: Int64, status: OrderStatus, reason: String? = nil, at time: UTCTimestamp) throws {
        try updateOrderStatus(id: id, status: status, reason: reason, brokerOrderId: nil, at: time, learntStep: nil)
    }

    public func accountFills(mode: TradingMode) throws -> [AccountFill] {
        try accountFills(mode: mode, from: UTCTimestamp(microseconds: .min), before: UTCTimestamp(microseconds: .max))
    }

    public func accountFills(mode: TradingMode, before: UTCTimestamp) throws -> [AccountFill] {
        try accountFills(mode: mode, from: UTCTimestamp(microseconds: .min), before: before)
    }

    public func setEngineSessionStatus(sessionId: Int64, status: EngineSessionRecord.Status, at time: UTCTimestamp) throws {
        try setEngineSessionStatus(sessionId: sessionId, status: status, countRecovery: false, at: time)
    }
}

/// Whether the engine's tables are there and as this build knows them.
public struct EngineSchemaStatus: Sendable, Equatable {
    /// `engine_state` exists (the database has been migrated at least once).
    public var hasEngineTables: Bool
    /// Migrations this build knows that the database has not applied.
    public var pendingMigrations: Int
    /// Nothing pending, changed or unknown: the engine's tables are exactly as this build knows them.
    public var isUpToDate: Bool

    public init(hasEngineTables: Bool, pendingMigrations: Int, isUpToDate: Bool) {
        self.hasEngineTables = hasEngineTables
        self.pendingMigrations = pendingMigrations
        self.isUpToDate = isUpToDate
    }
}

/// The held engine lock.
public protocol EngineLease: AnyObject, Sendable {
    /// Lets go of the lock (idempotent).
    func release()
}

/// Who holds the engine lock of a database.
public struct EngineLockHolder: Sendable, Equatable, Codable, CustomStringConvertible {
    public init(pid: Int64? = nil, host: String? = nil, mode: String? = nil, since: String? = nil, backendPid: Int64? = nil) {
        self.pid = pid; self.host = host; self.mode = mode; self.since = since; self.backendPid = backendPid
    }

    public var pid: Int64?
    public var host: String?
    public var mode: String?
    /// When it took the lock (ISO 8601 UTC), as it wrote it.
    public var since: String?
    /// The PostgreSQL backend holding the lock (to end a hung engine's session).
    public var backendPid: Int64?

    public var description: String {
        var parts: [String] = []
        parts.append(pid.map { "pid \($0)" } ?? "pid unknown")
        if let host { parts.append("on \(host)") }
        if let mode { parts.append("mode \(mode)") }
        if let since { parts.append("since \(since)") }
        return parts.joined(separator: ", ")
    }

    /// `pid=…`, `host=…` lines (the lock file) or `alpha-prime engine pid=… host=… mode=…` (a PostgreSQL application name).
    package static func parse(_ text: String) -> EngineLockHolder {
        var holder = EngineLockHolder()
        for token in text.split(whereSeparator: { $0 == "\n" || $0 == " " }) {
            let parts = token.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            switch parts[0] {
            case "pid": holder.pid = Int64(parts[1])
            case "host": holder.host = parts[1]
            case "mode": holder.mode = parts[1]
            case "since": holder.since = parts[1]
            default: break
            }
        }
        return holder
    }

    package func text(separator: String, includingSince: Bool = true) -> String {
        (["pid=\(pid ?? 0)", "host=\(host ?? "?")", "mode=\(mode ?? "?")"] + (includingSince ? ["since=\(since ?? "?")"] : []))
            .joined(separator: separator)
    }
}

/// A second engine was refused: the database's engine lock is held.
public struct EngineLockedError: Error, ExitStatusProviding, CustomStringConvertible {
    public var holder: EngineLockHolder
    public var location: String
    public var exitStatus: ExitStatus { .locked }

    public init(holder: EngineLockHolder, location: String) {
        self.holder = holder
        self.location = location
    }

    public var description: String {
        "another engine is running on this state database (\(holder)); one engine per database (\(location)). See it with: engine status; stop it with: engine stop"
    }
}

