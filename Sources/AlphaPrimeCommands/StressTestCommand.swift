import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeCore
import AlphaPrimeStore
import AlphaPrimePaper
import ArgumentParser
import Foundation

/// `stress-test`: the engine, the state store and the risk layer under load and on hard days, on a
/// temporary database of its own (never the trader's). Prints a table; exit 1 when a floor given
/// with `--events-per-second` or `--writes-per-second` is not met.
public struct StressTestCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "stress-test",
        abstract: "Load-test the engine, the state store and the risk layer on a temporary database.",
        discussion: """
            1. Throughput: the enabled strategies on N synthetic symbols (seeded 1-minute random walks) for D sessions \
            through the real engine and paper broker, persisted to a temporary SQLite file: bars per second, the \
            decision and commit (write-ahead, then placement) latency percentiles. 2. Durable writes: fills recorded \
            one transaction each, per second. 3. Hard days from the market data in data/: the days with the largest \
            moves, the worst one gapped ±3% and ±5% at the open, and with its feed stalled for 10 minutes: trades, \
            P&L and what the risk layer did. Bounded by --duration. No broker adapter that answers slowly or with \
            unknown outcomes is built yet; the paper broker answers at once.
            """,
        version: AlphaPrimeVersion.string)

    @OptionGroup public var common: CommonOptions
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Synthetic symbols the strategies trade.", valueName: "n"))
    public var symbols = 10
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Synthetic sessions to replay.", valueName: "d"))
    public var days = 3
    @Option(name: .customLong("events-per-second"), parsing: .unconditional,
            help: ArgumentHelp("A floor: bars per second the engine must process (exit 1 below it).", valueName: "r"))
    public var eventsPerSecond: Double?
    @Option(name: .customLong("writes-per-second"), parsing: .unconditional,
            help: ArgumentHelp("A floor: durable fill writes per second (exit 1 below it).", valueName: "w"))
    public var writesPerSecond: Double?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Stop starting new work after this many seconds.", valueName: "s"))
    public var duration = 60.0
    @Option(name: .long, help: ArgumentHelp("Seed of the synthetic market.", valueName: "n")) public var seed: UInt64 = 42

    public init() {}

    public func validate() throws {
        guard (1...200).contains(symbols) else { throw ValidationError("--symbols expects 1 to 200, got \(symbols)") }
        guard (1...250).contains(days) else { throw ValidationError("--days expects 1 to 250, got \(days)") }
        guard duration > 0, duration <= 3_600 else { throw ValidationError("--duration expects 1 to 3600 seconds, got \(duration)") }
        if let r = eventsPerSecond, r <= 0 { throw ValidationError("--events-per-second expects a positive rate, got \(r)") }
        if let w = writesPerSecond, w <= 0 { throw ValidationError("--writes-per-second expects a positive rate, got \(w)") }
    }

    public func run() async throws {
        try await ToolRunner.run(tool: "stress-test") {
            let context = try ToolContext.load(common, tool: "stress-test")
            let directory = FileManager.default.temporaryDirectory.appending(path: "alpha-prime-stress-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let deadline = Date().addingTimeInterval(duration)
            var run = StressRun(context: context, directory: directory, deadline: deadline, progress: !common.json)
            let throughput = try run.throughput(symbols: symbols, days: days, seed: seed)
            let writes = try run.durableWrites()
            let hardDays = try run.hardDays()
            var floors: [String] = []
            if let r = eventsPerSecond, throughput.barsPerSecond < r {
                floors.append("the engine processed \(Int(throughput.barsPerSecond)) bars/s, below the floor of \(Int(r))")
            }
            if let w = writesPerSecond, writes.fillsPerSecond < w {
                floors.append("\(Int(writes.fillsPerSecond)) durable writes/s, below the floor of \(Int(w))")
            }
            let report = StressReport(throughput: throughput, writes: writes, hardDays: hardDays, floorsMissed: floors)
            context.logger.notice("stress test finished", metadata: [
                "bars_per_second": "\(Int(throughput.barsPerSecond))", "writes_per_second": "\(Int(writes.fillsPerSecond))",
                "floors_missed": "\(floors.count)"])
            try ToolRunner.printResult(report, json: common.json) { report.text }
            return floors.isEmpty ? .ok : .failure
        }
    }
}
