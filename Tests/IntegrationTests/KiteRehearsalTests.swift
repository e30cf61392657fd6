import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeStore
import Foundation
import Testing

/// A live day rehearsed against kite-sim: `engine run --mode live --replay DAY --confirm-live`
/// places every order through the Kite adapter over HTTP while each replayed bar goes to
/// kite-sim's market; the same day in paper mode must give the same orders, fills and P&L to the
/// paisa.
@Suite(.serialized) struct KiteRehearsalTests {
    static let day = "2021-02-23"

    /// The records of a run without what differs by broker: the mode, the broker's order and trade
    /// ids, and the status reasons' wording.
    struct Comparable: Equatable {
        var orders: [String]
        var fills: [String]
        var trades: [String]
        var netPnL: Int64

        init(_ database: any SQLDatabase) throws {
            func rows(_ sql: String) throws -> [String] {
                try database.query(sql).map { $0.values.map(\.description).joined(separator: "|") }
            }
            orders = try rows("""
                SELECT client_order_id, strategy, symbol, side, order_type, quantity, limit_price_paise, trigger_price_paise, status,
                    filled_quantity, average_price_paise, created_at_us
                FROM orders ORDER BY created_at_us, client_order_id
                """)
            fills = try rows("""
                SELECT o.client_order_id, f.quantity, f.price_paise, f.charges_paise, f.filled_at_us
                FROM fills f JOIN orders o ON o.id = f.order_id ORDER BY f.filled_at_us, o.client_order_id
                """)
            trades = try rows("""
                SELECT t.strategy, t.symbol, t.side, t.quantity, t.entry_price_paise, t.exit_price_paise, t.entry_at_us, t.exit_at_us,
                    t.gross_pnl_paise, t.charges_paise, t.net_pnl_paise, t.exit_reason
                FROM trades t ORDER BY t.exit_at_us, t.strategy, t.symbol
                """)
            netPnL = try database.queryFirst("SELECT COALESCE(SUM(net_pnl_paise), 0) AS net FROM trades")?.int64("net") ?? 0
        }

        func firstDifference(from other: Comparable) -> String? {
            for (name, a, b) in [("orders", orders, other.orders), ("fills", fills, other.fills), ("trades", trades, other.trades)] where a != b {
                if a.count != b.count { return "\(name): \(a.count) rows vs \(b.count)" }
                if let i = a.indices.first(where: { a[$0] != b[$0] }) { return "\(name) row \(i): \(a[i]) vs \(b[i])" }
            }
            return nil
        }
    }

    @Test func aLiveRehearsalAgainstKiteSimEqualsThePaperDayToThePaisa() throws {
        let paper = try EngineTestHome()
        let paperRun = try paper.engine(["run", "--mode", "paper", "--replay", Self.day])
        #expect(paperRun.status == 0, "\(paperRun.stderr)")

        let sim = try KiteSimProcess(["--market", "external", "--slippage-ticks", "1"])
        let live = try EngineTestHome()
        try sim.configureLive(live.home)
        let started = Date()
        let liveRun = try live.engine(["run", "--mode", "live", "--replay", Self.day, "--confirm-live"])
        let seconds = Date().timeIntervalSince(started)
        #expect(liveRun.status == 0, "\(liveRun.stderr)")

        let expected = try Comparable(paper.database())
        let rehearsed = try Comparable(live.database())
        #expect(!expected.fills.isEmpty, "the day trades")
        #expect(rehearsed.firstDifference(from: expected) == nil)
        #expect(rehearsed == expected)
        let stats = try sim.sim("/sim/stats")
        #expect(stats["duplicate_tags"] as? Int == 0)
        #expect(stats["orders_in_book"] as? Int == expected.orders.count, "every order went to kite-sim")
        print("live rehearsal of \(Self.day): \(rehearsed.orders.count) orders, \(rehearsed.fills.count) fills, net \(Paise(rehearsed.netPnL)), "
              + "\(String(format: "%.1f", seconds)) s")
        // The key's secret and the access token appear in no output, log or database row.
        let dump = try live.database().query("SELECT * FROM orders").map { $0.values.map(\.description).joined(separator: "|") }
        for text in [liveRun.stdout, liveRun.stderr] + (try live.home.logFiles().values) + dump {
            #expect(!text.contains(KiteSimProcess.apiSecret) && !text.contains(KiteSimProcess.accessToken))
        }
        // Recorded as live, with Kite's order ids.
        let modes = try live.database().query("SELECT DISTINCT mode FROM orders").map { try $0.string("mode") }
        #expect(modes == ["live"])
    }
}
