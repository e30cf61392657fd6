import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeCore
import AlphaPrimeStore
import AlphaPrimeConfig
import AlphaPrimeLogs
import AlphaPrimeOps
import AlphaPrimeExecution
import AlphaPrimePaper
import ArgumentParser
import Foundation
import Logging

public struct HealthCheckCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "health-check",
        abstract: "Check the home, disk, memory, clock, configuration, calendar, state database, engine, backups and logs before trading.",
        discussion: """
            Prints one line per check: [ OK ], [INFO], [WARN] or [FAIL]. Every configuration error \
            is a '[FAIL] configuration: FILE:LINE: KEY: MESSAGE' line. The database is the one \
            DATABASE_URL names (environment, then .env). Exits 0 when nothing failed, 1 when a check \
            failed (or, with --strict, when anything warned).
            """,
        version: AlphaPrimeVersion.string)

    @OptionGroup public var common: CommonOptions

    @Flag(name: .long, help: "Only the quick checks (no database integrity scan); answers within 150 ms.")
    public var fast = false

    @Flag(name: .long, help: "Treat warnings as failures.")
    public var strict = false

    public init() {}

    public func run() async throws {
        try await ToolRunner.run(tool: "health-check") {
            let started = DispatchTime.now().uptimeNanoseconds
            let setup = ToolSetup.load(common, tool: "health-check", checkAllRiskPresets: true)
            let home = setup.home
            // The calendar is read once: its own lines, and market hours for the engine's line.
            let calendar: Result<TradingCalendar, any Error>? = FileManager.default.fileExists(atPath: home.configDirectory.path)
                ? Result { try setup.tradingCalendar() } : nil
            let context = HealthCheckContext(home: home, fast: fast, now: .now(), marketTime: try MarketClock.instant(),
                                             calendar: try? calendar?.get())
            let (report, times) = await HealthCheckRegistry.standard(setup: setup, calendar: calendar).run(context)

            if common.json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                struct Output: Encodable { let passed: Bool; let worst: String; let findings: [HealthFinding] }
                let output = Output(passed: report.passed(strict: strict), worst: report.worst.rawValue, findings: report.findings)
                ToolRunner.printOut(String(decoding: try encoder.encode(output), as: UTF8.self))
            } else {
                ToolRunner.printOut(report.text)
            }
            Self.log(report, strict: strict, to: setup.logger)
            var timing: Logger.Metadata = ["fast": .stringConvertible(fast),
                                           "total_ms": "\(Self.milliseconds(since: started))"]
            for (probe, ms) in times { timing["probe.\(probe.replacingOccurrences(of: " ", with: "_"))_ms"] = "\(Self.rounded(ms))" }
            setup.logger.debug("health check timing", metadata: timing)
            return report.passed(strict: strict) ? .ok : .failure
        }
    }

    static func milliseconds(since start: UInt64) -> Double {
        rounded(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }

    static func rounded(_ ms: Double) -> Double { (ms * 10).rounded() / 10 }

    /// One `[FAIL] configuration: FILE:LINE: KEY: MESSAGE` per configuration error, a warning per
    /// finding (a `.env` others can read), or one OK line.
    static func configuration(_ setup: ToolSetup) -> [HealthFinding] {
        switch setup.configuration {
        case .success(let configuration):
            let enabled = configuration.enabledStrategies.count
            return [.ok("configuration", "valid (risk preset \(configuration.riskPreset), \(enabled) of "
                        + "\(configuration.strategies.count) strategies enabled, environment \(configuration.environment.environment.rawValue))")]
                + configuration.findings.map { .warning("configuration", $0.description) }
        case .failure(let error):
            return error.issues.map { .failure("configuration", $0.description) }
                + error.findings.map { .warning("configuration", $0.description) }
        }
    }

    static func log(_ report: HealthReport, strict: Bool, to logger: Logger) {
        for finding in report.findings where finding.status == .warning || finding.status == .failure {
            logger.log(level: finding.status == .failure ? .error : .warning, "health check \(finding.status.rawValue)",
                       metadata: ["check": "\(finding.check)", "detail": "\(finding.detail)"])
        }
        logger.info("health check finished", metadata: [
            "passed": .stringConvertible(report.passed(strict: strict)), "strict": .stringConvertible(strict),
            "failures": .stringConvertible(report.failureCount), "warnings": .stringConvertible(report.warningCount),
        ])
    }
}
