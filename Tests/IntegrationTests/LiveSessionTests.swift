import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeStore
import AlphaPrimeCore
import Foundation
import Testing

/// Sessions on the wall clock: the engine without `--replay`, its market feed Kite's ticker —
/// here kite-sim's, streaming a bundled day as ticks on its accelerated clock, which the engine
/// takes as its own.
@Suite(.serialized) struct LiveSessionTests {
    static let day = "2021-02-23"

    /// Runs `body` (a process run or a wait of a minute or more) on a thread of its own, so the
    /// tests' shared pool of threads stays free for the suites that run beside these.
    static func offPool<T>(_ body: @escaping () throws -> T) async throws -> T {
        nonisolated(unsafe) let body = body
        let result: Result<T, any Error> = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                nonisolated(unsafe) let outcome = Result { try body() }
                continuation.resume(returning: outcome)
            }
        }
        return try result.get()
    }

    /// kite-sim's market time now (UTC epoch seconds).
    static func simTime(_ sim: KiteSimProcess) throws -> Int64 {
        (try sim.sim("/sim/clock")["epoch_seconds"] as? NSNumber)?.int64Value ?? 0
    }

    /// Waits until kite-sim's clock reaches `time` (IST, on the rehearsed day).
    static func waitForSimTime(_ sim: KiteSimProcess, _ time: String) async throws -> Bool {
        let target = IST.epochSeconds(date: LocalDate(day)!, time: TimeOfDay(time)!)
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            if try simTime(sim) >= target { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try simTime(sim) >= target
    }

    /// The bars a live session recorded (built from prints or fetched from history) that differ from
    /// the home's stored day, and the stored minutes it has no bar of, described.
    static func barsUnlikeTheStoredOnes(_ home: EngineTestHome, mode: String) throws -> [String] {
        let store = MarketDataStore(root: home.home.path("data/market_data"), cache: nil)
        let date = LocalDate(day)!
        let open = IST.epochSeconds(date: date, time: TimeOfDay("09:15")!), close = IST.epochSeconds(date: date, time: TimeOfDay("15:30")!)
        var recorded: [String: [Int64: Bar]] = [:]
        for row in try home.database().query("SELECT symbol, bar_at_us, open_paise, high_paise, low_paise, close_paise, volume FROM engine_bars WHERE mode = ?", [.text(mode)]) {
            let bar = Bar(time: try row.int64("bar_at_us") / 1_000_000, open: try row.int64("open_paise"), high: try row.int64("high_paise"),
                          low: try row.int64("low_paise"), close: try row.int64("close_paise"), volume: try row.int64("volume"))
            recorded[try row.string("symbol"), default: [:]][bar.time] = bar
        }
        var unlike: [String] = []
        for (symbol, bars) in recorded.sorted(by: { $0.key < $1.key }) {
            let stored = try store.load(symbol: ReplayData.folderName(symbol), timeframe: .oneMinute, from: date, through: date)
            var byTime: [Int64: Bar] = [:]
            for i in 0..<stored.count where stored[i].time >= open && stored[i].time < close { byTime[stored[i].time] = stored[i] }
            for (time, bar) in bars.sorted(by: { $0.key < $1.key }) {
                let at = IST.dateTime(epochSeconds: time)
                guard let want = byTime[time] else { unlike.append("\(symbol) \(at): not stored"); continue }
                if (bar.open, bar.high, bar.low, bar.close) != (want.open, want.high, want.low, want.close) {
                    unlike.append("\(symbol) \(at): built \(bar.open)/\(bar.high)/\(bar.low)/\(bar.close), stored \(want.open)/\(want.high)/\(want.low)/\(want.close)")
                }
            }
            for time in byTime.keys.sorted() where bars[time] == nil && time >= (bars.keys.min() ?? .max) {
                unlike.append("\(symbol) \(IST.dateTime(epochSeconds: time)): missing")
            }
        }
        return unlike
    }

    static func count(_ database: any SQLDatabase, _ sql: String) throws -> Int64 {
        try database.queryFirst(sql)?.int64("n") ?? -1
    }

    /// A home trading live through `sim` and its ticker, with the instrument master downloaded.
    static func liveHome(_ sim: KiteSimProcess) throws -> EngineTestHome {
        let home = try EngineTestHome()
        try sim.configureLive(home.home)
        try home.home.edit("config/broker_config.yaml", replacing: "websocket_url: wss://ws.kite.trade",
                           with: "websocket_url: ws://127.0.0.1:\(sim.tickerPort)")
        let master = try ToolProcess.run("market-data", ["instruments", "--home", home.home.root.path], environment: home.environment())
        #expect(master.status == 0, "\(master.stderr)")
        return home
    }

    @Test func aLiveDayOnKiteSimsTickerEqualsThePaperReplayToThePaisa() async throws {
        let paper = try EngineTestHome()
        let paperRun = try await Self.offPool { try paper.engine(["run", "--mode", "paper", "--replay", Self.day]) }
        #expect(paperRun.status == 0, "\(paperRun.stderr)")

        let sim = try KiteSimProcess(["--market", "external", "--slippage-ticks", "1", "--ticker-date", Self.day,
                                      "--ticker-speed", "300", "--ticker-start", "09:13:00"])
        let live = try Self.liveHome(sim)
        let started = Date()
        let run = try await Self.offPool { try live.engine(["run", "--mode", "live", "--confirm-live"]) }
        let seconds = Date().timeIntervalSince(started)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("\(Self.day) live: completed"), "\(run.stdout)")

        // The bars the session built from ticks are the stored bars.
        let db = try live.database()
        for (symbol, folder) in [("NIFTY 50", "NIFTY50"), ("BANKNIFTY", "BANKNIFTY")] {
            let stored = try BundledBars.day(folder, Self.day)
            let built = try db.query("SELECT bar_at_us, open_paise, high_paise, low_paise, close_paise, volume FROM engine_bars "
                                     + "WHERE symbol = ? ORDER BY bar_at_us", [.text(symbol)]).map { row in
                Bar(time: try row.int64("bar_at_us") / 1_000_000, open: try row.int64("open_paise"), high: try row.int64("high_paise"),
                    low: try row.int64("low_paise"), close: try row.int64("close_paise"), volume: try row.int64("volume"))
            }
            #expect(built.count == stored.count, "\(symbol)")
            if let i = built.indices.first(where: { $0 >= stored.count || built[$0] != stored[$0] }) {
                Issue.record("\(symbol) bar \(i): built \(built[i]) vs stored \(i < stored.count ? "\(stored[i])" : "none")")
            }
        }
        let expected = try KiteRehearsalTests.Comparable(paper.database())
        let rehearsed = try KiteRehearsalTests.Comparable(live.database())
        #expect(!expected.fills.isEmpty, "the day trades")
        #expect(rehearsed.firstDifference(from: expected) == nil)
        #expect(rehearsed.netPnL == expected.netPnL)
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

    /// India VIX from the feed: kite-sim streams INDIA VIX (from daily bars in its data folder) and
    /// the engine's home stores no VIX series. The previous close the packets carry (2021-02-22:
    /// 25.47) is above the filter's maximum (set to 25 here), so the filter, inactive without a
    /// series until the feed spoke, refuses every entry of the day; the value is recorded as a risk
    /// event a restart would replay.
    @Test func theDaysIndiaVIXComesFromTheFeedAndTheFilterActsOnIt() async throws {
        let vixData = try EngineTestHome()
        let vixFile = TestHome.repositoryRoot.appending(path: "Tests/AlphaPrimeTests/Fixtures/risk/india_vix_2021-02-15_2021-03-12.csv")
        let imported = try ToolProcess.run("market-data", ["import", "--format", "nse", "--symbol", "INDIAVIX", vixFile.path],
                                           environment: vixData.environment())
        #expect(imported.status == 0, "\(imported.stderr)")
        let sim = try KiteSimProcess(["--market", "external", "--slippage-ticks", "1", "--ticker-date", Self.day,
                                      "--ticker-speed", "300", "--ticker-start", "14:40:00"],
                                     data: vixData.home.path("data/market_data"))
        let live = try Self.liveHome(sim)
        try live.home.edit("config/risk_config.yaml", replacing: "  max: 30", with: "  max: 25")
        #expect(!FileManager.default.fileExists(atPath: live.home.path("data/market_data/INDIAVIX").path))
        let run = try await Self.offPool { try live.engine(["run", "--mode", "live", "--confirm-live"]) }
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("\(Self.day) live: completed"), "\(run.stdout)")
        let db = try live.database()
        let taken = try db.query("SELECT message FROM risk_events WHERE rule = 'vix_filter' AND action = 'vix_from_feed'").map { try $0.string("message") }
        #expect(taken.count == 1 && taken.first?.hasPrefix("25.47 India VIX from the live feed") == true, "\(taken)")
        #expect(try Self.count(db, "SELECT COUNT(*) AS n FROM risk_events WHERE rule = 'vix_filter' AND action = 'rejected'") >= 1)
        #expect(try Self.count(db, "SELECT COUNT(*) AS n FROM orders") == 0, "no entry at a VIX above the band")
        let log = try live.home.logFiles().values.joined(separator: "\n")
        #expect(log.contains("India VIX from the live feed") && log.contains("new entries refused today"))
    }

    /// The socket dropped mid-session and a ten-minute tick stall: the feed reconnects, goes stale,
    /// pauses entries and resumes; the day completes with nothing sent twice and the events recorded.
    @Test func aDroppedSocketAndATickStallEndReconciledWithTheEventsRecorded() async throws {
        let sim = try KiteSimProcess(["--market", "external", "--slippage-ticks", "1", "--ticker-date", Self.day,
                                      "--ticker-speed", "300", "--ticker-start", "09:13:00"])
        let live = try Self.liveHome(sim)
        // Stale after 30 market seconds without a print.
        let engine = try live.start(["run", "--mode", "live", "--confirm-live"])
        defer { if engine.isRunning { engine.kill() } }
        #expect(try await Self.waitForSimTime(sim, "10:30"))
        _ = try sim.sim("/sim/faults", form: [("ticker_drop", "1")])
        #expect(try await Self.waitForSimTime(sim, "12:00"))
        // Ten market minutes (2 real seconds at 300x): long enough that an engine starved of CPU by
        // the suites beside it still loops while nothing arrives (a stall it never saw go by could
        // not have been traded through, so it is not stale).
        _ = try sim.sim("/sim/faults", form: [("ticker_stall_seconds", "600")])
        let end = try await Self.offPool { engine.wait() }
        #expect(end.status == 0, "\(end.stderr)")
        #expect(end.stdout.contains("\(Self.day) live: completed"), "\(end.stdout)")
        #expect(end.stderr.contains("the market feed is stale") && end.stderr.contains("entries resume"), "\(end.stderr)")
        let db = try live.database()
        #expect(try Self.count(db, "SELECT COUNT(*) AS n FROM risk_events WHERE rule = 'feed_stale' AND action = 'entries_paused'") >= 1)
        #expect(try Self.count(db, "SELECT COUNT(*) AS n FROM risk_events WHERE rule = 'feed_stale' AND action = 'entries_resumed'") >= 1)
        #expect(try Self.count(db, "SELECT COUNT(*) AS n FROM orders WHERE status NOT IN ('FILLED', 'CANCELLED', 'REJECTED')") == 0)
        let stats = try sim.sim("/sim/stats")
        #expect(stats["duplicate_tags"] as? Int == 0)
        #expect((stats["ticker_connections_ever"] as? Int ?? 0) >= 2, "the feed connected again after the drop")
        #expect(try Self.count(db, "SELECT COUNT(*) AS n FROM orders") == Int64(stats["orders_in_book"] as? Int ?? -1))
        let log = try live.home.logFiles().values.joined(separator: "\n")
        #expect(log.contains("the Kite ticker connection ended") || log.contains("the live feed lost its connection"))
    }

    /// A session on the live feed, the engine killed mid-session and started again: it replays the
    /// bars it recorded (a live session's fills taken from the record, not from kite-sim again),
    /// fetches the minutes it missed from kite-sim's history, hands the orders still working back to
    /// the broker, and the day ends equal to the paper replay of the same date, nothing sent or
    /// counted twice.
    @Test(arguments: ["paper", "live"])
    func anEngineKilledMidSessionResumesAndTheDayEqualsThePaperReplay(mode: String) async throws {
        let paper = try EngineTestHome()
        #expect(try await Self.offPool { try paper.engine(["run", "--mode", "paper", "--replay", Self.day]) }.status == 0)
        let sim = try KiteSimProcess(["--market", "external", "--slippage-ticks", "1", "--ticker-date", Self.day,
                                      "--ticker-speed", "300", "--ticker-start", "09:13:00"])
        let live = try Self.liveHome(sim)
        let arguments = ["run", "--mode", mode] + (mode == "live" ? ["--confirm-live"] : [])
        let first = try live.start(arguments)
        defer { if first.isRunning { first.kill() } }
        #expect(try await Self.waitForSimTime(sim, "11:00"))
        first.kill()
        _ = try await Self.offPool { first.wait() }
        #expect(try await Self.waitForSimTime(sim, "11:10"))
        let second = try await Self.offPool { try live.engine(arguments) }
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("\(Self.day) \(mode): completed") && second.stdout.contains("resumed"), "\(second.stdout)")
        let expected = try KiteRehearsalTests.Comparable(paper.database())
        let resumed = try KiteRehearsalTests.Comparable(live.database())
        let log = try live.home.logFiles().values.joined(separator: "\n")
        #expect(log.contains("fetched from the broker's history"))
        #expect(log.contains("database and broker agree"), "reconciled: the positions after the replay equal the broker's")
        #expect(try Self.count(live.database(), "SELECT COUNT(*) AS n FROM orders WHERE status NOT IN ('FILLED', 'CANCELLED', 'REJECTED')") == 0)
        // Equal to the paper replay to the paisa: every bar the session used equals the stored one.
        let difference = resumed.firstDifference(from: expected)
        #expect(difference == nil, "net \(Paise(resumed.netPnL)) vs \(Paise(expected.netPnL))")
        #expect(resumed.netPnL == expected.netPnL)
        let bars = try Self.barsUnlikeTheStoredOnes(live, mode: mode)
        #expect(bars.isEmpty, "bars the session built that differ from the stored day: \(bars.joined(separator: "; "))")
        if mode == "live" {
            // Every order in kite-sim's book once, and the database agrees with it.
            let stats = try sim.sim("/sim/stats")
            #expect(stats["duplicate_tags"] as? Int == 0)
            #expect(try Self.count(live.database(), "SELECT COUNT(*) AS n FROM orders") == Int64(stats["orders_in_book"] as? Int ?? -1))
            #expect(log.contains("database and broker agree"), "the positions after the replay equal Kite's")
        }
    }
}
