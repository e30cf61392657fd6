import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeStore
import Foundation
import Testing

/// Sessions on the wall clock: the engine without `--replay`, its market feed Kite's ticker —
/// here kite-sim's, streaming a bundled day as ticks on its accelerated clock, which the engine
/// takes as its own.
@Suite(.serialized) struct LiveSessionTests {
    static let day = "2021-02-23"

    /// The ticker's port, from kite-sim's second line.
    static func tickerPort(_ sim: KiteSimProcess) throws -> Int {
        let out = try String(contentsOf: sim.tool.stdoutURL, encoding: .utf8)
        let prefix = "kite-sim ticker on ws://127.0.0.1:"
        let line = try #require(out.split(separator: "\n").first { $0.hasPrefix(prefix) })
        return try #require(Int(line.dropFirst(prefix.count)))
    }

    /// A home trading live through `sim` and its ticker, with the instrument master downloaded.
    static func liveHome(_ sim: KiteSimProcess) throws -> EngineTestHome {
        let home = try EngineTestHome()
        try sim.configureLive(home.home)
        try home.home.edit("config/broker_config.yaml", replacing: "websocket_url: wss://ws.kite.trade",
                           with: "websocket_url: ws://127.0.0.1:\(try tickerPort(sim))")
        let master = try ToolProcess.run("market-data", ["instruments", "--home", home.home.root.path], environment: home.environment())
        #expect(master.status == 0, "\(master.stderr)")
        return home
    }

    @Test func aLiveDayOnKiteSimsTickerEqualsThePaperReplayToThePaisa() throws {
        let paper = try EngineTestHome()
        let paperRun = try paper.engine(["run", "--mode", "paper", "--replay", Self.day])
        #expect(paperRun.status == 0, "\(paperRun.stderr)")

        let sim = try KiteSimProcess(["--market", "external", "--slippage-ticks", "1", "--ticker-date", Self.day,
                                      "--ticker-speed", "300", "--ticker-start", "09:13:00"])
        let live = try Self.liveHome(sim)
        let started = Date()
        let run = try live.engine(["run", "--mode", "live", "--confirm-live"])
        let seconds = Date().timeIntervalSince(started)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("\(Self.day) live: completed"), "\(run.stdout)")

        let expected = try KiteRehearsalTests.Comparable(paper.database())
        let rehearsed = try KiteRehearsalTests.Comparable(live.database())
        #expect(!expected.fills.isEmpty, "the day trades")
        #expect(rehearsed.firstDifference(from: expected) == nil)
        #expect(rehearsed.netPnL == expected.netPnL)
        // The bars the session built from ticks are the stored bars.
        let db = try live.database()
        let built = try db.queryFirst("SELECT COUNT(*) AS n FROM engine_bars WHERE mode = 'live'")?.int64("n") ?? 0
        let stored = try db.queryFirst("SELECT COUNT(*) AS n FROM engine_bars")?.int64("n") ?? -1
        #expect(built == stored && built > 700, "both symbols' 375 minutes")
        let stats = try sim.sim("/sim/stats")
        #expect(stats["duplicate_tags"] as? Int == 0)
        print("live session on kite-sim's ticker (\(Self.day), 300x): \(rehearsed.orders.count) orders, \(rehearsed.fills.count) fills, "
              + "net \(Paise(rehearsed.netPnL)), \(built) bars built from ticks, \(String(format: "%.1f", seconds)) s")
        for text in [run.stdout, run.stderr] + (try live.home.logFiles().values) {
            #expect(!text.contains(KiteSimProcess.apiSecret) && !text.contains(KiteSimProcess.accessToken))
        }
    }
}
