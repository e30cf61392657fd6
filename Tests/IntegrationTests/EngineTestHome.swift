import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeExecution
import AlphaPrimeCore
import AlphaPrimePaper
import AlphaPrimeStore
import AlphaPrimeConfig
import AlphaPrimeLogs
import AlphaPrimeOps
import AlphaPrimeCommands
import Foundation
import Testing

/// A throwaway home for engine runs: the repository's config/ and sample market data, an optional
/// PostgreSQL schema, and helpers to start the built `engine` in the background and kill it.
final class EngineTestHome {
    let home: TestHome
    /// `DATABASE_URL` for the runs; nil for the home's SQLite file.
    let databaseURL: String?
    private let schema: TestPostgres.Schema?

    init(postgres: Bool = false, killSwitchDailyLossPct: String? = "50.0") throws {
        home = try TestHome()
        try FileManager.default.createDirectory(at: home.path("data"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: TestHome.repositoryRoot.appending(path: "data/market_data"),
                                         to: home.path("data/market_data"))
        if let pct = killSwitchDailyLossPct {
            // The sample days are busy under the shipped rules; let them run to their close.
            try home.edit("config/risk_config.yaml", replacing: "daily_loss_pct: 3.0", with: "daily_loss_pct: \(pct)")
            if let value = Double(pct), value < 2.0 {
                // A kill switch below the 2% daily max loss it backs is refused: the soft limits come down with it.
                try home.edit("config/risk_config.yaml", replacing: "daily_max_loss_pct: 2.0", with: "daily_max_loss_pct: \(pct)")
                try home.edit("config/risk_config.yaml", replacing: "per_trade_risk_pct: 0.5", with: "per_trade_risk_pct: \(min(value, 0.5))")
            }
        }
        if postgres {
            let schema = try TestPostgres.makeSchema()
            self.schema = schema
            databaseURL = schema.url()
        } else {
            schema = nil
            databaseURL = nil
        }
    }

    deinit {
        schema?.drop()
        home.remove()
    }

    func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var env = home.environment(extra)
        if let databaseURL { env["DATABASE_URL"] = databaseURL }
        return env
    }

    /// Runs the engine to its end.
    @discardableResult
    func engine(_ arguments: [String], _ extra: [String: String] = [:]) throws -> ToolProcess.Result {
        try ToolProcess.run("engine", arguments, environment: environment(extra))
    }

    /// Opens the home's state database.
    func database() throws -> any SQLDatabase {
        if let databaseURL { return try PostgresConnection(url: databaseURL) }
        return try SQLiteConnection(path: home.path("var/alpha_prime.db").path)
    }

    /// Starts the engine in the background; output goes to files in the home.
    func start(_ arguments: [String], _ extra: [String: String] = [:]) throws -> BackgroundTool {
        try BackgroundTool(tool: "engine", arguments: arguments, environment: environment(extra), directory: home.root)
    }
}

/// A built tool running in the background.
final class BackgroundTool {
    let process = Process()
    let stdoutURL: URL
    let stderrURL: URL

    init(tool: String, arguments: [String], environment: [String: String], directory: URL) throws {
        let tag = UUID().uuidString.prefix(8)
        stdoutURL = directory.appending(path: "\(tool)-\(tag).out")
        stderrURL = directory.appending(path: "\(tool)-\(tag).err")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        process.executableURL = ToolProcess.buildDirectory.appending(path: tool)
        process.arguments = arguments
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        try process.run()
    }

    /// Runs any program (a runbook script) in a process group of its own (through setsid), so
    /// ``killGroup(_:)`` reaches the tools it started too.
    init(program: URL, arguments: [String], environment: [String: String], directory: URL) throws {
        let tag = UUID().uuidString.prefix(8)
        stdoutURL = directory.appending(path: "\(program.lastPathComponent)-\(tag).out")
        stderrURL = directory.appending(path: "\(program.lastPathComponent)-\(tag).err")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        process.executableURL = URL(filePath: "/usr/bin/setsid")
        process.arguments = [program.path] + arguments
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        try process.run()
    }

    /// Kills the process and every process of its group (a script and the tools it runs), and
    /// waits (up to 10 s) until none of them is left, as after a crash the machine has cleaned up.
    func killGroup(_ signal: Int32 = SIGKILL) {
        let group = process.processIdentifier
        Foundation.kill(-group, signal)
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, Foundation.kill(-group, 0) == 0 { Thread.sleep(forTimeInterval: 0.02) }
    }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }

    func kill(_ signal: Int32 = SIGKILL) { Foundation.kill(process.processIdentifier, signal) }

    /// Waits for the process to end; returns its status (the signal number when it was killed) and output.
    func wait() -> (status: Int32, killed: Bool, stdout: String, stderr: String) {
        process.waitUntilExit()
        let out = (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? ""
        let err = (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? ""
        return (process.terminationStatus, process.terminationReason == .uncaughtSignal, out, err)
    }

    /// Polls `condition` every 50 ms until it holds or `seconds` pass.
    static func waitUntil(seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return try condition()
    }
}

/// Everything a replayed session leaves in the state database that must not depend on crashes and
/// restarts, row by row, with database ids replaced by client order ids.
struct EngineRecord: Equatable, CustomStringConvertible {
    var orders: [String]
    var fills: [String]
    var trades: [String]
    var snapshots: [String]
    var riskEvents: [String]
    var netPnL: Int64
    var clientOrderIds: [String]

    static func read(_ database: any SQLDatabase) throws -> EngineRecord {
        func rows(_ sql: String) throws -> [String] {
            try database.query(sql).map { $0.values.map(\.description).joined(separator: "|") }
        }
        return EngineRecord(
            orders: try rows("""
                SELECT mode, client_order_id, broker_order_id, strategy, symbol, side, order_type, quantity, limit_price_paise,
                    trigger_price_paise, status, filled_quantity, average_price_paise, status_reason, created_at_us, updated_at_us
                FROM orders ORDER BY created_at_us, client_order_id
                """),
            fills: try rows("""
                SELECT o.client_order_id, f.broker_trade_id, f.quantity, f.price_paise, f.charges_paise, f.filled_at_us
                FROM fills f JOIN orders o ON o.id = f.order_id ORDER BY f.filled_at_us, o.client_order_id, f.broker_trade_id
                """),
            trades: try rows("""
                SELECT t.strategy, t.symbol, t.side, t.quantity, t.entry_price_paise, t.exit_price_paise, t.entry_at_us, t.exit_at_us,
                    t.gross_pnl_paise, t.charges_paise, t.net_pnl_paise, e.client_order_id, x.client_order_id, t.exit_reason
                FROM trades t LEFT JOIN orders e ON e.id = t.entry_order_id LEFT JOIN orders x ON x.id = t.exit_order_id
                ORDER BY t.exit_at_us, t.strategy, t.symbol
                """),
            snapshots: try rows("""
                SELECT recorded_at_us, cash_paise, positions_value_paise, equity_paise, realized_pnl_paise, unrealized_pnl_paise,
                    open_positions FROM portfolio_history ORDER BY recorded_at_us, id
                """),
            riskEvents: try rows("SELECT occurred_at_us, rule, severity, action, strategy, symbol, message FROM risk_events ORDER BY occurred_at_us, id"),
            netPnL: try database.queryFirst("SELECT COALESCE(SUM(net_pnl_paise), 0) AS net FROM trades")?.int64("net") ?? 0,
            clientOrderIds: try database.query("SELECT client_order_id AS id FROM orders ORDER BY client_order_id").map { try $0.string("id") })
    }

    var description: String {
        "\(orders.count) orders, \(fills.count) fills, \(trades.count) trades, \(snapshots.count) snapshots, net \(Paise(netPnL))"
    }

    func firstDifference(from other: EngineRecord) -> String? {
        for (name, a, b) in [("orders", orders, other.orders), ("fills", fills, other.fills), ("trades", trades, other.trades),
                             ("snapshots", snapshots, other.snapshots), ("risk events", riskEvents, other.riskEvents)] where a != b {
            if a.count != b.count { return "\(name): \(a.count) rows vs \(b.count)" }
            if let i = a.indices.first(where: { a[$0] != b[$0] }) { return "\(name) row \(i): \(a[i]) vs \(b[i])" }
        }
        return nil
    }
}
