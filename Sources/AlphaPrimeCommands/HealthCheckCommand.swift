import AlphaPrimeSupport
import AlphaPrimeDomain
import AlphaPrimeCore
import AlphaPrimeStore
import AlphaPrimeConfig
import AlphaPrimeLogs
import AlphaPrimeOps
import AlphaPrimeExecution
import AlphaPrimePaper
import AlphaPrimeAlerts
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

    @Flag(name: .long, help: ArgumentHelp(
        "Send an alert for each failed check through the channels .env configures (cron): a stale engine heartbeat, a missing broker token, anything else critical; the same check at most once per alerts.dedup_minutes."))
    public var alert = false

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
            if alert { Self.sendAlerts(report, setup: setup) }
            var timing: Logger.Metadata = ["fast": .stringConvertible(fast),
                                           "total_ms": "\(Self.milliseconds(since: started))"]
            for (probe, ms) in times { timing["probe.\(probe.replacingOccurrences(of: " ", with: "_"))_ms"] = "\(Self.rounded(ms))" }
            setup.logger.debug("health check timing", metadata: timing)
            return report.passed(strict: strict) ? .ok : .failure
        }
    }

    /// One alert per failed check: `heartbeat_stale` for the engine's heartbeat, `broker_token` for
    /// the broker's token, `health_critical` for the rest; deduplicated across runs (var/alerts-sent.json).
    /// The channels come from `.env` even when the YAML configuration does not load. Never changes
    /// the exit status; a channel that fails is said on standard error.
    static func sendAlerts(_ report: HealthReport, setup: ToolSetup) {
        let failed = report.findings.filter { $0.status == .failure }
        guard !failed.isEmpty else { return }
        let environment = setup.loadedConfiguration?.environment ?? EnvironmentSettings.resolve(environment: setup.environment.variables).settings
        let settings = setup.loadedConfiguration?.general.alertSettings ?? .defaults
        let channels: [any AlertChannel]
        do {
            channels = try AlertChannels.configured(environment: environment, settings: settings)
        } catch {
            ToolRunner.printError("health-check: the alert channels could not be set up (\(error)); no alert sent")
            return
        }
        guard !channels.isEmpty else {
            ToolRunner.printError("health-check: --alert but no alert channel is configured in .env; no alert sent")
            return
        }
        let ledger = FileAlertLedger(url: setup.home.varDirectory.appending(path: AlertCommand.ledgerFile))
        let dispatcher = AlertDispatcher(channels: channels, dedupSeconds: Int64(settings.dedupMinutes * 60), ledger: ledger, logger: setup.logger)
        let now = Int64(Date().timeIntervalSince1970)
        for finding in failed {
            let kind: AlertKind = finding.check == "engine" && finding.detail.contains("heartbeat") ? .heartbeatStale
                : finding.check == "broker" ? .brokerToken : .healthCritical
            dispatcher.raise(Alert(kind: kind, severity: .critical, title: "health-check: \(finding.check) FAILED",
                                   message: finding.detail, key: "health|\(finding.check)", raisedAt: now))
        }
        dispatcher.drain(timeout: 60)
        dispatcher.stop()
        for result in dispatcher.results {
            if let failure = result.failure { ToolRunner.printError("health-check: alert not sent by \(result.channel): \(failure)") }
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
