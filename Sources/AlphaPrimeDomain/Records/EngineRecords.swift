import AlphaPrimeSupport

// What the trading engine reads and writes beyond the v1 repository: its sessions, requests from
// other processes, the last prices it saw, and the account's fills joined with their orders.

/// One trading day the engine ran in one mode (migration 2, `engine_sessions`).
public struct EngineSessionRecord: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case running, stopped, completed
    }

    public var id: Int64?
    public var mode: TradingMode
    public var tradingDate: LocalDate
    public var status: Status
    /// Where the bars came from (`replay 2021-02-22`, a file path).
    public var source: String
    /// The account's cash when the session opened (the account is flat between sessions).
    public var dayStartCash: Paise
    /// How many snapshot and risk-event rows the engine committed for this session: a restart
    /// re-creates the same rows in the same order and skips this many.
    public var deferredRows: Int64
    /// Market time of the bar the engine was on at its last commit.
    public var lastBarAt: UTCTimestamp?
    /// The step (see `SessionRun.takeStep()`) the engine had reached at its last commit; nil for
    /// sessions recorded by older builds.
    public var lastStep: Int64?
    /// Why new entries are refused (square-off, stop, a breaker), nil while they are allowed.
    public var haltedReason: String?
    /// How many times the session was resumed after the engine stopped or crashed.
    public var recoveries: Int
    public var startedAt: UTCTimestamp
    public var updatedAt: UTCTimestamp
    public var completedAt: UTCTimestamp?
    /// The risk stage's state (JSON) the session started from, and the one it closed or stopped with.
    public var riskStateOpen: String?
    public var riskStateClose: String?

    public init(id: Int64? = nil, mode: TradingMode, tradingDate: LocalDate, status: Status = .running, source: String,
                dayStartCash: Paise, deferredRows: Int64 = 0, lastBarAt: UTCTimestamp? = nil, haltedReason: String? = nil,
                recoveries: Int = 0, startedAt: UTCTimestamp, updatedAt: UTCTimestamp? = nil, completedAt: UTCTimestamp? = nil,
                riskStateOpen: String? = nil, riskStateClose: String? = nil) {
        self.id = id
        self.mode = mode
        self.tradingDate = tradingDate
        self.status = status
        self.source = source
        self.dayStartCash = dayStartCash
        self.deferredRows = deferredRows
        self.lastBarAt = lastBarAt
        self.haltedReason = haltedReason
        self.recoveries = recoveries
        self.startedAt = startedAt
        self.updatedAt = updatedAt ?? startedAt
        self.completedAt = completedAt
        self.riskStateOpen = riskStateOpen
        self.riskStateClose = riskStateClose
    }
}

/// What another process asks the running engine to do.
public enum EngineControlCommand: String, Sendable, Codable, CaseIterable {
    /// No new entries; exit cleanly, leaving positions and their protective orders in place.
    case stop
    /// No new entries; close every position, then exit.
    case stopFlatten = "stop_flatten"
    /// Cancel every order, close every position, keep the kill switch set, exit.
    case emergencyStop = "emergency_stop"
}

/// A request in `engine_control`.
public struct EngineControlRecord: Sendable, Equatable, Codable {
    public var id: Int64?
    public var mode: TradingMode
    public var command: EngineControlCommand
    public var requestedBy: String
    public var reason: String?
    public var requestedAt: UTCTimestamp
    public var handledAt: UTCTimestamp?
    public var outcome: String?

    public init(id: Int64? = nil, mode: TradingMode, command: EngineControlCommand, requestedBy: String, reason: String? = nil,
                requestedAt: UTCTimestamp, handledAt: UTCTimestamp? = nil, outcome: String? = nil) {
        self.id = id
        self.mode = mode
        self.command = command
        self.requestedBy = requestedBy
        self.reason = reason
        self.requestedAt = requestedAt
        self.handledAt = handledAt
        self.outcome = outcome
    }
}

/// The last price the engine saw for a symbol.
public struct MarkRecord: Sendable, Equatable, Codable {
    public var mode: TradingMode
    public var symbol: String
    public var price: Paise
    public var markedAt: UTCTimestamp

    public init(mode: TradingMode, symbol: String, price: Paise, markedAt: UTCTimestamp) {
        self.mode = mode
        self.symbol = symbol
        self.price = price
        self.markedAt = markedAt
    }
}

/// A fill with the order it belongs to: what an account is rebuilt from.
public struct AccountFill: Sendable, Equatable {
    public var fill: FillRecord
    public var clientOrderId: String
    public var strategy: String
    public var symbol: String
    public var exchange: String
    public var side: Side
    public var product: ProductType

    public init(fill: FillRecord, clientOrderId: String, strategy: String, symbol: String, exchange: String,
                side: Side, product: ProductType) {
        self.fill = fill; self.clientOrderId = clientOrderId; self.strategy = strategy; self.symbol = symbol
        self.exchange = exchange; self.side = side; self.product = product
    }
}

/// A paper account's fresh start (`reset-portfolio`, migration 4): from this epoch on the account is
/// rebuilt from `startingCapital` and the fills with `id >= firstFillId`; the earlier history stays
/// in the database and its reports still render. Epoch 1 has no record: it is everything before the
/// first reset, on the configured capital.
public struct AccountEpochRecord: Sendable, Equatable, Codable {
    public var id: Int64?
    public var mode: TradingMode
    public var epoch: Int
    public var startingCapital: Paise
    /// The first fill, engine session and trade ids of this epoch (one more than the largest at the reset).
    public var firstFillId: Int64
    public var firstSessionId: Int64
    public var firstTradeId: Int64
    /// The account's cash when the previous epoch was closed.
    public var previousCash: Paise
    public var resetBy: String
    public var reason: String
    /// The backup taken just before the reset.
    public var backupFile: String?
    public var resetAt: UTCTimestamp

    public init(id: Int64? = nil, mode: TradingMode, epoch: Int, startingCapital: Paise, firstFillId: Int64,
                firstSessionId: Int64, firstTradeId: Int64, previousCash: Paise, resetBy: String, reason: String,
                backupFile: String? = nil, resetAt: UTCTimestamp) {
        self.id = id
        self.mode = mode
        self.epoch = epoch
        self.startingCapital = startingCapital
        self.firstFillId = firstFillId
        self.firstSessionId = firstSessionId
        self.firstTradeId = firstTradeId
        self.previousCash = previousCash
        self.resetBy = resetBy
        self.reason = reason
        self.backupFile = backupFile
        self.resetAt = resetAt
    }

    enum CodingKeys: String, CodingKey {
        case id, mode, epoch, startingCapital = "starting_capital_paise", firstFillId = "first_fill_id"
        case firstSessionId = "first_session_id", firstTradeId = "first_trade_id", previousCash = "previous_cash_paise"
        case resetBy = "reset_by", reason, backupFile = "backup_file", resetAt = "reset_at_us"
    }

    /// Whether a fill belongs to this epoch (or a later one).
    public func contains(fillId: Int64?) -> Bool { (fillId ?? .max) >= firstFillId }
}

/// A mode's account as of the end of an archived month (migration 5): its cash then, with no
/// position open. The account is rebuilt from the latest checkpoint of its epoch and the fills
/// after it, so archiving old fills changes nothing.
public struct AccountCheckpointRecord: Sendable, Equatable, Codable {
    public var id: Int64?
    public var mode: TradingMode
    /// The account epoch it belongs to (1 before any reset).
    public var epoch: Int
    public var asOf: UTCTimestamp
    public var cash: Paise
    public var batchId: Int64
    public var createdAt: UTCTimestamp

    public init(id: Int64? = nil, mode: TradingMode, epoch: Int, asOf: UTCTimestamp, cash: Paise, batchId: Int64,
                createdAt: UTCTimestamp) {
        self.id = id; self.mode = mode; self.epoch = epoch; self.asOf = asOf; self.cash = cash; self.batchId = batchId
        self.createdAt = createdAt
    }
}

/// One archive file `archive run` wrote (migration 5).
public struct ArchiveBatchRecord: Sendable, Equatable {
    public var id: Int64?
    /// `YYYY-MM`
    public var month: String
    /// The archive file's name under `backups/archive/`.
    public var file: String
    public var rows: Int64
    /// The rows' per-table digests (JSON).
    public var tables: String
    public var cutoffAt: UTCTimestamp
    public var archivedAt: UTCTimestamp
    public var restoredAt: UTCTimestamp?

    public init(id: Int64? = nil, month: String, file: String, rows: Int64, tables: String, cutoffAt: UTCTimestamp,
                archivedAt: UTCTimestamp, restoredAt: UTCTimestamp? = nil) {
        self.id = id; self.month = month; self.file = file; self.rows = rows; self.tables = tables; self.cutoffAt = cutoffAt
        self.archivedAt = archivedAt; self.restoredAt = restoredAt
    }
}

/// A 1-minute bar a live session built from the broker's ticker (`engine_bars`).
public struct EngineBarRecord: Sendable, Equatable {
    public var mode: TradingMode
    /// The configured symbol (`NIFTY 50`).
    public var symbol: String
    public var bar: Bar

    public init(mode: TradingMode, symbol: String, bar: Bar) {
        self.mode = mode
        self.symbol = symbol
        self.bar = bar
    }
}
