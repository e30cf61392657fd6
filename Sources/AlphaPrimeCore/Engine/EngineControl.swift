import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import Foundation

/// What other processes do to the engine: read its state, ask it to stop, stop it in an emergency
/// (taking over when it is hung or gone), and clear the kill switch after a confirmed reset.
public enum EngineControl {
    // MARK: Status

    public struct Position: Sendable, Codable, Equatable {
        public var strategy: String
        public var symbol: String
        public var quantity: Int64
        public var averagePrice: String
        public var lastPrice: String?
        public var unrealizedPnL: String?
    }

    public struct SessionState: Sendable, Codable, Equatable {
        public var date: String
        public var status: String
        public var lastBar: String?
        public var recoveries: Int
        public var entriesHalted: String?
        public var dayStartCash: String
        public var realizedPnL: String
        public var unrealizedPnL: String
        public var pnl: String
        public var trades: Int
    }

    public struct ModeState: Sendable, Codable, Equatable {
        public var mode: String
        public var status: String
        public var pid: Int64?
        public var host: String?
        public var heartbeatAt: String?
        public var heartbeatAgeSeconds: Int64?
        public var killSwitch: Bool
        public var killSwitchBy: String?
        public var killSwitchAt: String?
        public var killSwitchReason: String?
        public var session: SessionState?
        public var openPositions: [Position]
        public var workingOrders: Int
        /// Today's breakers and halts (risk events at warning or critical), newest last.
        public var breakers: [String]
    }

    public struct StatusReport: Sendable, Codable, Equatable {
        public var database: String
        /// Migrations not applied yet (an engine about to start applies them; else db-maintenance migrate).
        public var pendingMigrations: Int = 0
        public var running: Bool
        public var engine: EngineLockHolder?
        public var modes: [ModeState]

        public init(database: String, pendingMigrations: Int = 0, running: Bool, engine: EngineLockHolder?, modes: [ModeState]) {
            self.database = database; self.pendingMigrations = pendingMigrations; self.running = running
            self.engine = engine; self.modes = modes
        }
    }

    /// The engine's state as the database and the lock tell it.
    /// - Parameter accounts: the broker account of a mode, whose positions are shown.
    public static func status(store: any StateStore, accounts: (TradingMode) -> (any BrokerAccount)?, calendar: TradingCalendar,
                              clock: any EngineClock = SystemClock()) throws -> StatusReport {
        let now = clock.now()
        let holder = try store.engineLockHolder()
        // One snapshot of the database, however often the engine commits meanwhile.
        return try store.readTransaction {
            try status(holder: holder, repository: store, accounts: accounts, calendar: calendar, now: now)
        }
    }

    private static func status(holder: EngineLockHolder?, repository: any StateStore, accounts: (TradingMode) -> (any BrokerAccount)?,
                               calendar: TradingCalendar, now: UTCTimestamp) throws -> StatusReport {
        var report = StatusReport(database: repository.location, running: holder != nil, engine: holder, modes: [])
        let migrations = try repository.engineSchemaStatus()
        guard migrations.hasEngineTables else { return report }
        report.pendingMigrations = migrations.pendingMigrations
        // The engine's own tables are read only once they are as this build knows them.
        let v2 = migrations.isUpToDate
        for mode in [TradingMode.paper, .live] {
            let state = try repository.engineState(mode: mode)
            let session = v2 ? try repository.latestEngineSession(mode: mode) : nil
            guard state != nil || session != nil else { continue }
            var m = ModeState(mode: mode.rawValue, status: state?.status ?? "never ran", pid: state?.pid, host: state?.host,
                              heartbeatAt: state?.heartbeatAt.map { IST.dateTime($0.date).description },
                              heartbeatAgeSeconds: state?.heartbeatAt.map { (now.microseconds - $0.microseconds) / 1_000_000 },
                              killSwitch: state?.killSwitch ?? false, killSwitchBy: state?.killSwitchBy,
                              killSwitchAt: state?.killSwitchAt.map { IST.dateTime($0.date).description },
                              killSwitchReason: state?.killSwitchReason, session: nil, openPositions: [], workingOrders: 0,
                              breakers: [])
            if holder != nil, holder?.mode.map({ EngineMode(rawValue: $0)?.tradingMode == mode }) == true {
                m.status = "running (\(holder?.mode ?? mode.rawValue))"
            } else if state != nil, m.status != "stopped", m.status != "emergency_stopped" {
                m.status = "not running (last: \(m.status))"
            }
            let positions = try accounts(mode)?.positions() ?? []
            let marks = v2 ? Dictionary(try repository.marks(mode: mode).map { ($0.symbol, $0.price.value) }, uniquingKeysWith: { a, _ in a }) : [:]
            var unrealized: Int64 = 0
            for book in positions {
                let average = Paise(book.openValue / max(1, abs(book.quantity)))
                var position = Position(strategy: book.strategy ?? "", symbol: book.symbol, quantity: book.quantity,
                                        averagePrice: average.description)
                if let mark = marks[book.symbol] {
                    let u = book.quantity > 0 ? book.quantity * mark - book.openValue : book.openValue + book.quantity * mark
                    unrealized += u
                    position.lastPrice = Paise(mark).description
                    position.unrealizedPnL = Paise(u).description
                }
                m.openPositions.append(position)
            }
            m.workingOrders = try repository.openOrders(mode: mode).count
            if let session {
                let bounds = calendar.session(on: session.tradingDate)
                let from = UTCTimestamp(secondsSinceEpoch: bounds?.openEpochSeconds ?? IST.epochSeconds(date: session.tradingDate, secondOfDay: 0))
                let before = UTCTimestamp(secondsSinceEpoch: IST.epochSeconds(date: session.tradingDate.adding(days: 1), secondOfDay: 0))
                let trades = try repository.trades(mode: mode, exitedFrom: from, before: before)
                let realized = trades.reduce(Int64(0)) { $0 + $1.netPnl.value }
                m.session = SessionState(
                    date: session.tradingDate.description, status: session.status.rawValue,
                    lastBar: session.lastBarAt.map { IST.dateTime($0.date).description }, recoveries: session.recoveries,
                    entriesHalted: session.haltedReason, dayStartCash: session.dayStartCash.description,
                    realizedPnL: Paise(realized).description, unrealizedPnL: Paise(unrealized).description,
                    pnl: Paise(realized + unrealized).description, trades: trades.count)
                m.breakers = try repository.riskEvents(mode: mode, from: from, before: before)
                    .filter { $0.severity != .info }
                    .suffix(8)
                    .map { "\(IST.dateTime($0.occurredAt.date).time) \($0.rule) \($0.action): \($0.message)" }
            }
            report.modes.append(m)
        }
        return report
    }

    // MARK: Stop

    public enum StopResult: Sendable, Equatable {
        case notRunning
        /// The engine exited; the outcome it recorded for the request, if it got to it.
        case stopped(outcome: String?)
        /// The engine still holds the lock after the wait.
        case stillRunning(EngineLockHolder)
    }

    /// Asks the running engine to stop (a control row it polls, and SIGTERM when it runs on this
    /// host), then waits for it to let go of the lock.
    public static func stop(store: any StateStore, flatten: Bool, by who: String, reason: String?,
                            timeout: Duration, clock: any EngineClock = SystemClock()) throws -> StopResult {
        guard let holder = try store.engineLockHolder() else { return .notRunning }
        let mode = holder.mode.flatMap(EngineMode.init(rawValue:))?.tradingMode ?? .paper
        let request = try store.requestEngineControl(EngineControlRecord(
            mode: mode, command: flatten ? .stopFlatten : .stop, requestedBy: who, reason: reason, requestedAt: clock.now()))
        signal(holder, SIGTERM)
        guard try waitForRelease(store: store, timeout: timeout, clock: clock) else { return .stillRunning(holder) }
        return .stopped(outcome: try store.engineControl(id: try request.id.required("the stop request's id"))?.outcome)
    }

    // MARK: Emergency stop

    public struct EmergencyResult: Sendable, Codable, Equatable {
        public var mode: String
        /// How the running engine was dealt with: `none running`, `stopped itself`, `killed (hung)`.
        public var engine: String
        public var engineOutcome: String?
        public var cancelledOrders: [String]
        public var closedPositions: [String]
        /// Live mode: no adapter to reach the broker with.
        public var brokerUnreachable: Bool
    }

    /// Sets the kill switch, has the running engine cancel and flatten (or, when it does not react
    /// within `timeout`, kills it), then takes the lock and closes whatever is still open through
    /// the paper broker's recorded book, at the last known prices.
    /// - Parameter accounts: the broker account of a mode; nil when the engine has no adapter for it
    ///   (the orders and positions are then left to the trader at the broker).
    public static func emergencyStop(store repository: any StateStore, accounts: (TradingMode) -> (any BrokerAccount)?,
                                     mode requested: TradingMode?,
                                     by who: String, reason: String, timeout: Duration,
                                     clock: any EngineClock = SystemClock()) throws -> EmergencyResult {
        let holder = try repository.engineLockHolder()
        let mode = requested ?? holder?.mode.flatMap(EngineMode.init(rawValue:))?.tradingMode ?? .paper
        let killSwitchReason = "emergency stop: \(reason)"
        // A hung engine may be frozen inside a write transaction, holding the database: what cannot
        // be written before it is ended is written after.
        let killSwitchSet: Bool
        if holder == nil {
            try repository.setKillSwitch(mode: mode, by: who, reason: killSwitchReason, at: clock.now())
            killSwitchSet = true
        } else {
            killSwitchSet = (try? repository.setKillSwitch(mode: mode, by: who, reason: killSwitchReason, at: clock.now())) != nil
        }
        var result = EmergencyResult(mode: mode.rawValue, engine: "none running", engineOutcome: nil, cancelledOrders: [],
                                     closedPositions: [], brokerUnreachable: false)
        var request: EngineControlRecord?
        if let holder {
            if killSwitchSet {
                request = try? repository.requestEngineControl(EngineControlRecord(
                    mode: mode, command: .emergencyStop, requestedBy: who, reason: reason, requestedAt: clock.now()))
            }
            // Asked, it may stop itself; a request that could not be written leaves only the kill.
            if request != nil { signal(holder, SIGTERM) }
            if request != nil, try waitForRelease(store: repository, timeout: timeout, clock: clock) {
                result.engine = "stopped itself"
            } else {
                // Hung: end it. Its writes stop with its process (and, on PostgreSQL, its session).
                signal(holder, SIGKILL)
                try? repository.endEngineConnection(of: holder)
                guard try waitForRelease(store: repository, timeout: .seconds(10), clock: clock) else {
                    throw EngineLockedError(holder: holder, location: repository.location)
                }
                result.engine = request == nil
                    ? "killed (it held the database and answered nothing)"
                    : "killed (it did not react within \(timeout))"
            }
            if let placed = request {
                result.engineOutcome = try repository.engineControl(id: try placed.id.required("the emergency-stop request's id"))?.outcome
            }
        }
        if !killSwitchSet {
            try repository.setKillSwitch(mode: mode, by: who, reason: killSwitchReason, at: clock.now())
        }
        let lock = try repository.acquireEngineLock(holder: EngineLockHolder(
            pid: Int64(ProcessInfo.processInfo.processIdentifier), host: ProcessInfo.processInfo.hostName,
            mode: "emergency-stop", since: clock.now().description))
        defer { lock.release() }
        guard let account = accounts(mode) else {
            result.brokerUnreachable = true
            return result
        }
        let at = try marketTimeNow(repository: repository, mode: mode, clock: clock)
        result.cancelledOrders = try account.cancelWorkingOrders(createdBefore: nil, reason: "cancelled: emergency stop by \(who)", at: at)
        result.closedPositions = try account.closePositions(reason: "emergency stop by \(who)", at: at).map { c in
            "\(c.strategy) \(c.symbol): \(c.side.rawValue) \(c.quantity) at \(Paise(c.price)) (\(c.clientOrderId)), net \(Paise(c.netPnL))"
        }
        if let request, result.engineOutcome == nil {
            try repository.markEngineControlHandled(id: try request.id.required("the emergency-stop request's id"), outcome: "taken over by emergency-stop", at: clock.now())
        }
        if let session = try repository.latestEngineSession(mode: mode), session.status == .running {
            try repository.setEngineSessionStatus(sessionId: try session.id.required("the engine session's id"), status: .stopped,
                                                  at: clock.now())
        }
        try repository.markEmergencyStopped(mode: mode, at: clock.now())
        return result
    }

    /// The market time of the engine's "now" when it is not running: the bar its last session was on.
    static func marketTimeNow(repository: any StateStore, mode: TradingMode, clock: any EngineClock) throws -> UTCTimestamp {
        if let last = try repository.latestEngineSession(mode: mode)?.lastBarAt { return last }
        if let mark = try repository.marks(mode: mode).map(\.markedAt).max() { return mark }
        return clock.now()
    }

    // MARK: Kill switch

    public enum ResetResult: Sendable, Equatable {
        case cleared(previousBy: String?, previousReason: String?)
        case notSet
    }

    public static func resetKillSwitch(repository: any StateStore, mode: TradingMode, by who: String, reason: String,
                                       clock: any EngineClock = SystemClock()) throws -> ResetResult {
        guard let state = try repository.engineState(mode: mode), state.killSwitch else { return .notSet }
        try repository.clearKillSwitch(mode: mode, by: who, reason: reason, at: clock.now())
        return .cleared(previousBy: state.killSwitchBy, previousReason: state.killSwitchReason)
    }

    // MARK: Helpers

    /// Sends a signal to the lock holder when it runs on this host.
    static func signal(_ holder: EngineLockHolder, _ sig: Int32) {
        guard let pid = holder.pid, pid > 0, holder.host == nil || holder.host == ProcessInfo.processInfo.hostName else { return }
        kill(pid_t(pid), sig)
    }

    /// Polls until no engine holds the lock; false after `timeout`.
    static func waitForRelease(store: any StateStore, timeout: Duration, clock: any EngineClock) throws -> Bool {
        let deadline = clock.monotonic() + timeout
        while true {
            if try store.engineLockHolder() == nil { return true }
            if clock.monotonic() >= deadline { return false }
            clock.sleep(for: .milliseconds(50))
        }
    }
}
