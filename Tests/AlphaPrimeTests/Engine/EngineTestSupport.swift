import Foundation
import Testing
@testable import AlphaPrimeSupport
@testable import AlphaPrimeDomain
@testable import AlphaPrimeExecution
@testable import AlphaPrimeCore
@testable import AlphaPrimePaper
@testable import AlphaPrimeStore
@testable import AlphaPrimeConfig
@testable import AlphaPrimeLogs
@testable import AlphaPrimeOps
@testable import AlphaPrimeCommands

/// The shipped configuration and the committed sample bars, ready for in-process engine runs.
struct EngineFixture {
    let configuration: AlphaPrimeConfiguration
    let setup: EngineSetup
    let calendar: TradingCalendar

    /// The repository's configuration with a risk preset (`dev`: one lot, wide limits — a busy day;
    /// nil: the default rules); `killSwitchDailyLossPct` moves the kill switch's daily limit,
    /// `dailyMaxLossPct` the daily max loss.
    init(riskPreset: String? = nil, killSwitchDailyLossPct: Double? = nil, dailyMaxLossPct: Double? = nil) throws {
        let home = try ConfigTestHome()
        var configuration = try home.load(environment: [:], riskPreset: riskPreset)
        if let pct = killSwitchDailyLossPct { configuration.risk.killSwitch.dailyLossPct = pct }
        if let pct = dailyMaxLossPct { configuration.risk.risk.dailyMaxLossPct = pct }
        self.configuration = configuration
        setup = try EngineSetup(configuration: configuration)
        calendar = try TradingCalendar(config: configuration.tradingHours)
    }

    static var store: MarketDataStore {
        MarketDataStore(root: ConfigTestHome.repositoryRoot.appending(path: "data/market_data", directoryHint: .isDirectory), cache: nil)
    }

    /// Replay days from the committed sample data.
    func days(_ dates: [String], warmupDays: Int = 2) throws -> [ReplayDay] {
        try ReplayData.load(sources: dates.map(ReplaySource.init), setup: setup, calendar: calendar, store: Self.store,
                            warmupDays: warmupDays, currentDirectory: ConfigTestHome.repositoryRoot).days
    }

    func runner(_ repository: StateRepository?, mode: EngineMode = .paper, measureLatency: Bool = false,
                afterCommit: ((Int) throws -> Void)? = nil) -> EngineRunner {
        let broker = mode == .monitor ? nil : PaperBrokerAccount(store: repository, mode: mode.tradingMode, settings: PaperSettings(setup))
        let runner = EngineRunner(setup: setup, calendar: calendar, repository: repository, broker: broker, logs: .silent,
                                  options: EngineRunOptions(mode: mode, measureLatency: measureLatency, pid: 1, host: "test"))
        runner.afterCommit = afterCommit
        return runner
    }
}

/// Thrown by the commit hook to stop a run the way a crash would: after a commit, nothing more written.
struct SimulatedCrash: Error {}

/// Everything a session leaves in the database that must not depend on crashes and restarts,
/// each row as text with database ids replaced by client order ids.
struct SessionRecord: Equatable, CustomStringConvertible {
    var orders: [String]
    var fills: [String]
    var trades: [String]
    var snapshots: [String]
    var riskEvents: [String]
    var performance: [String]
    var sessions: [String]

    var netPnL: Int64

    static func read(_ database: any SQLDatabase) throws -> SessionRecord {
        func rows(_ sql: String) throws -> [String] {
            try database.query(sql).map { $0.values.map(\.description).joined(separator: "|") }
        }
        let net = try database.queryFirst("SELECT COALESCE(SUM(net_pnl_paise), 0) AS net FROM trades")?.int64("net") ?? 0
        return SessionRecord(
            orders: try rows("""
                SELECT mode, client_order_id, broker_order_id, strategy, symbol, side, order_type, product, quantity,
                    limit_price_paise, trigger_price_paise, status, filled_quantity, average_price_paise, status_reason,
                    created_at_us, updated_at_us
                FROM orders ORDER BY created_at_us, client_order_id
                """),
            fills: try rows("""
                SELECT f.mode, o.client_order_id, f.broker_trade_id, f.quantity, f.price_paise, f.charges_paise, f.filled_at_us
                FROM fills f JOIN orders o ON o.id = f.order_id ORDER BY f.filled_at_us, o.client_order_id, f.broker_trade_id
                """),
            trades: try rows("""
                SELECT t.mode, t.strategy, t.symbol, t.side, t.quantity, t.entry_price_paise, t.exit_price_paise, t.entry_at_us,
                    t.exit_at_us, t.gross_pnl_paise, t.charges_paise, t.net_pnl_paise, e.client_order_id, x.client_order_id, t.exit_reason
                FROM trades t LEFT JOIN orders e ON e.id = t.entry_order_id LEFT JOIN orders x ON x.id = t.exit_order_id
                ORDER BY t.exit_at_us, t.strategy, t.symbol
                """),
            snapshots: try rows("""
                SELECT mode, recorded_at_us, cash_paise, positions_value_paise, equity_paise, realized_pnl_paise,
                    unrealized_pnl_paise, open_positions FROM portfolio_history ORDER BY recorded_at_us, id
                """),
            riskEvents: try rows("""
                SELECT mode, occurred_at_us, rule, severity, action, strategy, symbol, message FROM risk_events
                ORDER BY occurred_at_us, id
                """),
            performance: try rows("""
                SELECT mode, strategy, trading_date, trades, wins, losses, gross_pnl_paise, charges_paise, net_pnl_paise,
                    max_drawdown_paise FROM strategy_performance ORDER BY trading_date, strategy
                """),
            sessions: try rows("""
                SELECT mode, trading_date, status, day_start_cash_paise, deferred_rows, last_bar_at_us, halted_reason
                FROM engine_sessions ORDER BY trading_date
                """),
            netPnL: net)
    }

    var description: String {
        "\(orders.count) orders, \(fills.count) fills, \(trades.count) trades, \(snapshots.count) snapshots, "
            + "\(riskEvents.count) risk events, net \(Paise(netPnL))"
    }

    /// The first difference, for a readable failure.
    func firstDifference(from other: SessionRecord) -> String? {
        for (name, a, b) in [("orders", orders, other.orders), ("fills", fills, other.fills), ("trades", trades, other.trades),
                             ("snapshots", snapshots, other.snapshots), ("risk events", riskEvents, other.riskEvents),
                             ("performance", performance, other.performance), ("sessions", sessions, other.sessions)] where a != b {
            if a.count != b.count { return "\(name): \(a.count) rows vs \(b.count)" }
            if let i = a.indices.first(where: { a[$0] != b[$0] }) { return "\(name) row \(i): \(a[i]) vs \(b[i])" }
        }
        return nil
    }
}

/// A migrated in-memory database.
func migratedMemoryDatabase() throws -> any SQLDatabase {
    let database = try SQLiteConnection(path: ":memory:")
    try Migrator(database: database, logger: quietLogger).migrate()
    return database
}

/// The paper broker's session seen through a test's wire: every command and market hook goes to the
/// paper broker, which stays the truth (what it executed, what it was sent); ``relay(_:into:)`` is
/// what the engine hears of its events, as they came unless a subclass repeats or holds some back.
class PaperBrokerWire: Broker, SimulatedMarket {
    let inner: PaperBroker
    /// Broker trade ids of the executions the paper broker made.
    private(set) var executions: Set<String> = []
    /// Client order ids the broker was sent or took back into its working set.
    private(set) var known: Set<String> = []
    var name: String { "wired \(inner.name)" }

    init(_ inner: PaperBroker) { self.inner = inner }

    func relay(_ fresh: [BrokerEvent], into events: inout [BrokerEvent]) { events.append(contentsOf: fresh) }

    func takeEvents(into events: inout [BrokerEvent]) {
        var fresh: [BrokerEvent] = []
        inner.takeEvents(into: &fresh)
        for case .filled(_, let tradeId) in fresh { executions.insert(tradeId) }
        relay(fresh, into: &events)
    }

    func submit(_ request: BrokerOrderRequest) { known.insert(request.clientOrderId); inner.submit(request) }
    func requestCancel(orderID: Int64, clientOrderId: String) { inner.requestCancel(orderID: orderID, clientOrderId: clientOrderId) }
    func requestModify(orderID: Int64, clientOrderId: String, triggerPrice: Int64) {
        inner.requestModify(orderID: orderID, clientOrderId: clientOrderId, triggerPrice: triggerPrice)
    }
    func orders() throws -> [BrokerOrder] { try inner.orders() }
    func positions() throws -> [BrokerPosition] { try inner.positions() }
    func fills() throws -> [BrokerFill] { try inner.fills() }

    func marketBar(_ bar: Bar, symbol: SymbolID) { inner.marketBar(bar, symbol: symbol) }
    func marketRestOfBar(_ bar: Bar, symbol: SymbolID) { inner.marketRestOfBar(bar, symbol: symbol) }
    func fillMarketOrdersAtLastPrice(symbol: SymbolID, time: Int64) { inner.fillMarketOrdersAtLastPrice(symbol: symbol, time: time) }
    func adopt(_ order: OrderRequest, clientOrderId: String, countedFills: [BrokerFill]) {
        known.insert(clientOrderId)
        inner.adopt(order, clientOrderId: clientOrderId, countedFills: countedFills)
    }
    func forget(orderID: Int64) { inner.forget(orderID: orderID) }
}

/// The paper account of one engine process whose sessions go through wires `wire` makes (given the
/// session's paper broker and how many sessions came before).
final class WiredPaperAccount: BrokerAccount {
    let inner: PaperBrokerAccount
    let wire: (PaperBroker, Int) -> PaperBrokerWire
    private(set) var wires: [PaperBrokerWire] = []
    var name: String { inner.name }

    init(_ inner: PaperBrokerAccount, wire: @escaping (PaperBroker, Int) -> PaperBrokerWire) {
        self.inner = inner
        self.wire = wire
    }

    var executions: Set<String> { wires.reduce(into: []) { $0.formUnion($1.executions) } }
    var known: Set<String> { wires.reduce(into: []) { $0.formUnion($1.known) } }

    func cash(at time: UTCTimestamp) throws -> Int64 { try inner.cash(at: time) }
    func positions() throws -> [BrokerPosition] { try inner.positions() }
    func session(date: LocalDate, open: UTCTimestamp, close: UTCTimestamp) throws -> BrokerSession {
        let session = try inner.session(date: date, open: open, close: close)
        let paper = try #require(session.broker as? PaperBroker)
        let made = wire(paper, wires.count)
        wires.append(made)
        return BrokerSession(broker: made, market: made)
    }
    func settle(before open: UTCTimestamp, at time: UTCTimestamp) throws -> (expired: [String], closed: [ClosedPosition]) {
        try inner.settle(before: open, at: time)
    }
    func cancelWorkingOrders(createdBefore before: UTCTimestamp?, reason: String, at time: UTCTimestamp) throws -> [String] {
        try inner.cancelWorkingOrders(createdBefore: before, reason: reason, at: time)
    }
    func closePositions(reason: String, at time: UTCTimestamp) throws -> [ClosedPosition] {
        try inner.closePositions(reason: reason, at: time)
    }
}
