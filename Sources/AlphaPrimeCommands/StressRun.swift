import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeCore
import AlphaPrimeStore
import AlphaPrimePaper
import Foundation

/// The three parts of a `stress-test`, each on a fresh temporary SQLite database under `directory`.
struct StressRun {
    let context: ToolContext
    let directory: URL
    let deadline: Date
    let progress: Bool
    var databases = 0

    struct Throughput: Encodable {
        var symbols: Int
        var sessionsAsked: Int
        var sessions: Int
        var bars: Int
        var orders: Int
        var fills: Int
        var seconds: Double
        var barsPerSecond: Double
        var decision: EngineBenchmark.Percentiles
        var commitAndPlace: EngineBenchmark.Percentiles
        var stoppedBy: String?

        enum CodingKeys: String, CodingKey {
            case symbols, sessionsAsked = "sessions_asked", sessions, bars, orders, fills, seconds, barsPerSecond = "bars_per_second"
            case decision = "decision_ns", commitAndPlace = "commit_and_place_ns", stoppedBy = "stopped_by"
        }
    }

    struct HardDay: Encodable {
        var scenario: String
        var date: String
        var trades: Int
        var netPnL: String
        var ending: String
        var halted: String?
        var riskEvents: [String: Int]

        enum CodingKeys: String, CodingKey { case scenario, date, trades, netPnL = "net_pnl", ending, halted, riskEvents = "risk_events" }
    }

    mutating func store() throws -> StateRepository {
        databases += 1
        let database = try SQLiteConnection(path: directory.appending(path: "state-\(databases).db").path)
        try Migrator(database: database, logger: context.logger).migrate()
        return StateRepository(database: database)
    }

    func say(_ line: String) { if progress { ToolRunner.printError("stress-test: \(line)") } }

    /// The enabled strategies on `symbols` synthetic symbols for `days` sessions, one session at a
    /// time until the days are done or half the time is used.
    mutating func throughput(symbols: Int, days: Int, seed: UInt64) throws -> Throughput {
        var configuration = context.configuration
        let template = try configuration.general.instruments.first.required("an instrument in general_config.yaml")
        configuration.general.instruments = (1...symbols).map { k in
            var instrument = template
            instrument.symbol = "SYN\(k)"
            instrument.tradingSymbol = "SYN\(k)"
            return instrument
        }
        configuration.general.trading.defaultSymbols = ["SYN1"]
        for i in configuration.strategies.indices { configuration.strategies[i].symbols = configuration.general.instruments.map(\.symbol) }
        let setup = try EngineSetup(configuration: configuration)
        let sessions = Self.sessions(count: days + 2, before: IST.dateTime(Date()).date, calendar: context.calendar)
        let synthetic = StressScenarios.synthetic(symbols: symbols, days: Array(sessions.dropFirst(2)), warmup: Array(sessions.prefix(2)),
                                                  startPrice: 1_500_000, tick: Int64(template.tickSizePaise), seed: seed)
        let store = try store()
        let broker = PaperBrokerAccount(store: store, settings: PaperSettings(setup))
        var result = Throughput(symbols: symbols, sessionsAsked: days, sessions: 0, bars: 0, orders: 0, fills: 0, seconds: 0,
                                barsPerSecond: 0, decision: .init([]), commitAndPlace: .init([]), stoppedBy: nil)
        guard let firstDay = synthetic.first else { return result }
        // One session says how long a session takes here; as many more as fit in half the time follow.
        let first = try EngineBenchmark.replay([firstDay], setup: setup, calendar: context.calendar, store: store, broker: broker,
                                               persistence: "sqlite-file")
        say("session 1/\(days): \(first.bars) bars in \(String(format: "%.2f", first.seconds)) s")
        let budget = deadline.timeIntervalSinceNow / 2
        let more = min(synthetic.count - 1, first.seconds > 0 ? Int(budget / first.seconds) : synthetic.count - 1)
        var measured = first
        if more > 0 {
            measured = try EngineBenchmark.replay(Array(synthetic[1...more]), setup: setup, calendar: context.calendar, store: store,
                                                  broker: broker, persistence: "sqlite-file")
            say("sessions 2-\(more + 1): \(measured.bars) bars in \(String(format: "%.2f", measured.seconds)) s")
        }
        if more < synthetic.count - 1 { result.stoppedBy = "--duration: \(more + 1) of \(days) sessions fit in the time given" }
        for r in more > 0 ? [first, measured] : [first] {
            result.sessions += r.sessions; result.bars += r.bars; result.orders += r.orders; result.fills += r.fills
            result.seconds += r.seconds
        }
        // Latencies of the warm sessions when there are any (the first one also fills caches).
        result.decision = measured.decisionNanoseconds
        result.commitAndPlace = measured.placementNanoseconds
        result.barsPerSecond = result.seconds > 0 ? Double(result.bars) / result.seconds : 0
        return result
    }

    /// Fills recorded one durable transaction each for up to a tenth of the time left (at most 2,000).
    mutating func durableWrites() throws -> Benchmarks.StateWrites {
        let store = try store()
        // A first small batch says how fast this disk commits; the run is sized from it.
        let probe = try Benchmarks.stateWrites(database: store.database, fills: 50, batch: 1)
        let budget = max(0.5, deadline.timeIntervalSinceNow / 10)
        let fills = max(50, min(2_000, Int(probe.fillsPerSecond * budget)))
        say("durable writes: \(fills) fills, one commit each")
        return try Benchmarks.stateWrites(database: store.database, fills: fills, batch: 1)
    }

    /// The market data's two largest-move days, and the worst one gapped and stalled.
    mutating func hardDays() throws -> [HardDay] {
        let setup = try EngineSetup(configuration: context.configuration)
        let market = MarketDataStore(home: context.home)
        guard let symbol = setup.tradedSymbols.first.map({ setup.instruments[$0].symbol }) else { return [] }
        let bars = try market.load(symbol: ReplayData.folderName(symbol), timeframe: .oneMinute)
        var dates: [LocalDate] = []
        for t in bars.time {
            let d = IST.dateTime(epochSeconds: t).date
            if dates.last != d { dates.append(d) }
        }
        let recent = dates.suffix(10).filter { context.calendar.isTradingDay($0) }
        guard !recent.isEmpty else { return [] }
        let plan = try ReplayData.load(sources: recent.map { ReplaySource.date($0) }, setup: setup, calendar: context.calendar,
                                       store: market, warmupDays: 2, currentDirectory: directory)
        let worst = StressScenarios.worstDays(plan.days, count: 2)
        guard let first = worst.first else { return [] }
        let ticks = setup.instruments.map(\.tickSize)
        var scenarios: [(String, ReplayDay)] = worst.map { ("largest move", $0) }
        for g in [0.03, -0.03, 0.05, -0.05] {
            scenarios.append((String(format: "gap %+.0f%% at the open", g * 100), StressScenarios.gap(first, by: g, tick: ticks)))
        }
        scenarios.append(("feed stalled 10 minutes", StressScenarios.stall(first, afterMinutes: 60, minutes: 10)))
        var out: [HardDay] = []
        for (name, day) in scenarios {
            guard Date() < deadline else { break }
            let store = try store()
            let runner = EngineRunner(setup: setup, calendar: context.calendar, repository: store,
                                      broker: PaperBrokerAccount(store: store, settings: PaperSettings(setup)), logs: .silent,
                                      options: EngineRunOptions(mode: .paper, pid: 0, host: "stress-test"))
            let outcome = try runner.runSession(day)
            let from = UTCTimestamp(secondsSinceEpoch: day.session.openEpochSeconds - 3_600)
            let before = UTCTimestamp(secondsSinceEpoch: day.session.closeEpochSeconds + 3_600)
            var events: [String: Int] = [:]
            for e in try store.riskEvents(mode: .paper, from: from, before: before) { events["\(e.rule) \(e.action)", default: 0] += 1 }
            let session = try store.engineSession(mode: .paper, date: day.date)
            out.append(HardDay(scenario: name, date: day.date.description, trades: outcome.trades, netPnL: Paise(outcome.netPnL).description,
                               ending: "\(outcome.ending)", halted: session?.haltedReason, riskEvents: events))
            say("\(name) \(day.date): \(outcome.trades) trades, net \(Paise(outcome.netPnL))")
        }
        return out
    }

    /// The `count` trading sessions before `date`, oldest first.
    static func sessions(count: Int, before date: LocalDate, calendar: TradingCalendar) -> [TradingCalendar.Session] {
        var found: [TradingCalendar.Session] = []
        var day = date.adding(days: -1)
        while found.count < count {
            if let s = calendar.session(on: day) { found.insert(s, at: 0) }
            day = day.adding(days: -1)
        }
        return found
    }
}
