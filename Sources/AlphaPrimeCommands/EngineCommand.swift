import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeCore
import AlphaPrimeStore
import ArgumentParser
import Foundation

extension EngineMode: ExpressibleByArgument {}
extension TradingMode: ExpressibleByArgument {}

/// A replay speed as a command-line value.
public struct ReplaySpeedArgument: ExpressibleByArgument, Sendable {
    public let speed: ReplaySpeed
    public init?(argument: String) {
        guard let speed = ReplaySpeed(argument) else { return nil }
        self.speed = speed
    }
    public init(_ speed: ReplaySpeed) { self.speed = speed }
    public var defaultValueDescription: String { speed.description }
}

/// `engine run | status | stop | emergency-stop | reset-kill-switch`.
///
/// Each subcommand is in its own file (`EngineCommand+Run.swift`, `+Status`, `+Stop`,
/// `+EmergencyStop`, `+ResetKillSwitch`, `+Benchmark`); this one holds what they share. The gates
/// `engine run` passes before it starts are the core's `EngineStartPolicy`.
public struct EngineCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "engine",
        abstract: "Run the trading engine: monitor, paper or live; status, stop, emergency-stop.",
        discussion: """
            engine run --mode monitor|paper|live --replay DATE|FILE [--speed max|1x|10x|60x] [--confirm-live]
            engine status | engine stop [--flatten] | engine emergency-stop | engine reset-kill-switch --confirm --reason TEXT

            'run' is the default: 'engine --mode paper --replay 2021-02-22' runs it. Every subcommand takes \
            --home DIR (the ALPHA-PRIME home), --json and --log-level. One engine per state database: a second \
            start exits 4 naming the first one's pid. Exit codes: 0 done, 1 check failed, 3 not built yet \
            (the live feed, a live broker), 4 another engine holds the lock, 5 refused by a safety gate (live \
            gates, kill switch, no --confirm), 66 market data missing. See docs/engine.md.
            """,
        version: AlphaPrimeVersion.string,
        subcommands: [Run.self, Status.self, Stop.self, EmergencyStop.self, ResetKillSwitch.self, Benchmark.self],
        defaultSubcommand: Run.self)

    /// The shared flags given before the subcommand (`engine --home DIR status`).
    @OptionGroup public var common: CommonOptions

    public init() {}

    /// The shared flags of a subcommand: its own, else those given before its name.
    static func merged(_ own: CommonOptions, _ parent: CommonOptions) -> CommonOptions {
        var merged = own
        if merged.home == nil { merged.home = parent.home }
        if !merged.json { merged.json = parent.json }
        if merged.logLevel == nil { merged.logLevel = parent.logLevel }
        return merged
    }

    /// Who is doing something, for the records: `--by`, else the login name.
    static func person(_ by: String?) -> String {
        if let by, !by.isEmpty { return by }
        if let user = ProcessInfo.processInfo.environment["USER"], !user.isEmpty { return user }
        let name = ProcessInfo.processInfo.userName
        return name.isEmpty ? "unknown" : name
    }

    /// The state database when it exists; nil for a SQLite file not created yet (nothing has run).
    static func existingStore(_ context: ToolContext) throws -> StateRepository? {
        if case .sqlite(let path) = context.databaseURL, path != ":memory:", !FileManager.default.fileExists(atPath: path) {
            return nil
        }
        return StateRepository(database: try context.openDatabase(), url: context.databaseURL)
    }

    static func printJSON<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        ToolRunner.printOut(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}

extension EngineLockHolder {
    /// This process, holding a database's engine lock while it does `work` (`reset-portfolio`,
    /// `backup-restore`, `db-maintenance vacuum`), so no engine starts meanwhile and `engine status`
    /// names what holds it.
    static func thisProcess(doing work: String) -> EngineLockHolder {
        EngineLockHolder(pid: Int64(getpid()), host: ProcessInfo.processInfo.hostName, mode: work, since: UTCTimestamp.now().description)
    }
}
