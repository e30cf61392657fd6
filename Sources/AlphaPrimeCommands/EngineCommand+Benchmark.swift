import AlphaPrimeCore
import AlphaPrimePaper
import AlphaPrimeStore
import AlphaPrimeAlerts
import AlphaPrimeHTTP
import AlphaPrimeRedis
import AlphaPrimeDomain
import ArgumentParser
import Foundation

extension EngineCommand {
    /// Figures for the benchmark suite: replayed sessions without a database, with an in-memory
    /// SQLite database and with a SQLite file (`synchronous=FULL`), and the decision latency of
    /// every order. Nothing is asserted; build with `-c release` for meaningful numbers.
    public struct Benchmark: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "benchmark",
            abstract: "Measure replayed sessions and the decision latency (prints JSON).",
            shouldDisplay: false)

        @OptionGroup public var own: CommonOptions
        @ParentCommand var parent: EngineCommand

        /// The shared flags, given after the subcommand or before it.
        public var common: CommonOptions { EngineCommand.merged(own, parent.common) }

        @Option(name: .long, help: ArgumentHelp("A trading date or canonical CSV; repeatable.", valueName: "date|file"))
        public var replay: [String] = []

        @Option(name: .long, help: ArgumentHelp("Earlier sessions that warm the strategies up.", valueName: "n"))
        public var warmupDays = 2

        @Option(name: .long, help: ArgumentHelp("Use config/risk_config_NAME.yaml instead of risk_config.yaml.", valueName: "name"))
        public var riskPreset: String?

        public init() {}

        public func run() async throws {
            try await ToolRunner.run(tool: "engine benchmark") {
                let context = try ToolContext.load(common, tool: "engine", riskPreset: riskPreset)
                let setup = try EngineSetup(configuration: context.configuration)
                let plan = try ReplayData.load(
                    sources: replay.map(ReplaySource.init), setup: setup, calendar: context.calendar,
                    store: MarketDataStore(home: context.home), warmupDays: warmupDays,
                    currentDirectory: URL(filePath: FileManager.default.currentDirectoryPath, directoryHint: .isDirectory))
                guard !plan.days.isEmpty else { throw EngineError.badReplay("no trading session to measure") }
                let directory = FileManager.default.temporaryDirectory.appending(path: "alpha-prime-engine-benchmark-\(UUID().uuidString)")
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(at: directory) }
                var results: [EngineBenchmark.Replay] = []
                results.append(try EngineBenchmark.replay(plan.days, setup: setup, calendar: context.calendar, store: nil,
                                                          broker: PaperBrokerAccount(store: nil, settings: PaperSettings(setup)),
                                                          persistence: "none"))
                for (name, path) in [("sqlite-memory", ":memory:"), ("sqlite-file", directory.appending(path: "state.db").path)] {
                    let database = try SQLiteConnection(path: path)
                    try Migrator(database: database, logger: context.logger).migrate()
                    let store = StateRepository(database: database)
                    results.append(try EngineBenchmark.replay(plan.days, setup: setup, calendar: context.calendar, store: store,
                                                              broker: PaperBrokerAccount(store: store, settings: PaperSettings(setup)),
                                                              persistence: name))
                }
                // The same SQLite file run with an alert channel and the live-state cache that are both
                // down (nothing listens on their ports): what an outage costs the decisions.
                let dead = try RedisURL("redis://127.0.0.1:1/0")
                let cache = RedisLiveStateMirror(url: dead, logger: context.logger)
                defer { cache.stop(timeout: 1) }
                let mail = try EmailChannel(server: SMTPServer(host: "127.0.0.1", port: 1, security: .none, user: nil, password: nil),
                                            from: "engine@localhost", to: ["trader@localhost"])
                let alerts = AlertDispatcher(channels: [mail], dedupSeconds: 0, ledger: MemoryAlertLedger(), logger: context.logger)
                defer { alerts.stop() }
                let raised = CountingAlertSink(alerts)
                let database = try SQLiteConnection(path: directory.appending(path: "outage.db").path)
                try Migrator(database: database, logger: context.logger).migrate()
                let store = StateRepository(database: database)
                results.append(try EngineBenchmark.replay(plan.days, setup: setup, calendar: context.calendar, store: store,
                                                          broker: PaperBrokerAccount(store: store, settings: PaperSettings(setup)),
                                                          persistence: "sqlite-file, alert channel and Redis down",
                                                          alerts: raised, liveCache: cache))
                // What the outage run handed over: alerts raised (each failing on the dead channel,
                // or dropped from the full queue) and live states written or failed.
                let mirror = cache.counts
                ToolRunner.printError("engine benchmark: with the channel and Redis down: \(raised.count) alert(s) raised, "
                    + "\(alerts.droppedCount) dropped from the full queue; \(mirror.failures) live-state write(s) failed, \(mirror.writes) written")
                try EngineCommand.printJSON(results)
                return .ok
            }
        }
    }
}

/// Counts the alerts the engine raises on their way to the real sink.
final class CountingAlertSink: AlertSink, @unchecked Sendable {
    let sink: any AlertSink
    private let lock = NSLock()
    private var raised = 0

    init(_ sink: any AlertSink) { self.sink = sink }

    func raise(_ alert: Alert) {
        lock.withLock { raised += 1 }
        sink.raise(alert)
    }

    var count: Int { lock.withLock { raised } }
}
